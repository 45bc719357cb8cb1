import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { surroundings } from './fixture';
import { SecureModelEndpoint, SecureModelEndpointProps, SecureTrainingBucket } from '../../lib';
import { createKey } from '../../lib/private/kms';
import { allowLogsToUseKey } from '../../lib/private/logs';
import { createTestApp } from '../support/app';
import { findViolations } from '../support/compliance';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, OTHER_ACCOUNT, PolicySimulator, REGION } from '../support/iam';
import { snapshotOf } from '../support/snapshot';

const env = { account: ACCOUNT, region: REGION };
const endpointArn = (name: string) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${name}`;
const tls = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' };
const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };

type PropsFn = (stack: Stack) => Partial<SecureModelEndpointProps>;

/**
 * One app, with every compliance check registered, holds one stack per option set; it is
 * synthesized once, and the template assertions, the snapshot, the compliance report and the IAM
 * simulator read that synthesis.
 */
const app = createTestApp();
function modelStack(name: string, props: PropsFn = () => ({})) {
  const stack = new Stack(app, name, { env });
  const s = surroundings(stack);
  const model = new SecureModelEndpoint(stack, 'Model', {
    vpc: s.vpc,
    imageRepository: s.imageRepository,
    modelDataBucket: s.artifacts.bucket,
    modelDataKey: 'models/sentiment/model.tar.gz',
    ...props(stack),
  });
  return { stack, model, artifacts: s.artifacts };
}

const defaults = modelStack('Model');
const caller = new iam.Role(defaults.stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
defaults.model.grantInvoke(caller);

/** Resources made outside the library: a capture bucket and its key, a role, keys, a topic. */
const own = modelStack('BringYourOwn', (s) => {
  const captureKey = new kms.Key(s, 'CaptureKey', { enableKeyRotation: true });
  const captureBucket = new s3.Bucket(s, 'CaptureBucket', {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: captureKey,
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    versioned: true,
  });
  const monitoringKey = createKey(s, 'MonitoringKey', { description: 'monitoring', removalPolicy: RemovalPolicy.RETAIN });
  allowLogsToUseKey(monitoringKey);
  return {
    executionRole: new iam.Role(s, 'MyRole', {
      assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': s.account } }),
    }),
    encryptionKey: createKey(s, 'MyKey', { description: 'endpoint', removalPolicy: RemovalPolicy.RETAIN }),
    // an s3.IBucket and a kms.IKey: no SecureTrainingBucket needed
    dataCaptureBucket: s3.Bucket.fromBucketName(s, 'ImportedCapture', captureBucket.bucketName),
    dataCaptureEncryptionKey: captureKey,
    dataCapturePrefix: 'capture/sentiment/',
    monitoringEncryptionKey: monitoringKey,
    alarmTopic: new sns.Topic(s, 'Alarms', { masterKey: monitoringKey, enforceSSL: true }),
  };
});

const tuned = modelStack('Tuned', (s) => ({
  enableAutoScaling: false,
  s3PrefixListId: 'pl-63a5400a',
  imageTagOrDigest: `sha256:${'a'.repeat(64)}`,
  imageRepositoryEncryptionKey: kms.Key.fromKeyArn(s, 'ImageKey', `arn:aws:kms:${REGION}:${ACCOUNT}:key/11111111-2222-3333-4444-555555555555`),
  instanceType: 'ml.c5.xlarge',
  initialInstanceCount: 3,
  minInstanceCount: 2,
  maxInstanceCount: 6,
  dataCaptureSamplingPercentage: 20,
  endpointName: 'sentiment-prod',
  logRetention: logs.RetentionDays.TWO_YEARS,
  modelLatencyAlarmThreshold: Duration.seconds(2),
  vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
}));

const weakened = modelStack('Weakened', () => ({ enableNetworkIsolation: false, initialInstanceCount: 1, dataCaptureSamplingPercentage: 0 }));

describe('SecureModelEndpoint defaults', () => {
  const { stack, model } = defaults;
  const template = Template.fromStack(stack);
  const json = template.toJSON();
  const idOf = (construct: any) => stack.getLogicalId(construct.node.defaultChild ?? construct);
  const resource = (construct: any) => json.Resources[idOf(construct)];

  test('creates the SageMaker side and no API, WAF or API logs', () => {
    template.resourceCountIs('AWS::SageMaker::Model', 1);
    template.resourceCountIs('AWS::SageMaker::EndpointConfig', 1);
    template.resourceCountIs('AWS::SageMaker::Endpoint', 1);
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 1);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup'))).toEqual([idOf(model.endpointLogGroup)]);
    expect(model.alarms.map((a) => a.node.id)).toEqual(['ModelInvocationErrorsAlarm', 'ModelLatencyAlarm']);
  });

  test('the model is network-isolated in the isolated subnets, in its own group with HTTPS egress only', () => {
    const props = resource(model.model).Properties;
    expect(props.EnableNetworkIsolation).toBe(true);
    expect(props.VpcConfig).toEqual({
      Subnets: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
      SecurityGroupIds: [{ 'Fn::GetAtt': [idOf(model.securityGroup), 'GroupId'] }],
    });
    const sg = resource(model.securityGroup).Properties;
    expect(sg.SecurityGroupEgress).toEqual([expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })]);
    expect(sg.SecurityGroupIngress).toBeUndefined();
  });

  test('the endpoint configuration is encrypted, has two instances and captures requests and responses to a retained bucket', () => {
    const config = resource(model.endpointConfig).Properties;
    expect(config.KmsKeyId).toEqual({ 'Fn::GetAtt': [idOf(model.encryptionKey), 'Arn'] });
    expect(config.ProductionVariants).toEqual([expect.objectContaining({ InitialInstanceCount: 2, InstanceType: 'ml.m5.large' })]);
    expect(config.DataCaptureConfig).toEqual(expect.objectContaining({
      EnableCapture: true,
      InitialSamplingPercentage: 100,
      KmsKeyId: { 'Fn::GetAtt': [idOf(model.encryptionKey), 'Arn'] },
      CaptureOptions: [{ CaptureMode: 'Input' }, { CaptureMode: 'Output' }],
    }));
    expect(model.secureDataCaptureBucket).toBeInstanceOf(SecureTrainingBucket);
    expect(resource(model.dataCaptureBucket).DeletionPolicy).toBe('Retain');
  });

  test('the endpoint log group, keys and topic are encrypted and retained; the alarms notify the topic', () => {
    expect(resource(model.endpointLogGroup)).toEqual(expect.objectContaining({
      Properties: { LogGroupName: `/aws/sagemaker/Endpoints/${model.endpointName}`, KmsKeyId: { 'Fn::GetAtt': [idOf(model.monitoringEncryptionKey), 'Arn'] }, RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    }));
    for (const key of Object.values<any>(template.findResources('AWS::KMS::Key'))) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
    }
    expect(resource(model.alarmTopic).Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [idOf(model.monitoringEncryptionKey), 'Arn'] });
    for (const alarm of Object.values<any>(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: idOf(model.alarmTopic) }]);
    }
  });

  test('target-tracking autoscaling between 2 and 4 instances', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      ResourceId: `endpoint/${model.endpointName}/variant/AllTraffic`, MinCapacity: 2, MaxCapacity: 4,
    });
  });

  test('matches the snapshot', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });

  test('has no unacknowledged finding in any check (the test\'s caller role aside)', () => {
    expect(findViolations(stack, { onlyUnder: true }).filter((v) => !v.constructPath.startsWith('Model/Caller/'))).toEqual([]);
  });

  describe('decided by the IAM simulator', () => {
    const sim = new PolicySimulator(stack);
    test.each<[string, string, string, string]>([
      ['invokes this endpoint', 'sagemaker:InvokeEndpoint', endpointArn(model.endpointName), 'Allowed'],
      ['invokes no other endpoint', 'sagemaker:InvokeEndpoint', endpointArn('other-model'), 'ImplicitlyDenied'],
      ['cannot invoke it asynchronously', 'sagemaker:InvokeEndpointAsync', endpointArn(model.endpointName), 'ImplicitlyDenied'],
      ['cannot change it', 'sagemaker:UpdateEndpoint', endpointArn(model.endpointName), 'ImplicitlyDenied'],
    ])('the caller granted with grantInvoke %s', async (_name, action, arn, expected) => {
      expect(await sim.decide({ principal: caller, action, resource: arn })).toBe(expected);
    });

    test.each<[string, string, () => string, Record<string, string>, string]>([
      ['reads the model artifact', 's3:GetObject', () => `${sim.arnOf(defaults.artifacts.bucket)}/models/sentiment/model.tar.gz`, tls, 'Allowed'],
      ['reads no other artifact', 's3:GetObject', () => `${sim.arnOf(defaults.artifacts.bucket)}/models/other/model.tar.gz`, tls, 'ImplicitlyDenied'],
      ['writes captured data under the prefix', 's3:PutObject', () => `${sim.arnOf(model.dataCaptureBucket)}/data-capture/x.jsonl`, tls, 'Allowed'],
      ['writes nothing else to the capture bucket', 's3:PutObject', () => `${sim.arnOf(model.dataCaptureBucket)}/other/x.jsonl`, tls, 'ImplicitlyDenied'],
      ['encrypts captured data through S3', 'kms:GenerateDataKey', () => sim.arnOf(model.encryptionKey), viaS3, 'Allowed'],
      ['encrypts nothing directly', 'kms:GenerateDataKey', () => sim.arnOf(model.encryptionKey), {}, 'ImplicitlyDenied'],
      ['cannot invoke the endpoint', 'sagemaker:InvokeEndpoint', () => endpointArn(model.endpointName), {}, 'ImplicitlyDenied'],
    ])('the execution role %s', async (_name, action, arn, context, expected) => {
      expect(await sim.decide({ principal: model.executionRole, action, resource: arn(), context })).toBe(expected);
    });
  });
});

describe('SecureModelEndpoint with a capture bucket, key, role and topic made outside the library', () => {
  const { stack, model } = own;
  const json = Template.fromStack(stack).toJSON();
  const idOf = (construct: any) => stack.getLogicalId(construct.node.defaultChild ?? construct);
  const captureBucket = stack.node.findChild('CaptureBucket') as s3.Bucket;
  const captureKey = stack.node.findChild('CaptureKey') as kms.Key;

  test('captured data goes to that bucket, encrypted with that key; no bucket or topic is created', () => {
    const config = json.Resources[idOf(model.endpointConfig)].Properties.DataCaptureConfig;
    expect(config.KmsKeyId).toEqual({ 'Fn::GetAtt': [idOf(captureKey), 'Arn'] });
    expect(JSON.stringify(config.DestinationS3Uri)).toContain(idOf(captureBucket));
    expect(model.secureDataCaptureBucket).toBeUndefined();
    expect(Object.values<any>(json.Resources).filter((r) => r.Type === 'AWS::SNS::Topic')).toHaveLength(1);
    expect(Object.values<any>(json.Resources).filter((r) => r.Type === 'AWS::S3::Bucket')).toHaveLength(3); // the artifacts bucket, its access-log bucket, the capture bucket
  });

  test('the construct adds no unacknowledged finding', () => {
    expect(findViolations(model, { onlyUnder: true })).toEqual([]);
  });

  describe('the execution role, decided by the IAM simulator', () => {
    const sim = new PolicySimulator(stack);
    test.each<[string, string, () => string, Record<string, string>, string]>([
      ['writes captured data under the prefix of that bucket', 's3:PutObject', () => `${sim.arnOf(captureBucket)}/capture/sentiment/x.jsonl`, tls, 'Allowed'],
      ['writes nothing outside the prefix', 's3:PutObject', () => `${sim.arnOf(captureBucket)}/data-capture/x.jsonl`, tls, 'ImplicitlyDenied'],
      ['encrypts with that key through S3', 'kms:GenerateDataKey', () => sim.arnOf(captureKey), viaS3, 'Allowed'],
      ['cannot decrypt captured data with it', 'kms:Decrypt', () => sim.arnOf(captureKey), viaS3, 'ImplicitlyDenied'],
    ])('%s', async (_name, action, resource, context, expected) => {
      expect(await sim.decide({ principal: model.executionRole, action, resource: resource(), context })).toBe(expected);
    });
  });
});

describe('SecureModelEndpoint options', () => {
  test('tuned: no autoscaling, S3 prefix list, digest, sizes, name; no unacknowledged finding', () => {
    const { stack, model } = tuned;
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0);
    expect(model.scalableTarget).toBeUndefined();
    template.hasResourceProperties('AWS::SageMaker::EndpointConfig', {
      ProductionVariants: [Match.objectLike({ InitialInstanceCount: 3, InstanceType: 'ml.c5.xlarge' })],
      DataCaptureConfig: Match.objectLike({ InitialSamplingPercentage: 20 }),
    });
    // HTTPS to the VPC CIDR (inline) and to the S3 prefix list (a separate egress resource)
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupEgress: [Match.objectLike({ CidrIp: '10.0.0.0/16', FromPort: 443, ToPort: 443 })] });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { DestinationPrefixListId: 'pl-63a5400a', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' });
    template.hasResourceProperties('AWS::SageMaker::Endpoint', { EndpointName: 'sentiment-prod' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/sagemaker/Endpoints/sentiment-prod', RetentionInDays: 731 });
    expect(findViolations(stack, { onlyUnder: true })).toEqual([]);
  });

  test('weakened settings are reported (by the AI/ML pack and as construct warnings), and nothing else is', () => {
    const found = findViolations(weakened.stack, { onlyUnder: true }).map((v) => `${v.rule} ${v.constructPath}`).sort();
    expect(found).toEqual([
      'AiSec-SageMakerEndpointConfigMultiInstance Weakened/Model/EndpointConfig',
      'AiSec-SageMakerModelNetworkIsolation Weakened/Model/Model',
      'Annotation::cdk-secure-ai:dataCaptureSampledAtZero Weakened/Model',
      'Annotation::cdk-secure-ai:modelNetworkIsolationDisabled Weakened/Model',
      'Annotation::cdk-secure-ai:singleInstanceEndpoint Weakened/Model',
    ]);
  });
});

describe('SecureModelEndpoint rejects bad input, naming the prop', () => {
  const build = (props: PropsFn) => () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad', { env });
    const s = surroundings(stack);
    new SecureModelEndpoint(stack, 'Model', {
      vpc: s.vpc, imageRepository: s.imageRepository, modelDataBucket: s.artifacts.bucket, modelDataKey: 'models/m.tar.gz', ...props(stack),
    });
  };

  test.each<[string, PropsFn, RegExp]>([
    ['initialInstanceCount', () => ({ initialInstanceCount: 0 }), /`initialInstanceCount` \(received 0\)/],
    ['initialInstanceCount', () => ({ initialInstanceCount: 1.5 }), /`initialInstanceCount` \(received 1.5\)/],
    ['minInstanceCount', () => ({ minInstanceCount: 5, maxInstanceCount: 3, initialInstanceCount: 3 }), /`minInstanceCount` \(received 5\).*maxInstanceCount \(3\)/],
    ['maxInstanceCount', () => ({ maxInstanceCount: 0 }), /`maxInstanceCount`/],
    ['targetInvocationsPerInstance', () => ({ targetInvocationsPerInstance: 0 }), /`targetInvocationsPerInstance` \(received 0\)/],
    ['dataCaptureSamplingPercentage', () => ({ dataCaptureSamplingPercentage: 101 }), /`dataCaptureSamplingPercentage` \(received 101\)/],
    ['dataCapturePrefix', () => ({ dataCapturePrefix: '/capture' }), /`dataCapturePrefix`/],
    ['dataCaptureEncryptionKey', (s) => ({ dataCaptureBucket: s3.Bucket.fromBucketName(s, 'Imported', 'capture-bucket') }), /`dataCaptureEncryptionKey` \(received undefined\)/],
    ['vpcSubnets', () => ({ vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }), /`vpcSubnets`.*public subnets/],
    ['vpcSubnets', () => ({ vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } }), /`vpcSubnets`.*matches no subnets/],
    ['vpc', (s) => ({
      s3PrefixListId: 'pl-63a5400a',
      vpc: ec2.Vpc.fromVpcAttributes(s, 'NoCidr', { vpcId: 'vpc-1', availabilityZones: ['us-east-1a', 'us-east-1b'], isolatedSubnetIds: ['subnet-1', 'subnet-2'] }),
    }), /`vpc` \(received "vpc-1"\).*CIDR/],
    ['s3PrefixListId', () => ({ s3PrefixListId: 'com.amazonaws.us-east-1.s3' }), /`s3PrefixListId`/],
    ['endpointName', () => ({ endpointName: 'bad_name' }), /`endpointName` \(received "bad_name"\)/],
    ['modelDataKey', () => ({ modelDataKey: 's3://bucket/models/m.tar.gz' }), /`modelDataKey`/],
    ['imageTagOrDigest', () => ({ imageTagOrDigest: 'sha256:abc' }), /`imageTagOrDigest`/],
    ['instanceType', () => ({ instanceType: 'm5.large' }), /`instanceType` \(received "m5.large"\)/],
    ['instanceType', () => ({ instanceType: 'ml.g5.2xlarge' }), /`instanceType` \(received "ml.g5.2xlarge"\).*SM-KMS-LOCAL-STORAGE/],
    ['logRetention', () => ({ logRetention: logs.RetentionDays.ONE_MONTH }), /`logRetention` \(received 30\)/],
    ['modelLatencyAlarmThreshold', () => ({ modelLatencyAlarmThreshold: Duration.seconds(0) }), /`modelLatencyAlarmThreshold`/],
  ])('%s', (_prop, props, message) => {
    expectInvalidProp(build(props), 'Bad/Model', message);
  });
});

test('the created monitoring key lets CloudWatch alarms of this account use it, not those of another account', async () => {
  const sim = new PolicySimulator(defaults.stack);
  const key = sim.arnOf(defaults.model.monitoringEncryptionKey);
  expect(await sim.decide({ principal: 'cloudwatch.amazonaws.com', action: 'kms:GenerateDataKey', resource: key, context: { 'aws:SourceAccount': ACCOUNT } })).toBe('Allowed');
  expect(await sim.decide({ principal: 'cloudwatch.amazonaws.com', action: 'kms:GenerateDataKey', resource: key, context: { 'aws:SourceAccount': OTHER_ACCOUNT } })).toBe('ImplicitlyDenied');
});
