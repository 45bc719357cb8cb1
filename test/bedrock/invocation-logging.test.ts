import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BedrockInvocationLogging, SecureTrainingBucket } from '../../lib';
import { createTestApp } from '../support/app';
import { expectCompliant, findViolations } from '../support/compliance';
import { acknowledgementsIn, expectListedInReadme } from '../support/docs';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, OTHER_ACCOUNT, PolicySimulator, REGION } from '../support/iam';
import { snapshotOf } from '../support/snapshot';

// Source: Bedrock User Guide, "Monitor model invocation using CloudWatch Logs and Amazon S3"
// (destinations, delivery role, bucket policy with aws:SourceAccount / aws:SourceArn).
function build(options: { checks?: boolean; bucket?: boolean } = {}) {
  const stack = new Stack(createTestApp({ checks: options.checks ?? false }), 'Operations');
  const payloads = options.bucket ? new SecureTrainingBucket(stack, 'Payloads') : undefined;
  const logging = new BedrockInvocationLogging(stack, 'BedrockLogging', { largePayloadBucket: payloads });
  return { stack, logging, payloads };
}

describe('BedrockInvocationLogging', () => {
  const { stack, logging, payloads } = build({ bucket: true });
  const template = Template.fromStack(stack);
  const logGroupId = stack.getLogicalId(logging.logGroup.node.defaultChild as logs.CfnLogGroup);

  test('the log group is encrypted with a customer-managed key, kept a year, retained', () => {
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: { 'Fn::GetAtt': [stack.getLogicalId(logging.encryptionKey.node.defaultChild as kms.CfnKey), 'Arn'] }, RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
  });

  test('the custom resource writes the configuration with the log group, the delivery role and the payload bucket, and deletes it on removal', () => {
    const resource = Object.values<any>(template.findResources('Custom::BedrockInvocationLogging'))[0].Properties;
    const sim = new PolicySimulator(stack);
    const create = JSON.parse(sim.resolve(resource.Create));
    expect(create).toEqual({
      service: 'Bedrock',
      action: 'PutModelInvocationLoggingConfiguration',
      parameters: {
        loggingConfig: {
          cloudWatchConfig: {
            logGroupName: logGroupId,
            roleArn: sim.arnOf(logging.deliveryRole),
            largeDataDeliveryS3Config: { bucketName: sim.arnOf(payloads!.bucket).replace('arn:aws:s3:::', ''), keyPrefix: 'bedrock-invocations' },
          },
          textDataDeliveryEnabled: true,
          imageDataDeliveryEnabled: true,
          embeddingDataDeliveryEnabled: true,
        },
      },
      physicalResourceId: { id: `bedrock-invocation-logging-${REGION}` },
    });
    expect(JSON.parse(resource.Delete)).toEqual({ service: 'Bedrock', action: 'DeleteModelInvocationLoggingConfiguration' });
    expect(JSON.parse(sim.resolve(resource.Update))).toEqual(create);
    expect(resource.InstallLatestAwsSdk).toBe(false);
  });

  test('the provider function runs one at a time', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { ReservedConcurrentExecutions: 1, MemorySize: 256 });
  });

  test('no inline policy: the handler and delivery roles hold customer-managed policies', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
  });

  test('every acknowledgement is listed in the README with its reason', () => {
    expectListedInReadme(acknowledgementsIn(stack), (id) => [id.replace(/log-group:<[^>]+>:log-stream/, 'log-group:<…>:log-stream')]);
  });

  test('snapshot', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });

  describe('decided by the IAM simulator', () => {
    const sim = new PolicySimulator(stack);
    const role = sim.arnOf(logging.deliveryRole);
    const bucket = sim.arnOf(payloads!.bucket);
    const key = sim.arnOf(payloads!.encryptionKey);
    const ours = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:bedrock:${REGION}:${ACCOUNT}:model-invocation-logging` };
    const foreign = { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': `arn:aws:bedrock:${REGION}:${OTHER_ACCOUNT}:model-invocation-logging` };
    const object = `${bucket}/bedrock-invocations/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/2026/12/01/data.json.gz`;

    test.each([
      ['Bedrock acting for this account assumes the delivery role', 'sts:AssumeRole', role, ours, 'Allowed'],
      ['Bedrock acting for another account does not (confused deputy)', 'sts:AssumeRole', role, foreign, 'ImplicitlyDenied'],
      ['Bedrock with no source context does not', 'sts:AssumeRole', role, {}, 'ImplicitlyDenied'],
      ['Bedrock of this account writes payloads under the prefix', 's3:PutObject', object, { ...ours, 'aws:SecureTransport': 'true' }, 'Allowed'],
      ['Bedrock of another account cannot write them', 's3:PutObject', object, { ...foreign, 'aws:SecureTransport': 'true' }, 'ImplicitlyDenied'],
      ['Bedrock cannot write outside the prefix', 's3:PutObject', `${bucket}/datasets/train.csv`, { ...ours, 'aws:SecureTransport': 'true' }, 'ImplicitlyDenied'],
      ['Bedrock cannot read the bucket', 's3:GetObject', object, { ...ours, 'aws:SecureTransport': 'true' }, 'ImplicitlyDenied'],
      ['Bedrock of this account may encrypt with the bucket key', 'kms:GenerateDataKey', key, ours, 'Allowed'],
      ['Bedrock of another account may not', 'kms:GenerateDataKey', key, foreign, 'ImplicitlyDenied'],
    ] as const)('%s', async (_name, action, resource, context, expected) => {
      expect(await sim.decide({ principal: 'bedrock.amazonaws.com', action, resource, context: { ...context } })).toBe(expected);
    });

    test('the delivery role writes only to streams of its log group', async () => {
      const group = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${sim.resolve({ Ref: logGroupId })}`;
      expect(await sim.decide({ principal: logging.deliveryRole, action: 'logs:PutLogEvents', resource: `${group}:log-stream:aws/bedrock/modelinvocations` })).toBe('Allowed');
      expect(await sim.decide({ principal: logging.deliveryRole, action: 'logs:PutLogEvents', resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:other:log-stream:x` })).toBe('ImplicitlyDenied');
    });
  });
});

describe('BedrockInvocationLogging compliance and bad input', () => {
  test('with and without a payload bucket: zero unacknowledged findings across all checkers', () => {
    expectCompliant(build({ checks: true }).stack);
    expectCompliant(build({ checks: true, bucket: true }).stack);
  });

  test('a second one for the same environment in the app is refused', () => {
    const app = new App();
    new BedrockInvocationLogging(new Stack(app, 'A', { env: { account: ACCOUNT, region: REGION } }), 'Logging');
    const other = new Stack(app, 'B', { env: { account: ACCOUNT, region: REGION } });
    expectInvalidProp(() => new BedrockInvocationLogging(other, 'Logging'), 'B/Logging', /`scope`.*one configuration per account and Region/);
    new BedrockInvocationLogging(new Stack(app, 'C', { env: { account: ACCOUNT, region: 'eu-west-1' } }), 'Logging');
  });

  test('a malformed prefix, or a prefix without a bucket, is refused', () => {
    const stack = new Stack(new App(), 'Operations');
    expectInvalidProp(() => new BedrockInvocationLogging(stack, 'A', { largePayloadBucket: new SecureTrainingBucket(stack, 'P'), largePayloadPrefix: '/logs/' }), 'Operations/A', /`largePayloadPrefix`/);
    expectInvalidProp(() => new BedrockInvocationLogging(new Stack(new App(), 'Operations'), 'B', { largePayloadPrefix: 'logs' }), 'Operations/B', /`largePayloadPrefix`.*largePayloadBucket/);
  });
});

describe('BedrockInvocationLogging with a payload bucket and key made outside the library', () => {
  // One app with every check, synthesized once: template, compliance report and simulator read it.
  const stack = new Stack(createTestApp(), 'Operations', { env: { account: ACCOUNT, region: REGION } });
  const key = new kms.Key(stack, 'PayloadKey', { enableKeyRotation: true });
  const bucket = new s3.Bucket(stack, 'Payloads', { encryption: s3.BucketEncryption.KMS, encryptionKey: key, enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  const logging = new BedrockInvocationLogging(stack, 'BedrockLogging', { largePayloadS3Bucket: bucket, largePayloadEncryptionKey: key, largePayloadPrefix: 'llm' });
  const sim = new PolicySimulator(stack);
  const ours = { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:bedrock:${REGION}:${ACCOUNT}:model-invocation-logging`, 'aws:SecureTransport': 'true' };
  const object = `${sim.arnOf(bucket)}/llm/AWSLogs/${ACCOUNT}/BedrockModelInvocationLogs/2026/12/01/data.json.gz`;

  test.each([
    ['Bedrock of this account writes payloads under the prefix', 's3:PutObject', () => object, ours, 'Allowed'],
    ['Bedrock cannot write outside the prefix', 's3:PutObject', () => `${sim.arnOf(bucket)}/bedrock-invocations/AWSLogs/${ACCOUNT}/x`, ours, 'ImplicitlyDenied'],
    ['Bedrock of another account cannot write them', 's3:PutObject', () => object,
      { ...ours, 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': `arn:aws:bedrock:${REGION}:${OTHER_ACCOUNT}:model-invocation-logging` }, 'ImplicitlyDenied'],
    ['Bedrock of this account may encrypt with that key', 'kms:GenerateDataKey', () => sim.arnOf(key), { 'aws:SourceAccount': ours['aws:SourceAccount'], 'aws:SourceArn': ours['aws:SourceArn'] }, 'Allowed'],
  ] as const)('%s (IAM simulator)', async (_name, action, resource, context, expected) => {
    expect(await sim.decide({ principal: 'bedrock.amazonaws.com', action, resource: resource(), context: { ...context } })).toBe(expected);
  });

  test('the configuration names that bucket and prefix', () => {
    const resource = Object.values<any>(Template.fromStack(stack).findResources('Custom::BedrockInvocationLogging'))[0].Properties;
    expect(JSON.parse(sim.resolve(resource.Create)).parameters.loggingConfig.cloudWatchConfig.largeDataDeliveryS3Config)
      .toEqual({ bucketName: sim.arnOf(bucket).replace('arn:aws:s3:::', ''), keyPrefix: 'llm' });
  });

  test('the construct adds no unacknowledged finding', () => {
    expect(findViolations(logging, { onlyUnder: true })).toEqual([]);
  });

  test('an imported bucket and key: a warning quotes each statement to add', () => {
    const other = new Stack(createTestApp({ checks: false }), 'Imported', { env: { account: ACCOUNT, region: REGION } });
    const imported = new BedrockInvocationLogging(other, 'Logging', {
      largePayloadS3Bucket: s3.Bucket.fromBucketName(other, 'Bucket', 'team-payloads'),
      largePayloadEncryptionKey: kms.Key.fromKeyArn(other, 'Key', `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`),
    });
    const warnings = imported.node.metadata.filter((m) => m.type === 'aws:cdk:warning').map((m) => String(m.data));
    expect(warnings).toEqual([
      expect.stringMatching(/bucket policy of largePayloadS3Bucket is imported.*"Action":"s3:PutObject".*arn:aws:s3:::team-payloads\/bedrock-invocations\/AWSLogs/),
      expect.stringMatching(/key policy of largePayloadEncryptionKey is imported.*"Action":"kms:GenerateDataKey"/),
    ]);
  });

  test.each<[string, (s: Stack) => Record<string, unknown>, RegExp]>([
    ['both the deprecated and the new bucket', (s) => ({ largePayloadBucket: new SecureTrainingBucket(s, 'P'), largePayloadS3Bucket: new s3.Bucket(s, 'B') }), /`largePayloadBucket`.*not both/],
    ['a bucket whose key is unknown', (s) => ({ largePayloadS3Bucket: s3.Bucket.fromBucketName(s, 'B', 'payloads') }), /`largePayloadEncryptionKey` \(received undefined\)/],
    ['a key without a bucket', (s) => ({ largePayloadEncryptionKey: new kms.Key(s, 'K') }), /`largePayloadEncryptionKey`.*only used with `largePayloadS3Bucket`/],
  ])('%s is refused', (_name, props, message) => {
    const bad = new Stack(new App(), 'Operations');
    expectInvalidProp(() => new BedrockInvocationLogging(bad, 'Logging', props(bad)), 'Operations/Logging', message);
  });
});
