import { App, CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe1, fixtureStack, outcome } from './support';
import { AiSecurityChecks, ModelDataQualityMonitor, SecureModelEndpoint, SecureModelEndpointProps, SecureTrainingBucket } from '../../../lib';
import { activeRules } from '../../../lib/nag/load';
import { SageMakerEndpointMonitoringSchedule } from '../../../lib/nag/rules/sagemaker/endpoint-monitoring-schedule';
import { inferenceStack, surroundings } from '../../inference/fixture';

const rule = SageMakerEndpointMonitoringSchedule;
const ID = `AiSec-${rule.name}`;
const ON = { requireModelMonitoring: true };
const ROLE = 'arn:aws:iam::111111111111:role/Monitor';
const IMAGE = '111111111111.dkr.ecr.eu-west-1.amazonaws.com/monitor:1';
const CAPTURE = { captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }], destinationS3Uri: 's3://capture/endpoint', initialSamplingPercentage: 100 };
const RESOURCES = { clusterConfig: { instanceCount: 1, instanceType: 'ml.m5.large', volumeSizeInGb: 20 } };
const OUTPUT = { monitoringOutputs: [{ s3Output: { s3Uri: 's3://mon/out', localPath: '/opt/ml/processing/output' } }] };
const NETWORK = { enableNetworkIsolation: true, enableInterContainerTrafficEncryption: true };

type ConfigRef = 'GetAtt' | 'Ref' | 'literal';

/** An endpoint config with data capture (or `capture`) and an endpoint naming it by `configRef`. */
function endpoint(options: { configRef?: ConfigRef; capture?: any; endpointName?: string; stack?: Stack } = {}) {
  const stack = options.stack ?? fixtureStack();
  const config = new sagemaker.CfnEndpointConfig(stack, 'Config', {
    endpointConfigName: 'sentiment-config',
    productionVariants: [{ variantName: 'main', modelName: 'model', instanceType: 'ml.m5.large', initialInstanceCount: 2 }],
    dataCaptureConfig: 'capture' in options ? options.capture : CAPTURE,
  });
  const configName = { GetAtt: config.attrEndpointConfigName, Ref: config.ref, literal: 'sentiment-config' }[options.configRef ?? 'GetAtt'];
  const node = new sagemaker.CfnEndpoint(stack, 'Endpoint', { endpointConfigName: configName, endpointName: options.endpointName });
  return { stack, config, node };
}

/** A monitoring schedule whose job is one of its props (`endpointName`, inline job, or named job definition). */
function schedule(stack: Stack, config: Partial<sagemaker.CfnMonitoringSchedule.MonitoringScheduleConfigProperty>, endpointName?: string, id = 'Schedule') {
  return new sagemaker.CfnMonitoringSchedule(stack, id, {
    monitoringScheduleName: id.toLowerCase(),
    endpointName,
    monitoringScheduleConfig: { scheduleConfig: { scheduleExpression: 'cron(0 * ? * * *)' }, ...config },
  });
}

/** An inline job definition reading `endpointName`. */
function inlineJob(endpointName: string): sagemaker.CfnMonitoringSchedule.MonitoringJobDefinitionProperty {
  return {
    monitoringAppSpecification: { imageUri: IMAGE },
    monitoringInputs: [{ endpointInput: { endpointName, localPath: '/opt/ml/processing/input' } }],
    monitoringOutputConfig: OUTPUT,
    monitoringResources: RESOURCES,
    roleArn: ROLE,
    networkConfig: NETWORK,
  };
}

/** A job definition of one of the four monitoring types reading `endpointName`. */
function jobDefinition(stack: Stack, type: string, endpointName: string, jobDefinitionName?: string) {
  const input = { endpointInput: { endpointName, localPath: '/opt/ml/processing/input' } };
  const common = { roleArn: ROLE, jobResources: RESOURCES, networkConfig: NETWORK, jobDefinitionName };
  const app = { imageUri: IMAGE };
  switch (type) {
    case 'DataQuality': return new sagemaker.CfnDataQualityJobDefinition(stack, 'Job', { ...common, dataQualityAppSpecification: app, dataQualityJobInput: input, dataQualityJobOutputConfig: OUTPUT });
    case 'ModelQuality': return new sagemaker.CfnModelQualityJobDefinition(stack, 'Job', { ...common, modelQualityAppSpecification: { ...app, problemType: 'BinaryClassification' }, modelQualityJobInput: { ...input, groundTruthS3Input: { s3Uri: 's3://mon/truth' } }, modelQualityJobOutputConfig: OUTPUT });
    case 'ModelBias': return new sagemaker.CfnModelBiasJobDefinition(stack, 'Job', { ...common, modelBiasAppSpecification: { ...app, configUri: 's3://mon/bias.json' }, modelBiasJobInput: { ...input, groundTruthS3Input: { s3Uri: 's3://mon/truth' } }, modelBiasJobOutputConfig: OUTPUT });
    default: return new sagemaker.CfnModelExplainabilityJobDefinition(stack, 'Job', { ...common, modelExplainabilityAppSpecification: { ...app, configUri: 's3://mon/shap.json' }, modelExplainabilityJobInput: input, modelExplainabilityJobOutputConfig: OUTPUT });
  }
}

describe('AiSec-SageMakerEndpointMonitoringSchedule: the endpoint it judges', () => {
  test.each<ConfigRef>(['GetAtt', 'Ref', 'literal'])('capture and no schedule is non-compliant, the config named by %s', (configRef) => {
    const { node } = endpoint({ configRef });
    expect(outcome(rule, node, ON)).toBe('NON_COMPLIANT');
    expect(describe1(rule.name, node, ON)).toMatch(/Endpoint: Config captures inference data for this endpoint, but the app has no AWS::SageMaker::MonitoringSchedule$/);
  });
  test('EnableCapture true, or the string "true", is capture', () => {
    expect(outcome(rule, endpoint({ capture: { ...CAPTURE, enableCapture: true } }).node, ON)).toBe('NON_COMPLIANT');
    const { config, node } = endpoint();
    config.addPropertyOverride('DataCaptureConfig.EnableCapture', 'True');
    expect(outcome(rule, node, ON)).toBe('NON_COMPLIANT');
  });
  test('no data capture, or EnableCapture false, is not applicable', () => {
    expect(outcome(rule, endpoint({ capture: undefined }).node, ON)).toBe('N/A');
    expect(outcome(rule, endpoint({ capture: { ...CAPTURE, enableCapture: false } }).node, ON)).toBe('N/A');
    expect(outcome(rule, endpoint({ capture: { ...CAPTURE, enableCapture: 'false' } }).node, ON)).toBe('N/A');
  });
  test('EnableCapture from a parameter, or off in one branch of a condition, is not reported', () => {
    const stack = fixtureStack();
    const enable = new CfnParameter(stack, 'Capture', { type: 'String', default: 'true' });
    expect(outcome(rule, endpoint({ stack, capture: { ...CAPTURE, enableCapture: enable.valueAsString } }).node, ON)).toBe('N/A');
    const other = fixtureStack();
    const prod = new CfnCondition(other, 'IsProd', { expression: Fn.conditionEquals('prod', 'prod') });
    expect(outcome(rule, endpoint({ stack: other, capture: { ...CAPTURE, enableCapture: Fn.conditionIf(prod.logicalId, true, false) } }).node, ON)).toBe('N/A');
  });
  test('a config name synth cannot follow is not reported: a parameter, a literal no config of the stack has, another stack', () => {
    const stack = fixtureStack();
    const name = new CfnParameter(stack, 'ConfigName', { type: 'String' });
    new sagemaker.CfnEndpointConfig(stack, 'Config', { productionVariants: [{ variantName: 'main', modelName: 'm', instanceType: 'ml.m5.large' }], dataCaptureConfig: CAPTURE });
    expect(outcome(rule, new sagemaker.CfnEndpoint(stack, 'ByParameter', { endpointConfigName: name.valueAsString }), ON)).toBe('N/A');
    expect(outcome(rule, new sagemaker.CfnEndpoint(stack, 'ByUnknownName', { endpointConfigName: 'made-in-the-console' }), ON)).toBe('N/A');
    const app = new App();
    const shared = endpoint({ stack: new Stack(app, 'Shared', { env: { account: '111111111111', region: 'eu-west-1' } }) });
    const consumer = new Stack(app, 'Consumer', { env: { account: '111111111111', region: 'eu-west-1' } });
    const elsewhere = new sagemaker.CfnEndpoint(consumer, 'Endpoint', { endpointConfigName: shared.config.attrEndpointConfigName });
    app.synth(); // the cross-stack reference becomes an export and an import
    expect(consumer.resolve(elsewhere.endpointConfigName)).toEqual({ 'Fn::ImportValue': expect.any(String) });
    expect(outcome(rule, elsewhere, ON)).toBe('N/A');
  });
  test('a serverless config (which cannot capture: the preflight rule reports it) is not applicable', () => {
    const { config, node } = endpoint();
    config.productionVariants = [{ variantName: 'main', modelName: 'model', serverlessConfig: { maxConcurrency: 5, memorySizeInMb: 2048 } }];
    expect(outcome(rule, node, ON)).toBe('N/A');
  });
  test('other resources are not applicable', () => expect(outcome(rule, endpoint().config, ON)).toBe('N/A'));
});

describe('AiSec-SageMakerEndpointMonitoringSchedule: a schedule that reads the endpoint', () => {
  test('the schedule\'s EndpointName by Fn::GetAtt, Ref, or the literal name (any case)', () => {
    const byGetAtt = endpoint();
    schedule(byGetAtt.stack, { monitoringJobDefinition: inlineJob('ignored-by-this-test') }, byGetAtt.node.attrEndpointName);
    expect(outcome(rule, byGetAtt.node, ON)).toBe('COMPLIANT');
    const byRef = endpoint();
    schedule(byRef.stack, {}, byRef.node.ref);
    expect(outcome(rule, byRef.node, ON)).toBe('COMPLIANT');
    const byName = endpoint({ endpointName: 'sentiment-prod' });
    schedule(byName.stack, {}, 'Sentiment-Prod');
    expect(outcome(rule, byName.node, ON)).toBe('COMPLIANT');
  });
  test('the EndpointInput of the schedule\'s inline job definition', () => {
    const { stack, node } = endpoint({ endpointName: 'sentiment-prod' });
    schedule(stack, { monitoringJobDefinition: inlineJob(node.attrEndpointName) });
    expect(outcome(rule, node, ON)).toBe('COMPLIANT');
    const literal = endpoint({ endpointName: 'sentiment-prod' });
    schedule(literal.stack, { monitoringJobDefinition: inlineJob('sentiment-prod') });
    expect(outcome(rule, literal.node, ON)).toBe('COMPLIANT');
  });
  const NAMED_BY: Record<string, (job: any) => string> = {
    'Fn::Select/Fn::Split of its ARN (as ModelDataQualityMonitor does)': (job) => Fn.select(1, Fn.split('/', job.attrJobDefinitionArn)),
    'Ref': (job) => job.ref,
    'Fn::GetAtt JobDefinitionName': (job) => Fn.getAtt(job.logicalId, 'JobDefinitionName').toString(),
    'its literal JobDefinitionName': () => 'sentiment-monitor',
  };
  describe.each(['DataQuality', 'ModelQuality', 'ModelBias', 'ModelExplainability'])('the %s job definition the schedule names', (type) => {
    test.each(Object.keys(NAMED_BY))('by %s', (form) => {
      const { stack, node } = endpoint();
      const job = jobDefinition(stack, type, node.attrEndpointName, 'sentiment-monitor');
      schedule(stack, { monitoringJobDefinitionName: NAMED_BY[form](job), monitoringType: type });
      expect(outcome(rule, node, ON)).toBe('COMPLIANT');
    });
  });
  test('a schedule of another stack of the app, through a cross-stack reference', () => {
    const app = new App();
    const env = { account: '111111111111', region: 'eu-west-1' };
    const { node } = endpoint({ stack: new Stack(app, 'Serving', { env }) });
    const monitoring = new Stack(app, 'Monitoring', { env });
    const reading = schedule(monitoring, {}, node.attrEndpointName);
    app.synth(); // the cross-stack reference becomes an export and an import
    expect(monitoring.resolve(reading.endpointName)).toEqual({ 'Fn::ImportValue': expect.any(String) });
    expect(outcome(rule, node, ON)).toBe('COMPLIANT');
  });
});

describe('AiSec-SageMakerEndpointMonitoringSchedule: schedules that read something else', () => {
  test('a schedule of another endpoint of the stack (reference or literal name)', () => {
    const { stack, node } = endpoint({ endpointName: 'sentiment-prod' });
    const other = new sagemaker.CfnEndpoint(stack, 'Other', { endpointConfigName: 'sentiment-config' });
    schedule(stack, {}, other.attrEndpointName, 'ByReference');
    schedule(stack, { monitoringJobDefinition: inlineJob('sentiment-staging') }, undefined, 'ByName');
    expect(outcome(rule, node, ON)).toBe('NON_COMPLIANT');
    expect(describe1(rule.name, node, ON)).toMatch(/Endpoint: Config captures inference data for this endpoint \(EndpointName sentiment-prod\), but none of the monitoring schedules of the app \(ByReference, ByName\) reads it$/);
    // the other endpoint is read: compliant
    expect(outcome(rule, other, ON)).toBe('COMPLIANT');
  });
  test('a literal name cannot read an endpoint whose name CloudFormation generates', () => {
    const { stack, node } = endpoint();
    schedule(stack, {}, 'sentiment-prod');
    expect(outcome(rule, node, ON)).toBe('NON_COMPLIANT');
  });
  test('a job definition of another endpoint; a job definition of this endpoint that no schedule names', () => {
    const { stack, node } = endpoint({ endpointName: 'sentiment-prod' });
    const job = jobDefinition(stack, 'DataQuality', 'sentiment-staging');
    schedule(stack, { monitoringJobDefinitionName: Fn.select(1, Fn.split('/', job.attrJobDefinitionArn)), monitoringType: 'DataQuality' });
    expect(outcome(rule, node, ON)).toBe('NON_COMPLIANT');
    const unscheduled = endpoint();
    jobDefinition(unscheduled.stack, 'DataQuality', unscheduled.node.attrEndpointName);
    expect(outcome(rule, unscheduled.node, ON)).toBe('NON_COMPLIANT');
  });
});

describe('AiSec-SageMakerEndpointMonitoringSchedule: references synth cannot follow are not reported', () => {
  test('a schedule whose endpoint is a parameter or an import from outside the app', () => {
    const byParameter = endpoint();
    schedule(byParameter.stack, {}, new CfnParameter(byParameter.stack, 'Monitored', { type: 'String' }).valueAsString);
    expect(outcome(rule, byParameter.node, ON)).toBe('N/A');
    const byImport = endpoint();
    schedule(byImport.stack, { monitoringJobDefinition: inlineJob(Fn.importValue('platform-endpoint-name')) });
    expect(outcome(rule, byImport.node, ON)).toBe('N/A');
  });
  test('an endpoint whose name is a parameter, and a schedule with a literal name', () => {
    const stack = fixtureStack();
    const { node } = endpoint({ stack, endpointName: new CfnParameter(stack, 'EndpointName', { type: 'String' }).valueAsString });
    schedule(stack, {}, 'sentiment-prod');
    expect(outcome(rule, node, ON)).toBe('N/A');
  });
  test('a schedule naming a job definition that is not in the app', () => {
    const { stack, node } = endpoint();
    schedule(stack, { monitoringJobDefinitionName: 'defined-elsewhere', monitoringType: 'DataQuality' });
    expect(outcome(rule, node, ON)).toBe('N/A');
  });
});

describe('AiSec-SageMakerEndpointMonitoringSchedule is off by default', () => {
  const ids = (props = {}) => (stack: Stack) => new AiSecurityChecks(undefined, props).validateScope(stack).violations
    .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}`)).sort();

  test('canary: off, the unmonitored endpoint has no finding; on, it has exactly this one, a warning', () => {
    const { stack, node } = endpoint();
    const off = ids()(stack);
    const on = ids(ON)(stack);
    expect(off.filter((f) => f.startsWith(ID))).toEqual([]);
    expect(on).toEqual([...off, `${ID} @ ${node.node.path}`].sort());
    const violation = new AiSecurityChecks(undefined, ON).validateScope(stack).violations.find((v) => v.ruleName === ID);
    expect(violation?.severity).toBe('warning');
    // `false` is off too
    expect(ids({ requireModelMonitoring: false })(stack)).toEqual(off);
  });

  test('the pack lists the rule, says what turns it on, and selects it only with its prop (both forms select here)', () => {
    const info = AiSecurityChecks.rules().find((r) => r.id === ID);
    expect(info?.enabledBy).toBe('requireModelMonitoring');
    expect(info?.explanation).toContain('Off by default: the pack runs this rule only when created with `requireModelMonitoring: true`.');
    expect(info?.explanation).toMatch(/Limits: .*does not report it/);
    expect(AiSecurityChecks.rules().filter((r) => r.enabledBy !== undefined).map((r) => r.id)).toEqual([ID]);
    expect(activeRules({}).all.map((r) => r.name)).not.toContain(rule.name);
    expect(activeRules({}).rulesFor('AWS::SageMaker::Endpoint')).toEqual([]);
    expect(activeRules(ON).rulesFor('AWS::SageMaker::Endpoint')).toEqual([rule]);
    expect(activeRules(ON).all.length).toBe(activeRules({}).all.length + 1);
  });
});

describe('AiSec-SageMakerEndpointMonitoringSchedule on the library\'s constructs (rule on)', () => {
  const BASELINE = { baselineStatisticsKey: 'baselines/v1/statistics.json', baselineConstraintsKey: 'baselines/v1/constraints.json' };
  const findings = (stack: Stack) => new AiSecurityChecks(undefined, ON).validateScope(stack).violations
    .filter((v) => v.ruleName === ID).flatMap((v) => v.violatingResources.map((r) => r.constructPath));
  function secureEndpoint(props: Partial<SecureModelEndpointProps> = {}) {
    const stack = new Stack(new App(), 'Inference', { env: { account: '111122223333', region: 'us-east-1' } });
    const s = surroundings(stack);
    const model = new SecureModelEndpoint(stack, 'Model', {
      vpc: s.vpc, imageRepository: s.imageRepository, modelDataBucket: s.artifacts.bucket, modelDataKey: 'models/sentiment/model.tar.gz', ...props,
    });
    return { stack, model };
  }

  test('SecureModelEndpoint with dataQualityMonitoring is compliant', () => {
    const { stack, model } = secureEndpoint({ dataQualityMonitoring: BASELINE });
    expect(outcome(rule, model.endpoint, ON)).toBe('COMPLIANT');
    expect(findings(stack)).toEqual([]);
  });

  test('SecureModelEndpoint without monitoring (its default data capture) is reported, on its endpoint only', () => {
    const { stack, model } = secureEndpoint();
    expect(outcome(rule, model.endpoint, ON)).toBe('NON_COMPLIANT');
    expect(findings(stack)).toEqual([model.endpoint.node.path]);
  });

  test('PrivateInferenceEndpoint: with dataQualityMonitoring compliant, without it reported', () => {
    const monitored = inferenceStack({ dataQualityMonitoring: BASELINE }, { checks: false });
    expect(outcome(rule, monitored.endpoint.endpoint, ON)).toBe('COMPLIANT');
    const unmonitored = inferenceStack({}, { checks: false });
    expect(findings(unmonitored.stack)).toEqual([unmonitored.endpoint.endpoint.node.path]);
  });

  test('ModelDataQualityMonitor on any endpoint with data capture (the endpoint name a reference, or a literal)', () => {
    for (const byName of [false, true]) {
      const { stack, node } = endpoint({ endpointName: byName ? 'team-sentiment-prod' : undefined });
      const { vpc } = surroundings(stack);
      const capture = new SecureTrainingBucket(stack, 'Capture');
      new ModelDataQualityMonitor(stack, 'Monitor', {
        endpointName: byName ? 'team-sentiment-prod' : node.attrEndpointName,
        captureBucket: capture.bucket,
        vpc,
        alarmTopic: new sns.Topic(stack, 'Alerts'),
        ...BASELINE,
      });
      expect(outcome(rule, node, ON)).toBe('COMPLIANT');
    }
  });
});
