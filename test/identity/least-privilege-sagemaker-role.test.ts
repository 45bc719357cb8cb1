import * as fs from 'fs';
import * as path from 'path';
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  LeastPrivilegeSageMakerRole,
  LeastPrivilegeSageMakerRoleProps,
  SageMakerWorkload,
  SecureTrainingBucket,
} from '../../lib';
import { acknowledge, FindingSource } from '../../lib/private/acknowledge';
import { createKey } from '../../lib/private/kms';
import { createTestApp } from '../support/app';
import { expectCompliant, findViolations } from '../support/compliance';
import { ACCOUNT, OTHER_ACCOUNT, PolicySimulator, REGION } from '../support/iam';
import { snapshotOf } from '../support/snapshot';

const SUBNETS = ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'];
const OTHER_SUBNET = 'subnet-0fffffffffffffff9';
const SECURITY_GROUP = 'sg-0ccccccccccccccc3';
const OTHER_SECURITY_GROUP = 'sg-0eeeeeeeeeeeeeee7';
const VPC_ID = 'vpc-0a1b2c3d4e5f67890';

/** Acknowledged finding IDs and reasons, by construct path, under a path prefix (read after synthesis). */
function acknowledgementsUnder(stack: Stack, prefix: string): Map<string, Map<string, string>> {
  const result = new Map<string, Map<string, string>>();
  for (const construct of stack.node.findAll()) {
    if (!construct.node.path.startsWith(prefix)) continue;
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      const findings = result.get(construct.node.path) ?? new Map<string, string>();
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) findings.set(id.replace(/^[A-Za-z-]+::/, ''), reason);
      result.set(construct.node.path, findings);
    }
  }
  return result;
}

/** An existing VPC and security group (the network construct owns creating them). */
function network(scope: Construct) {
  const vpc = ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
    vpcId: VPC_ID,
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    privateSubnetIds: SUBNETS,
    privateSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0bbbbbbbbbbbbbbb2'],
  });
  const securityGroup = ec2.SecurityGroup.fromSecurityGroupId(scope, 'JobSecurityGroup', SECURITY_GROUP);
  return { vpc, securityGroup };
}

/** A role with every option: all workloads, VPC, repository, prefix, job creation granted. */
function fullStack(options: { checks?: boolean } = {}) {
  const stack = new Stack(createTestApp(options), 'Identity');
  const data = new SecureTrainingBucket(stack, 'Data');
  const other = new SecureTrainingBucket(stack, 'Other');
  const { vpc, securityGroup } = network(stack);
  const repository = ecr.Repository.fromRepositoryName(stack, 'Trainer', 'fraud-trainer');
  const boundary = new iam.ManagedPolicy(stack, 'Boundary', {
    statements: [new iam.PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:Encrypt', 'kms:CreateGrant', 'kms:DescribeKey', 'logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams', 'cloudwatch:PutMetricData', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability', 'ecr:GetAuthorizationToken', 'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups', 'ec2:DescribeDhcpOptions'], resources: ['*'] })],
  });
  // The boundary is the test's own ceiling, not part of the construct.
  acknowledge(boundary, [{ id: 'AwsSolutions-IAM5[Resource::*]', source: FindingSource.CDK_NAG }], 'Test fixture: a permissions boundary is a ceiling on the role, not a grant.');
  const role = new LeastPrivilegeSageMakerRole(stack, 'Ml', {
    workloads: [SageMakerWorkload.TRAINING, SageMakerWorkload.PROCESSING, SageMakerWorkload.INFERENCE],
    inputs: [{ bucket: data.bucket, prefixes: ['datasets/', 'models/approved/'] }],
    outputs: [{ bucket: data.bucket, prefixes: ['models/candidates/'] }],
    repositories: [repository],
    vpc,
    securityGroups: [securityGroup],
    jobNamePrefix: 'fraud-',
    permissionsBoundary: boundary,
  });
  const pipeline = new iam.Role(stack, 'Pipeline', { assumedBy: new iam.AccountRootPrincipal() });
  role.grantCreateJobs(pipeline);
  return { stack, role, data, other, pipeline, boundary };
}

describe('LeastPrivilegeSageMakerRole template', () => {
  const { stack, role, pipeline } = fullStack({ checks: false });
  const template = Template.fromStack(stack);
  const roleId = stack.getLogicalId(role.role.node.defaultChild as iam.CfnRole);

  test('is trusted only by SageMaker, from this account, for jobs and endpoints with the prefix', () => {
    const trust = template.toJSON().Resources[roleId].Properties.AssumeRolePolicyDocument;
    expect(trust.Statement).toHaveLength(1);
    expect(trust.Statement[0]).toEqual(expect.objectContaining({
      Effect: 'Allow',
      Principal: { Service: 'sagemaker.amazonaws.com' },
      Action: 'sts:AssumeRole',
    }));
    expect(trust.Statement[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    const sourceArns = new PolicySimulator(stack).resolve(trust.Statement[0].Condition.ArnLike['aws:SourceArn']);
    expect(sourceArns.sort()).toEqual(['training-job', 'processing-job', 'model', 'endpoint']
      .map((t) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:${t}/fraud-*`).sort());
  });

  test('has no AWS managed policy, no inline policy: customer-managed policies only', () => {
    const props = template.toJSON().Resources[roleId].Properties;
    expect(props.Policies).toBeUndefined();
    for (const arn of props.ManagedPolicyArns ?? []) expect(JSON.stringify(arn)).not.toMatch(/iam::aws:policy/);
    template.resourceCountIs('AWS::IAM::Policy', 0);
    const attached = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p) => (p.Properties.Roles ?? []).some((r: any) => r.Ref === roleId));
    expect(attached).toHaveLength(4); // data access, logging, images, network
  });

  test('no statement uses a wildcard action', () => {
    for (const policy of Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
      }
    }
  });

  test('the permissions boundary is attached', () => {
    expect(template.toJSON().Resources[roleId].Properties.PermissionsBoundary).toEqual({ Ref: stack.getLogicalId(stack.node.findChild('Boundary').node.defaultChild as iam.CfnManagedPolicy) });
  });

  test('creates a rotated, retained customer-managed key for volumes and outputs', () => {
    const keyId = stack.getLogicalId(role.encryptionKey.node.defaultChild as kms.CfnKey);
    expect(template.toJSON().Resources[keyId]).toEqual(expect.objectContaining({
      DeletionPolicy: 'Retain',
      Properties: expect.objectContaining({ EnableKeyRotation: true, PendingWindowInDays: 30 }),
    }));
  });

  test('every KMS statement the construct writes carries kms:ViaService', () => {
    const ours = Object.entries<any>(template.findResources('AWS::IAM::ManagedPolicy')).filter(([id]) => id.startsWith('Ml'));
    expect(ours.length).toBe(5);
    for (const [, policy] of ours) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        if ([statement.Action].flat().some((a: string) => a.startsWith('kms:'))) {
          expect(statement.Condition.StringEquals['kms:ViaService']).toBeDefined();
        }
      }
    }
  });

  test('job creation is granted through a customer-managed policy attached to the grantee', () => {
    const pipelineId = stack.getLogicalId(pipeline.node.defaultChild as iam.CfnRole);
    const [policyId] = Object.keys(template.findResources('AWS::IAM::ManagedPolicy')).filter((id) => id.startsWith('MlCreateJobs'));
    expect(template.toJSON().Resources[pipelineId].Properties.ManagedPolicyArns).toEqual([{ Ref: policyId }]);
    expect(template.toJSON().Resources[pipelineId].Properties.Policies).toBeUndefined();
    template.hasResource('AWS::IAM::ManagedPolicy', {
      Properties: {
        PolicyDocument: {
          Statement: Match.arrayWith([Match.objectLike({
            Action: 'iam:PassRole',
            Resource: { 'Fn::GetAtt': [roleId, 'Arn'] },
            Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
          })]),
        },
      },
    });
  });

  test('grants made later go to a customer-managed policy, not an inline one', () => {
    const s = new Stack(createTestApp({ checks: false }), 'Later');
    const r = new LeastPrivilegeSageMakerRole(s, 'Ml', { workloads: [SageMakerWorkload.TRAINING] });
    const table = new s3.Bucket(s, 'Plain');
    table.grantRead(r);
    r.addToPolicy(new iam.PolicyStatement({ actions: ['sagemaker:DescribeTrainingJob'], resources: ['arn:aws:sagemaker:us-east-1:111122223333:training-job/x'] }));
    const t = Template.fromStack(s);
    t.resourceCountIs('AWS::IAM::Policy', 0);
    t.resourceCountIs('AWS::IAM::ManagedPolicy', 3); // data access, logging, grants
  });

  test('exposes role, key, policies, subnets and security groups', () => {
    expect(role.grantPrincipal).toBe(role.role);
    expect(role.subnetIds).toEqual(SUBNETS);
    expect(role.securityGroupIds).toEqual([SECURITY_GROUP]);
    expect(role.imagePolicy).toBeDefined();
    expect(role.networkPolicy).toBeDefined();
  });

  test('matches the snapshot', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });
});

describe('LeastPrivilegeSageMakerRole compliance', () => {
  test('minimal training role has no unacknowledged finding', () => {
    const stack = new Stack(createTestApp(), 'Minimal');
    const data = new SecureTrainingBucket(stack, 'Data');
    new LeastPrivilegeSageMakerRole(stack, 'Ml', {
      workloads: [SageMakerWorkload.TRAINING],
      inputs: [{ bucket: data.bucket, prefixes: ['datasets/'] }],
      outputs: [{ bucket: data.bucket, prefixes: ['models/'] }],
    });
    expectCompliant(stack);
  });

  test('every option, with job creation granted, has no unacknowledged finding', () => {
    const { stack } = fullStack();
    expectCompliant(stack);
  });

  test('inference only, bring-your-own key and any IBucket, has no unacknowledged finding', () => {
    const stack = new Stack(createTestApp(), 'Inference');
    const data = new SecureTrainingBucket(stack, 'Data');
    const { vpc, securityGroup } = network(stack);
    const role = new LeastPrivilegeSageMakerRole(stack, 'Ml', {
      workloads: [SageMakerWorkload.INFERENCE],
      inputs: [{ bucket: s3.Bucket.fromBucketName(stack, 'Models', 'model-registry-111122223333'), prefixes: ['approved/'], encryptionKey: data.encryptionKey }],
      encryptionKey: data.encryptionKey,
      vpc,
      vpcSubnets: { subnets: [vpc.privateSubnets[0]] },
      securityGroups: [securityGroup],
      jobNamePrefix: 'churn',
      metricNamespaces: ['Churn/Inference'],
    });
    role.grantCreateJobs(new iam.Role(stack, 'Deployer', { assumedBy: new iam.AccountRootPrincipal() }));
    expectCompliant(stack);
  });

  test('acknowledgements are narrow: exact IAM5 resource findings, on this construct\'s policies only', () => {
    const { stack } = fullStack();
    expectCompliant(stack); // synthesizes: the acknowledgements are written
    const acknowledged = acknowledgementsUnder(stack, 'Identity/Ml/');
    expect([...acknowledged.keys()].sort()).toEqual([
      'Identity/Ml/CreateJobsIdentityPipelineC86DA82E/Resource',
      'Identity/Ml/DataAccessPolicy/Resource',
      'Identity/Ml/ImagePolicy/Resource',
      'Identity/Ml/LoggingPolicy/Resource',
      'Identity/Ml/NetworkPolicy/Resource',
    ]);
    const ids = [...acknowledged.values()].flatMap((m) => [...m.keys()]);
    for (const id of ids) expect(id).toMatch(/^AwsSolutions-IAM5\[Resource::(\*|arn:<AWS::Partition>:(logs|ec2|sagemaker):<AWS::Region>:<AWS::AccountId>:.+|<DataBucket\w+\.Arn>\/[\w/-]+\*)\]$/);
    expect(acknowledged.get('Identity/Ml/ImagePolicy/Resource')).toEqual(new Map([['AwsSolutions-IAM5[Resource::*]', expect.stringContaining('ecr:GetAuthorizationToken')]]));
    expect([...acknowledged.get('Identity/Ml/DataAccessPolicy/Resource')!.keys()]).toEqual([
      expect.stringMatching(/datasets\/\*\]$/), expect.stringMatching(/models\/approved\/\*\]$/), expect.stringMatching(/models\/candidates\/\*\]$/),
    ]);
  });

  test('a wildcard the user adds is still reported', () => {
    const stack = new Stack(createTestApp(), 'Weakened');
    const data = new SecureTrainingBucket(stack, 'Data');
    const role = new LeastPrivilegeSageMakerRole(stack, 'Ml', {
      workloads: [SageMakerWorkload.TRAINING],
      inputs: [{ bucket: data.bucket, wholeBucket: true }],
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
    const rules = findViolations(stack).map((v) => `${v.rule} ${v.constructPath}`);
    expect(rules).toEqual(expect.arrayContaining([
      expect.stringMatching(/^AwsSolutions-IAM5\[Resource::<DataBucket\w+\.Arn>\/\*\] Weakened\/Ml\/DataAccessPolicy\/Resource$/),
      'AwsSolutions-IAM5[Resource::*] Weakened/Ml/Role/GrantsPolicy/Resource',
    ]));
  });

  test('an AWS managed policy attached by the user is reported (IAM4)', () => {
    const stack = new Stack(createTestApp(), 'Managed');
    const role = new LeastPrivilegeSageMakerRole(stack, 'Ml', { workloads: [SageMakerWorkload.PROCESSING] });
    role.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AmazonSageMakerFullAccess'));
    expect(findViolations(stack).map((v) => v.rule)).toContain('AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/AmazonSageMakerFullAccess]');
  });
});

describe('LeastPrivilegeSageMakerRole policies, decided by the IAM simulator', () => {
  const { stack, role, data, other, pipeline } = fullStack({ checks: false });
  const sim = new PolicySimulator(stack);
  const exec = role.role;
  const bucket = sim.arnOf(data.bucket);
  const otherBucket = sim.arnOf(other.bucket);
  const dataKey = sim.arnOf(data.encryptionKey);
  const otherKey = sim.arnOf(other.encryptionKey);
  const jobKey = sim.arnOf(role.encryptionKey);
  const execArn = sim.arnOf(exec);
  const tls = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' };
  const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };
  const viaSageMaker = { 'kms:ViaService': `sagemaker.${REGION}.amazonaws.com` };
  const logs = (account: string, region: string, rest: string) => `arn:aws:logs:${region}:${account}:log-group:${rest}`;
  const ec2Arn = (type: string, id: string, account = ACCOUNT) => `arn:aws:ec2:${REGION}:${account}:${type}/${id}`;
  const sm = (type: string, name: string) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:${type}/${name}`;
  const inNetwork = { 'ec2:Subnet': ec2Arn('subnet', SUBNETS[0]), 'ec2:Vpc': ec2Arn('vpc', VPC_ID) };

  test.each<[string, string, string, Record<string, string>, string]>([
    ['reads training data under an input prefix', 's3:GetObject', `${bucket}/datasets/2026/a.csv`, tls, 'Allowed'],
    ['reads under the second input prefix', 's3:GetObject', `${bucket}/models/approved/m.tar.gz`, tls, 'Allowed'],
    ['cannot read under another prefix', 's3:GetObject', `${bucket}/secrets/a.csv`, tls, 'ImplicitlyDenied'],
    ['cannot read a prefix that only starts like an input prefix', 's3:GetObject', `${bucket}/datasets-private/a.csv`, tls, 'ImplicitlyDenied'],
    ['cannot read another bucket', 's3:GetObject', `${otherBucket}/datasets/a.csv`, tls, 'ImplicitlyDenied'],
    ['writes under the output prefix', 's3:PutObject', `${bucket}/models/candidates/m.tar.gz`, tls, 'Allowed'],
    ['cannot write under an input prefix', 's3:PutObject', `${bucket}/datasets/a.csv`, tls, 'ImplicitlyDenied'],
    ['cannot write to another bucket', 's3:PutObject', `${otherBucket}/models/candidates/m.tar.gz`, tls, 'ImplicitlyDenied'],
    ['cannot delete outputs', 's3:DeleteObject', `${bucket}/models/candidates/m.tar.gz`, tls, 'ImplicitlyDenied'],
    ['lists under an input prefix', 's3:ListBucket', bucket, { ...tls, 's3:prefix': 'datasets/2026/' }, 'Allowed'],
    ['cannot list another prefix', 's3:ListBucket', bucket, { ...tls, 's3:prefix': 'secrets/' }, 'ImplicitlyDenied'],
    ['decrypts the bucket key through S3', 'kms:Decrypt', dataKey, viaS3, 'Allowed'],
    ['cannot decrypt the bucket key directly', 'kms:Decrypt', dataKey, { 'kms:ViaService': `ec2.${REGION}.amazonaws.com` }, 'ImplicitlyDenied'],
    ['cannot decrypt another key', 'kms:Decrypt', otherKey, viaS3, 'ImplicitlyDenied'],
    ['encrypts outputs with the job key through S3', 'kms:GenerateDataKey', jobKey, viaS3, 'Allowed'],
    ['lets SageMaker create a grant on the job key for an AWS resource', 'kms:CreateGrant', jobKey, { ...viaSageMaker, 'kms:GrantIsForAWSResource': 'true' }, 'Allowed'],
    ['cannot create a grant on the job key not for an AWS resource (key policy)', 'kms:CreateGrant', jobKey, { ...viaSageMaker, 'kms:GrantIsForAWSResource': 'false' }, 'ExplicitlyDenied'],
    ['cannot create a grant on the job key outside SageMaker', 'kms:CreateGrant', jobKey, { ...viaS3, 'kms:GrantIsForAWSResource': 'true' }, 'ImplicitlyDenied'],
    ['writes logs of its training jobs', 'logs:PutLogEvents', logs(ACCOUNT, REGION, '/aws/sagemaker/TrainingJobs:log-stream:fraud-2026-11-26/algo-1-1764130000'), {}, 'Allowed'],
    ['writes logs of its processing jobs', 'logs:CreateLogStream', logs(ACCOUNT, REGION, '/aws/sagemaker/ProcessingJobs:log-stream:fraud-features/algo-1'), {}, 'Allowed'],
    ['creates the log group of its endpoint', 'logs:CreateLogGroup', logs(ACCOUNT, REGION, '/aws/sagemaker/Endpoints/fraud-live'), {}, 'Allowed'],
    ['cannot write logs of jobs without the prefix', 'logs:PutLogEvents', logs(ACCOUNT, REGION, '/aws/sagemaker/TrainingJobs:log-stream:churn-1/algo-1'), {}, 'ImplicitlyDenied'],
    ['cannot write logs to another account\'s log group', 'logs:PutLogEvents', logs(OTHER_ACCOUNT, REGION, '/aws/sagemaker/TrainingJobs:log-stream:fraud-1/algo-1'), {}, 'ImplicitlyDenied'],
    ['cannot write logs in another Region', 'logs:PutLogEvents', logs(ACCOUNT, 'eu-west-1', '/aws/sagemaker/TrainingJobs:log-stream:fraud-1/algo-1'), {}, 'ImplicitlyDenied'],
    ['cannot create other log groups', 'logs:CreateLogGroup', logs(ACCOUNT, REGION, '/aws/lambda/exfiltrate'), {}, 'ImplicitlyDenied'],
    ['puts metrics in a SageMaker namespace', 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': '/aws/sagemaker/TrainingJobs' }, 'Allowed'],
    ['cannot put metrics in another namespace', 'cloudwatch:PutMetricData', '*', { 'cloudwatch:namespace': 'AWS/Billing' }, 'ImplicitlyDenied'],
    ['pulls from the named repository', 'ecr:BatchGetImage', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/fraud-trainer`, {}, 'Allowed'],
    ['cannot pull from another repository', 'ecr:BatchGetImage', `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/payments-api`, {}, 'ImplicitlyDenied'],
    ['gets a registry token (the one unavoidable *)', 'ecr:GetAuthorizationToken', '*', {}, 'Allowed'],
    ['creates an interface in a named subnet', 'ec2:CreateNetworkInterface', ec2Arn('subnet', SUBNETS[1]), {}, 'Allowed'],
    ['cannot create an interface in another subnet', 'ec2:CreateNetworkInterface', ec2Arn('subnet', OTHER_SUBNET), {}, 'ImplicitlyDenied'],
    ['cannot create an interface with another security group', 'ec2:CreateNetworkInterface', ec2Arn('security-group', OTHER_SECURITY_GROUP), {}, 'ImplicitlyDenied'],
    ['lets SageMaker use an interface in a named subnet', 'ec2:CreateNetworkInterfacePermission', ec2Arn('network-interface', 'eni-0123456789abcdef0'), { ...inNetwork, 'ec2:AuthorizedService': 'sagemaker.amazonaws.com' }, 'Allowed'],
    ['cannot let another service use an interface', 'ec2:CreateNetworkInterfacePermission', ec2Arn('network-interface', 'eni-0123456789abcdef0'), { ...inNetwork, 'ec2:AuthorizedService': 'ec2.amazonaws.com' }, 'ImplicitlyDenied'],
    ['cannot permit an interface in another subnet', 'ec2:CreateNetworkInterfacePermission', ec2Arn('network-interface', 'eni-0123456789abcdef0'), { ...inNetwork, 'ec2:Subnet': ec2Arn('subnet', OTHER_SUBNET), 'ec2:AuthorizedService': 'sagemaker.amazonaws.com' }, 'ImplicitlyDenied'],
    ['deletes an interface in a named subnet', 'ec2:DeleteNetworkInterface', ec2Arn('network-interface', 'eni-0123456789abcdef0'), inNetwork, 'Allowed'],
    ['cannot delete an interface in another VPC', 'ec2:DeleteNetworkInterface', ec2Arn('network-interface', 'eni-0123456789abcdef0'), { ...inNetwork, 'ec2:Vpc': ec2Arn('vpc', 'vpc-0ffffffffffffffff') }, 'ImplicitlyDenied'],
    ['describes subnets (no resource-level permission exists)', 'ec2:DescribeSubnets', '*', {}, 'Allowed'],
    ['cannot launch jobs itself', 'sagemaker:CreateTrainingJob', sm('training-job', 'fraud-1'), {}, 'ImplicitlyDenied'],
    ['cannot pass itself on', 'iam:PassRole', execArn, { 'iam:PassedToService': 'sagemaker.amazonaws.com' }, 'ImplicitlyDenied'],
  ])('execution role %s', async (_name, action, resource, context, expected) => {
    const result = await sim.simulate({ principal: exec, action, resource, context });
    expect(result.decision).toBe(expected);
    expect(result.ignoredContextKeys.filter((k) => !k.startsWith('aws:Principal'))).toEqual([]);
  });

  const sourceArn = sm('training-job', 'fraud-2026-11-26');
  test.each<[string, string, Record<string, string>, string]>([
    ['SageMaker, for a job of this account with the prefix', 'sagemaker.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': sourceArn }, 'Allowed'],
    ['SageMaker, for an endpoint with the prefix', 'sagemaker.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': sm('endpoint', 'fraud-live') }, 'Allowed'],
    ['SageMaker, for a job without the prefix', 'sagemaker.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': sm('training-job', 'churn-1') }, 'ImplicitlyDenied'],
    ['SageMaker, for a kind of work the role is not for', 'sagemaker.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': sm('notebook-instance', 'fraud-nb') }, 'ImplicitlyDenied'],
    ['SageMaker, on behalf of another account (confused deputy)', 'sagemaker.amazonaws.com', { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': `arn:aws:sagemaker:${REGION}:${OTHER_ACCOUNT}:training-job/fraud-1` }, 'ImplicitlyDenied'],
    ['SageMaker, without a source (no confused-deputy context)', 'sagemaker.amazonaws.com', {}, 'ImplicitlyDenied'],
    ['another service', 'ec2.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': sourceArn }, 'ImplicitlyDenied'],
    ['another account', `arn:aws:iam::${OTHER_ACCOUNT}:root`, {}, 'ImplicitlyDenied'],
    ['a role of this account', `arn:aws:iam::${ACCOUNT}:role/Developer`, {}, 'ImplicitlyDenied'],
  ])('assuming the role: %s', async (_name, principal, context, expected) => {
    const result = await sim.simulate({ principal, action: 'sts:AssumeRole', resource: execArn, context });
    expect(result.decision).toBe(expected);
    expect(result.ignoredContextKeys).toEqual([]);
  });

  test('without a job prefix, aws:SourceAccount alone keeps other accounts out', async () => {
    const s = new Stack(createTestApp({ checks: false }), 'NoPrefix');
    const r = new LeastPrivilegeSageMakerRole(s, 'Ml', { workloads: [SageMakerWorkload.PROCESSING] });
    const simulator = new PolicySimulator(s);
    const assume = (context: Record<string, string>) => simulator.simulate({ principal: 'sagemaker.amazonaws.com', action: 'sts:AssumeRole', resource: simulator.arnOf(r.role), context });
    expect((await assume({ 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': sm('processing-job', 'anything') })).decision).toBe('Allowed');
    expect((await assume({ 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': `arn:aws:sagemaker:${REGION}:${OTHER_ACCOUNT}:processing-job/anything` })).decision).toBe('ImplicitlyDenied');
  });

  const guarded: Record<string, string | string[]> = {
    'sagemaker:VpcSubnets': [SUBNETS[0], SUBNETS[1]],
    'sagemaker:VpcSecurityGroupIds': [SECURITY_GROUP],
    'sagemaker:VolumeKmsKeyArn': jobKey,
    'sagemaker:OutputKmsKeyArn': jobKey,
    'sagemaker:NetworkIsolation': 'true',
    'sagemaker:InterContainerTrafficEncryption': 'true',
  };
  const without = (...keys: string[]) => Object.fromEntries(Object.entries(guarded).filter(([k]) => !keys.includes(k)));
  const trainingJob = sm('training-job', 'fraud-2026-11-26');

  test.each<[string, string, string, Record<string, string | string[]>, string]>([
    ['a training job in this VPC, with this key, isolated and encrypted', 'sagemaker:CreateTrainingJob', trainingJob, guarded, 'Allowed'],
    ['a processing job in this VPC, with this key, isolated and encrypted', 'sagemaker:CreateProcessingJob', sm('processing-job', 'fraud-features'), guarded, 'Allowed'],
    ['a training job without VPC config', 'sagemaker:CreateTrainingJob', trainingJob, without('sagemaker:VpcSubnets', 'sagemaker:VpcSecurityGroupIds'), 'ImplicitlyDenied'],
    ['a training job without security groups', 'sagemaker:CreateTrainingJob', trainingJob, without('sagemaker:VpcSecurityGroupIds'), 'ImplicitlyDenied'],
    ['a training job in a different subnet', 'sagemaker:CreateTrainingJob', trainingJob, { ...guarded, 'sagemaker:VpcSubnets': [SUBNETS[0], OTHER_SUBNET] }, 'ImplicitlyDenied'],
    ['a training job with another security group', 'sagemaker:CreateTrainingJob', trainingJob, { ...guarded, 'sagemaker:VpcSecurityGroupIds': [OTHER_SECURITY_GROUP] }, 'ImplicitlyDenied'],
    ['a training job without the volume KMS key', 'sagemaker:CreateTrainingJob', trainingJob, without('sagemaker:VolumeKmsKeyArn'), 'ImplicitlyDenied'],
    ['a training job without the output KMS key', 'sagemaker:CreateTrainingJob', trainingJob, without('sagemaker:OutputKmsKeyArn'), 'ImplicitlyDenied'],
    ['a training job with another KMS key', 'sagemaker:CreateTrainingJob', trainingJob, { ...guarded, 'sagemaker:OutputKmsKeyArn': otherKey }, 'ImplicitlyDenied'],
    ['a training job without network isolation', 'sagemaker:CreateTrainingJob', trainingJob, { ...guarded, 'sagemaker:NetworkIsolation': 'false' }, 'ImplicitlyDenied'],
    ['a training job that does not say whether it is isolated', 'sagemaker:CreateTrainingJob', trainingJob, without('sagemaker:NetworkIsolation'), 'ImplicitlyDenied'],
    ['a training job without inter-container traffic encryption', 'sagemaker:CreateTrainingJob', trainingJob, { ...guarded, 'sagemaker:InterContainerTrafficEncryption': 'false' }, 'ImplicitlyDenied'],
    ['a processing job without traffic encryption', 'sagemaker:CreateProcessingJob', sm('processing-job', 'fraud-features'), without('sagemaker:InterContainerTrafficEncryption'), 'ImplicitlyDenied'],
    ['a training job named without the prefix', 'sagemaker:CreateTrainingJob', sm('training-job', 'churn-1'), guarded, 'ImplicitlyDenied'],
  ])('job creation: %s', async (_name, action, resource, context, expected) => {
    const result = await sim.simulate({ principal: pipeline, action, resource, context });
    expect(result.decision).toBe(expected);
    expect(result.ignoredContextKeys.filter((k) => !k.startsWith('aws:Principal'))).toEqual([]);
  });

  const modelGuard = {
    'sagemaker:VpcSubnets': [SUBNETS[0]],
    'sagemaker:VpcSecurityGroupIds': [SECURITY_GROUP],
    'sagemaker:NetworkIsolation': 'true',
  };
  const configGuard = {
    'sagemaker:VolumeKmsKeyArn': jobKey,
    'sagemaker:ModelArn': sm('model', 'fraud-v3'),
  };
  test.each<[string, string, string, Record<string, string | string[]>, string]>([
    ['a model in this VPC, isolated', 'sagemaker:CreateModel', sm('model', 'fraud-v3'), modelGuard, 'Allowed'],
    ['a model without VPC config', 'sagemaker:CreateModel', sm('model', 'fraud-v3'), { 'sagemaker:NetworkIsolation': 'true' }, 'ImplicitlyDenied'],
    ['a model in another subnet', 'sagemaker:CreateModel', sm('model', 'fraud-v3'), { ...modelGuard, 'sagemaker:VpcSubnets': [OTHER_SUBNET] }, 'ImplicitlyDenied'],
    ['a model without network isolation', 'sagemaker:CreateModel', sm('model', 'fraud-v3'), { ...modelGuard, 'sagemaker:NetworkIsolation': 'false' }, 'ImplicitlyDenied'],
    ['an endpoint configuration with this key, for its own model', 'sagemaker:CreateEndpointConfig', sm('endpoint-config', 'fraud-live'), configGuard, 'Allowed'],
    ['an endpoint configuration without the key', 'sagemaker:CreateEndpointConfig', sm('endpoint-config', 'fraud-live'), { 'sagemaker:ModelArn': configGuard['sagemaker:ModelArn'] }, 'ImplicitlyDenied'],
    ['an endpoint configuration for a model without the prefix', 'sagemaker:CreateEndpointConfig', sm('endpoint-config', 'fraud-live'), { ...configGuard, 'sagemaker:ModelArn': sm('model', 'unvetted') }, 'ImplicitlyDenied'],
    ['an endpoint configuration reported without network isolation', 'sagemaker:CreateEndpointConfig', sm('endpoint-config', 'fraud-live'), { ...configGuard, 'sagemaker:NetworkIsolation': 'false' }, 'ImplicitlyDenied'],
    ['an endpoint from its own configuration', 'sagemaker:CreateEndpoint', sm('endpoint', 'fraud-live'), {}, 'Allowed'],
    ['an endpoint named without the prefix', 'sagemaker:CreateEndpoint', sm('endpoint', 'other-live'), {}, 'ImplicitlyDenied'],
    ['tags on its own training job, at creation', 'sagemaker:AddTags', trainingJob, { 'sagemaker:TaggingAction': 'CreateTrainingJob' }, 'Allowed'],
    ['tags outside creation', 'sagemaker:AddTags', trainingJob, { 'sagemaker:TaggingAction': 'AddTags' }, 'ImplicitlyDenied'],
  ])('model hosting: %s', async (_name, action, resource, context, expected) => {
    const result = await sim.simulate({ principal: pipeline, action, resource, context });
    expect(result.decision).toBe(expected);
    expect(result.ignoredContextKeys.filter((k) => !k.startsWith('aws:Principal'))).toEqual([]);
  });

  test.each<[string, string, Record<string, string>, string]>([
    ['passes the role to SageMaker', execArn, { 'iam:PassedToService': 'sagemaker.amazonaws.com' }, 'Allowed'],
    ['cannot pass the role to another service', execArn, { 'iam:PassedToService': 'ec2.amazonaws.com' }, 'ImplicitlyDenied'],
    ['cannot pass another role to SageMaker', `arn:aws:iam::${ACCOUNT}:role/Admin`, { 'iam:PassedToService': 'sagemaker.amazonaws.com' }, 'ImplicitlyDenied'],
  ])('PassRole: %s', async (_name, resource, context, expected) => {
    const result = await sim.simulate({ principal: pipeline, action: 'iam:PassRole', resource, context });
    expect(result.decision).toBe(expected);
    expect(result.ignoredContextKeys.filter((k) => !k.startsWith('aws:Principal'))).toEqual([]);
  });

  test('the launcher may let SageMaker use the job key, through SageMaker, for AWS resources only', async () => {
    expect(await sim.decide({ principal: pipeline, action: 'kms:CreateGrant', resource: jobKey, context: { ...viaSageMaker, 'kms:GrantIsForAWSResource': 'true' } })).toBe('Allowed');
    expect(await sim.decide({ principal: pipeline, action: 'kms:CreateGrant', resource: jobKey, context: { ...viaSageMaker, 'kms:GrantIsForAWSResource': 'false' } })).toBe('ExplicitlyDenied');
    expect(await sim.decide({ principal: pipeline, action: 'kms:Decrypt', resource: jobKey, context: viaSageMaker })).toBe('ImplicitlyDenied');
  });

  test('condition keys that do not apply to an action are caught, not silently ignored', async () => {
    // CreateModel has no KMS key and no traffic-encryption key: a condition on them would decide nothing.
    await expect(sim.simulate({ principal: pipeline, action: 'sagemaker:CreateModel', resource: sm('model', 'fraud-v3'), context: { ...modelGuard, 'sagemaker:VolumeKmsKeyArn': jobKey } }))
      .rejects.toThrow(/sagemaker:VolumeKmsKeyArn do not apply/);
    const endpoint = await sim.simulate({ principal: pipeline, action: 'sagemaker:CreateEndpoint', resource: sm('endpoint', 'fraud-live'), context: { 'sagemaker:InterContainerTrafficEncryption': 'true' } }, { allowIgnoredContextKeys: true });
    expect(endpoint.ignoredContextKeys).toContain('sagemaker:InterContainerTrafficEncryption');
    // The statements the construct writes only use keys that apply to their actions.
    const policies = sim.identityPoliciesOf(pipeline).flatMap((p) => p.policy.Statement);
    const keysOf = (action: string) => policies.filter((s: any) => [s.Action].flat().includes(action))
      .flatMap((s: any) => Object.values<Record<string, unknown>>(s.Condition ?? {}).flatMap((c) => Object.keys(c)));
    expect(new Set(keysOf('sagemaker:CreateModel'))).toEqual(new Set(['sagemaker:VpcSubnets', 'sagemaker:VpcSecurityGroupIds', 'sagemaker:NetworkIsolation']));
    expect(new Set(keysOf('sagemaker:CreateTrainingJob'))).toEqual(new Set(Object.keys(guarded)));
  });
});

describe('LeastPrivilegeSageMakerRole for inference only: a read-only role uses its key to decrypt only', () => {
  // The reference platform's inference role: reads model artifacts under models/, and its job key
  // is the training-data key. Hosting encrypts the endpoint's volumes through the endpoint
  // configuration's key, which the caller of CreateEndpoint must be able to use, not the
  // execution role (SageMaker API reference, CreateEndpointConfig KmsKeyId).
  const stack = new Stack(createTestApp({ checks: false }), 'ReadOnly');
  const data = new SecureTrainingBucket(stack, 'Data');
  const role = new LeastPrivilegeSageMakerRole(stack, 'Inference', {
    workloads: [SageMakerWorkload.INFERENCE],
    inputs: [{ bucket: data.bucket, prefixes: ['models/sentiment/'] }],
    encryptionKey: data.encryptionKey,
  });
  const sim = new PolicySimulator(stack);
  const key = sim.arnOf(data.encryptionKey);
  const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };
  const viaSageMaker = { 'kms:ViaService': `sagemaker.${REGION}.amazonaws.com` };

  test.each<[string, string, Record<string, string>, string]>([
    ['decrypts the model artifact through S3', 'kms:Decrypt', viaS3, 'Allowed'],
    ['cannot encrypt with the key through S3', 'kms:Encrypt', viaS3, 'ImplicitlyDenied'],
    ['cannot generate data keys (write objects) through S3', 'kms:GenerateDataKey', viaS3, 'ImplicitlyDenied'],
    ['cannot create grants on the key through SageMaker', 'kms:CreateGrant', { ...viaSageMaker, 'kms:GrantIsForAWSResource': 'true' }, 'ImplicitlyDenied'],
    ['cannot re-encrypt with the key', 'kms:ReEncryptFrom', viaS3, 'ImplicitlyDenied'],
  ])('%s', async (_name, action, context, expected) => {
    expect(await sim.decide({ principal: role.role, action, resource: key, context })).toBe(expected);
  });

  test('canary: the same role with an output prefix may generate data keys (the simulator can say Allowed here)', async () => {
    const writer = new Stack(createTestApp({ checks: false }), 'Writer');
    const bucket = new SecureTrainingBucket(writer, 'Data');
    const withOutput = new LeastPrivilegeSageMakerRole(writer, 'Inference', {
      workloads: [SageMakerWorkload.INFERENCE],
      inputs: [{ bucket: bucket.bucket, prefixes: ['models/sentiment/'] }],
      outputs: [{ bucket: bucket.bucket, prefixes: ['inference-output/'] }],
      encryptionKey: bucket.encryptionKey,
    });
    const writerSim = new PolicySimulator(writer);
    expect(await writerSim.decide({ principal: withOutput.role, action: 'kms:GenerateDataKey', resource: writerSim.arnOf(bucket.encryptionKey), context: viaS3 })).toBe('Allowed');
  });
});

describe('LeastPrivilegeSageMakerRole grant helpers', () => {
  const stack = new Stack(createTestApp(), 'Later');
  const data = new SecureTrainingBucket(stack, 'Data');
  const shared = new SecureTrainingBucket(stack, 'Shared');
  const role = new LeastPrivilegeSageMakerRole(stack, 'Ml', { workloads: [SageMakerWorkload.PROCESSING] });
  role.grantReadFrom({ bucket: data.bucket, prefixes: ['raw/'] });
  role.grantWriteTo({ bucket: shared.bucket, prefixes: ['features/'] });
  const extraKey = createKey(stack, 'ExtraKey', { description: 'A key of the app', removalPolicy: RemovalPolicy.RETAIN });
  role.grantKeyUseThroughS3(extraKey);

  test('buckets and keys added later stay compliant: their prefix wildcards are acknowledged like the props\'', () => {
    expectCompliant(stack);
  });

  test.each<[string, string, () => string, Record<string, string>, string]>([
    ['reads the prefix granted later', 's3:GetObject', () => `${sim().arnOf(data.bucket)}/raw/a.json`, { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' }, 'Allowed'],
    ['cannot read outside it', 's3:GetObject', () => `${sim().arnOf(data.bucket)}/curated/a.json`, { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' }, 'ImplicitlyDenied'],
    ['writes the prefix granted later', 's3:PutObject', () => `${sim().arnOf(shared.bucket)}/features/f.parquet`, { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' }, 'Allowed'],
    ['uses the key granted later through S3', 'kms:Decrypt', () => sim().arnOf(extraKey), { 'kms:ViaService': `s3.${REGION}.amazonaws.com` }, 'Allowed'],
    ['cannot use it outside S3', 'kms:Decrypt', () => sim().arnOf(extraKey), {}, 'ImplicitlyDenied'],
  ])('%s', async (_name, action, resource, context, expected) => {
    expect(await sim().decide({ principal: role.role, action, resource: resource(), context })).toBe(expected);
  });

  let simulator: PolicySimulator | undefined;
  function sim() {
    simulator ??= new PolicySimulator(stack);
    return simulator;
  }
});

describe('LeastPrivilegeSageMakerRole rejects bad input, naming the prop', () => {
  const build = (props: (scope: Construct) => Partial<LeastPrivilegeSageMakerRoleProps>) => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    new s3.Bucket(stack, 'Bucket');
    let error: Error | undefined;
    try {
      new LeastPrivilegeSageMakerRole(stack, 'Ml', { workloads: [SageMakerWorkload.TRAINING], ...props(stack) } as LeastPrivilegeSageMakerRoleProps);
    } catch (e) {
      error = e as Error;
    }
    return error;
  };
  const bucketOf = (scope: Construct) => scope.node.findChild('Bucket') as s3.IBucket;

  test.each<[string, (scope: Construct) => Partial<LeastPrivilegeSageMakerRoleProps>, RegExp]>([
    ['no workload', () => ({ workloads: [] }), /`workloads` \(received \[\]\)/],
    ['workloads missing', () => ({ workloads: undefined }), /`workloads` \(received undefined\)/],
    ['an unknown workload', () => ({ workloads: ['TUNING' as SageMakerWorkload] }), /`workloads`.*TUNING is not a SageMakerWorkload/],
    ['empty inputs', () => ({ inputs: [] }), /`inputs` \(received \[\]\)/],
    ['empty outputs', () => ({ outputs: [] }), /`outputs` \(received \[\]\)/],
    ['a bucket without prefixes', (s) => ({ inputs: [{ bucket: bucketOf(s) }] }), /`inputs\[0\]\.prefixes` \(received undefined\).*wholeBucket/],
    ['an empty prefix list', (s) => ({ outputs: [{ bucket: bucketOf(s), prefixes: [] }] }), /`outputs\[0\]\.prefixes` \(received \[\]\)/],
    ['an absolute prefix', (s) => ({ inputs: [{ bucket: bucketOf(s), prefixes: ['/datasets'] }] }), /`inputs\[0\]\.prefixes`.*"\/datasets" is not a key prefix/],
    ['a wildcard prefix', (s) => ({ inputs: [{ bucket: bucketOf(s), prefixes: ['data/*'] }] }), /`inputs\[0\]\.prefixes`.*"data\/\*" is not a key prefix/],
    ['prefixes and wholeBucket', (s) => ({ inputs: [{ bucket: bucketOf(s), prefixes: ['a/'], wholeBucket: true }] }), /`inputs\[0\]\.prefixes`.*not both/],
    ['a job prefix with an underscore', () => ({ jobNamePrefix: 'fraud_job' }), /`jobNamePrefix` \(received "fraud_job"\)/],
    ['a job prefix starting with a hyphen', () => ({ jobNamePrefix: '-fraud' }), /`jobNamePrefix` \(received "-fraud"\)/],
    ['a job prefix with a dot', () => ({ jobNamePrefix: 'fraud.v2' }), /`jobNamePrefix`/],
    ['a job prefix too long for a SageMaker name', () => ({ jobNamePrefix: 'a'.repeat(51) }), /`jobNamePrefix`.*at most 50/],
    ['a VPC without security groups', (s) => ({ vpc: network(s).vpc }), /`securityGroups` \(received undefined\)/],
    ['security groups without a VPC', (s) => ({ securityGroups: [network(s).securityGroup] }), /`securityGroups`.*set `vpc` too/],
    ['subnets without a VPC', () => ({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } }), /`vpcSubnets`/],
    ['a subnet selection that matches nothing', (s) => {
      const n = network(s);
      return { vpc: n.vpc, securityGroups: [n.securityGroup], vpcSubnets: { subnetFilters: [ec2.SubnetFilter.byIds([OTHER_SUBNET])] } };
    }, /`vpcSubnets`.*matches no subnet/],
    ['no repository', () => ({ repositories: [] }), /`repositories` \(received \[\]\)/],
    ['no metric namespace', () => ({ metricNamespaces: [] }), /`metricNamespaces` \(received \[\]\)/],
  ])('%s', (_name, props, message) => {
    const error = build(props);
    expect(error).toBeDefined();
    if (error?.name === 'SecureAiValidationError') expect(error.message).toMatch(/^\[cdk-secure-ai\] Bad\/Ml: invalid /);
    expect(error?.message).toMatch(message);
  });

  test('grantCreateJobs needs a VPC, a job prefix, and a workload of the role', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    const grantee = new iam.Role(stack, 'Launcher', { assumedBy: new iam.AccountRootPrincipal() });
    const noVpc = new LeastPrivilegeSageMakerRole(stack, 'NoVpc', { workloads: [SageMakerWorkload.TRAINING], jobNamePrefix: 'fraud-' });
    expect(() => noVpc.grantCreateJobs(grantee)).toThrow(/Bad\/NoVpc: invalid `vpc` \(received undefined\)/);
    const { vpc, securityGroup } = network(stack);
    const noPrefix = new LeastPrivilegeSageMakerRole(stack, 'NoPrefix', { workloads: [SageMakerWorkload.TRAINING], vpc, securityGroups: [securityGroup] });
    expect(() => noPrefix.grantCreateJobs(grantee)).toThrow(/invalid `jobNamePrefix` \(received undefined\)/);
    const training = new LeastPrivilegeSageMakerRole(stack, 'Training', { workloads: [SageMakerWorkload.TRAINING], vpc, securityGroups: [securityGroup], jobNamePrefix: 'fraud-' });
    expect(() => training.grantCreateJobs(grantee, { workloads: [SageMakerWorkload.INFERENCE] })).toThrow(/invalid `workloads`.*INFERENCE is not a workload of this role/);
    expect(() => training.grantReadFrom({ bucket: new s3.Bucket(stack, 'B') })).toThrow(/invalid `access\.prefixes` \(received undefined\)/);
    training.grantCreateJobs(grantee);
    expect(() => training.grantCreateJobs(new iam.AccountPrincipal(OTHER_ACCOUNT))).toThrow(/invalid `grantee`.*cannot hold an identity policy/);
    expect(() => training.grantCreateJobs(grantee)).toThrow(/invalid `grantee` \(received "Bad\/Launcher"\).*one grantCreateJobs call/);
  });
});

describe('documentation', () => {
  test('every acknowledgement the construct makes is listed in the README with its reason', () => {
    const { stack } = fullStack({ checks: false });
    Template.fromStack(stack); // runs the aspect that writes the acknowledgements
    const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const acknowledged = new Map<string, string>();
    for (const findings of acknowledgementsUnder(stack, 'Identity/Ml/').values()) {
      for (const [id, reason] of findings) acknowledged.set(id, reason);
    }
    expect(acknowledged.size).toBeGreaterThan(0);
    // The README names the pattern: the user's bucket and prefixes vary.
    const generic = (id: string) => id
      .replace(/<DataBucket\w+\.Arn>\/[\w/-]+\*/, '<bucket ARN>/<prefix>*')
      .replace(/fraud-\*/g, '<jobNamePrefix>*');
    for (const [id, reason] of acknowledged) {
      expect({ id, listed: readme.includes(`\`${generic(id)}\``) }).toEqual({ id, listed: true });
      expect({ id, reasonListed: readme.includes(reason) }).toEqual({ id, reasonListed: true });
    }
  });
});
