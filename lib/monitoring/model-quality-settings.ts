import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { checkBaselineKey, checkPrefix, MODEL_MONITOR_CONSTRAINTS, MonitorKind, prefixesOverlap, validateMonitorCommon } from './model-monitor-settings';
import { ModelQualityMonitorProps, ModelQualityProblemType } from './model-quality-monitor-props';
import { violates } from '../private/deploy-constraint';
import { invalidProp, isUnresolved } from '../private/errors';
import { checkNumberProp } from '../private/numbers';

const MODEL_QUALITY: MonitorKind = {
  reportsPrefix: 'model-quality-reports/',
  maxRuntime: Duration.minutes(30),
  hourlyLimit: 1800,
  hourlyConstraint: MODEL_MONITOR_CONSTRAINTS.modelQualityMaxRuntime,
  hourlyText: '30 minutes on an hourly model-quality schedule (the ground-truth merge and the analysis share it)',
};

/** The props of a model-quality monitor, validated (errors name the prop), with their defaults. */
export function validateModelQualityMonitor(scope: Construct, props: ModelQualityMonitorProps, sameBucketForGroundTruth: boolean) {
  let groundTruthPrefix = '';
  const common = validateMonitorCommon(scope, props, MODEL_QUALITY, () => {
    groundTruthPrefix = checkPrefix(scope, 'groundTruthPrefix', props.groundTruthPrefix ?? 'ground-truth/');
    checkBaselineKey(scope, 'baselineConstraintsKey', props.baselineConstraintsKey, 'baselines/model-quality/v1/constraints.json');
  });
  if (sameBucketForGroundTruth) {
    for (const [other, prop] of [[common.capturePrefix, 'capturePrefix'], [common.reportsPrefix, 'reportsPrefix']] as const) {
      if (prefixesOverlap(groundTruthPrefix, other)) {
        invalidProp(scope, 'groundTruthPrefix', groundTruthPrefix,
          `Keep the ground truth apart from \`${prop}\` ("${other}") in the same bucket: the role reads the labels and must not read or write them through another prefix.`);
      }
    }
  }
  const uri = `s3://${'b'.repeat(63)}/${groundTruthPrefix}`;
  if (!isUnresolved(groundTruthPrefix) && uri.length > 512) {
    violates(scope, 'groundTruthPrefix', groundTruthPrefix, MODEL_MONITOR_CONSTRAINTS.modelQualityGroundTruth, 'Use a shorter prefix (the S3 URI is at most 512 characters).');
  }
  checkAttributes(scope, props);
  return { ...common, groundTruthPrefix, ...offsets(scope, props) };
}

function checkAttributes(scope: Construct, props: ModelQualityMonitorProps): void {
  const type = props.problemType;
  if (!Object.values(ModelQualityProblemType).includes(type)) {
    invalidProp(scope, 'problemType', type, 'Use ModelQualityProblemType.BINARY_CLASSIFICATION, MULTICLASS_CLASSIFICATION or REGRESSION.');
  }
  const c = MODEL_MONITOR_CONSTRAINTS.modelQualityAttributes;
  for (const prop of ['inferenceAttribute', 'probabilityAttribute'] as const) {
    const value = props[prop];
    if (value !== undefined && !isUnresolved(value) && value.trim() === '') {
      invalidProp(scope, prop, value, 'Give a CSV column index such as "0", or a JSONPath such as "predicted_label".');
    }
  }
  if (props.probabilityAttribute !== undefined && type === ModelQualityProblemType.REGRESSION) {
    violates(scope, 'probabilityAttribute', props.probabilityAttribute, c, 'A regression model has no class probability: remove it, or set the classification problem type.');
  }
  const threshold = props.probabilityThresholdAttribute;
  if (threshold !== undefined) {
    if (type !== ModelQualityProblemType.BINARY_CLASSIFICATION) {
      violates(scope, 'probabilityThresholdAttribute', threshold, c, 'A threshold turns a probability into the positive class of a binary classifier: remove it, or set ModelQualityProblemType.BINARY_CLASSIFICATION.');
    }
    checkNumberProp(scope, 'probabilityThresholdAttribute', threshold, { min: 0, max: 1, fix: 'Give a probability between 0 and 1, such as 0.5.' });
    if (props.probabilityAttribute === undefined) {
      violates(scope, 'probabilityAttribute', undefined, c, 'A threshold applies to a probability: name where it is with `probabilityAttribute`.');
    }
  }
  if (props.inferenceAttribute === undefined) {
    if (type !== ModelQualityProblemType.BINARY_CLASSIFICATION) {
      violates(scope, 'inferenceAttribute', undefined, c, 'Name where the prediction is in the endpoint output: a CSV column index such as "0", or a JSONPath.');
    }
    if (props.probabilityAttribute === undefined || threshold === undefined) {
      violates(scope, 'inferenceAttribute', undefined, c,
        'Name where the predicted label is, or where the probability is (`probabilityAttribute`) with the threshold of the positive class (`probabilityThresholdAttribute`).');
    }
  }
}

/** `-PT30M`, `-PT7H`, `-P8D`: the largest whole unit. */
function isoOffset(minutes: number): string {
  if (minutes > 0 && minutes % 1440 === 0) return `-P${minutes / 1440}D`;
  if (minutes % 60 === 0) return `-PT${minutes / 60}H`;
  return `-PT${minutes}M`;
}

function offsets(scope: Construct, props: ModelQualityMonitorProps): { startTimeOffset?: string; endTimeOffset?: string } {
  const c = MODEL_MONITOR_CONSTRAINTS.modelQualityOffsets;
  const minutes = (prop: string, value: Duration | undefined, min: number): number | undefined => {
    if (value === undefined) return undefined;
    const seconds = value.toSeconds();
    if (isUnresolved(seconds)) invalidProp(scope, prop, value, 'Give a literal duration: the offset is rendered as an ISO 8601 duration.');
    if (seconds % 60 !== 0 || seconds / 60 < min) {
      violates(scope, prop, value, c, `Give whole minutes, hours or days${min > 0 ? ', at least one minute' : ''}.`);
    }
    return seconds / 60;
  };
  const start = minutes('startTimeOffset', props.startTimeOffset, 1);
  const end = minutes('endTimeOffset', props.endTimeOffset, 0);
  if (end !== undefined && start === undefined) {
    violates(scope, 'startTimeOffset', undefined, c, 'An end offset without a start offset would end the window before it starts: set `startTimeOffset` too.');
  }
  if (start !== undefined && end !== undefined && end >= start) {
    violates(scope, 'endTimeOffset', props.endTimeOffset, c, 'The window ends after it starts: give an end offset shorter than `startTimeOffset`.');
  }
  return {
    startTimeOffset: start === undefined ? undefined : isoOffset(start),
    endTimeOffset: end === undefined ? undefined : isoOffset(end),
  };
}
