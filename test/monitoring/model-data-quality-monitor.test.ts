import * as fs from 'fs';
import * as path from 'path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  AiSecurityChecks, ModelDataQualityMonitor, ModelDataQualityMonitorProps, MonitoringFrequency, SecureModelEndpoint, SecureTrainingBucket,
} from '../../lib';
import { MODEL_MONITOR_CONSTRAINTS } from '../../lib/monitoring/model-monitor-settings';
import { createKey } from '../../lib/private/kms';
import { inferenceStack, surroundings, withApiGatewayAccount } from '../inference/fixture';
import { createTestApp } from '../support/app';
import { expectCompliant } from '../support/compliance';
import { acknowledgementsIn, expectListedInReadme } from '../support/docs';
import { expectInvalidProp } from '../support/errors';
import { matchesEventPattern } from '../support/event-pattern';
import { ACCOUNT, PolicySimulator, REGION } from '../support/iam';
import { snapshotOf } from '../support/snapshot';

const BASELINE = { baselineStatisticsKey: 'baselines/v1/statistics.json', baselineConstraintsKey: 'baselines/v1/constraints.json' };

/** A monitor on its own: an imported VPC, a capture bucket, an encrypted topic of the test. */
function standalone(props: Partial<ModelDataQualityMonitorProps> = {}, options: { checks?: boolean; region?: string } = {}) {
  const stack = new Stack(createTestApp({ checks: options.checks }), 'Monitoring', { env: { account: ACCOUNT, region: options.region ?? REGION } });
  const { vpc } = surroundings(stack);
  const capture = new SecureTrainingBucket(stack, 'Capture');
  const topicKey = createKey(stack, 'TopicKey', { description: 'alert topic', removalPolicy: RemovalPolicy.RETAIN });
  const topic = new sns.Topic(stack, 'Alerts', { masterKey: topicKey, enforceSSL: true });
  const monitor = new ModelDataQualityMonitor(stack, 'Monitor', {
    endpointName: 'team-sentiment-prod',
    captureBucket: capture.bucket,
    vpc,
    alarmTopic: topic,
    alarmTopicEncryptionKey: topicKey,
    ...BASELINE,
    ...props,
  });
  return { stack, monitor, capture, topic, topicKey };
}

/** A SecureModelEndpoint with `dataQualityMonitoring`. */
function onEndpoint(monitoring: Partial<ModelDataQualityMonitorProps> = {}, checks?: boolean) {
  const stack = new Stack(withApiGatewayAccount(createTestApp({ checks })), 'Inference', { env: { account: ACCOUNT, region: REGION } });
  const s = surroundings(stack);
  const model = new SecureModelEndpoint(stack, 'Model', {
    vpc: s.vpc,
    imageRepository: s.imageRepository,
    modelDataBucket: s.artifacts.bucket,
    modelDataKey: 'models/sentiment/model.tar.gz',
    dataQualityMonitoring: { ...BASELINE, ...monitoring },
  });
  return { stack, model, monitor: model.dataQualityMonitor! };
}

const resourceOf = (stack: Stack, type: string) => {
  const found = Object.values(Template.fromStack(stack).findResources(type)) as any[];
  expect(found).toHaveLength(1);
  return found[0];
};

describe('ModelDataQualityMonitor on its own', () => {
  const { stack, monitor, capture } = standalone();
  const t = Template.fromStack(stack);
  const lid = (c: any) => stack.getLogicalId(c.node.defaultChild ?? c);

  test('the job is network-isolated, encrypts inter-container traffic, runs in the isolated subnets with its own security group', () => {
    const job = resourceOf(stack, 'AWS::SageMaker::DataQualityJobDefinition').Properties;
    expect(job.NetworkConfig).toEqual({
      EnableNetworkIsolation: true,
      EnableInterContainerTrafficEncryption: true,
      VpcConfig: { Subnets: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'], SecurityGroupIds: [{ 'Fn::GetAtt': [lid(monitor.securityGroup), 'GroupId'] }] },
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
    });
  });

  test('volume and reports are encrypted with the capture key; reports under the reports prefix; baseline as given', () => {
    const job = resourceOf(stack, 'AWS::SageMaker::DataQualityJobDefinition').Properties;
    const keyArn = { 'Fn::GetAtt': [lid(capture.encryptionKey), 'Arn'] };
    expect(job.JobResources.ClusterConfig).toEqual({ InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20, VolumeKmsKeyId: keyArn });
    expect(job.DataQualityJobOutputConfig.KmsKeyId).toEqual(keyArn);
    expect(stack.resolve(job.DataQualityJobOutputConfig.MonitoringOutputs[0].S3Output.S3Uri)).toEqual(
      { 'Fn::Join': ['', ['s3://', { Ref: lid(capture.bucket) }, '/monitoring-reports/']] });
    expect(job.DataQualityBaselineConfig.StatisticsResource.S3Uri).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: lid(capture.bucket) }, '/baselines/v1/statistics.json']] });
    expect(job.DataQualityJobInput.EndpointInput.EndpointName).toBe('team-sentiment-prod');
    expect(job.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 3600 });
    expect(job.RoleArn).toEqual({ 'Fn::GetAtt': [lid(monitor.role.role), 'Arn'] });
  });

  test('the image is the Model Monitor pre-built image of the Region (us-east-1: 156813124566)', () => {
    const job = resourceOf(stack, 'AWS::SageMaker::DataQualityJobDefinition').Properties;
    expect(stack.resolve(job.DataQualityAppSpecification.ImageUri)).toEqual(
      { 'Fn::Join': ['', ['156813124566.dkr.ecr.us-east-1.', { Ref: 'AWS::URLSuffix' }, '/sagemaker-model-monitor-analyzer']] });
  });

  test('in an environment-agnostic stack, the account comes from the Region map (eu-west-1: 468650794304)', () => {
    const agnostic = new Stack(createTestApp({ checks: false }), 'Agnostic');
    const { vpc } = surroundings(agnostic);
    const bucket = new SecureTrainingBucket(agnostic, 'Capture').bucket;
    const m = new ModelDataQualityMonitor(agnostic, 'Monitor', { endpointName: 'ep', captureBucket: bucket, vpc, alarmTopic: new sns.Topic(agnostic, 'T'), ...BASELINE });
    const json = Template.fromStack(agnostic).toJSON();
    const job = json.Resources[agnostic.getLogicalId(m.jobDefinition)].Properties;
    expect(job.DataQualityAppSpecification).toEqual({
      Environment: { publish_cloudwatch_metrics: 'Enabled' },
      ImageUri: {
        'Fn::Join': ['', [
          { 'Fn::FindInMap': ['ModelMonitorImageAccounts', { Ref: 'AWS::Region' }, 'account'] }, '.dkr.ecr.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/sagemaker-model-monitor-analyzer',
        ]],
      },
    });
    expect(json.Mappings.ModelMonitorImageAccounts['eu-west-1']).toEqual({ account: '468650794304' });
    expect(json.Mappings.ModelMonitorImageAccounts['us-west-2']).toEqual({ account: '159807026194' }); // the developer guide's example
    expect(Object.keys(json.Mappings.ModelMonitorImageAccounts)).toHaveLength(22);
  });

  test('the schedule is hourly, names the endpoint and the job definition', () => {
    const schedule = resourceOf(stack, 'AWS::SageMaker::MonitoringSchedule').Properties;
    expect(schedule.EndpointName).toBe('team-sentiment-prod');
    expect(schedule.MonitoringScheduleName).toBe(monitor.scheduleName);
    expect(schedule.MonitoringScheduleName).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
    expect(schedule.MonitoringScheduleConfig).toEqual({
      MonitoringJobDefinitionName: { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': [lid(monitor.jobDefinition), 'JobDefinitionArn'] }] }] },
      MonitoringType: 'DataQuality',
      ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
    });
  });

  test('snapshot', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });

  test('compliant: every pack, the guard rules and the AiSec monitoring rules', () => {
    expectCompliant(stack);
  });

  test('the AiSec monitoring rules judge the job definition (canary: they report a copy without isolation and encryption)', () => {
    const ids = (scope: Stack) => new AiSecurityChecks().validateScope(scope).violations.map((v) => v.ruleName);
    const bad = standalone({}, { checks: false });
    const job = bad.monitor.jobDefinition;
    job.addPropertyOverride('NetworkConfig.EnableNetworkIsolation', false);
    job.addPropertyOverride('NetworkConfig.EnableInterContainerTrafficEncryption', false);
    const found = ids(bad.stack);
    expect(found).toContain('AiSec-SageMakerMonitoringNetworkIsolation');
    expect(found).toContain('AiSec-SageMakerMonitoringInterContainerEncryption');
    const good = standalone({}, { checks: false });
    expect(ids(good.stack).filter((r) => r.includes('Monitoring'))).toEqual([]);
  });
});

describe('ModelDataQualityMonitor option sets', () => {
  test('daily at 03:00 UTC, a prefix list, a dead-letter queue, a bigger job: compliant', () => {
    const { stack } = standalone({
      frequency: MonitoringFrequency.DAILY,
      dailyStartHour: 3,
      s3PrefixListId: 'pl-63a5400a',
      maxRuntime: Duration.hours(6),
      instanceType: 'ml.m5.2xlarge',
      instanceCount: 2,
      volumeSizeInGb: 50,
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', { MonitoringScheduleConfig: { ScheduleConfig: { ScheduleExpression: 'cron(0 3 ? * * *)' } } });
    t.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      StoppingCondition: { MaxRuntimeInSeconds: 21600 },
      JobResources: { ClusterConfig: Match.objectLike({ InstanceCount: 2, InstanceType: 'ml.m5.2xlarge', VolumeSizeInGB: 50 }) },
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '10.0.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })],
    });
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { DestinationPrefixListId: 'pl-63a5400a', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
    expectCompliant(stack);
  });

  test('a dead-letter queue receives undeliverable alerts, and only from these rules', async () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Dlq', { env: { account: ACCOUNT, region: REGION } });
    const { vpc } = surroundings(stack);
    const capture = new SecureTrainingBucket(stack, 'Capture');
    const deadLetterQueue = new sqs.Queue(stack, 'Dlq', { enforceSSL: true });
    const monitor = new ModelDataQualityMonitor(stack, 'Monitor', {
      endpointName: 'ep', captureBucket: capture.bucket, vpc, alarmTopic: new sns.Topic(stack, 'Topic'), deadLetterQueue, ...BASELINE,
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ DeadLetterConfig: { Arn: stack.resolve(deadLetterQueue.queueArn) } })],
    });
    const sim = new PolicySimulator(stack);
    const send = (rule: string) => sim.decide({
      principal: 'events.amazonaws.com',
      action: 'sqs:SendMessage',
      resource: sim.arnOf(deadLetterQueue),
      context: { 'aws:SourceArn': rule, 'aws:SecureTransport': 'true' },
    });
    expect(await send(sim.arnOf(monitor.failedExecutionsRule))).toBe('Allowed');
    expect(await send(`arn:aws:events:${REGION}:${ACCOUNT}:rule/other`)).toBe('ImplicitlyDenied');
  });

  test('on a SecureModelEndpoint: the endpoint\'s subnets, capture bucket, keys and topic; after the endpoint; compliant', () => {
    const { stack, model, monitor } = onEndpoint();
    const lid = (c: any) => stack.getLogicalId(c.node.defaultChild ?? c);
    const job = resourceOf(stack, 'AWS::SageMaker::DataQualityJobDefinition');
    expect(job.Properties.DataQualityJobInput.EndpointInput.EndpointName).toBe(model.endpointName);
    expect(job.Properties.JobResources.ClusterConfig.VolumeKmsKeyId).toEqual({ 'Fn::GetAtt': [lid(model.encryptionKey), 'Arn'] });
    expect(job.DependsOn).toContain(lid(model.endpoint));
    expect(resourceOf(stack, 'AWS::SageMaker::MonitoringSchedule').DependsOn).toContain(lid(model.endpoint));
    const rules = Template.fromStack(stack).findResources('AWS::Events::Rule');
    for (const rule of Object.values(rules) as any[]) expect(rule.Properties.Targets[0].Arn).toEqual({ Ref: lid(model.alarmTopic) });
    // The created monitoring key lets EventBridge publish to the encrypted topic.
    Template.fromStack(stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowEventBridgeToPublishToTheEncryptedTopic', Principal: { Service: Match.arrayWith(['events.amazonaws.com']) } })]) },
    });
    expect(monitor.role.workloads).toEqual(['MONITORING']);
    expectCompliant(stack);
  });
});

describe('a topic in another stack', () => {
  test('is left unchanged (no stack cycle), and a warning quotes the statement its policy must contain', () => {
    const app = createTestApp({ checks: false });
    const env = { account: ACCOUNT, region: REGION };
    const operations = new Stack(app, 'Operations', { env });
    const topic = new sns.Topic(operations, 'Alerts');
    const stack = new Stack(app, 'Monitoring', { env });
    const { vpc } = surroundings(stack);
    const monitor = new ModelDataQualityMonitor(stack, 'Monitor', {
      endpointName: 'ep', captureBucket: new SecureTrainingBucket(stack, 'Capture').bucket, vpc, alarmTopic: topic, ...BASELINE,
    });
    const assembly = app.synth(); // throws on a dependency cycle between the stacks
    expect(assembly.getStackByName('Operations').template.Resources).not.toHaveProperty(
      Object.keys(assembly.getStackByName('Operations').template.Resources).find((id) => id.startsWith('AlertsPolicy')) ?? 'none');
    const warnings = Annotations.fromStack(stack).findWarning(`/${monitor.node.path}`, Match.stringLikeRegexp('in another stack.*events.amazonaws.com'));
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    // Canary: the same topic in the monitor's stack gets the statements and no warning.
    const same = standalone({}, { checks: false });
    expect(Annotations.fromStack(same.stack).findWarning('*', Match.stringLikeRegexp('in another stack'))).toEqual([]);
    Template.fromStack(same.stack).resourceCountIs('AWS::SNS::TopicPolicy', 1);
  });
});

describe('dataQualityMonitoring on a PrivateInferenceEndpoint', () => {
  test('the same monitor, on the endpoint\'s subnets, capture bucket and alarm topic; a topic you pass is used as is', () => {
    const { stack, endpoint } = inferenceStack((s) => ({
      dataQualityMonitoring: { ...BASELINE, frequency: MonitoringFrequency.DAILY, dailyStartHour: 5 },
      alarmTopic: new sns.Topic(s, 'OwnTopic'),
      s3PrefixListId: 'pl-63a5400a',
    }), { checks: false });
    const monitor = endpoint.dataQualityMonitor!;
    const lid = (c: any) => stack.getLogicalId(c.node.defaultChild ?? c);
    const job = resourceOf(stack, 'AWS::SageMaker::DataQualityJobDefinition');
    expect(job.Properties.DataQualityJobInput.EndpointInput.EndpointName).toBe(endpoint.endpointName);
    expect(job.Properties.NetworkConfig.VpcConfig.Subnets).toEqual(['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2']);
    expect(job.DependsOn).toContain(lid(endpoint.endpoint));
    Template.fromStack(stack).hasResourceProperties('AWS::SageMaker::MonitoringSchedule', {
      MonitoringScheduleConfig: Match.objectLike({ ScheduleConfig: { ScheduleExpression: 'cron(0 5 ? * * *)' } }),
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroupEgress', { GroupId: { 'Fn::GetAtt': [lid(monitor.securityGroup), 'GroupId'] }, DestinationPrefixListId: 'pl-63a5400a' });
    for (const rule of [monitor.failedExecutionsRule, monitor.violationsRule]) {
      expect(stack.resolve((rule.node.defaultChild as any).targets)[0].arn).toEqual({ Ref: stack.getLogicalId(stack.node.findChild('OwnTopic').node.defaultChild as any) });
    }
    // The key the construct created is not the topic's: no EventBridge statement is added to it.
    const keyPolicy = JSON.stringify(Template.fromStack(stack).toJSON().Resources[lid(endpoint.monitoringEncryptionKey)].Properties.KeyPolicy);
    expect(keyPolicy).not.toContain('AllowEventBridgeToPublishToTheEncryptedTopic');
  });

  test('without the prop there is no monitor', () => {
    const { stack, endpoint } = inferenceStack({}, { checks: false });
    expect(endpoint.dataQualityMonitor).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::SageMaker::MonitoringSchedule', 0);
  });
});

describe('alerts: the EventBridge rules, evaluated against sample events', () => {
  const { stack, monitor, topic } = standalone({}, { checks: false });
  const sim = new PolicySimulator(stack);
  const roleArn = sim.resolve(stack.resolve(monitor.role.role.roleArn));
  const resources = Template.fromStack(stack).toJSON().Resources;
  const pattern = (rule: any) => sim.resolve(resources[stack.getLogicalId(rule.node.defaultChild)].Properties.EventPattern);
  // The "SageMaker processing job state change" example of the SageMaker developer guide
  // ("Events that Amazon SageMaker AI sends to Amazon EventBridge"): a failed processing job.
  const processingEvent = (detail: Record<string, unknown>) => ({
    'version': '0',
    'id': '0a15f67d-aa23-0123-0123-01a23w89r01t',
    'detail-type': 'SageMaker Processing Job State Change',
    'source': 'aws.sagemaker',
    'account': ACCOUNT,
    'time': '2019-05-31T21:49:54Z',
    'region': REGION,
    'resources': [`arn:aws:sagemaker:${REGION}:${ACCOUNT}:processing-job/model-monitoring-201912011600-0a1b2c3d`],
    'detail': {
      ProcessingJobName: 'model-monitoring-201912011600-0a1b2c3d',
      NetworkConfig: { EnableInterContainerTrafficEncryption: true, EnableNetworkIsolation: true },
      RoleArn: roleArn,
      ProcessingJobArn: `arn:aws:sagemaker:${REGION}:${ACCOUNT}:processing-job/model-monitoring-201912011600-0a1b2c3d`,
      ProcessingJobStatus: 'Failed',
      FailureReason: 'InternalServerError: We encountered an internal error.  Please try again.',
      ...detail,
    },
  });
  const otherRole = `arn:aws:iam::${ACCOUNT}:role/SageMakerPowerUser`;

  test.each<[string, 'failed' | 'violations', Record<string, unknown>, boolean]>([
    ['a failed execution of this monitor pages', 'failed', {}, true],
    ['a stopped execution (run time exceeded) pages', 'failed', { ProcessingJobStatus: 'Stopped' }, true],
    ['a failed processing job of another role does not', 'failed', { RoleArn: otherRole }, false],
    ['a completed execution does not page as failed', 'failed', { ProcessingJobStatus: 'Completed' }, false],
    ['an in-progress execution does not', 'failed', { ProcessingJobStatus: 'InProgress' }, false],
    ['an execution with violations pages', 'violations', { ProcessingJobStatus: 'Completed', ExitMessage: 'CompletedWithViolations: Job completed successfully with 8 violations.' }, true],
    ['an execution without violations does not', 'violations', { ProcessingJobStatus: 'Completed', ExitMessage: 'Completed: Job completed successfully with no violations.' }, false],
    ['violations of another role\'s job do not', 'violations', { RoleArn: otherRole, ExitMessage: 'CompletedWithViolations: 1 violation' }, false],
    ['a failed execution without exit message is not a violation', 'violations', {}, false],
  ])('%s', (_name, which, detail, expected) => {
    const rule = which === 'failed' ? monitor.failedExecutionsRule : monitor.violationsRule;
    expect(matchesEventPattern(pattern(rule), processingEvent(detail))).toBe(expected);
  });

  test('a training job event with the same role and status does not match', () => {
    const event = { ...processingEvent({}), 'detail-type': 'SageMaker Training Job State Change' };
    expect(matchesEventPattern(pattern(monitor.failedExecutionsRule), event)).toBe(false);
  });

  test.each<[string, () => string, string]>([
    ['the failed-executions rule publishes to the topic', () => sim.arnOf(monitor.failedExecutionsRule), 'Allowed'],
    ['the violations rule publishes to the topic', () => sim.arnOf(monitor.violationsRule), 'Allowed'],
    ['another rule cannot', () => `arn:aws:events:${REGION}:${ACCOUNT}:rule/other`, 'ImplicitlyDenied'],
    ['the undelivered-alerts alarm publishes', () => sim.arnOf(monitor.node.findChild('UndeliveredAlertsAlarm')), 'Allowed'],
    ['another alarm cannot', () => `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:other`, 'ImplicitlyDenied'],
  ])('%s (IAM simulator, topic policy)', async (name, source, expected) => {
    expect(await sim.decide({
      principal: name.includes('alarm') ? 'cloudwatch.amazonaws.com' : 'events.amazonaws.com',
      action: 'sns:Publish',
      resource: sim.arnOf(topic),
      context: { 'aws:SourceArn': source(), 'aws:SecureTransport': 'true' },
    })).toBe(expected);
  });
});

describe('ModelDataQualityMonitor bad input', () => {
  const build = (props: Partial<ModelDataQualityMonitorProps>, region?: string) => () => standalone(props, { checks: false, region });
  test.each<[string, Partial<ModelDataQualityMonitorProps>, RegExp]>([
    ['endpoint name with an underscore (MM-3)', { endpointName: 'team_sentiment' }, /`endpointName` \(received "team_sentiment"\).*MM-3/],
    ['baseline given as an s3:// URL', { baselineStatisticsKey: 's3://bucket/baselines/statistics.json' }, /`baselineStatisticsKey`/],
    ['baseline at the bucket root', { baselineConstraintsKey: 'constraints.json' }, /`baselineConstraintsKey`.*folder/],
    ['reports prefix without a trailing slash', { reportsPrefix: 'reports' }, /`reportsPrefix` \(received "reports"\)/],
    ['reports inside the capture prefix', { reportsPrefix: 'data-capture/reports/' }, /`reportsPrefix`.*apart/],
    ['capture prefix with a wildcard', { capturePrefix: 'capture/*/' }, /`capturePrefix`/],
    ['a start hour on an hourly schedule', { dailyStartHour: 3 }, /`dailyStartHour`.*DAILY/],
    ['a start hour of 24 (MM-1)', { frequency: MonitoringFrequency.DAILY, dailyStartHour: 24 }, /`dailyStartHour` \(received 24\).*MM-1/],
    ['a frequency not of the enum', { frequency: 'WEEKLY' as MonitoringFrequency }, /`frequency` \(received "WEEKLY"\)/],
    ['two hours on an hourly schedule (MM-2)', { maxRuntime: Duration.hours(2) }, /`maxRuntime`.*one hour.*MM-2.*MonitoringStoppingCondition/],
    ['two days on a daily schedule (MM-2)', { frequency: MonitoringFrequency.DAILY, maxRuntime: Duration.days(2) }, /`maxRuntime`.*one day.*MM-2/],
    ['not an ML instance type', { instanceType: 'm5.xlarge' }, /`instanceType`/],
    ['an instance type with local storage (MM-11)', { instanceType: 'ml.m5d.xlarge' }, /`instanceType` \(received "ml.m5d.xlarge"\).*MM-11/],
    ['no instance (MM-4)', { instanceCount: 0 }, /`instanceCount` \(received 0\).*MM-4/],
    ['101 instances (MM-4)', { instanceCount: 101 }, /`instanceCount` \(received 101\).*MM-4/],
    ['a volume too large (MM-5)', { volumeSizeInGb: 20000 }, /`volumeSizeInGb`.*MM-5/],
    ['a prefix list ID that is not one', { s3PrefixListId: 'sg-0123' }, /`s3PrefixListId`/],
    ['public subnets', { vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }, /`vpcSubnets`.*public/],
  ])('%s', (_name, props, message) => {
    expectInvalidProp(build(props), 'Monitoring/Monitor', message);
  });

  test('a Region without the pre-built image needs imageUri; with one it builds', () => {
    expectInvalidProp(build({}, 'xx-test-1'), 'Monitoring/Monitor', /`imageUri`.*xx-test-1.*MM-6/);
    expect(build({ imageUri: '123456789012.dkr.ecr.xx-test-1.amazonaws.com/my-analyzer:1' }, 'xx-test-1')).not.toThrow();
  });

  test('a capture bucket without a key needs captureEncryptionKey', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Monitoring', { env: { account: ACCOUNT, region: REGION } });
    const { vpc } = surroundings(stack);
    const bucket = { ...new SecureTrainingBucket(stack, 'Capture').bucket, encryptionKey: undefined } as any;
    expectInvalidProp(() => new ModelDataQualityMonitor(stack, 'Monitor', {
      endpointName: 'ep', captureBucket: bucket, vpc, alarmTopic: new sns.Topic(stack, 'T'), ...BASELINE,
    }), 'Monitoring/Monitor', /`captureEncryptionKey`/);
  });

  test('canary: valid input of the same shapes builds', () => {
    expect(build({
      frequency: MonitoringFrequency.DAILY,
      dailyStartHour: 23,
      maxRuntime: Duration.days(1),
      reportsPrefix: 'reports/',
      capturePrefix: 'capture/',
      instanceCount: 100,
      volumeSizeInGb: 16384,
      s3PrefixListId: 'pl-63a5400a',
    })).not.toThrow();
  });
});

describe('deploy constraints', () => {
  test('every constraint ID of MODEL_MONITOR_CONSTRAINTS is listed, with its source, in docs/deploy-constraints/model-monitoring.md', () => {
    const doc = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'deploy-constraints', 'model-monitoring.md'), 'utf8');
    const ids = Object.values(MODEL_MONITOR_CONSTRAINTS).map((c) => c.id);
    expect(ids.length).toBeGreaterThanOrEqual(6);
    for (const id of ids) expect(doc).toMatch(new RegExp(`^\\| ${id} \\|`, 'm'));
  });
});

describe('documentation', () => {
  test('every acknowledgement the monitor makes is listed in the README with its reason', () => {
    const { stack } = standalone({}, { checks: false });
    const found = acknowledgementsIn(stack);
    expect([...found.keys()]).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy', 'sqs_dlq_check']));
    // The role's IAM5 findings name logical IDs that differ per stack; they are listed with placeholders and checked by the role's tests.
    expectListedInReadme(new Map([...found].filter(([id]) => !id.startsWith('AwsSolutions-IAM5'))));
  });
});
