import { ArnFormat, Aspects, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { checkRoleName, fitDescription, IAM_DESCRIPTION_DISALLOWED, policySize } from '../private/constraints';
import { invalidProp, isUnresolved } from '../private/errors';
import { createKey } from '../private/kms';
import { ManagedPolicyPrincipal } from '../private/managed-policy-principal';
import { nagName } from '../private/nag-names';
import { nonEmptyList } from '../private/validate';

/**
 * What a SageMaker execution role is for. Each workload adds only the permissions its jobs need.
 */
export enum SageMakerWorkload {
  /** Training jobs (`CreateTrainingJob`): logs to `/aws/sagemaker/TrainingJobs`. */
  TRAINING = 'TRAINING',
  /** Processing jobs (`CreateProcessingJob`): logs to `/aws/sagemaker/ProcessingJobs`. */
  PROCESSING = 'PROCESSING',
  /**
   * Model hosting (`CreateModel`, `CreateEndpointConfig`, `CreateEndpoint`): logs to
   * `/aws/sagemaker/Endpoints/<endpoint name>`.
   */
  INFERENCE = 'INFERENCE',
  /**
   * Model Monitor monitoring schedules (`CreateMonitoringSchedule`): SageMaker runs each execution
   * as a processing job it names itself, so logs go to `/aws/sagemaker/ProcessingJobs` and metrics
   * to the Model Monitor namespaces. Not with `jobNamePrefix` (the execution names are not yours)
   * nor `grantCreateJobs`.
   */
  MONITORING = 'MONITORING',
}

/**
 * Key prefixes of one bucket that a role may read or write.
 *
 * For a SecureTrainingBucket pass its `bucket`: its KMS key is picked up from the bucket.
 */
export interface BucketPrefixes {
  /** The bucket, e.g. `secureTrainingBucket.bucket` or any `s3.IBucket`. */
  readonly bucket: s3.IBucket;

  /**
   * Key prefixes, e.g. `['datasets/']`. Access is granted to objects under these prefixes only.
   * Each ends with `/`: `datasets` would be granted as `datasets*`, which also matches
   * `datasets-private/`, so it is refused. Required unless `wholeBucket` is true.
   *
   * @default - none: you must name prefixes or set `wholeBucket`
   */
  readonly prefixes?: string[];

  /**
   * Grant access to every object of the bucket instead of named prefixes. The wildcard object
   * ARN this writes is NOT acknowledged: `AwsSolutions-IAM5` keeps reporting it.
   *
   * @default false - access is limited to `prefixes` (least privilege)
   */
  readonly wholeBucket?: boolean;

  /**
   * The KMS key that encrypts the bucket's objects.
   *
   * @default - `bucket.encryptionKey`; none when the bucket has no KMS key
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Properties of a LeastPrivilegeSageMakerRole.
 */
export interface LeastPrivilegeSageMakerRoleProps {
  /**
   * What the role is for: training, processing, inference, or several. Permissions (log groups,
   * metric namespaces, job ARNs) follow from this list.
   */
  readonly workloads: SageMakerWorkload[];

  /**
   * Buckets and key prefixes the jobs read (training data, processing input, model artifacts
   * for inference): `s3:GetObject` under the prefixes, `s3:ListBucket` with an `s3:prefix`
   * condition, `kms:Decrypt` on the bucket key through S3 only.
   *
   * @default - no S3 read access
   */
  readonly inputs?: BucketPrefixes[];

  /**
   * Buckets and key prefixes the jobs write (model artifacts, processing output, checkpoints):
   * `s3:PutObject` and `s3:AbortMultipartUpload` under the prefixes, `kms:GenerateDataKey` and
   * `kms:Decrypt` on the bucket key through S3 only. No delete is granted.
   *
   * @default - no S3 write access
   */
  readonly outputs?: BucketPrefixes[];

  /**
   * The KMS key for ML storage volumes and job outputs (`VolumeKmsKeyId`, `OutputDataConfig.KmsKeyId`,
   * `KmsKeyId` of an endpoint configuration). The role may use it through S3 and SageMaker only;
   * `grantCreateJobs` requires requests to name it. A role that only serves models (INFERENCE
   * and no `outputs`) gets `kms:Decrypt` on it through S3 and nothing else.
   *
   * @default - a new customer-managed key with annual rotation, a 30-day deletion window, retained
   * (KMS.3, KMS.4)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * ECR repositories the job containers are pulled from. Only these repositories can be read;
   * `ecr:GetAuthorizationToken`, which has no resource-level permission, is the one `*`.
   *
   * @default - no ECR access (SageMaker built-in algorithm images need none)
   */
  readonly repositories?: ecr.IRepository[];

  /**
   * The VPC the jobs run in (VPC mode). The role gets the EC2 network-interface actions SageMaker
   * needs, limited to `vpcSubnets` and `securityGroups`; `grantCreateJobs` requires requests to
   * name them.
   *
   * @default - no VPC permissions, and `grantCreateJobs` cannot be used
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of `vpc` the jobs run in.
   *
   * @default - the private subnets of `vpc` (isolated subnets when it has no private ones)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the jobs' network interfaces. Required with `vpc`.
   *
   * @default - none; required when `vpc` is set
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Name prefix of the jobs, models, endpoint configurations and endpoints this role serves,
   * e.g. `fraud-`. Narrows the trust policy (`aws:SourceArn`), the log streams and the ARNs
   * `grantCreateJobs` grants on. Letters, digits and hyphens, starting with a letter or digit,
   * at most 50 characters.
   *
   * @default - any name in this account and Region; `grantCreateJobs` then cannot be used
   */
  readonly jobNamePrefix?: string;

  /**
   * CloudWatch metric namespaces the role may publish to (`cloudwatch:namespace` condition).
   *
   * @default - the SageMaker namespaces of `workloads`: `/aws/sagemaker/TrainingJobs`,
   * `/aws/sagemaker/ProcessingJobs`, `/aws/sagemaker/Endpoints`
   */
  readonly metricNamespaces?: string[];

  /**
   * An existing execution role to scope instead of creating one. The construct attaches its
   * customer-managed policies to it (by name, so an imported role works) and routes later grants
   * (`addToPolicy`, `grant*(construct)`) to a customer-managed policy too. The role's trust
   * policy stays yours: it must trust `sagemaker.amazonaws.com`, with `aws:SourceAccount`.
   * Not with `roleName` or `permissionsBoundary`, which belong to a created role.
   *
   * @default - a new role trusted by SageMaker with confused-deputy conditions
   */
  readonly existingRole?: iam.IRole;

  /**
   * Permissions boundary of the role.
   *
   * @default - no permissions boundary
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * Physical role name.
   *
   * @default - CloudFormation generates a unique name
   */
  readonly roleName?: string;

  /**
   * What happens to a created `encryptionKey` when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Options of `LeastPrivilegeSageMakerRole.grantCreateJobs`.
 */
export interface GrantCreateJobsOptions {
  /**
   * The workloads the grantee may launch; each must be one of the role's workloads.
   *
   * @default - every workload of the role
   */
  readonly workloads?: SageMakerWorkload[];
}

const SAGEMAKER = 'sagemaker.amazonaws.com';
const JOB_PREFIX = /^[a-zA-Z0-9][a-zA-Z0-9-]{0,49}$/;

/** Log groups, metric namespaces and ARN types per workload. */
const WORKLOAD = {
  [SageMakerWorkload.TRAINING]: { logGroup: '/aws/sagemaker/TrainingJobs', namespaces: ['/aws/sagemaker/TrainingJobs'], sourceTypes: ['training-job'] },
  [SageMakerWorkload.PROCESSING]: { logGroup: '/aws/sagemaker/ProcessingJobs', namespaces: ['/aws/sagemaker/ProcessingJobs'], sourceTypes: ['processing-job'] },
  [SageMakerWorkload.INFERENCE]: { logGroup: '/aws/sagemaker/Endpoints', namespaces: ['/aws/sagemaker/Endpoints'], sourceTypes: ['model', 'endpoint'] },
  // The SageMaker developer guide names the data-quality namespace three ways ("CloudWatch Metrics":
  // /aws/sagemaker/Endpoints/data-metric; "CloudWatch Metrics for Bring Your Own Containers":
  // /aws/sagemaker/Endpoint/data-metrics; the Model Monitor examples: aws/sagemaker/Endpoints/data-metrics).
  [SageMakerWorkload.MONITORING]: {
    logGroup: '/aws/sagemaker/ProcessingJobs',
    namespaces: ['/aws/sagemaker/ProcessingJobs', 'aws/sagemaker/Endpoints/data-metrics', '/aws/sagemaker/Endpoints/data-metric', '/aws/sagemaker/Endpoint/data-metrics'],
    sourceTypes: [] as string[],
  },
};

/** A wildcard the design makes unavoidable, acknowledged on exactly one policy with its reason. */
interface UnavoidableWildcard {
  readonly policy: iam.ManagedPolicy;
  readonly resource: string;
  readonly reason: string;
}

const REASONS = {
  objectPrefix: 'S3 object ARNs can name a key prefix only with a trailing wildcard; access is limited to the key prefix the user named.',
  jobLogStreams: 'SageMaker names log streams after the job (job name, slash, host) when the job starts; the wildcard covers the streams of jobs with the given name prefix in the SageMaker log group of this account and Region only.',
  endpointLogGroups: 'SageMaker creates one log group per endpoint (/aws/sagemaker/Endpoints/ followed by the endpoint name) with the endpoint; the wildcard covers the endpoints with the given name prefix in this account and Region only.',
  metrics: 'cloudwatch:PutMetricData supports no resource-level permission; the statement is limited by the cloudwatch:namespace condition to the namespaces the role names.',
  ecrToken: 'ecr:GetAuthorizationToken supports no resource-level permission (it returns a registry token); image pulls are limited to the named repositories by the other statement.',
  ec2Describe: 'The EC2 Describe* actions SageMaker calls in VPC mode (network interfaces, VPCs, subnets, security groups, DHCP options) support no resource-level permission; they return metadata only.',
  eni: 'Network interface IDs are assigned when SageMaker creates them; creation is limited to the named subnets and security groups, and permission/delete actions by the ec2:Subnet, ec2:Vpc and ec2:AuthorizedService conditions.',
  jobArns: 'SageMaker job, model and endpoint ARNs end with a name chosen at creation; the wildcard covers names with the role\'s jobNamePrefix in this account and Region only, and the request conditions pin VPC, KMS key and isolation.',
};

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
    this.workloads = this.validateWorkloads('workloads', props.workloads);
    this.jobNamePrefix = this.validateJobNamePrefix(props.jobNamePrefix);
    if (this.jobNamePrefix !== undefined && this.workloads.includes(SageMakerWorkload.MONITORING)) {
      invalidProp(this, 'jobNamePrefix', this.jobNamePrefix,
        'SageMaker names the processing jobs of a monitoring schedule itself, so a name prefix cannot scope their logs or trust: give the MONITORING workload a role of its own without `jobNamePrefix`.');
    }
    this.validateAccessList('inputs', props.inputs);
    this.validateAccessList('outputs', props.outputs);
    nonEmptyList(this, 'metricNamespaces', props.metricNamespaces, 'Name at least one CloudWatch namespace, or leave the prop out for the SageMaker namespaces.');
    if (props.repositories !== undefined && props.repositories.length === 0) {
      invalidProp(this, 'repositories', props.repositories, 'Name at least one ECR repository, or leave the prop out.');
    }
    this.vpc = props.vpc;
    const network = this.validateNetwork(props);
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

    Aspects.of(this).add({ visit: (node: IConstruct) => { if (node === this) this.acknowledgeUnavoidableWildcards(); } });
    this.node.addValidation({ validate: () => this.policyQuotaErrors() });
  }

  /**
   * C-IAM-4: a managed policy document has at most 6,144 characters, whitespace not counted;
   * C-IAM-5: at most 10 managed policies per role by default (IAM user guide, "IAM and AWS STS
   * quotas"). Sizes are counted as written in the template.
   */
  private policyQuotaErrors(): string[] {
    const errors: string[] = [];
    const policies = this.node.findAll().filter((c): c is iam.ManagedPolicy => c instanceof iam.ManagedPolicy);
    for (const policy of policies) {
      const size = policySize(this, policy.document);
      if (size > 6144) {
        errors.push(`[cdk-secure-ai] ${policy.node.path}: the policy document has ${size} characters (whitespace not counted); a managed policy has at most 6,144 [C-IAM-4; IAM user guide, IAM and AWS STS quotas]. Name fewer prefixes, buckets or keys per role.`);
      }
    }
    const attached = policies.length; // a permissions boundary passed in is not a child, and not counted
    if (attached > 10) {
      errors.push(`[cdk-secure-ai] ${this.node.path}: the role has ${attached} managed policies; a role has at most 10 by default [C-IAM-5; IAM user guide, IAM and AWS STS quotas]. Raise the quota or combine grants.`);
    }
    return errors;
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
    this.grantKey(key, ['kms:Decrypt', 'kms:GenerateDataKey'], [this.viaService('s3')]);
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
    const workloads = options.workloads === undefined ? this.workloads : this.validateWorkloads('workloads', options.workloads);
    for (const w of workloads) {
      if (!this.workloads.includes(w)) {
        invalidProp(this, 'workloads', options.workloads, `${w} is not a workload of this role (${this.workloads.join(', ')}).`);
      }
    }
    const arn = (type: string) => this.sagemakerArn(type, `${prefix}*`);
    const vpc = {
      'sagemaker:VpcSubnets': this.subnetIds,
      'sagemaker:VpcSecurityGroupIds': this.securityGroupIds,
    };
    const requireVpc = { 'sagemaker:VpcSubnets': 'false', 'sagemaker:VpcSecurityGroupIds': 'false' };
    const key = this.encryptionKey.keyArn;
    const statements: iam.PolicyStatement[] = [];
    const jobActions: string[] = [];
    const jobArns: string[] = [];
    if (workloads.includes(SageMakerWorkload.TRAINING)) { jobActions.push('sagemaker:CreateTrainingJob'); jobArns.push(arn('training-job')); }
    if (workloads.includes(SageMakerWorkload.PROCESSING)) { jobActions.push('sagemaker:CreateProcessingJob'); jobArns.push(arn('processing-job')); }
    if (jobActions.length > 0) {
      statements.push(new iam.PolicyStatement({
        sid: 'CreateJobsInVpcWithKeyIsolatedEncrypted',
        actions: jobActions,
        resources: jobArns,
        conditions: {
          'ForAllValues:StringEquals': vpc,
          'Null': requireVpc,
          'StringEquals': { 'sagemaker:VolumeKmsKeyArn': key, 'sagemaker:OutputKmsKeyArn': key },
          'Bool': { 'sagemaker:NetworkIsolation': 'true', 'sagemaker:InterContainerTrafficEncryption': 'true' },
        },
      }));
      statements.push(new iam.PolicyStatement({
        sid: 'DescribeAndStopOwnJobs',
        actions: [
          ...(workloads.includes(SageMakerWorkload.TRAINING) ? ['sagemaker:DescribeTrainingJob', 'sagemaker:StopTrainingJob'] : []),
          ...(workloads.includes(SageMakerWorkload.PROCESSING) ? ['sagemaker:DescribeProcessingJob', 'sagemaker:StopProcessingJob'] : []),
        ],
        resources: jobArns,
      }));
    }
    const taggable = [...jobArns];
    const taggingActions = [...jobActions];
    if (workloads.includes(SageMakerWorkload.INFERENCE)) {
      statements.push(new iam.PolicyStatement({
        sid: 'CreateModelsInVpcIsolated',
        actions: ['sagemaker:CreateModel'],
        resources: [arn('model')],
        conditions: {
          'ForAllValues:StringEquals': vpc,
          'Null': requireVpc,
          'Bool': { 'sagemaker:NetworkIsolation': 'true' },
        },
      }));
      statements.push(new iam.PolicyStatement({
        sid: 'CreateEndpointConfigsWithKeyForOwnModels',
        actions: ['sagemaker:CreateEndpointConfig'],
        resources: [arn('endpoint-config')],
        conditions: {
          // VPC and isolation are properties of the model; when SageMaker reports them for the
          // endpoint configuration they must match too.
          'ForAllValues:StringEquals': vpc,
          'ForAllValues:ArnLike': { 'sagemaker:ModelArn': [arn('model')] },
          'Null': { 'sagemaker:ModelArn': 'false' },
          'StringEquals': { 'sagemaker:VolumeKmsKeyArn': key },
          'BoolIfExists': { 'sagemaker:NetworkIsolation': 'true' },
        },
      }));
      statements.push(new iam.PolicyStatement({
        sid: 'CreateEndpointsFromOwnConfigs',
        actions: ['sagemaker:CreateEndpoint'],
        resources: [arn('endpoint'), arn('endpoint-config')],
      }));
      statements.push(new iam.PolicyStatement({
        sid: 'DescribeOwnModelsAndEndpoints',
        actions: ['sagemaker:DescribeModel', 'sagemaker:DescribeEndpointConfig', 'sagemaker:DescribeEndpoint'],
        resources: [arn('model'), arn('endpoint-config'), arn('endpoint')],
      }));
      taggable.push(arn('model'), arn('endpoint-config'), arn('endpoint'));
      taggingActions.push('CreateModel', 'CreateEndpointConfig', 'CreateEndpoint');
    }
    statements.push(new iam.PolicyStatement({
      sid: 'TagOnCreate',
      actions: ['sagemaker:AddTags'],
      resources: taggable,
      conditions: { StringEquals: { 'sagemaker:TaggingAction': taggingActions.map((a) => a.replace(/^sagemaker:/, '')) } },
    }));
    statements.push(new iam.PolicyStatement({
      sid: 'PassThisRoleToSageMakerOnly',
      actions: ['iam:PassRole'],
      resources: [this.role.roleArn],
      conditions: { StringEquals: { 'iam:PassedToService': SAGEMAKER } },
    }));
    statements.push(new iam.PolicyStatement({
      sid: 'LetSageMakerUseTheJobKey',
      actions: ['kms:CreateGrant', 'kms:DescribeKey'],
      resources: [key],
      conditions: { StringEquals: { 'kms:ViaService': this.viaService('sagemaker') } },
    }));

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
      this.grantKey(this.encryptionKey, ['kms:Decrypt'], [this.viaService('s3')]);
      return;
    }
    this.grantKey(this.encryptionKey, ['kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey'], [this.viaService('s3')]);
    this.dataAccessPolicy.addStatements(new iam.PolicyStatement({
      sid: 'JobKeyGrantsForAwsResources',
      actions: ['kms:CreateGrant', 'kms:DescribeKey'],
      resources: [this.encryptionKey.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': this.viaService('sagemaker') },
      },
    }));
  }

  private grantLogging(namespaces: string[] | undefined): void {
    const stack = Stack.of(this);
    const logArn = (name: string) => stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    const streamPattern = `${this.jobNamePrefix ?? ''}*`;
    const groups: string[] = [];
    const streams: string[] = [];
    const seen = new Set<string>();
    for (const w of this.workloads) {
      // PROCESSING and MONITORING share the processing-job log group.
      if (seen.has(WORKLOAD[w].logGroup)) continue;
      seen.add(WORKLOAD[w].logGroup);
      if (w === SageMakerWorkload.INFERENCE) {
        const group = logArn(`${WORKLOAD[w].logGroup}/${this.jobNamePrefix ?? ''}*`);
        groups.push(group);
        streams.push(`${group}:log-stream:*`);
        this.wildcards.push({ policy: this.loggingPolicy, resource: group, reason: REASONS.endpointLogGroups });
        this.wildcards.push({ policy: this.loggingPolicy, resource: `${group}:log-stream:*`, reason: REASONS.endpointLogGroups });
      } else {
        const group = logArn(WORKLOAD[w].logGroup);
        groups.push(group);
        streams.push(`${group}:log-stream:${streamPattern}`);
        this.wildcards.push({ policy: this.loggingPolicy, resource: `${group}:log-stream:${streamPattern}`, reason: REASONS.jobLogStreams });
      }
    }
    this.loggingPolicy.addStatements(
      new iam.PolicyStatement({
        sid: 'SageMakerLogGroupsOfThisAccountAndRegion',
        actions: ['logs:CreateLogGroup', 'logs:DescribeLogStreams'],
        resources: groups,
      }),
      new iam.PolicyStatement({
        sid: 'SageMakerLogStreams',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: streams,
      }),
      new iam.PolicyStatement({
        sid: 'MetricsInSageMakerNamespaces',
        actions: ['cloudwatch:PutMetricData'],
        resources: ['*'],
        conditions: { StringEquals: { 'cloudwatch:namespace': namespaces ?? [...new Set(this.workloads.flatMap((w) => WORKLOAD[w].namespaces))] } },
      }),
    );
    this.wildcards.push({ policy: this.loggingPolicy, resource: '*', reason: REASONS.metrics });
  }

  private grantImagePull(repositories: ecr.IRepository[]): iam.ManagedPolicy {
    const policy = this.newPolicy('ImagePolicy', 'ECR image pulls of the SageMaker execution role');
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'PullFromNamedRepositories',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: repositories.map((r) => r.repositoryArn),
      }),
      new iam.PolicyStatement({
        sid: 'RegistryAuthorizationToken',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
    );
    this.wildcards.push({ policy, resource: '*', reason: REASONS.ecrToken });
    return policy;
  }

  private grantNetworking(vpc: ec2.IVpc): iam.ManagedPolicy {
    const stack = Stack.of(this);
    const policy = this.newPolicy('NetworkPolicy', 'VPC-mode network interfaces of the SageMaker execution role');
    const ec2Arn = (resource: string, name: string) => stack.formatArn({ service: 'ec2', resource, resourceName: name });
    const subnetArns = this.subnetIds.map((id) => ec2Arn('subnet', id));
    const vpcArn = ec2Arn('vpc', vpc.vpcId);
    const eni = ec2Arn('network-interface', '*');
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'CreateInterfacesInNamedSubnetsAndSecurityGroups',
        actions: ['ec2:CreateNetworkInterface'],
        resources: [...subnetArns, ...this.securityGroupIds.map((id) => ec2Arn('security-group', id)), eni],
      }),
      new iam.PolicyStatement({
        sid: 'LetSageMakerUseInterfacesInNamedSubnets',
        actions: ['ec2:CreateNetworkInterfacePermission'],
        resources: [eni],
        conditions: {
          StringEquals: { 'ec2:AuthorizedService': SAGEMAKER },
          ArnEquals: { 'ec2:Subnet': subnetArns, 'ec2:Vpc': vpcArn },
        },
      }),
      new iam.PolicyStatement({
        sid: 'DeleteInterfacesInNamedSubnets',
        actions: ['ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
        resources: [eni],
        conditions: { ArnEquals: { 'ec2:Subnet': subnetArns, 'ec2:Vpc': vpcArn } },
      }),
      new iam.PolicyStatement({
        sid: 'DescribeNetwork',
        actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeDhcpOptions'],
        resources: ['*'],
      }),
    );
    this.wildcards.push({ policy, resource: eni, reason: REASONS.eni });
    this.wildcards.push({ policy, resource: '*', reason: REASONS.ec2Describe });
    return policy;
  }

  private grantBucketKey(access: BucketPrefixes, actions: string[]): void {
    const key = access.encryptionKey ?? access.bucket.encryptionKey;
    if (key) this.grantKey(key, actions, [this.viaService('s3')]);
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
    this.validateAccess(prop, access);
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
      conditions.ArnLike = { 'aws:SourceArn': types.map((t) => this.sagemakerArn(t, `${this.jobNamePrefix}*`)) };
    }
    return new iam.ServicePrincipal(SAGEMAKER).withConditions(conditions);
  }

  private sagemakerArn(type: string, name: string): string {
    return Stack.of(this).formatArn({ service: 'sagemaker', resource: type, resourceName: name });
  }

  private viaService(service: string): string {
    return `${service}.${Stack.of(this).region}.amazonaws.com`;
  }

  /** A Sid unique in the role's policies: a second grant on the same bucket gets a counter (E3510, duplicate Sids). */
  private sid(kind: string, scope: IConstruct): string {
    const base = `${kind}${Names.uniqueId(scope).replace(/[^A-Za-z0-9]/g, '')}`;
    let sid = base.slice(0, 100);
    for (let n = 2; this.usedSids.has(sid); n++) sid = `${base.slice(0, 100 - String(n).length)}${n}`;
    this.usedSids.add(sid);
    return sid;
  }

  /**
   * Acknowledges the AwsSolutions-IAM5 finding of each wildcard this construct wrote because
   * IAM offers nothing narrower — one finding ID per resource pattern, on the one policy that
   * holds it. Runs as an aspect so that every reference resolves to its final logical ID.
   */
  private acknowledgeUnavoidableWildcards(): void {
    const byPolicy = new Map<iam.ManagedPolicy, Map<string, string>>();
    for (const w of this.wildcards) {
      const flat = nagName(Stack.of(w.policy).resolve(w.resource));
      const id = `AwsSolutions-IAM5[Resource::${flat}]`;
      // Acknowledge each finding once, should the aspect run again.
      const key = `${w.policy.node.path}|${id}`;
      if (!flat.includes('*') || this.acknowledged.has(key)) continue;
      this.acknowledged.add(key);
      const findings = byPolicy.get(w.policy) ?? new Map<string, string>();
      findings.set(id, w.reason);
      byPolicy.set(w.policy, findings);
    }
    for (const [policy, findings] of byPolicy) {
      const byReason = new Map<string, string[]>();
      for (const [id, reason] of findings) byReason.set(reason, [...(byReason.get(reason) ?? []), id]);
      for (const [reason, ids] of byReason) {
        acknowledge(policy, ids.map((id) => ({ id, source: FindingSource.CDK_NAG })), reason);
      }
    }
  }

  private validateWorkloads(prop: string, workloads: SageMakerWorkload[] | undefined): SageMakerWorkload[] {
    if (!Array.isArray(workloads) || workloads.length === 0) {
      invalidProp(this, prop, workloads, 'Name what the role is for: [SageMakerWorkload.TRAINING], [SageMakerWorkload.PROCESSING], [SageMakerWorkload.INFERENCE], [SageMakerWorkload.MONITORING], or several.');
    }
    for (const w of workloads) {
      if (!Object.values(SageMakerWorkload).includes(w)) {
        invalidProp(this, prop, workloads, `${String(w)} is not a SageMakerWorkload (TRAINING, PROCESSING, INFERENCE, MONITORING).`);
      }
    }
    return [...new Set(workloads)];
  }

  private validateJobNamePrefix(prefix: string | undefined): string | undefined {
    if (prefix === undefined || isUnresolved(prefix)) return prefix;
    if (!JOB_PREFIX.test(prefix)) {
      invalidProp(this, 'jobNamePrefix', prefix,
        'SageMaker names allow letters, digits and hyphens and start with a letter or digit; give a prefix of at most 50 such characters, e.g. "fraud-".');
    }
    return prefix;
  }

  private validateAccessList(prop: string, list: BucketPrefixes[] | undefined): void {
    if (list === undefined) return;
    if (list.length === 0) invalidProp(this, prop, list, `Name at least one bucket with prefixes, or leave \`${prop}\` out.`);
  }

  private validateAccess(at: string, access: BucketPrefixes): void {
    if (!access || !access.bucket) invalidProp(this, `${at}.bucket`, access?.bucket, 'Give the bucket, e.g. `secureTrainingBucket.bucket`.');
    if (access.wholeBucket) {
      if (access.prefixes !== undefined) {
        invalidProp(this, `${at}.prefixes`, access.prefixes, 'Give either `prefixes` or `wholeBucket: true`, not both.');
      }
      return;
    }
    if (access.prefixes === undefined) {
      invalidProp(this, `${at}.prefixes`, access.prefixes, 'Name the key prefixes the jobs need, e.g. ["datasets/"]; whole buckets are granted only with `wholeBucket: true`.');
    }
    if (access.prefixes.length === 0) {
      invalidProp(this, `${at}.prefixes`, access.prefixes, 'Name at least one key prefix, e.g. ["datasets/"].');
    }
    for (const p of access.prefixes) {
      if (Token.isUnresolved(p)) continue;
      if (p.trim() === '' || p.startsWith('/') || p.includes('*') || p.includes('?')) {
        invalidProp(this, `${at}.prefixes`, access.prefixes, `"${p}" is not a key prefix: give one such as "datasets/" (not empty, no leading slash, no wildcard).`);
      }
      // "datasets" would be granted as datasets*, which also matches datasets-private/.
      if (!p.endsWith('/')) {
        invalidProp(this, `${at}.prefixes`, access.prefixes,
          `"${p}" does not end with "/": it would be granted as "${p}*", which also matches keys such as "${p}-private/". Name the folder, e.g. "${p}/".`);
      }
    }
  }

  private validateNetwork(props: LeastPrivilegeSageMakerRoleProps): { subnetIds: string[]; securityGroupIds: string[] } {
    if (!props.vpc) {
      if (props.vpcSubnets) invalidProp(this, 'vpcSubnets', props.vpcSubnets, 'Subnets are selected from `vpc`: set `vpc` too.');
      if (props.securityGroups) invalidProp(this, 'securityGroups', props.securityGroups, 'Security groups apply to VPC mode: set `vpc` too.');
      return { subnetIds: [], securityGroupIds: [] };
    }
    if (!props.securityGroups || props.securityGroups.length === 0) {
      invalidProp(this, 'securityGroups', props.securityGroups, 'Name the security groups of the job network interfaces (VPC mode needs at least one).');
    }
    const selection = props.vpcSubnets ?? {};
    const subnetIds = props.vpc.selectSubnets(selection).subnetIds;
    if (subnetIds.length === 0) {
      invalidProp(this, 'vpcSubnets', props.vpcSubnets, 'The selection matches no subnet of `vpc`; select the private or isolated subnets the jobs run in.');
    }
    return { subnetIds, securityGroupIds: props.securityGroups.map((sg) => sg.securityGroupId) };
  }
}

/**
 * A role whose grants (`addToPrincipalPolicy`, used by every `grant*` method of the CDK) go to a
 * customer-managed policy instead of an inline default policy (HIPAA/NIST/PCI IAMNoInlinePolicy).
 */
class ManagedPoliciesOnlyRole extends iam.Role {
  private grantsPolicy?: iam.ManagedPolicy;

  public addToPrincipalPolicy(statement: iam.PolicyStatement): iam.AddToPrincipalPolicyResult {
    if (!this.grantsPolicy) {
      this.grantsPolicy = new iam.ManagedPolicy(this, 'GrantsPolicy', {
        description: `Permissions granted to ${this.node.path} after creation`,
        roles: [this],
      });
    }
    this.grantsPolicy.addStatements(statement);
    return { statementAdded: true, policyDependable: this.grantsPolicy };
  }
}

/** A role, user or group of the app: something a customer-managed policy can be attached to. */
function isIdentity(principal: iam.IPrincipal): principal is iam.IIdentity {
  return Construct.isConstruct(principal) && typeof (principal as Partial<iam.IIdentity>).addManagedPolicy === 'function';
}
