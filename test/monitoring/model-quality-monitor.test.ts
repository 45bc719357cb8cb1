import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  AiSecurityChecks, ModelQualityMonitor, ModelQualityMonitorProps, ModelQualityProblemType, MonitoringFrequency,
  SecureModelEndpoint, SecureTrainingBucket,
} from '../../lib';
import { alertDeadLetterQueue } from '../../lib/private/dead-letter-queue';
import { createKey } from '../../lib/private/kms';
import { inferenceStack, surroundings, withApiGatewayAccount } from '../inference/fixture';
import { createTestApp } from '../support/app';
import { expectCompliant } from '../support/compliance';
import { acknowledgementsIn, expectListedInReadme } from '../support/docs';
import { expectInvalidProp } from '../support/errors';
import { matchesEventPattern } from '../support/event-pattern';
import { ACCOUNT, PolicySimulator, REGION } from '../support/iam';
import { alarmFires, MetricDatum } from '../support/metric-alarm';
import { snapshotOf } from '../support/snapshot';

const BINARY = {
  problemType: ModelQualityProblemType.BINARY_CLASSIFICATION,
  probabilityAttribute: '0',
  probabilityThresholdAttribute: 0.5,
  baselineConstraintsKey: 'baselines/model-quality/v1/constraints.json',
};
const env = { account: ACCOUNT, region: REGION };

/** A monitor on its own in `stack`: an imported VPC, a capture bucket, an encrypted topic. */
function standaloneIn(stack: Stack, props: Partial<ModelQualityMonitorProps> = {}) {
  const { vpc } = surroundings(stack);
  const capture = new SecureTrainingBucket(stack, 'Capture');
  const topicKey = createKey(stack, 'TopicKey', { description: 'alert topic', removalPolicy: RemovalPolicy.RETAIN });
  const topic = new sns.Topic(stack, 'Alerts', { masterKey: topicKey, enforceSSL: true });
  const monitor = new ModelQualityMonitor(stack, 'Monitor', {
    endpointName: 'team-churn-prod', captureBucket: capture.bucket, vpc, alarmTopic: topic, alarmTopicEncryptionKey: topicKey, ...BINARY, ...props,
  });
  return { stack, monitor, capture, topic, topicKey };
}

// Every option set in ONE app (one synthesis for the compliance report of all of them).
const app = withApiGatewayAccount(createTestApp());
const binary = standaloneIn(new Stack(app, 'Binary', { env }));
const regressionStack = new Stack(app, 'Regression', { env });
const labels = new SecureTrainingBucket(regressionStack, 'Labels');
const baselines = new SecureTrainingBucket(regressionStack, 'Baselines');
const regression = standaloneIn(regressionStack, {
  problemType: ModelQualityProblemType.REGRESSION,
  inferenceAttribute: 'predicted_price',
  probabilityAttribute: undefined,
  probabilityThresholdAttribute: undefined,
  groundTruthBucket: labels.bucket,
  groundTruthPrefix: 'labels/churn/',
  baselineBucket: baselines.bucket,
  frequency: MonitoringFrequency.DAILY,
  dailyStartHour: 4,
  maxRuntime: Duration.hours(6),
  startTimeOffset: Duration.days(8),
  endTimeOffset: Duration.days(1),
  s3PrefixListId: 'pl-63a5400a',
  instanceType: 'ml.c5.2xlarge',
  instanceCount: 2,
  volumeSizeInGb: 50,
  qualityAlarms: [{ metric: 'r2', threshold: 0.3 }, { metric: 'rmse', threshold: 5 }],
});
const multiclassStack = new Stack(app, 'Multiclass', { env });
// a dead-letter queue of yours, built like the library's (encrypted, TLS only, its own findings acknowledged)
const ownQueue = alertDeadLetterQueue(multiclassStack, 'OwnDlq', { removalPolicy: RemovalPolicy.RETAIN, reason: 'A dead-letter queue of the test.' });
const multiclass = standaloneIn(multiclassStack, {
  problemType: ModelQualityProblemType.MULTICLASS_CLASSIFICATION,
  inferenceAttribute: 'predicted_label',
  probabilityAttribute: 'probabilities',
  probabilityThresholdAttribute: undefined,
  startTimeOffset: Duration.hours(3),
  endTimeOffset: Duration.minutes(90),
  deadLetterQueue: ownQueue,
  qualityAlarms: [{ metric: 'weighted_f1', threshold: 0.7 }],
});
const endpointStack = new Stack(app, 'Inference', { env });
const s = surroundings(endpointStack);
const model = new SecureModelEndpoint(endpointStack, 'Model', {
  vpc: s.vpc,
  imageRepository: s.imageRepository,
  modelDataBucket: s.artifacts.bucket,
  modelDataKey: 'models/churn/model.tar.gz',
  dataQualityMonitoring: { baselineStatisticsKey: 'baselines/v1/statistics.json', baselineConstraintsKey: 'baselines/v1/constraints.json' },
  modelQualityMonitoring: { ...BINARY, startTimeOffset: Duration.hours(2), endTimeOffset: Duration.hours(1) },
});

const lid = (stack: Stack, c: any) => stack.getLogicalId(c.node.defaultChild ?? c);
const resourceOf = (stack: Stack, type: string) => {
  const found = Object.values(Template.fromStack(stack).findResources(type)) as any[];
  expect(found).toHaveLength(1);
  return found[0];
};
const jobOf = (stack: Stack) => resourceOf(stack, 'AWS::SageMaker::ModelQualityJobDefinition').Properties;

describe('ModelQualityMonitor (binary classification, defaults)', () => {
  const { stack, monitor, capture } = binary;
  const job = jobOf(stack);
  const keyArn = { 'Fn::GetAtt': [lid(stack, capture.encryptionKey), 'Arn'] };
  const inBucket = (key: string) => ({ 'Fn::Join': ['', ['s3://', { Ref: lid(stack, capture.bucket) }, `/${key}`]] });

  test('the job is network-isolated, encrypts inter-container traffic, runs in the isolated subnets with its own HTTPS-only security group', () => {
    expect(job.NetworkConfig).toEqual({
      EnableNetworkIsolation: true,
      EnableInterContainerTrafficEncryption: true,
      VpcConfig: { Subnets: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'], SecurityGroupIds: [{ 'Fn::GetAtt': [lid(stack, monitor.securityGroup), 'GroupId'] }] },
    });
    Template.fromStack(stack).hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupEgress: [{ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: Match.anyValue() }],
    });
  });

  test('the app specification: the problem type, the Region\'s Model Monitor image, CloudWatch metrics published', () => {
    expect(stack.resolve(job.ModelQualityAppSpecification)).toEqual({
      ImageUri: { 'Fn::Join': ['', ['156813124566.dkr.ecr.us-east-1.', { Ref: 'AWS::URLSuffix' }, '/sagemaker-model-monitor-analyzer']] },
      ProblemType: 'BinaryClassification',
      Environment: { publish_cloudwatch_metrics: 'Enabled' },
    });
  });

  test('input: the endpoint\'s capture with the probability and its threshold, no offsets; the ground truth under ground-truth/', () => {
    expect(job.ModelQualityJobInput).toEqual({
      EndpointInput: {
        EndpointName: 'team-churn-prod',
        LocalPath: '/opt/ml/processing/input/endpoint',
        S3InputMode: 'File',
        S3DataDistributionType: 'FullyReplicated',
        ProbabilityAttribute: '0',
        ProbabilityThresholdAttribute: 0.5,
      },
      GroundTruthS3Input: { S3Uri: inBucket('ground-truth/') },
    });
  });

  test('baseline: the constraints only (MM-17); reports under model-quality-reports/ with the capture key; volume key; 30 minutes', () => {
    expect(job.ModelQualityBaselineConfig).toEqual({ ConstraintsResource: { S3Uri: inBucket('baselines/model-quality/v1/constraints.json') } });
    expect(job.ModelQualityJobOutputConfig).toEqual({
      KmsKeyId: keyArn,
      MonitoringOutputs: [{ S3Output: { LocalPath: '/opt/ml/processing/output', S3Uri: inBucket('model-quality-reports/'), S3UploadMode: 'EndOfJob' } }],
    });
    expect(job.JobResources.ClusterConfig).toEqual({ InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 20, VolumeKmsKeyId: keyArn });
    expect(job.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 1800 });
    expect(job.RoleArn).toEqual({ 'Fn::GetAtt': [lid(stack, monitor.role.role), 'Arn'] });
    expect(resourceOf(stack, 'AWS::SageMaker::ModelQualityJobDefinition').DependsOn).toEqual(expect.arrayContaining([lid(stack, monitor.role.role)]));
  });

  test('the schedule: ModelQuality, hourly, names the endpoint and the job definition', () => {
    const schedule = resourceOf(stack, 'AWS::SageMaker::MonitoringSchedule').Properties;
    expect(schedule.EndpointName).toBe('team-churn-prod');
    expect(schedule.MonitoringScheduleName).toBe(monitor.scheduleName);
    expect(schedule.MonitoringScheduleName).toMatch(/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/);
    expect(schedule.MonitoringScheduleConfig).toEqual({
      MonitoringJobDefinitionName: { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': [lid(stack, monitor.jobDefinition), 'JobDefinitionArn'] }] }] },
      MonitoringType: 'ModelQuality',
      ScheduleConfig: { ScheduleExpression: 'cron(0 * ? * * *)' },
    });
  });

  test('the same alerting as the data-quality monitor: two rules to the topic, a retained SSE-SQS dead-letter queue with its alarm', () => {
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Events::Rule', 2);
    t.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ SqsManagedSseEnabled: true }) });
    t.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: lid(stack, binary.topic) }], Threshold: 1 });
    t.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowEventBridgeToPublishToTheEncryptedTopic' })]) },
    });
  });

  test('snapshot', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });
});

describe('ModelQualityMonitor option sets', () => {
  test('every option set, and the endpoint with both monitors, is compliant: every pack, the guard rules, the AiSec rules, warnings included', () => {
    expectCompliant(binary.stack);
  });

  test('regression, daily, offsets of 8 and 1 days, labels and baseline in buckets of their own, a prefix list, a bigger job', () => {
    const { stack } = regression;
    const job = jobOf(stack);
    expect(job.ModelQualityAppSpecification.ProblemType).toBe('Regression');
    expect(job.ModelQualityJobInput.EndpointInput).toEqual(expect.objectContaining({ InferenceAttribute: 'predicted_price', StartTimeOffset: '-P8D', EndTimeOffset: '-P1D' }));
    expect(job.ModelQualityJobInput.EndpointInput).not.toHaveProperty('ProbabilityAttribute');
    expect(job.ModelQualityJobInput.GroundTruthS3Input).toEqual({ S3Uri: { 'Fn::Join': ['', ['s3://', { Ref: lid(stack, labels.bucket) }, '/labels/churn/']] } });
    expect(job.ModelQualityBaselineConfig.ConstraintsResource.S3Uri).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: lid(stack, baselines.bucket) }, '/baselines/model-quality/v1/constraints.json']] });
    expect(job.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 21600 });
    expect(job.JobResources.ClusterConfig).toEqual(expect.objectContaining({ InstanceCount: 2, InstanceType: 'ml.c5.2xlarge', VolumeSizeInGB: 50 }));
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::SageMaker::MonitoringSchedule', { MonitoringScheduleConfig: Match.objectLike({ ScheduleConfig: { ScheduleExpression: 'cron(0 4 ? * * *)' } }) });
    t.hasResourceProperties('AWS::EC2::SecurityGroupEgress', { DestinationPrefixListId: 'pl-63a5400a', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 });
  });

  test('multiclass with offsets in hours and minutes, and a dead-letter queue of yours (none created)', () => {
    const { stack } = multiclass;
    const input = jobOf(stack).ModelQualityJobInput.EndpointInput;
    expect(input).toEqual(expect.objectContaining({ InferenceAttribute: 'predicted_label', ProbabilityAttribute: 'probabilities', StartTimeOffset: '-PT3H', EndTimeOffset: '-PT90M' }));
    expect(input).not.toHaveProperty('ProbabilityThresholdAttribute');
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::SQS::Queue', 1);
    t.hasResourceProperties('AWS::Events::Rule', { Targets: [Match.objectLike({ DeadLetterConfig: { Arn: stack.resolve(ownQueue.queueArn) } })] });
  });

  test('on a SecureModelEndpoint next to dataQualityMonitoring: its capture bucket, keys, subnets and topic; after the endpoint; reports apart', () => {
    const stack = endpointStack;
    const monitor = model.modelQualityMonitor!;
    const job = resourceOf(stack, 'AWS::SageMaker::ModelQualityJobDefinition');
    expect(job.Properties.ModelQualityJobInput.EndpointInput).toEqual(expect.objectContaining({
      EndpointName: stack.resolve(model.endpointName), StartTimeOffset: '-PT2H', EndTimeOffset: '-PT1H',
    }));
    expect(job.Properties.JobResources.ClusterConfig.VolumeKmsKeyId).toEqual({ 'Fn::GetAtt': [lid(stack, model.encryptionKey), 'Arn'] });
    expect(job.DependsOn).toContain(lid(stack, model.endpoint));
    const schedules = Object.values(Template.fromStack(stack).findResources('AWS::SageMaker::MonitoringSchedule')) as any[];
    expect(schedules.map((x) => x.Properties.MonitoringScheduleConfig.MonitoringType).sort()).toEqual(['DataQuality', 'ModelQuality']);
    for (const schedule of schedules) expect(schedule.DependsOn).toContain(lid(stack, model.endpoint));
    expect(stack.resolve(monitor.reportsUri)).not.toEqual(stack.resolve(model.dataQualityMonitor!.reportsUri));
    for (const rule of [monitor.failedExecutionsRule, monitor.violationsRule]) {
      expect(stack.resolve((rule.node.defaultChild as any).targets)[0].arn).toEqual({ Ref: lid(stack, model.alarmTopic) });
    }
    // One EventBridge statement on the created monitoring key, however many monitors share it.
    const keyPolicy = Template.fromStack(stack).toJSON().Resources[lid(stack, model.monitoringEncryptionKey)].Properties.KeyPolicy;
    expect(keyPolicy.Statement.filter((x: any) => x.Sid === 'AllowEventBridgeToPublishToTheEncryptedTopic')).toHaveLength(1);
    expect(monitor.role.workloads).toEqual(['MONITORING']);
  });
});

describe('the AiSec monitoring rules and the README', () => {
  test('judge the model-quality job definition (canary: they report a copy without isolation and encryption)', () => {
    const ids = (scope: Stack) => new AiSecurityChecks().validateScope(scope).violations.map((v) => v.ruleName);
    const bad = standaloneIn(new Stack(createTestApp({ checks: false }), 'Bad', { env }));
    bad.monitor.jobDefinition.addPropertyOverride('NetworkConfig.EnableNetworkIsolation', false);
    bad.monitor.jobDefinition.addPropertyOverride('NetworkConfig.EnableInterContainerTrafficEncryption', false);
    expect(ids(bad.stack)).toEqual(expect.arrayContaining(['AiSec-SageMakerMonitoringNetworkIsolation', 'AiSec-SageMakerMonitoringInterContainerEncryption']));
    expect(ids(binary.stack).filter((r) => r.includes('Monitoring'))).toEqual([]);
  });

  test('every acknowledgement the monitor makes is listed in the README with its reason', () => {
    const found = acknowledgementsIn(binary.monitor);
    expect([...found.keys()]).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy', 'sqs_dlq_check']));
    expectListedInReadme(new Map([...found].filter(([id]) => !id.startsWith('AwsSolutions-IAM5'))));
  });
});

describe('modelQualityMonitoring on a PrivateInferenceEndpoint', () => {
  test('the same monitor on the endpoint\'s subnets, capture bucket and alarm topic; absent without the prop', () => {
    const { stack, endpoint } = inferenceStack({ modelQualityMonitoring: { ...BINARY, groundTruthPrefix: 'labels/' } }, { checks: false });
    const monitor = endpoint.modelQualityMonitor!;
    const job = resourceOf(stack, 'AWS::SageMaker::ModelQualityJobDefinition');
    expect(job.Properties.ModelQualityJobInput.EndpointInput.EndpointName).toEqual(stack.resolve(endpoint.endpointName));
    expect(job.Properties.ModelQualityJobInput.GroundTruthS3Input.S3Uri).toEqual(
      { 'Fn::Join': ['', ['s3://', { Ref: lid(stack, endpoint.dataCaptureBucket) }, '/labels/']] });
    expect(job.Properties.NetworkConfig.VpcConfig.Subnets).toEqual(['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2']);
    expect(job.DependsOn).toContain(lid(stack, endpoint.endpoint));
    expect(stack.resolve((monitor.failedExecutionsRule.node.defaultChild as any).targets)[0].arn).toEqual({ Ref: lid(stack, endpoint.alarmTopic) });
    expect(endpoint.dataQualityMonitor).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::SageMaker::MonitoringSchedule', 1);
  });
});

describe('the monitoring role (IAM simulator)', () => {
  const { stack, monitor, capture } = binary;
  const sim = new PolicySimulator(stack);
  const bucket = sim.arnOf(capture.bucket);
  const key = sim.arnOf(capture.encryptionKey);
  const via = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };
  const other = `arn:aws:s3:::another-bucket-${ACCOUNT}`;

  test.each<[string, string, () => string, Record<string, string> | undefined, string]>([
    ['reads a ground truth file', 's3:GetObject', () => `${bucket}/ground-truth/2026/12/01/10/labels.jsonl`, undefined, 'Allowed'],
    ['lists the ground truth prefix', 's3:ListBucket', () => bucket, { 's3:prefix': 'ground-truth/2026/12/01/' }, 'Allowed'],
    ['reads captured predictions', 's3:GetObject', () => `${bucket}/data-capture/team-churn-prod/AllTraffic/2026/12/01/10/c.jsonl`, undefined, 'Allowed'],
    ['reads the baseline constraints', 's3:GetObject', () => `${bucket}/baselines/model-quality/v1/constraints.json`, undefined, 'Allowed'],
    ['writes a report', 's3:PutObject', () => `${bucket}/model-quality-reports/team-churn-prod/constraint_violations.json`, undefined, 'Allowed'],
    ['decrypts through S3', 'kms:Decrypt', () => key, via, 'Allowed'],
    ['publishes model-quality metrics', 'cloudwatch:PutMetricData', () => '*', { 'cloudwatch:namespace': 'aws/sagemaker/Endpoints/model-metrics' }, 'Allowed'],
    ['writes (forges) ground truth', 's3:PutObject', () => `${bucket}/ground-truth/2026/12/01/10/forged.jsonl`, undefined, 'ImplicitlyDenied'],
    ['deletes ground truth', 's3:DeleteObject', () => `${bucket}/ground-truth/2026/12/01/10/labels.jsonl`, undefined, 'ImplicitlyDenied'],
    ['writes into the captured data', 's3:PutObject', () => `${bucket}/data-capture/team-churn-prod/x.jsonl`, undefined, 'ImplicitlyDenied'],
    ['overwrites the baseline', 's3:PutObject', () => `${bucket}/baselines/model-quality/v1/constraints.json`, undefined, 'ImplicitlyDenied'],
    ['writes the data-quality reports', 's3:PutObject', () => `${bucket}/monitoring-reports/team-churn-prod/x.json`, undefined, 'ImplicitlyDenied'],
    ['reads another prefix of the bucket', 's3:GetObject', () => `${bucket}/datasets/customers.csv`, undefined, 'ImplicitlyDenied'],
    ['lists the whole bucket', 's3:ListBucket', () => bucket, { 's3:prefix': '' }, 'ImplicitlyDenied'],
    ['reads another bucket', 's3:GetObject', () => `${other}/ground-truth/2026/12/01/10/labels.jsonl`, undefined, 'ImplicitlyDenied'],
    ['writes another bucket', 's3:PutObject', () => `${other}/model-quality-reports/x.json`, undefined, 'ImplicitlyDenied'],
    // the next request an attacker tries: a sibling prefix that shares the name, a list without the slash
    ['reads a sibling prefix named like the labels', 's3:GetObject', () => `${bucket}/ground-truth-archive/2026/12/01/10/l.jsonl`, undefined, 'ImplicitlyDenied'],
    ['lists with the prefix lacking its slash', 's3:ListBucket', () => bucket, { 's3:prefix': 'ground-truth' }, 'ImplicitlyDenied'],
    ['writes a sibling of the reports prefix', 's3:PutObject', () => `${bucket}/model-quality-reports-old/x.json`, undefined, 'ImplicitlyDenied'],
    ['publishes to the data-quality namespace', 'cloudwatch:PutMetricData', () => '*', { 'cloudwatch:namespace': 'aws/sagemaker/Endpoints/data-metrics' }, 'ImplicitlyDenied'],
  ])('%s: %s', async (_name, action, resource, context, expected) => {
    expect(await sim.decide({ principal: monitor.role.role, action, resource: resource(), context: { 'aws:SecureTransport': 'true', ...context } })).toBe(expected);
  });

  describe('with the labels in a bucket of their own', () => {
    const r = new PolicySimulator(regression.stack);
    const labelsArn = r.arnOf(labels.bucket);
    const captureArn = r.arnOf(regression.capture.bucket);
    test.each<[string, string, () => string, string]>([
      ['reads the labels prefix of the labels bucket', 's3:GetObject', () => `${labelsArn}/labels/churn/2026/12/01/10/l.jsonl`, 'Allowed'],
      ['decrypts them with the labels bucket\'s key', 'kms:Decrypt', () => r.arnOf(labels.encryptionKey), 'Allowed'],
      ['not another prefix of the labels bucket', 's3:GetObject', () => `${labelsArn}/ground-truth/2026/12/01/10/l.jsonl`, 'ImplicitlyDenied'],
      ['not ground-truth/ of the capture bucket', 's3:GetObject', () => `${captureArn}/ground-truth/2026/12/01/10/l.jsonl`, 'ImplicitlyDenied'],
      ['never writes the labels', 's3:PutObject', () => `${labelsArn}/labels/churn/2026/12/01/10/l.jsonl`, 'ImplicitlyDenied'],
    ])('%s', async (_name, action, resource, expected) => {
      expect(await r.decide({
        principal: regression.monitor.role.role,
        action,
        resource: resource(),
        context: { 'aws:SecureTransport': 'true', ...(action.startsWith('kms:') ? { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } : {}) },
      })).toBe(expected);
    });
  });
});

describe('alerts: the EventBridge rules, evaluated against sample events', () => {
  const { stack, monitor } = binary;
  const sim = new PolicySimulator(stack);
  const roleArn = sim.resolve(stack.resolve(monitor.role.role.roleArn));
  const resources = Template.fromStack(stack).toJSON().Resources;
  const pattern = (rule: any) => sim.resolve(resources[stack.getLogicalId(rule.node.defaultChild)].Properties.EventPattern);
  // The "SageMaker processing job state change" example of the developer guide ("Events that Amazon
  // SageMaker AI sends to Amazon EventBridge"), for the processing job of a model-quality execution.
  const processingEvent = (detail: Record<string, unknown>) => ({
    'version': '0',
    'id': '0a15f67d-aa23-0123-0123-01a23w89r01t',
    'detail-type': 'SageMaker Processing Job State Change',
    'source': 'aws.sagemaker',
    'account': ACCOUNT,
    'time': '2026-12-01T11:21:54Z',
    'region': REGION,
    'resources': [`arn:aws:sagemaker:${REGION}:${ACCOUNT}:processing-job/model-quality-monitoring-202612011100-0a1b2c3d`],
    'detail': {
      ProcessingJobName: 'model-quality-monitoring-202612011100-0a1b2c3d',
      RoleArn: roleArn,
      ProcessingJobStatus: 'Failed',
      FailureReason: 'AlgorithmError: no ground truth data found',
      ...detail,
    },
  });
  const otherRole = `arn:aws:iam::${ACCOUNT}:role/DataQualityMonitorRole`;

  test.each<[string, 'failed' | 'violations', Record<string, unknown>, boolean]>([
    ['a failed execution (no ground truth, say) pages', 'failed', {}, true],
    ['a stopped execution (30 minutes exceeded) pages', 'failed', { ProcessingJobStatus: 'Stopped' }, true],
    ['a failed job of another role (the data-quality monitor\'s) does not page here', 'failed', { RoleArn: otherRole }, false],
    ['a completed execution does not page as failed', 'failed', { ProcessingJobStatus: 'Completed' }, false],
    ['an execution whose metrics broke the baseline pages', 'violations', { ProcessingJobStatus: 'Completed', ExitMessage: 'CompletedWithViolations: Job completed successfully with 2 violations.' }, true],
    ['an execution without violations does not', 'violations', { ProcessingJobStatus: 'Completed', ExitMessage: 'Completed: Job completed successfully with no violations.' }, false],
    ['violations of another role\'s job do not', 'violations', { RoleArn: otherRole, ExitMessage: 'CompletedWithViolations: 1 violation' }, false],
  ])('%s', (_name, which, detail, expected) => {
    const rule = which === 'failed' ? monitor.failedExecutionsRule : monitor.violationsRule;
    expect(matchesEventPattern(pattern(rule), processingEvent(detail))).toBe(expected);
  });
});

describe('quality alarms, evaluated against model-quality metric data', () => {
  const props = (monitor: ModelQualityMonitor, i: number) => {
    const stack = Stack.of(monitor);
    return Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(monitor.qualityAlarms[i].node.defaultChild as any)].Properties;
  };
  const datum = (monitor: ModelQualityMonitor, metricName: string, value: number, extra: Partial<MetricDatum> = {}): MetricDatum => ({
    namespace: 'aws/sagemaker/Endpoints/model-metrics',
    metricName,
    dimensions: { Endpoint: 'team-churn-prod', MonitoringSchedule: monitor.scheduleName },
    value,
    ...extra,
  });

  test('a score alarms below its threshold, an error at or above it (MM-18)', () => {
    const [r2, rmse] = [props(regression.monitor, 0), props(regression.monitor, 1)];
    expect(alarmFires(r2, datum(regression.monitor, 'r2', -0.5))).toBe(true);
    expect(alarmFires(r2, datum(regression.monitor, 'r2', 0.3))).toBe(false);
    expect(alarmFires(rmse, datum(regression.monitor, 'rmse', 5))).toBe(true);
    expect(alarmFires(rmse, datum(regression.monitor, 'rmse', 4.9))).toBe(false);
    const f1 = props(multiclass.monitor, 0);
    expect(alarmFires(f1, datum(multiclass.monitor, 'weighted_f1', 0.69))).toBe(true);
    expect(alarmFires(f1, datum(multiclass.monitor, 'weighted_f1', 0.71))).toBe(false);
  });

  test('another metric, another schedule, the data-quality namespace: not watched', () => {
    const r2 = props(regression.monitor, 0);
    expect(alarmFires(r2, datum(regression.monitor, 'rmse', -1))).toBe(false);
    expect(alarmFires(r2, datum(multiclass.monitor, 'r2', -1))).toBe(false);
    expect(alarmFires(r2, datum(regression.monitor, 'r2', -1, { namespace: 'aws/sagemaker/Endpoints/data-metrics' }))).toBe(false);
  });

  test('the alarms notify the alert topic; the binary defaults have none', () => {
    expect(props(regression.monitor, 0).AlarmActions).toEqual([Stack.of(regression.monitor).resolve(regression.topic.topicArn)]);
    expect(binary.monitor.qualityAlarms).toEqual([]);
  });
});

describe('ModelQualityMonitor bad input', () => {
  const build = (props: Partial<ModelQualityMonitorProps>, region?: string) => () =>
    standaloneIn(new Stack(createTestApp({ checks: false }), 'Monitoring', { env: { account: ACCOUNT, region: region ?? REGION } }), props);
  const noPrediction = { probabilityAttribute: undefined, probabilityThresholdAttribute: undefined };
  test.each<[string, Partial<ModelQualityMonitorProps>, RegExp]>([
    ['31 minutes on an hourly schedule (MM-13)', { maxRuntime: Duration.minutes(31) }, /`maxRuntime`.*30 minutes.*MM-13.*MonitoringStoppingCondition/],
    ['two days on a daily schedule (MM-2)', { frequency: MonitoringFrequency.DAILY, maxRuntime: Duration.days(2) }, /`maxRuntime`.*one day.*MM-2/],
    ['a problem type not of the enum', { problemType: 'Ranking' as ModelQualityProblemType }, /`problemType` \(received "Ranking"\)/],
    ['regression without an inference attribute (MM-14)', { problemType: ModelQualityProblemType.REGRESSION, ...noPrediction }, /`inferenceAttribute`.*MM-14/],
    ['multiclass without an inference attribute (MM-14)', { problemType: ModelQualityProblemType.MULTICLASS_CLASSIFICATION, ...noPrediction }, /`inferenceAttribute`.*MM-14/],
    ['binary with neither the label nor probability and threshold (MM-14)', { ...noPrediction }, /`inferenceAttribute`.*probabilityThresholdAttribute.*MM-14/],
    ['binary with a probability but no threshold and no label (MM-14)', { probabilityThresholdAttribute: undefined }, /`inferenceAttribute`.*MM-14/],
    ['a probability on a regression (MM-14)', { problemType: ModelQualityProblemType.REGRESSION, inferenceAttribute: '0', probabilityThresholdAttribute: undefined }, /`probabilityAttribute`.*regression.*MM-14/],
    ['a threshold on multiclass (MM-14)', { problemType: ModelQualityProblemType.MULTICLASS_CLASSIFICATION, inferenceAttribute: '0' }, /`probabilityThresholdAttribute`.*binary.*MM-14/],
    ['a threshold without a probability (MM-14)', { inferenceAttribute: '0', probabilityAttribute: undefined }, /`probabilityAttribute`.*threshold.*MM-14/],
    ['a threshold of 1.5', { probabilityThresholdAttribute: 1.5 }, /`probabilityThresholdAttribute` \(received 1.5\)/],
    ['an empty inference attribute', { inferenceAttribute: ' ' }, /`inferenceAttribute`/],
    ['a metric the problem type does not publish (MM-18)', { qualityAlarms: [{ metric: 'rmse', threshold: 1 }] }, /`qualityAlarms\[0\].metric` \(received "rmse"\).*MM-18/],
    ['a metric alarmed twice', { qualityAlarms: [{ metric: 'auc', threshold: 0.8 }, { metric: 'auc', threshold: 0.7 }] }, /`qualityAlarms\[1\].metric`.*duplicate/],
    ['a quality alarm without a threshold', { qualityAlarms: [{ metric: 'auc' } as any] }, /`qualityAlarms\[0\].threshold`/],
    ['a threshold that is not a number', { qualityAlarms: [{ metric: 'auc', threshold: '0.8' as any }] }, /`qualityAlarms\[0\].threshold`/],
    ['an end offset without a start offset (MM-15)', { endTimeOffset: Duration.hours(1) }, /`startTimeOffset`.*MM-15/],
    ['an end offset not shorter than the start offset (MM-15)', { startTimeOffset: Duration.hours(1), endTimeOffset: Duration.hours(1) }, /`endTimeOffset`.*MM-15/],
    ['an offset in seconds (MM-15)', { startTimeOffset: Duration.seconds(90) }, /`startTimeOffset`.*whole minutes.*MM-15/],
    ['a start offset of zero (MM-15)', { startTimeOffset: Duration.minutes(0) }, /`startTimeOffset`.*MM-15/],
    ['ground truth prefix without a trailing slash', { groundTruthPrefix: 'labels' }, /`groundTruthPrefix` \(received "labels"\)/],
    ['ground truth inside the captured data', { groundTruthPrefix: 'data-capture/labels/' }, /`groundTruthPrefix`.*capturePrefix/],
    ['ground truth where the reports go', { groundTruthPrefix: 'model-quality-reports/' }, /`groundTruthPrefix`.*reportsPrefix/],
    ['a ground truth prefix too long for the S3 URI (MM-16)', { groundTruthPrefix: `${'a'.repeat(450)}/` }, /`groundTruthPrefix`.*MM-16/],
    ['baseline constraints as an s3:// URL', { baselineConstraintsKey: 's3://bucket/baselines/constraints.json' }, /`baselineConstraintsKey`/],
    ['baseline constraints at the bucket root', { baselineConstraintsKey: 'constraints.json' }, /`baselineConstraintsKey`.*folder/],
    ['reports inside the capture prefix', { reportsPrefix: 'data-capture/quality/' }, /`reportsPrefix`.*apart/],
    ['endpoint name with an underscore (MM-3)', { endpointName: 'team_churn' }, /`endpointName`.*MM-3/],
    ['a start hour on an hourly schedule', { dailyStartHour: 3 }, /`dailyStartHour`.*DAILY/],
    ['an instance type with local storage (MM-11)', { instanceType: 'ml.m5d.xlarge' }, /`instanceType`.*MM-11/],
    ['101 instances (MM-4)', { instanceCount: 101 }, /`instanceCount`.*MM-4/],
    ['a volume too large (MM-5)', { volumeSizeInGb: 20000 }, /`volumeSizeInGb`.*MM-5/],
    ['a prefix list ID that is not one', { s3PrefixListId: 'sg-0123' }, /`s3PrefixListId`/],
    ['public subnets', { vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } }, /`vpcSubnets`.*public/],
  ])('%s', (_name, props, message) => {
    expectInvalidProp(build(props), 'Monitoring/Monitor', message);
  });

  test('a Region without the pre-built image needs imageUri (MM-6)', () => {
    expectInvalidProp(build({}, 'xx-test-1'), 'Monitoring/Monitor', /`imageUri`.*xx-test-1.*MM-6/);
    expect(build({ imageUri: '123456789012.dkr.ecr.xx-test-1.amazonaws.com/my-analyzer:1' }, 'xx-test-1')).not.toThrow();
  });

  test('on an endpoint, model-quality reports inside the data-quality reports are rejected', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Inference', { env });
    const x = surroundings(stack);
    expectInvalidProp(() => new SecureModelEndpoint(stack, 'Model', {
      vpc: x.vpc,
      imageRepository: x.imageRepository,
      modelDataBucket: x.artifacts.bucket,
      modelDataKey: 'models/m.tar.gz',
      dataQualityMonitoring: { baselineStatisticsKey: 'b/statistics.json', baselineConstraintsKey: 'b/constraints.json', reportsPrefix: 'reports/' },
      modelQualityMonitoring: { ...BINARY, reportsPrefix: 'reports/quality/' },
    }), 'Inference/Model', /`modelQualityMonitoring.reportsPrefix`.*data-quality/);
  });

  test('canary: valid input of the same shapes builds', () => {
    for (const props of [
      { maxRuntime: Duration.minutes(30), startTimeOffset: Duration.minutes(1), endTimeOffset: Duration.minutes(0) },
      { frequency: MonitoringFrequency.DAILY, dailyStartHour: 23, maxRuntime: Duration.days(1), probabilityThresholdAttribute: 0 },
      { problemType: ModelQualityProblemType.REGRESSION, inferenceAttribute: '0', ...noPrediction, groundTruthPrefix: 'labels/' },
      { problemType: ModelQualityProblemType.MULTICLASS_CLASSIFICATION, inferenceAttribute: '0', probabilityThresholdAttribute: undefined },
      { inferenceAttribute: '0', ...noPrediction, reportsPrefix: 'quality/', capturePrefix: 'capture/', instanceCount: 100, volumeSizeInGb: 16384 },
      { groundTruthPrefix: `${'a'.repeat(440)}/` },
    ] as Partial<ModelQualityMonitorProps>[]) {
      expect(build(props)).not.toThrow();
    }
  });
});
