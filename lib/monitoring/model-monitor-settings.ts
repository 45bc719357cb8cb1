import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { ModelDataQualityMonitorProps, MonitoringFrequency } from './model-monitor-props';
import { hasLocalStorage } from '../inference/constraints';
import { constraints, DeployConstraint, violates } from '../private/deploy-constraint';
import { invalidProp, isUnresolved } from '../private/errors';
import { checkNumberProp } from '../private/numbers';

const SCHEDULE_DOC = 'SageMaker developer guide, "The cron expression for monitoring schedule"; API reference, ScheduleConfig';
const CLUSTER_DOC = 'CloudFormation AWS::SageMaker::DataQualityJobDefinition ClusterConfig; API reference, MonitoringClusterConfig';

/** Deploy-time constraints of the Model Monitor resources (docs/deploy-constraints/model-monitoring.md). */
export const MODEL_MONITOR_CONSTRAINTS = constraints({
  schedule: { id: 'MM-1', rule: 'a monitoring schedule is hourly, cron(0 * ? * * *), or daily at an hour, cron(0 H ? * * *) (or every N hours)', source: SCHEDULE_DOC },
  maxRuntime: {
    id: 'MM-2',
    rule: 'MaxRuntimeInSeconds is 1 to 86400 and cannot exceed the frequency of the job: at most 3600 for an hourly data-quality schedule',
    source: 'SageMaker API reference, MonitoringStoppingCondition',
  },
  endpointName: { id: 'MM-3', rule: 'an endpoint name matches [a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}', source: 'SageMaker API reference, EndpointInput / CreateMonitoringSchedule' },
  instanceCount: { id: 'MM-4', rule: 'a monitoring job has 1 to 100 instances', source: CLUSTER_DOC },
  volumeSize: { id: 'MM-5', rule: 'the ML storage volume is 1 to 16384 GB', source: CLUSTER_DOC },
  localStorageKms: {
    id: 'MM-11',
    rule: 'no VolumeKmsKeyId with an instance type that has local (instance store) storage, which SageMaker encrypts with a hardware module',
    source: 'SageMaker API reference, ProcessingClusterConfig / ResourceConfig: VolumeKmsKeyId',
  },
  metricName: {
    id: 'MM-12',
    rule: 'executions publish per-feature metrics (feature_baseline_drift_<feature>) only with publish_cloudwatch_metrics Enabled; a metric name is 1 to 255 characters',
    source: 'SageMaker developer guide, "CloudWatch Metrics" and "CloudWatch Metrics for Bring Your Own Containers"; CloudWatch API reference, MetricDatum',
  },
  modelQualityMaxRuntime: {
    id: 'MM-13',
    rule: 'for model quality, an execution runs a ground-truth merge job and the monitoring job within MaxRuntimeInSeconds: at most 1800 on an hourly schedule',
    source: 'SageMaker API reference, MonitoringStoppingCondition; developer guide, "Schedule model quality monitoring jobs"',
  },
  modelQualityAttributes: {
    id: 'MM-14',
    rule: 'ProbabilityAttribute is for classification problems and ProbabilityThresholdAttribute (the threshold of a positive result) for binary classification; the job needs the prediction: InferenceAttribute, or for binary classification ProbabilityAttribute with ProbabilityThresholdAttribute',
    source: 'SageMaker API reference, ModelQualityAppSpecification (ProblemType) and EndpointInput; developer guide, "Create a model quality baseline"',
  },
  modelQualityOffsets: {
    id: 'MM-15',
    rule: 'StartTimeOffset and EndTimeOffset are negative ISO 8601 durations (-PT#H, -P#D, -PT#M) that the job subtracts from the start and end time of its window; the start offset is the larger',
    source: 'SageMaker developer guide, "Schedule model quality monitoring jobs" (Model monitor offsets); API reference, EndpointInput',
  },
  modelQualityGroundTruth: {
    id: 'MM-16',
    rule: 'the ground truth is JSON lines records (groundTruthData, eventMetadata.eventId or inferenceId, eventVersion) under an S3 prefix with the path format of the captured data (yyyy/mm/dd/hh); GroundTruthS3Input.S3Uri matches ^(https|s3)://([^/]+)/?(.*)$, at most 512 characters',
    source: 'SageMaker developer guide, "Ingest Ground Truth labels and merge them with predictions"; API reference, MonitoringGroundTruthS3Input',
  },
  modelQualityBaseline: {
    id: 'MM-17',
    rule: 'a model-quality baseline is a constraints file only (ModelQualityBaselineConfig has ConstraintsResource, no statistics)',
    source: 'SageMaker API reference, ModelQualityBaselineConfig; CloudFormation AWS::SageMaker::ModelQualityJobDefinition ModelQualityBaselineConfig',
  },
  modelQualityMetrics: {
    id: 'MM-18',
    rule: 'model-quality executions publish the metrics of their problem type to aws/sagemaker/Endpoints/model-metrics (regression mae, mse, rmse, r2; binary classification accuracy, precision, recall, f0_5, f1, f2, auc, au_prc and the four rates; multiclass accuracy and weighted precision, recall, f0_5, f1, f2)',
    source: 'SageMaker developer guide, "Model quality metrics and Amazon CloudWatch monitoring" (Regression, Binary classification, Multiclass metrics); SageMaker Python SDK, AutomaticModelQualityDashboard',
  },
  image: {
    id: 'MM-6',
    rule: 'the pre-built image sagemaker-model-monitor-analyzer is pulled from the registry account of the Region',
    source: 'SageMaker developer guide, "Amazon SageMaker Model Monitor prebuilt container" and "Docker Registry Paths and Example Code"',
  },
});

/**
 * Registry accounts of the Model Monitor pre-built image `sagemaker-model-monitor-analyzer`, by
 * Region (SageMaker developer guide, "Amazon SageMaker Model Monitor prebuilt container", which
 * points to the Docker registry paths; the SageMaker Python SDK's `image_uri_config/model-monitor.json`).
 */
export const MODEL_MONITOR_IMAGE_ACCOUNTS: Record<string, string> = {
  'af-south-1': '875698925577',
  'ap-east-1': '001633400207',
  'ap-northeast-1': '574779866223',
  'ap-northeast-2': '709848358524',
  'ap-south-1': '126357580389',
  'ap-southeast-1': '245545462676',
  'ap-southeast-2': '563025443158',
  'ca-central-1': '536280801234',
  'cn-north-1': '453000072557',
  'cn-northwest-1': '453252182341',
  'eu-central-1': '048819808253',
  'eu-north-1': '895015795356',
  'eu-south-1': '933208885752',
  'eu-west-1': '468650794304',
  'eu-west-2': '749857270468',
  'eu-west-3': '680080141114',
  'me-south-1': '607024016150',
  'sa-east-1': '539772159869',
  'us-east-1': '156813124566',
  'us-east-2': '777275614652',
  'us-west-1': '890145073186',
  'us-west-2': '159807026194',
};

const ENDPOINT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
export const PROCESSING_JOB_STATE = 'SageMaker Processing Job State Change';

/** The props every Model Monitor construct shares (structurally: the props of each monitor have them). */
export interface MonitorCommonProps {
  readonly endpointName: string;
  readonly capturePrefix?: string;
  readonly reportsPrefix?: string;
  readonly frequency?: MonitoringFrequency;
  readonly dailyStartHour?: number;
  readonly maxRuntime?: Duration;
  readonly instanceType?: string;
  readonly instanceCount?: number;
  readonly volumeSizeInGb?: number;
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly s3PrefixListId?: string;
}

/** What differs between the monitoring types in the common validation. */
export interface MonitorKind {
  /** Default of `reportsPrefix`. */
  readonly reportsPrefix: string;
  /** Default of `maxRuntime`. */
  readonly maxRuntime: Duration;
  /** Longest execution of an hourly schedule, in seconds, the constraint that says so, and how to say it. */
  readonly hourlyLimit: number;
  readonly hourlyConstraint: DeployConstraint;
  readonly hourlyText: string;
}

const DATA_QUALITY: MonitorKind = {
  reportsPrefix: 'monitoring-reports/',
  maxRuntime: Duration.hours(1),
  hourlyLimit: 3600,
  hourlyConstraint: MODEL_MONITOR_CONSTRAINTS.maxRuntime,
  hourlyText: 'one hour on an hourly schedule',
};

/** Validates a key prefix prop (ends with "/", no URL, no leading slash, no wildcard). */
export function checkPrefix(scope: Construct, prop: string, value: string): string {
  if (isUnresolved(value)) return value;
  if (value === '' || value.startsWith('/') || value.includes('*') || !value.endsWith('/') || /^[a-z0-9]+:\/\//i.test(value)) {
    invalidProp(scope, prop, value, 'Give a key prefix that ends with "/", such as "monitoring-reports/" (no URL, no leading slash, no wildcard).');
  }
  return value;
}

/** True when two literal key prefixes overlap (one starts with the other). */
export function prefixesOverlap(a: string, b: string): boolean {
  return !isUnresolved(a) && !isUnresolved(b) && (a.startsWith(b) || b.startsWith(a));
}

/** Validates a baseline object key prop: in a folder, not an s3:// URL. */
export function checkBaselineKey(scope: Construct, prop: string, key: string, example: string): void {
  if (isUnresolved(key)) return;
  if (!key || key.startsWith('/') || key.includes('*') || /^[a-z0-9]+:\/\//i.test(key) || key.lastIndexOf('/') < 1 || key.endsWith('/')) {
    invalidProp(scope, prop, key, `Give the object key of the baseline file in a folder, such as "${example}" (not an s3:// URL).`);
  }
}

/** The props of a data-quality monitor, validated (errors name the prop), with their defaults. */
export function validateMonitor(scope: Construct, props: ModelDataQualityMonitorProps) {
  return validateMonitorCommon(scope, props, DATA_QUALITY, () => {
    checkBaselineKey(scope, 'baselineStatisticsKey', props.baselineStatisticsKey, 'baselines/v1/statistics.json');
    checkBaselineKey(scope, 'baselineConstraintsKey', props.baselineConstraintsKey, 'baselines/v1/constraints.json');
  });
}

/**
 * The props every monitor shares, validated, with their defaults; `between` runs the checks of
 * one monitoring type after the prefixes (the order the errors of the first monitor came in).
 */
export function validateMonitorCommon(scope: Construct, props: MonitorCommonProps, kind: MonitorKind, between: () => void = () => {}) {
  const int = (prop: string, value: number | undefined, fallback: number, min: number, max: number, constraint?: DeployConstraint) =>
    checkInt(scope, prop, value, fallback, min, max, constraint);
  if (!isUnresolved(props.endpointName) && !ENDPOINT_NAME.test(props.endpointName)) {
    violates(scope, 'endpointName', props.endpointName, MODEL_MONITOR_CONSTRAINTS.endpointName, 'Give the name of a SageMaker endpoint: 1 to 63 letters, digits and hyphens.');
  }
  const capturePrefix = checkPrefix(scope, 'capturePrefix', props.capturePrefix ?? 'data-capture/');
  const reportsPrefix = checkPrefix(scope, 'reportsPrefix', props.reportsPrefix ?? kind.reportsPrefix);
  if (prefixesOverlap(capturePrefix, reportsPrefix)) {
    invalidProp(scope, 'reportsPrefix', reportsPrefix, `Keep the reports apart from the captured data ("${capturePrefix}"): the role reads one and writes the other.`);
  }
  between();
  const frequency = props.frequency ?? MonitoringFrequency.HOURLY;
  if (!Object.values(MonitoringFrequency).includes(frequency)) {
    invalidProp(scope, 'frequency', frequency, 'Use MonitoringFrequency.HOURLY or MonitoringFrequency.DAILY.');
  }
  if (props.dailyStartHour !== undefined && frequency !== MonitoringFrequency.DAILY) {
    invalidProp(scope, 'dailyStartHour', props.dailyStartHour, 'The start hour applies to a DAILY schedule: set `frequency: MonitoringFrequency.DAILY` or remove it.');
  }
  const hour = int('dailyStartHour', props.dailyStartHour, 0, 0, 23, MODEL_MONITOR_CONSTRAINTS.schedule);
  const scheduleExpression = frequency === MonitoringFrequency.HOURLY ? 'cron(0 * ? * * *)' : `cron(0 ${hour} ? * * *)`;
  const maxRuntimeSeconds = (props.maxRuntime ?? kind.maxRuntime).toSeconds();
  const hourly = frequency === MonitoringFrequency.HOURLY;
  const limit = hourly ? kind.hourlyLimit : 86400;
  const runtimeFix = `An execution may run 1 second to ${hourly ? kind.hourlyText : 'one day'}.`;
  const runtimeConstraint = hourly ? kind.hourlyConstraint : MODEL_MONITOR_CONSTRAINTS.maxRuntime;
  if (!isUnresolved(maxRuntimeSeconds) && (!Number.isInteger(maxRuntimeSeconds) || maxRuntimeSeconds < 1 || maxRuntimeSeconds > limit)) {
    violates(scope, 'maxRuntime', props.maxRuntime, runtimeConstraint, runtimeFix);
  }
  // a Duration of a Lazy number: checked when it resolves, at synthesis
  if (isUnresolved(maxRuntimeSeconds)) {
    checkNumberProp(scope, 'maxRuntime', maxRuntimeSeconds, { integer: true, min: 1, max: limit, fix: withConstraint(runtimeFix, runtimeConstraint) });
  }
  const instanceType = props.instanceType ?? 'ml.m5.xlarge';
  if (!isUnresolved(instanceType)) {
    const family = /^ml\.([a-z]+\d+[a-z-]*)\.(medium|large|xlarge|\d+xlarge)$/.exec(instanceType)?.[1];
    if (family === undefined) invalidProp(scope, 'instanceType', instanceType, 'Give an ML instance type such as "ml.m5.xlarge".');
    if (hasLocalStorage(family)) {
      violates(scope, 'instanceType', instanceType, MODEL_MONITOR_CONSTRAINTS.localStorageKms,
        `ml.${family} instances have local instance storage, and the job's volume is always encrypted with a KMS key: choose a family without instance storage, such as ml.m5 or ml.c5.`);
    }
  }
  const subnetSelection = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  const selected = props.vpc.selectSubnets(subnetSelection);
  if (selected.subnetIds.length === 0) {
    invalidProp(scope, 'vpcSubnets', props.vpcSubnets, 'The selection matches no subnet of `vpc`: select the endpoint\'s private or isolated subnets.');
  }
  if (props.vpc.publicSubnets.some((s) => selected.subnetIds.includes(s.subnetId))) {
    invalidProp(scope, 'vpcSubnets', props.vpcSubnets, 'Run the monitoring job in private or isolated subnets, not public ones.');
  }
  if (props.s3PrefixListId !== undefined && !isUnresolved(props.s3PrefixListId) && !/^pl-[0-9a-f]{8,17}$/.test(props.s3PrefixListId)) {
    invalidProp(scope, 's3PrefixListId', props.s3PrefixListId, 'Give the ID of the Region\'s S3 prefix list, such as "pl-63a5400a".');
  }
  return {
    capturePrefix,
    reportsPrefix,
    frequency,
    scheduleExpression,
    maxRuntimeSeconds,
    instanceType,
    instanceCount: int('instanceCount', props.instanceCount, 1, 1, 100, MODEL_MONITOR_CONSTRAINTS.instanceCount),
    volumeSizeInGb: int('volumeSizeInGb', props.volumeSizeInGb, 20, 1, 16384, MODEL_MONITOR_CONSTRAINTS.volumeSize),
    subnetSelection,
  };
}

/**
 * A whole-number prop in [min, max]: a literal is checked at once, a Lazy number at synthesis
 * (checkNumberProp), both with the constraint's ID and source in the message.
 */
function checkInt(scope: Construct, prop: string, value: number | undefined, fallback: number, min: number, max: number,
  constraint?: DeployConstraint): number {
  checkNumberProp(scope, prop, value, { integer: true, min, max, fix: withConstraint(`Give a whole number between ${min} and ${max}.`, constraint) });
  return value ?? fallback;
}

/** A fix followed by the constraint it comes from, as `violates` writes it. */
function withConstraint(fix: string, constraint?: DeployConstraint): string {
  return constraint ? `${fix} [${constraint.id}: ${constraint.rule} — ${constraint.source}]` : fix;
}
