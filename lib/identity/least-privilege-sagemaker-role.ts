import { Aspects, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct, IConstruct } from 'constructs';
import { createJobsStatements } from './create-jobs-statements';
import { imagePullStatements, loggingStatements, networkStatements, PolicyContent } from './execution-role-statements';
import { BucketPrefixes, GrantCreateJobsOptions, LeastPrivilegeSageMakerRoleProps, SageMakerWorkload } from './least-privilege-sagemaker-role-props';
import { isIdentity, ManagedPoliciesOnlyRole } from './managed-policies-only-role';
import { policyQuotaErrors, validateAccess, validateAccessList, validateJobNamePrefix, validateNetwork, validateWorkloads } from './role-validation';
import { SAGEMAKER, sagemakerArn, viaService, WORKLOAD } from './sagemaker-workloads';
import { acknowledgeUnavoidableWildcards, REASONS, UnavoidableWildcard } from './unavoidable-wildcards';
import { checkRoleName, fitDescription, IAM_DESCRIPTION_DISALLOWED } from '../private/constraints';
import { invalidProp } from '../private/errors';
import { createKey } from '../private/kms';
import { ManagedPolicyPrincipal } from '../private/managed-policy-principal';
import { nonEmptyList } from '../private/validate';

// The props and SageMakerWorkload stay importable from this module (lib/monitoring imports them from here).
export * from './least-privilege-sagemaker-role-props';

/**
 * A SageMaker execution role with least privilege, and guarded job creation.
 *
 * - trusted only by `sagemaker.amazonaws.com`, with `aws:SourceAccount` and, given a
 *   `jobNamePrefix`, `aws:SourceArn` (confused-deputy protection);
 * - customer-managed policies only (no AWS managed policy): S3 read/write on named key prefixes,
 *   KMS use of exactly the involved keys through S3/SageMaker (`kms:ViaService`), CloudWatch Logs
 *   to the SageMaker log groups of this account and Region, metrics with a namespace condition,
 *   ECR pulls from named repositories, VPC-mode network interfaces in named subnets and
 *   security groups;
 * - grants later added to the role (`addToPolicy`, `bucket.grantRead(role)`) go to a
 *   customer-managed policy too;
 * - `grantCreateJobs` lets a person or pipeline launch jobs with this role only in this VPC,
 *   with this key, network isolation and inter-container traffic encryption.
 *
 * @example
 * const role = new LeastPrivilegeSageMakerRole(this, 'TrainingRole', {
 *   workloads: [SageMakerWorkload.TRAINING],
 *   inputs: [{ bucket: data.bucket, prefixes: ['datasets/'] }],
 *   outputs: [{ bucket: data.bucket, prefixes: ['models/'] }],
 *   vpc, securityGroups: [jobSecurityGroup],
 *   jobNamePrefix: 'fraud-',
 * });
 * role.grantCreateJobs(pipelineRole);
 */
export class LeastPrivilegeSageMakerRole extends Construct implements iam.IGrantable {
  /** The execution role; pass it to any SageMaker construct or L1 resource. */
  public readonly role: iam.IRole;
  /** The principal to grant to: the role. */
  public readonly grantPrincipal: iam.IPrincipal;
  /** The KMS key for volumes and outputs. */
  public readonly encryptionKey: kms.IKey;
  /** S3 and KMS permissions. */
  public readonly dataAccessPolicy: iam.ManagedPolicy;
  /** CloudWatch Logs and metrics permissions. */
  public readonly loggingPolicy: iam.ManagedPolicy;
  /** ECR pull permissions, when `repositories` are given. */
  public readonly imagePolicy?: iam.ManagedPolicy;
  /** VPC-mode EC2 permissions, when `vpc` is given. */
  public readonly networkPolicy?: iam.ManagedPolicy;
  /** The workloads of the role. */
  public readonly workloads: SageMakerWorkload[];
  /** The name prefix of the role's jobs, models and endpoints. */
  public readonly jobNamePrefix?: string;
  /** IDs of the subnets the jobs run in (VPC mode). */
  public readonly subnetIds: string[];
  /** IDs of the security groups of the jobs (VPC mode). */
  public readonly securityGroupIds: string[];

  private readonly vpc?: ec2.IVpc;
  private readonly wildcards: UnavoidableWildcard[] = [];
  private readonly keyStatements = new Map<string, iam.PolicyStatement>();
  private readonly acknowledged = new Set<string>();
  private readonly usedSids = new Set<string>();

  constructor(scope: Construct, id: string, props: LeastPrivilegeSageMakerRoleProps) {
    super(scope, id);
    this.workloads = validateWorkloads(this, 'workloads', props.workloads);
    this.jobNamePrefix = validateJobNamePrefix(this, props.jobNamePrefix);
    if (this.jobNamePrefix !== undefined && this.workloads.includes(SageMakerWorkload.MONITORING)) {
      invalidProp(this, 'jobNamePrefix', this.jobNamePrefix,
        'SageMaker names the processing jobs of a monitoring schedule itself, so a name prefix cannot scope their logs or trust: give the MONITORING workload a role of its own without `jobNamePrefix`.');
    }
    validateAccessList(this, 'inputs', props.inputs);
    validateAccessList(this, 'outputs', props.outputs);
    nonEmptyList(this, 'metricNamespaces', props.metricNamespaces, 'Name at least one CloudWatch namespace, or leave the prop out for the SageMaker namespaces.');
    if (props.repositories !== undefined && props.repositories.length === 0) {
      invalidProp(this, 'repositories', props.repositories, 'Name at least one ECR repository, or leave the prop out.');
    }
    this.vpc = props.vpc;
    const network = validateNetwork(this, props);
    this.subnetIds = network.subnetIds;
    this.securityGroupIds = network.securityGroupIds;

    this.encryptionKey = props.encryptionKey ?? createKey(this, 'Key', {
      description: `Encrypts SageMaker volumes and outputs of ${this.node.path}`,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    checkRoleName(this, 'roleName', props.roleName);
    if (props.existingRole) {
      if (props.roleName !== undefined) invalidProp(this, 'roleName', props.roleName, 'An existing role keeps its name: set `existingRole` or `roleName`, not both.');
      if (props.permissionsBoundary) invalidProp(this, 'permissionsBoundary', props.permissionsBoundary.managedPolicyArn, 'Set the boundary of an existing role where the role is defined: set `existingRole` or `permissionsBoundary`, not both.');
      this.role = props.existingRole;
      const existing = props.existingRole;
      this.grantPrincipal = new ManagedPolicyPrincipal(existing, () => {
        const found = this.node.tryFindChild('GrantsPolicy') as iam.ManagedPolicy | undefined;
        return found ?? new iam.ManagedPolicy(this, 'GrantsPolicy', {
          description: fitDescription(`Permissions granted to ${existing.node.path} after creation (${this.node.path})`, 1000, IAM_DESCRIPTION_DISALLOWED),
          roles: [existing],
        });
      });
    } else {
      const created = this.createRole(props);
      this.role = created;
      this.grantPrincipal = created;
    }

    this.dataAccessPolicy = this.newPolicy('DataAccessPolicy', 'S3 and KMS access of the SageMaker execution role');
    (props.inputs ?? []).forEach((input, i) => this.read(`inputs[${i}]`, input));
    (props.outputs ?? []).forEach((output, i) => this.write(`outputs[${i}]`, output));
    this.grantJobKey((props.outputs ?? []).length > 0);

    this.loggingPolicy = this.newPolicy('LoggingPolicy', 'CloudWatch Logs and metrics of the SageMaker execution role');
    this.grantLogging(props.metricNamespaces);

    if (props.repositories) this.imagePolicy = this.grantImagePull(props.repositories);
    if (props.vpc) this.networkPolicy = this.grantNetworking(props.vpc);

    // An aspect, so that every reference resolves to its final logical ID.
    Aspects.of(this).add({ visit: (node: IConstruct) => { if (node === this) acknowledgeUnavoidableWildcards(this.wildcards, this.acknowledged); } });
    this.node.addValidation({ validate: () => policyQuotaErrors(this) });
  }

  /**
   * Adds a statement to a customer-managed policy of the role (never an inline policy).
   * Wildcards you add are reported by the checks as usual.
   */
  public addToPolicy(statement: iam.PolicyStatement): boolean {
    return this.grantPrincipal.addToPrincipalPolicy(statement).statementAdded;
  }

  private createRole(props: LeastPrivilegeSageMakerRoleProps): iam.Role {
    return new ManagedPoliciesOnlyRole(this, 'Role', {
      assumedBy: this.trustedPrincipal(),
      // C-IAM-2: at most 1,000 characters of IAM's set
      description: fitDescription(`SageMaker execution role for ${this.workloads.join(', ').toLowerCase()} (${this.node.path})`, 1000, IAM_DESCRIPTION_DISALLOWED),
      permissionsBoundary: props.permissionsBoundary,
      roleName: props.roleName,
    });
  }

  /**
   * Grants reading objects under the given prefixes (`s3:GetObject`), listing those prefixes,
   * and `kms:Decrypt` on the bucket key through S3 only.
   */
  public grantReadFrom(access: BucketPrefixes): void {
    this.read('access', access);
  }

  /**
   * Grants writing objects under the given prefixes (`s3:PutObject`, `s3:AbortMultipartUpload`)
   * and `kms:GenerateDataKey` + `kms:Decrypt` on the bucket key through S3 only. No delete.
   */
  public grantWriteTo(access: BucketPrefixes): void {
    this.write('access', access);
  }

  private read(prop: string, access: BucketPrefixes): void {
    const patterns = this.objectPatterns(prop, access);
    this.dataAccessPolicy.addStatements(new iam.PolicyStatement({
      sid: this.sid('Read', access.bucket),
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: patterns.map((p) => access.bucket.arnForObjects(p)),
    }));
    this.dataAccessPolicy.addStatements(new iam.PolicyStatement({
      sid: this.sid('List', access.bucket),
      actions: ['s3:ListBucket'],
      resources: [access.bucket.bucketArn],
      conditions: access.wholeBucket ? undefined : { StringLike: { 's3:prefix': patterns } },
    }));
    this.grantBucketKey(access, ['kms:Decrypt']);
  }

  private write(prop: string, access: BucketPrefixes): void {
    const patterns = this.objectPatterns(prop, access);
    this.dataAccessPolicy.addStatements(new iam.PolicyStatement({
      sid: this.sid('Write', access.bucket),
      actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
      resources: patterns.map((p) => access.bucket.arnForObjects(p)),
    }));
    this.grantBucketKey(access, ['kms:GenerateDataKey', 'kms:Decrypt']);
  }

  /**
   * Grants the role use of a KMS key (`kms:Decrypt`, `kms:GenerateDataKey`) through S3 only
   * (`kms:ViaService`), for objects the jobs read or write with that key.
   */
  public grantKeyUseThroughS3(key: kms.IKey): void {
    this.grantKey(key, ['kms:Decrypt', 'kms:GenerateDataKey'], [viaService(this, 's3')]);
  }

  /**
   * Lets `grantee` launch SageMaker work with this role, on ARNs named with `jobNamePrefix`, only
   * when the request:
   * - places the work in this role's subnets and security groups (`sagemaker:VpcSubnets`,
   *   `sagemaker:VpcSecurityGroupIds`);
   * - encrypts volumes and outputs with `encryptionKey` (`sagemaker:VolumeKmsKeyArn`,
   *   `sagemaker:OutputKmsKeyArn`, where the action has the key);
   * - enables network isolation and inter-container traffic encryption
   *   (`sagemaker:NetworkIsolation`, `sagemaker:InterContainerTrafficEncryption`, where the
   *   action has the key);
   * - for endpoint configurations, serves only models named with the prefix (`sagemaker:ModelArn`).
   *
   * It also grants `iam:PassRole` of this role only, only to SageMaker (`iam:PassedToService`),
   * and `kms:CreateGrant`/`kms:DescribeKey` on `encryptionKey` through SageMaker for AWS
   * resources only. The statements go to a customer-managed policy attached to the grantee
   * when it is a role, user or group.
   *
   * @param grantee the person or pipeline that launches jobs
   * @param options which workloads
   */
  public grantCreateJobs(grantee: iam.IGrantable, options: GrantCreateJobsOptions = {}): iam.PolicyStatement[] {
    if (!this.vpc) {
      invalidProp(this, 'vpc', undefined, 'grantCreateJobs requires jobs to run in this role\'s VPC: set `vpc` and `securityGroups`.');
    }
    const prefix = this.jobNamePrefix;
    if (prefix === undefined) {
      invalidProp(this, 'jobNamePrefix', prefix, 'grantCreateJobs grants on name-prefixed ARNs only: set `jobNamePrefix`, e.g. "fraud-".');
    }
    const workloads = options.workloads === undefined ? this.workloads : validateWorkloads(this, 'workloads', options.workloads);
    for (const w of workloads) {
      if (!this.workloads.includes(w)) {
        invalidProp(this, 'workloads', options.workloads, `${w} is not a workload of this role (${this.workloads.join(', ')}).`);
      }
    }
    const { statements, taggable } = createJobsStatements(this, {
      workloads,
      prefix,
      subnetIds: this.subnetIds,
      securityGroupIds: this.securityGroupIds,
      keyArn: this.encryptionKey.keyArn,
      roleArn: this.role.roleArn,
    });
    const principal = grantee.grantPrincipal;
    if (isIdentity(principal)) {
      const id = `CreateJobs${Names.uniqueId(principal)}`;
      if (this.node.tryFindChild(id)) {
        invalidProp(this, 'grantee', principal.node.path, 'Job creation is already granted to this principal: grant every workload it needs in one grantCreateJobs call.');
      }
      const policy = new iam.ManagedPolicy(this, id, {
        description: `Lets ${principal.node.path} launch SageMaker work with ${this.node.path} only in its VPC, with its key, isolated`,
        statements,
      });
      principal.addManagedPolicy(policy);
      for (const resource of [...taggable]) this.wildcards.push({ policy, resource, reason: REASONS.jobArns });
    } else {
      for (const statement of statements) {
        if (!principal.addToPrincipalPolicy(statement).statementAdded) {
          invalidProp(this, 'grantee', String(principal), 'The grantee cannot hold an identity policy: grant to a role, user or group.');
        }
      }
    }
    return statements;
  }

  /**
   * Jobs (training, processing) and roles with outputs write with the job key: S3 encrypts their
   * outputs with it and SageMaker encrypts their volumes through a grant for the AWS resource.
   * A role that only serves models (INFERENCE, no `outputs`) writes nothing with it: it gets
   * `kms:Decrypt` through S3 only. Hosting encrypts endpoint volumes with the endpoint
   * configuration's key, which the caller of CreateEndpoint uses, not the execution role
   * (SageMaker API reference, CreateEndpointConfig `KmsKeyId`).
   */
  private grantJobKey(hasOutputs: boolean): void {
    const writes = hasOutputs || this.workloads.some((w) => w !== SageMakerWorkload.INFERENCE);
    if (!writes) {
      this.grantKey(this.encryptionKey, ['kms:Decrypt'], [viaService(this, 's3')]);
      return;
    }
    this.grantKey(this.encryptionKey, ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], [viaService(this, 's3')]);
    this.dataAccessPolicy.addStatements(new iam.PolicyStatement({
      sid: 'JobKeyGrantsForAwsResources',
      actions: ['kms:CreateGrant', 'kms:DescribeKey'],
      resources: [this.encryptionKey.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': viaService(this, 'sagemaker') },
      },
    }));
  }

  private grantLogging(namespaces: string[] | undefined): void {
    this.addContent(this.loggingPolicy, loggingStatements(this, this.workloads, this.jobNamePrefix, namespaces));
  }

  private grantImagePull(repositories: ecr.IRepository[]): iam.ManagedPolicy {
    const policy = this.newPolicy('ImagePolicy', 'ECR image pulls of the SageMaker execution role');
    this.addContent(policy, imagePullStatements(repositories));
    return policy;
  }

  private grantNetworking(vpc: ec2.IVpc): iam.ManagedPolicy {
    const policy = this.newPolicy('NetworkPolicy', 'VPC-mode network interfaces of the SageMaker execution role');
    this.addContent(policy, networkStatements(this, vpc, this.subnetIds, this.securityGroupIds));
    return policy;
  }

  private addContent(policy: iam.ManagedPolicy, content: PolicyContent): void {
    policy.addStatements(...content.statements);
    for (const w of content.wildcards) this.wildcards.push({ policy, resource: w.resource, reason: w.reason });
  }

  private grantBucketKey(access: BucketPrefixes, actions: string[]): void {
    const key = access.encryptionKey ?? access.bucket.encryptionKey;
    if (key) this.grantKey(key, actions, [viaService(this, 's3')]);
  }

  /** One statement per key and ViaService set; later grants on the same key extend it. */
  private grantKey(key: kms.IKey, actions: string[], viaServices: string[]): void {
    const id = `${Names.uniqueId(key)}|${viaServices.join(',')}`;
    let statement = this.keyStatements.get(id);
    if (!statement) {
      statement = new iam.PolicyStatement({
        sid: this.sid(`Key${this.keyStatements.size}`, key),
        resources: [key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': viaServices.length === 1 ? viaServices[0] : viaServices } },
      });
      this.keyStatements.set(id, statement);
      this.dataAccessPolicy.addStatements(statement);
    }
    const missing = actions.filter((a) => !statement!.actions.includes(a));
    if (missing.length > 0) statement.addActions(...missing);
  }

  private objectPatterns(prop: string, access: BucketPrefixes): string[] {
    validateAccess(this, prop, access);
    if (access.wholeBucket) return ['*'];
    const patterns = (access.prefixes ?? []).map((p) => `${p}*`);
    for (const pattern of patterns) {
      this.wildcards.push({ policy: this.dataAccessPolicy, resource: access.bucket.arnForObjects(pattern), reason: REASONS.objectPrefix });
    }
    return patterns;
  }

  private newPolicy(id: string, description: string): iam.ManagedPolicy {
    // C-IAM-6: at most 1,000 characters of IAM's set
    return new iam.ManagedPolicy(this, id, { description: fitDescription(`${description} (${this.node.path})`, 1000, IAM_DESCRIPTION_DISALLOWED), roles: [this.role] });
  }

  private trustedPrincipal(): iam.IPrincipal {
    const stack = Stack.of(this);
    const conditions: Record<string, Record<string, unknown>> = {
      StringEquals: { 'aws:SourceAccount': stack.account },
    };
    if (this.jobNamePrefix !== undefined) {
      const types = [...new Set(this.workloads.flatMap((w) => WORKLOAD[w].sourceTypes))];
      conditions.ArnLike = { 'aws:SourceArn': types.map((t) => sagemakerArn(this, t, `${this.jobNamePrefix}*`)) };
    }
    return new iam.ServicePrincipal(SAGEMAKER).withConditions(conditions);
  }

  /** A Sid unique in the role's policies: a second grant on the same bucket gets a counter (E3510, duplicate Sids). */
  private sid(kind: string, scope: IConstruct): string {
    const base = `${kind}${Names.uniqueId(scope).replace(/[^A-Za-z0-9]/g, '')}`;
    let sid = base.slice(0, 100);
    for (let n = 2; this.usedSids.has(sid); n++) sid = `${base.slice(0, 100 - String(n).length)}${n}`;
    this.usedSids.add(sid);
    return sid;
  }
}
