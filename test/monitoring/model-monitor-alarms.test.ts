import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ModelDataQualityMonitor, ModelDataQualityMonitorProps, MonitoringFrequency, SecureTrainingBucket } from '../../lib';
import { DATA_QUALITY_METRIC_FORMS, lookbackHours } from '../../lib/monitoring/model-monitor-alarms';
import { createKey } from '../../lib/private/kms';
import { surroundings } from '../inference/fixture';
import { createTestApp } from '../support/app';
import { expectCompliant } from '../support/compliance';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, PolicySimulator, REGION } from '../support/iam';
import { alarmFires, alarmWatches, MetricDatum, watchedMetrics } from '../support/metric-alarm';

const BASELINE = { baselineStatisticsKey: 'baselines/v1/statistics.json', baselineConstraintsKey: 'baselines/v1/constraints.json' };
const ENDPOINT = 'team-sentiment-prod';

function monitorWith(props: Partial<ModelDataQualityMonitorProps>, checks = false) {
  const stack = new Stack(createTestApp({ checks }), 'Monitoring', { env: { account: ACCOUNT, region: REGION } });
  const { vpc } = surroundings(stack);
  const capture = new SecureTrainingBucket(stack, 'Capture');
  const topicKey = createKey(stack, 'TopicKey', { description: 'alert topic', removalPolicy: RemovalPolicy.RETAIN });
  const topic = new sns.Topic(stack, 'Alerts', { masterKey: topicKey, enforceSSL: true });
  const monitor = new ModelDataQualityMonitor(stack, 'Monitor', {
    endpointName: ENDPOINT, captureBucket: capture.bucket, vpc, alarmTopic: topic, alarmTopicEncryptionKey: topicKey, ...BASELINE, ...props,
  });
  return { stack, monitor, topic };
}

describe('drift alarms of a ModelDataQualityMonitor', () => {
  const { stack, monitor, topic } = monitorWith({
    frequency: MonitoringFrequency.DAILY,
    dailyStartHour: 3,
    driftAlarms: [{ feature: 'age', threshold: 0.2 }, { feature: 'review_text' }],
  }, true);
  const t = Template.fromStack(stack);
  const props = (alarm: any) => t.toJSON().Resources[stack.getLogicalId(alarm.node.defaultChild)].Properties;
  const [age, text] = monitor.driftAlarms.map(props);
  const schedule = monitor.scheduleName;

  /** A datum as the documented forms give it: namespace and dimensions of form `i`. */
  const datum = (i: number, feature: string, value: number, extra: Partial<MetricDatum> = {}): MetricDatum => {
    const form = DATA_QUALITY_METRIC_FORMS[i];
    return { namespace: form.namespace, metricName: `feature_baseline_drift_${feature}`, dimensions: form.dimensions(ENDPOINT, schedule, feature), value, ...extra };
  };

  test('every execution publishes the per-feature metrics (publish_cloudwatch_metrics, MM-12)', () => {
    t.hasResourceProperties('AWS::SageMaker::DataQualityJobDefinition', {
      DataQualityAppSpecification: { Environment: { publish_cloudwatch_metrics: 'Enabled' } },
    });
  });

  test('one alarm per feature, notifying the alert topic', () => {
    expect(monitor.driftAlarms).toHaveLength(2);
    for (const alarm of [age, text]) expect(alarm.AlarmActions).toEqual([stack.resolve(topic.topicArn)]);
    // the description names the feature and where the violations report is (the reports URI is a token)
    const description = JSON.stringify(age.AlarmDescription);
    expect(description).toContain('\\"age\\"');
    expect(description).toContain('constraint_violations.json');
    expect(description).toContain('monitoring-reports/');
  });

  test.each(DATA_QUALITY_METRIC_FORMS.map((form, i) => [i, form.namespace, Object.keys(form.dimensions('e', 's', 'f')).join('+')]))(
    'a drift datum in documented form %i (%s, %s) fires the alarm of its feature, above the threshold only', (i) => {
      expect(alarmFires(age, datum(i as number, 'age', 0.25))).toBe(true);
      expect(alarmFires(age, datum(i as number, 'age', 0.2))).toBe(true); // at the threshold
      expect(alarmFires(age, datum(i as number, 'age', 0.19))).toBe(false);
      expect(alarmFires(text, datum(i as number, 'review_text', 0.1))).toBe(true); // default threshold 0.1
      expect(alarmFires(text, datum(i as number, 'age', 0.9))).toBe(false); // another feature's alarm
    });

  test('another endpoint, another schedule, or one dimension more is another metric: not watched', () => {
    const base = datum(0, 'age', 0.9);
    expect(alarmWatches(age, base)).toBe(true);
    expect(alarmWatches(age, { ...base, dimensions: { Endpoint: 'other-endpoint', MonitoringSchedule: schedule } })).toBe(false);
    expect(alarmWatches(age, { ...base, dimensions: { Endpoint: ENDPOINT, MonitoringSchedule: 'other-schedule' } })).toBe(false);
    expect(alarmWatches(age, { ...base, dimensions: { ...base.dimensions, VariantName: 'AllTraffic' } })).toBe(false);
    expect(alarmWatches(age, { ...base, namespace: 'AWS/SageMaker' })).toBe(false);
  });

  test('the alarm looks back over the analysed hour, the 20-minute start delay and the longest run', () => {
    // a datapoint stamped at the start of the analysed hour, published when the longest execution
    // (maxRuntime, one hour by default) of a late start ends: 2 h 20 min later
    const late = 3600 + 1200 + 3600;
    expect(alarmFires(age, datum(0, 'age', 0.5, { ageSeconds: late }))).toBe(true);
    // canary: the window ends; an older datapoint no longer fires it
    expect(alarmFires(age, datum(0, 'age', 0.5, { ageSeconds: age.EvaluationPeriods * 3600 + 1 }))).toBe(false);
    expect(lookbackHours(3600)).toBe(3);
    expect(lookbackHours(6 * 3600)).toBe(8);
    expect(lookbackHours(86400)).toBe(24); // capped: periods x evaluation periods at most one day
  });

  test('CloudWatch alarms of this stack, and only these, may publish to the topic', async () => {
    const sim = new PolicySimulator(stack);
    const publish = (alarmArn: string) => sim.decide({
      principal: 'cloudwatch.amazonaws.com',
      action: 'sns:Publish',
      resource: sim.arnOf(topic),
      context: { 'aws:SourceArn': alarmArn, 'aws:SecureTransport': 'true' },
    });
    expect(await publish(sim.arnOf(monitor.driftAlarms[0]))).toBe('Allowed');
    expect(await publish(sim.arnOf(monitor.driftAlarms[1]))).toBe('Allowed');
    expect(await publish(`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:someone-else`)).toBe('ImplicitlyDenied');
    // the same alarm name in another account or Region is another alarm
    const own = sim.arnOf(monitor.driftAlarms[0]);
    expect(await publish(own.replace(`:${ACCOUNT}:`, ':999999999999:'))).toBe('ImplicitlyDenied');
    expect(await publish(own.replace(`:${REGION}:`, ':eu-west-3:'))).toBe('ImplicitlyDenied');
  });

  test('compliant: every pack, the guard rules and the AiSec rules', () => {
    expectCompliant(stack);
  });
});

describe('alarm descriptions stay within PutMetricAlarm\'s 1024 characters once resolved', () => {
  test('the longest feature, endpoint name and a long reports prefix: the prefix is left out, the rest fits', () => {
    const endpointName = `e${'-x'.repeat(31)}`; // 63 characters
    const longPrefix = `${'r'.repeat(300)}/`;
    const { stack, monitor } = monitorWith({ endpointName, reportsPrefix: longPrefix, driftAlarms: [{ feature: 'f'.repeat(232) }] });
    const description: string = stack.resolve((monitor.driftAlarms[0].node.defaultChild as any).alarmDescription);
    expect(description.length).toBeLessThanOrEqual(1024);
    expect(description).not.toContain(longPrefix);
    expect(description).toContain(endpointName);
    // canary: a short prefix is named
    const short = monitorWith({ driftAlarms: [{ feature: 'age' }] });
    expect(short.stack.resolve((short.monitor.driftAlarms[0].node.defaultChild as any).alarmDescription)).toContain('"monitoring-reports/"');
  });
});

describe('the alarm evaluator (canaries)', () => {
  const single = {
    Namespace: 'ns',
    MetricName: 'm',
    Dimensions: [{ Name: 'A', Value: 'a' }],
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanThreshold',
  };
  test('a single-metric alarm: exact dimensions, comparison, window', () => {
    expect(alarmFires(single, { namespace: 'ns', metricName: 'm', dimensions: { A: 'a' }, value: 2 })).toBe(true);
    expect(alarmFires(single, { namespace: 'ns', metricName: 'm', dimensions: { A: 'a' }, value: 1 })).toBe(false);
    expect(alarmFires(single, { namespace: 'ns', metricName: 'm', dimensions: {}, value: 2 })).toBe(false);
    expect(alarmFires(single, { namespace: 'ns', metricName: 'm', dimensions: { A: 'a' }, value: 2, ageSeconds: 61 })).toBe(false);
  });
  test('an expression it does not model throws instead of passing', () => {
    const metrics = [
      { Id: 'e', Expression: 'MIN([m0])', ReturnData: true },
      { Id: 'm0', MetricStat: { Metric: { Namespace: 'ns', MetricName: 'm' }, Period: 60, Stat: 'Maximum' }, ReturnData: false },
    ];
    expect(() => watchedMetrics({ Metrics: metrics })).toThrow(/MAX/);
  });
  test('a MAX expression sees the metrics it names, not the others of the list', () => {
    const metrics = [
      { Id: 'e', Expression: 'MAX([m0])', ReturnData: true },
      { Id: 'm0', MetricStat: { Metric: { Namespace: 'ns', MetricName: 'm' }, Period: 60, Stat: 'Maximum' }, ReturnData: false },
      { Id: 'm1', MetricStat: { Metric: { Namespace: 'other', MetricName: 'm' }, Period: 60, Stat: 'Maximum' }, ReturnData: false },
    ];
    const alarm = { Metrics: metrics, EvaluationPeriods: 1, DatapointsToAlarm: 1, Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' };
    expect(alarmFires(alarm, { namespace: 'ns', metricName: 'm', dimensions: {}, value: 1 })).toBe(true);
    expect(alarmFires(alarm, { namespace: 'other', metricName: 'm', dimensions: {}, value: 1 })).toBe(false);
  });
});

describe('drift alarms: bad input', () => {
  const build = (driftAlarms: any) => () => monitorWith({ driftAlarms });
  test.each<[string, any, RegExp]>([
    ['an empty feature name (MM-12)', [{ feature: '' }], /`driftAlarms\[0\].feature`.*MM-12/],
    ['a feature name too long for a metric name (MM-12)', [{ feature: 'f'.repeat(233) }], /`driftAlarms\[0\].feature`.*MM-12/],
    ['a feature name outside printable ASCII (MM-12)', [{ feature: 'âge' }], /`driftAlarms\[0\].feature`.*MM-12/],
    ['the same feature twice', [{ feature: 'age' }, { feature: 'age' }], /`driftAlarms\[1\].feature`.*duplicate/],
    ['a threshold of 0', [{ feature: 'age', threshold: 0 }], /`driftAlarms\[0\].threshold` \(received 0\)/],
    ['a threshold above 1', [{ feature: 'age', threshold: 1.5 }], /`driftAlarms\[0\].threshold` \(received 1.5\)/],
    ['a feature that is not a string', [{ feature: 7 }], /`driftAlarms\[0\].feature`/],
    ['not a list', { feature: 'age' }, /`driftAlarms`/],
  ])('%s', (_name, driftAlarms, message) => {
    expectInvalidProp(build(driftAlarms), 'Monitoring/Monitor', message);
  });
  test('canary: the longest feature name and a threshold of 1 build; a daily monitor with a six-hour run looks back eight hours', () => {
    expect(build([{ feature: 'f'.repeat(232), threshold: 1 }, { feature: '_c0' }])).not.toThrow();
    const { monitor } = monitorWith({ driftAlarms: [{ feature: 'a' }], frequency: MonitoringFrequency.DAILY, maxRuntime: Duration.hours(6) });
    expect(Stack.of(monitor).resolve((monitor.driftAlarms[0].node.defaultChild as any).evaluationPeriods)).toBe(8);
  });
});
