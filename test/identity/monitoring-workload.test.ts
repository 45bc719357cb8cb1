import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LeastPrivilegeSageMakerRole, SageMakerWorkload, SecureTrainingBucket } from '../../lib';
import { createTestApp } from '../support/app';
import { expectCompliant } from '../support/compliance';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, PolicySimulator, REGION } from '../support/iam';

const SUBNETS = ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'];
const SECURITY_GROUP = 'sg-0ccccccccccccccc3';

function network(stack: Stack) {
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0a1b2c3d4e5f67890',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    isolatedSubnetIds: SUBNETS,
    isolatedSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0bbbbbbbbbbbbbbb2'],
  });
  return { vpc, securityGroups: [ec2.SecurityGroup.fromSecurityGroupId(stack, 'Sg', SECURITY_GROUP)] };
}

/** The role a Model Monitor schedule runs with: capture prefix and baseline folder read, reports written, the capture key. */
function monitoringStack(checks = true) {
  const stack = new Stack(createTestApp({ checks }), 'Identity', { env: { account: ACCOUNT, region: REGION } });
  const capture = new SecureTrainingBucket(stack, 'Capture');
  const role = new LeastPrivilegeSageMakerRole(stack, 'Monitoring', {
    workloads: [SageMakerWorkload.MONITORING],
    inputs: [{ bucket: capture.bucket, prefixes: ['data-capture/'] }, { bucket: capture.bucket, prefixes: ['baselines/v1/'] }],
    outputs: [{ bucket: capture.bucket, prefixes: ['monitoring-reports/'] }],
    encryptionKey: capture.encryptionKey,
    ...network(stack),
  });
  return { stack, capture, role };
}

describe('two inputs on the same bucket', () => {
  test('give statements with distinct Sids (a duplicate Sid fails CloudFormation validation, E3510)', () => {
    const { stack, role } = monitoringStack(false);
    const resources = Template.fromStack(stack).toJSON().Resources;
    const doc = resources[stack.getLogicalId(role.dataAccessPolicy.node.defaultChild as any)].Properties.PolicyDocument;
    const sids = doc.Statement.map((s: any) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
  });
});

describe('MONITORING workload', () => {
  const { stack, capture, role } = monitoringStack();
  const sim = new PolicySimulator(stack);
  const bucket = sim.arnOf(capture.bucket);
  const key = sim.arnOf(capture.encryptionKey);
  const via = (service: string) => ({ 'kms:ViaService': `${service}.${REGION}.amazonaws.com` });
  const logs = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/sagemaker/ProcessingJobs`;

  test('compliant', () => {
    expectCompliant(stack);
  });

  test('trusted by SageMaker of this account only, without aws:SourceArn (SageMaker names the executions)', () => {
    const resources = Template.fromStack(stack).toJSON().Resources;
    const trust = resources[stack.getLogicalId(role.role.node.defaultChild as any)].Properties.AssumeRolePolicyDocument;
    expect(trust.Statement).toEqual([{
      Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'sagemaker.amazonaws.com' }, Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    }]);
  });

  test.each<[string, string, () => string, Record<string, string> | undefined, string]>([
    ['reads captured data', 's3:GetObject', () => `${bucket}/data-capture/ep/AllTraffic/2026/12/01/00/c.jsonl`, undefined, 'Allowed'],
    ['reads the baseline statistics', 's3:GetObject', () => `${bucket}/baselines/v1/statistics.json`, undefined, 'Allowed'],
    ['lists the capture prefix', 's3:ListBucket', () => bucket, { 's3:prefix': 'data-capture/ep/' }, 'Allowed'],
    ['writes a report', 's3:PutObject', () => `${bucket}/monitoring-reports/ep/constraint_violations.json`, undefined, 'Allowed'],
    ['decrypts captured data through S3', 'kms:Decrypt', () => key, via('s3'), 'Allowed'],
    ['encrypts a report through S3', 'kms:GenerateDataKey', () => key, via('s3'), 'Allowed'],
    ['lets SageMaker create a grant for the volume', 'kms:CreateGrant', () => key, { ...via('sagemaker'), 'kms:GrantIsForAWSResource': 'true' }, 'Allowed'],
    ['writes the processing-job logs', 'logs:PutLogEvents', () => `${logs}:log-stream:model-monitoring-201912011600-0a1b2c3d/algo-1`, undefined, 'Allowed'],
    ['publishes data-quality metrics', 'cloudwatch:PutMetricData', () => '*', { 'cloudwatch:namespace': 'aws/sagemaker/Endpoints/data-metrics' }, 'Allowed'],
    ['writes into the captured data', 's3:PutObject', () => `${bucket}/data-capture/ep/AllTraffic/2026/12/01/00/forged.jsonl`, undefined, 'ImplicitlyDenied'],
    ['overwrites the baseline', 's3:PutObject', () => `${bucket}/baselines/v1/constraints.json`, undefined, 'ImplicitlyDenied'],
    ['reads another folder of the bucket', 's3:GetObject', () => `${bucket}/datasets/customers.csv`, undefined, 'ImplicitlyDenied'],
    ['reads a report (it writes only)', 's3:GetObject', () => `${bucket}/monitoring-reports/ep/statistics.json`, undefined, 'ImplicitlyDenied'],
    ['deletes captured data', 's3:DeleteObject', () => `${bucket}/data-capture/ep/AllTraffic/2026/12/01/00/c.jsonl`, undefined, 'ImplicitlyDenied'],
    ['lists the whole bucket', 's3:ListBucket', () => bucket, { 's3:prefix': '' }, 'ImplicitlyDenied'],
    ['decrypts directly, not through S3', 'kms:Decrypt', () => key, undefined, 'ImplicitlyDenied'],
    ['publishes to another namespace', 'cloudwatch:PutMetricData', () => '*', { 'cloudwatch:namespace': 'AWS/SageMaker' }, 'ImplicitlyDenied'],
    ['writes endpoint logs', 'logs:PutLogEvents', () => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/sagemaker/Endpoints/ep:log-stream:x`, undefined, 'ImplicitlyDenied'],
    ['pulls an image from ECR', 'ecr:BatchGetImage', () => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/any`, undefined, 'ImplicitlyDenied'],
    ['invokes the endpoint', 'sagemaker:InvokeEndpoint', () => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/ep`, undefined, 'ImplicitlyDenied'],
    ['creates a processing job itself', 'sagemaker:CreateProcessingJob', () => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:processing-job/x`, undefined, 'ImplicitlyDenied'],
  ])('the monitoring role %s: %s', async (_name, action, resource, context, expected) => {
    expect(await sim.decide({ principal: role.role, action, resource: resource(), context: { 'aws:SecureTransport': 'true', ...context } })).toBe(expected);
  });

  test.each<[string, string, Record<string, string>, string]>([
    ['creates network interfaces in the named subnets', `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/${SUBNETS[0]}`, {}, 'Allowed'],
    ['not in another subnet', `arn:aws:ec2:${REGION}:${ACCOUNT}:subnet/subnet-0fffffffffffffff9`, {}, 'ImplicitlyDenied'],
    ['nor with another security group', `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/sg-0eeeeeeeeeeeeeee7`, {}, 'ImplicitlyDenied'],
  ])('VPC mode, like training: %s', async (_name, resource, context, expected) => {
    expect(await sim.decide({ principal: role.role, action: 'ec2:CreateNetworkInterface', resource, context })).toBe(expected);
  });
});

describe('MONITORING workload bad input', () => {
  const build = (extra: Record<string, unknown>, grant = false) => () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad', { env: { account: ACCOUNT, region: REGION } });
    const role = new LeastPrivilegeSageMakerRole(stack, 'Role', { workloads: [SageMakerWorkload.MONITORING], ...network(stack), ...extra });
    if (grant) role.grantCreateJobs(new iam.Role(stack, 'Pipeline', { assumedBy: new iam.AccountRootPrincipal() }));
  };
  test('a job name prefix (SageMaker names the executions)', () => {
    expectInvalidProp(build({ jobNamePrefix: 'fraud-' }), 'Bad/Role', /`jobNamePrefix` \(received "fraud-"\).*monitoring schedule/);
  });
  test('grantCreateJobs (it needs a job name prefix)', () => {
    expectInvalidProp(build({}, true), 'Bad/Role', /`jobNamePrefix`/);
  });
  test('canary: the same role without them builds', () => {
    expect(build({})).not.toThrow();
  });
});
