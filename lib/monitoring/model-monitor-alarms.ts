import { Duration, Names, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { requireStatement } from './model-monitor-base';
import { FeatureDriftAlarm } from './model-monitor-props';
import { MODEL_MONITOR_CONSTRAINTS } from './model-monitor-settings';
import { ModelQualityAlarm, ModelQualityProblemType } from './model-quality-monitor-props';
import { violates } from '../private/deploy-constraint';
import { invalidProp, isUnresolved } from '../private/errors';
import { checkNumberProp } from '../private/numbers';

/**
 * One documented form of a Model Monitor metric for a real-time endpoint: its namespace and the
 * names of its dimensions. CloudWatch matches a metric only with its exact namespace and set of
 * dimensions ("CloudWatch concepts", Dimensions), so an alarm on a form the container does not
 * emit never fires.
 */
interface MetricForm {
  readonly namespace: string;
  readonly dimensions: (endpointName: string, scheduleName: string, feature?: string) => Record<string, string>;
}

/**
 * The forms in which the AWS documentation and the SageMaker Python SDK give the data-quality
 * metrics of an endpoint (docs/deploy-constraints/model-monitoring.md, MM-12). They disagree; a drift
 * alarm watches all of them, so it fires whichever form the container emits.
 */
export const DATA_QUALITY_METRIC_FORMS: readonly MetricForm[] = [
  // SageMaker Python SDK (AutomaticDataQualityDashboard); "CloudWatch Metrics for Bring Your Own
  // Containers" (recommended dimensions)
  { namespace: 'aws/sagemaker/Endpoints/data-metrics', dimensions: (e, s) => ({ Endpoint: e, MonitoringSchedule: s }) },
  // SageMaker Python SDK (AutomaticDataQualityDashboard): a Feature dimension per feature
  { namespace: 'aws/sagemaker/Endpoints/data-metrics', dimensions: (e, s, f) => ({ Endpoint: e, Feature: f!, MonitoringSchedule: s }) },
  // developer guide, "CloudWatch Metrics"
  { namespace: '/aws/sagemaker/Endpoints/data-metric', dimensions: (e, s) => ({ EndpointName: e, ScheduleName: s }) },
  // developer guide, "CloudWatch Metrics for Bring Your Own Containers" (default namespace)
  { namespace: '/aws/sagemaker/Endpoint/data-metrics', dimensions: (e, s) => ({ Endpoint: e, MonitoringSchedule: s }) },
];

/**
 * The form of the model-quality metrics of an endpoint: namespace `aws/sagemaker/Endpoints/model-metrics`
 * (developer guide, "Model quality metrics and Amazon CloudWatch monitoring") with the dimensions
 * `Endpoint` and `MonitoringSchedule` (SageMaker Python SDK, `AutomaticModelQualityDashboard`).
 */
export const MODEL_QUALITY_METRIC_FORMS: readonly MetricForm[] = [
  { namespace: 'aws/sagemaker/Endpoints/model-metrics', dimensions: (e, s) => ({ Endpoint: e, MonitoringSchedule: s }) },
];

/** Model-quality metrics by problem type, and whether a higher value is worse (errors). */
const QUALITY_METRICS: Record<ModelQualityProblemType, Record<string, 'score' | 'error'>> = {
  [ModelQualityProblemType.REGRESSION]: { mae: 'error', mse: 'error', rmse: 'error', r2: 'score' },
  [ModelQualityProblemType.BINARY_CLASSIFICATION]: {
    accuracy: 'score',
    precision: 'score',
    recall: 'score',
    f0_5: 'score',
    f1: 'score',
    f2: 'score',
    auc: 'score',
    au_prc: 'score',
    true_positive_rate: 'score',
    true_negative_rate: 'score',
    false_positive_rate: 'error',
    false_negative_rate: 'error',
  },
  [ModelQualityProblemType.MULTICLASS_CLASSIFICATION]: {
    accuracy: 'score', weighted_precision: 'score', weighted_recall: 'score', weighted_f0_5: 'score', weighted_f1: 'score', weighted_f2: 'score',
  },
};

/** The quality alarms requested, validated against the problem type, with the side on which each fires. */
export function validateQualityAlarms(scope: Construct, problemType: ModelQualityProblemType, alarms: ModelQualityAlarm[] | undefined) {
  if (alarms === undefined) return [];
  if (!Array.isArray(alarms)) invalidProp(scope, 'qualityAlarms', alarms, 'Give a list of { metric, threshold } objects.');
  const known = QUALITY_METRICS[problemType] ?? {};
  const seen = new Set<string>();
  return alarms.map((alarm, i) => {
    const prop = `qualityAlarms[${i}]`;
    const metric = alarm?.metric;
    if (typeof metric !== 'string' || !(metric in known)) {
      violates(scope, `${prop}.metric`, metric, MODEL_MONITOR_CONSTRAINTS.modelQualityMetrics,
        `A ${problemType} model publishes ${Object.keys(known).join(', ')}.`);
    }
    if (seen.has(metric)) invalidProp(scope, `${prop}.metric`, metric, 'Each metric has one alarm: remove the duplicate.');
    seen.add(metric);
    checkNumberProp(scope, `${prop}.threshold`, alarm.threshold, { fix: 'Give the value of the metric past which the model is worse than you accept.' });
    if (alarm.threshold === undefined) invalidProp(scope, `${prop}.threshold`, undefined, 'Give the value of the metric past which the model is worse than you accept.');
    const error = known[metric] === 'error';
    return {
      metric,
      threshold: alarm.threshold,
      comparisonOperator: error
        ? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
        : cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      worse: error ? 'at or above' : 'below',
    };
  });
}

/** The metric name prefix of a feature's baseline drift ("CloudWatch Metrics", developer guide). */
export const DRIFT_METRIC_PREFIX = 'feature_baseline_drift_';

/** What a metric alarm of a monitor watches, and when it fires. */
export interface MonitorMetricAlarmOptions {
  readonly metricName: string;
  readonly forms: readonly MetricForm[];
  readonly endpointName: string;
  readonly scheduleName: string;
  readonly feature?: string;
  readonly threshold: number;
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  /** Hourly periods the alarm looks back over: a datapoint anywhere in them fires it. */
  readonly evaluationPeriods: number;
  readonly description: string;
}

/**
 * An alarm on a metric a Model Monitor execution publishes: the highest value of every documented
 * form of the metric (metric math `MAX` over at most 10 metrics, "Limits", CloudWatch alarms) in
 * hourly periods; it fires when one datapoint of the last `evaluationPeriods` hours crosses the
 * threshold (executions publish once, late: the window covers the analysed hour, the start delay
 * and the run time). Missing data is not breaching: an endpoint without traffic has no metrics.
 */
export function monitorMetricAlarm(scope: Construct, id: string, options: MonitorMetricAlarmOptions): cloudwatch.Alarm {
  const period = Duration.hours(1);
  const metrics = options.forms.map((form) => new cloudwatch.Metric({
    namespace: form.namespace,
    metricName: options.metricName,
    dimensionsMap: form.dimensions(options.endpointName, options.scheduleName, options.feature),
    statistic: cloudwatch.Stats.MAXIMUM,
    period,
  }));
  const metric: cloudwatch.IMetric = metrics.length === 1 ? metrics[0] : new cloudwatch.MathExpression({
    expression: `MAX([${metrics.map((_, i) => `m${i}`).join(', ')}])`,
    usingMetrics: Object.fromEntries(metrics.map((m, i) => [`m${i}`, m])),
    label: options.metricName,
    period,
  });
  return new cloudwatch.Alarm(scope, id, {
    // PutMetricAlarm: at most 1024 characters. A description with tokens is not cut (a cut could
    // split a token); its tokens are the endpoint name (at most 63 characters) and a Lazy threshold,
    // and the rest is bounded (reportsHint), so it stays within the limit once resolved.
    alarmDescription: Token.isUnresolved(options.description) ? options.description : options.description.slice(0, 1024),
    metric,
    threshold: options.threshold,
    evaluationPeriods: options.evaluationPeriods,
    datapointsToAlarm: 1,
    comparisonOperator: options.comparisonOperator,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/**
 * Where a responder finds an execution's violations report, for an alarm description: the reports
 * prefix when it is a literal of at most 200 characters (a description is at most 1024).
 */
export function reportsHint(reportsPrefix: string, scheduleName: string): string {
  const where = !isUnresolved(reportsPrefix) && reportsPrefix.length <= 200 ? `"${reportsPrefix}"` : 'of the monitor';
  return `Read constraint_violations.json of the latest execution of schedule ${scheduleName} under the reports prefix ${where} in the capture bucket.`;
}

/**
 * Makes `alarms` notify `topic`, and lets exactly these alarms publish to it (a statement on the
 * topic's policy conditioned on their ARNs; a topic imported or in another stack is left unchanged
 * and a warning quotes the statement).
 */
export function notifyTopic(scope: Construct, topic: sns.ITopic, alarms: cloudwatch.Alarm[], what: string): void {
  if (alarms.length === 0) return;
  const action = new cw_actions.SnsAction(topic);
  alarms.forEach((alarm) => alarm.addAlarmAction(action));
  requireStatement(scope, topic, new iam.PolicyStatement({
    sid: `Allow${what}${Names.uniqueId(scope)}`.slice(0, 100),
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { ArnEquals: { 'aws:SourceArn': alarms.map((alarm) => alarm.alarmArn) } },
  }), `the alert topic (${what})`);
}

/**
 * Hourly periods an alarm on an execution's metrics looks back over: the analysed hour, the
 * schedule's start delay (up to 20 minutes, "The cron expression for monitoring schedule") and the
 * longest run, at most 24 (an alarm's periods times evaluation periods may not exceed one day,
 * PutMetricAlarm).
 */
export function lookbackHours(maxRuntimeSeconds: number): number {
  if (isUnresolved(maxRuntimeSeconds)) return 24;
  return Math.min(24, Math.ceil((3600 + 1200 + maxRuntimeSeconds) / 3600));
}

/** The drift alarms requested, validated: unique, well-formed feature names and thresholds in (0, 1]. */
export function validateDriftAlarms(scope: Construct, alarms: FeatureDriftAlarm[] | undefined): Required<FeatureDriftAlarm>[] {
  if (alarms === undefined) return [];
  if (!Array.isArray(alarms)) invalidProp(scope, 'driftAlarms', alarms, 'Give a list of { feature, threshold } objects.');
  const seen = new Set<string>();
  return alarms.map((alarm, i) => {
    const prop = `driftAlarms[${i}]`;
    const feature = alarm?.feature;
    if (typeof feature !== 'string' || isUnresolved(feature)) {
      invalidProp(scope, `${prop}.feature`, feature, 'Give the feature name as a literal string: it is part of the metric name.');
    }
    const metricName = `${DRIFT_METRIC_PREFIX}${feature}`;
    // PutMetricData: a metric name is 1 to 255 characters; a dimension value at most 1024.
    if (feature === '' || metricName.length > 255 || !/^[\x20-\x7e]+$/.test(feature)) {
      violates(scope, `${prop}.feature`, feature, MODEL_MONITOR_CONSTRAINTS.metricName,
        `Give the feature name as in the baseline: 1 to ${255 - DRIFT_METRIC_PREFIX.length} printable ASCII characters.`);
    }
    if (seen.has(feature)) invalidProp(scope, `${prop}.feature`, feature, 'Each feature has one drift alarm: remove the duplicate.');
    seen.add(feature);
    const threshold = alarm.threshold === undefined ? 0.1 : alarm.threshold; // null is refused, not defaulted
    checkNumberProp(scope, `${prop}.threshold`, threshold, {
      positive: true,
      max: 1,
      fix: 'Give a drift distance greater than 0 and at most 1 (the baseline\'s comparison_threshold is 0.1 by default).',
    });
    return { feature, threshold };
  });
}
