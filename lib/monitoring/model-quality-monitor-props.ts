import { Duration } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ModelMonitorEndpointProps, ModelMonitorScheduleOptions } from './model-monitor-props';

/** The machine learning problem of the monitored model (ModelQualityAppSpecification `ProblemType`). */
export enum ModelQualityProblemType {
  /** Two classes: accuracy, precision, recall, F1, AUC ... */
  BINARY_CLASSIFICATION = 'BinaryClassification',
  /** More than two classes: accuracy, weighted precision, recall, F1 ... */
  MULTICLASS_CLASSIFICATION = 'MulticlassClassification',
  /** A number: MAE, MSE, RMSE, R2. */
  REGRESSION = 'Regression',
}

/** A CloudWatch alarm on one model-quality metric of the monitored endpoint. */
export interface ModelQualityAlarm {
  /**
   * Metric name as Model Monitor publishes it for the problem type (MM-18): regression `mae`,
   * `mse`, `rmse`, `r2`; binary classification `accuracy`, `precision`, `recall`, `f0_5`, `f1`,
   * `f2`, `auc`, `au_prc`, `true_positive_rate`, `true_negative_rate`, `false_positive_rate`,
   * `false_negative_rate`; multiclass classification `accuracy`, `weighted_precision`,
   * `weighted_recall`, `weighted_f0_5`, `weighted_f1`, `weighted_f2`.
   */
  readonly metric: string;

  /**
   * The value past which the model is worse than you accept: the alarm fires below it for a score
   * (accuracy, F1, AUC, R2, ...) and at or above it for an error or error rate (MAE, MSE, RMSE,
   * false positive and false negative rates).
   */
  readonly threshold: number;
}

/** The part of a model-quality monitor that does not follow from the endpoint it watches. */
export interface ModelQualityMonitorOptions extends ModelMonitorScheduleOptions {
  /** The problem type of the model; it decides which attributes apply (MM-14). */
  readonly problemType: ModelQualityProblemType;

  /**
   * Where the prediction is in the endpoint's output: a CSV column index such as "0", or a JSONPath
   * such as "predicted_label". Required for regression and multiclass classification.
   *
   * @default - none (binary classification then needs `probabilityAttribute` and `probabilityThresholdAttribute`)
   */
  readonly inferenceAttribute?: string;

  /**
   * Where the class probability is in the endpoint's output (classification only).
   *
   * @default - none
   */
  readonly probabilityAttribute?: string;

  /**
   * Probability (0 to 1) from which a prediction counts as the positive class (binary classification only).
   *
   * @default - none
   */
  readonly probabilityThresholdAttribute?: number;

  /**
   * Key prefix of the ground truth labels you upload, in `groundTruthBucket`, laid out like the
   * captured data: `<prefix>yyyy/mm/dd/hh/<file>.jsonl` (MM-16). The role may read it, never write it.
   *
   * @default 'ground-truth/'
   */
  readonly groundTruthPrefix?: string;

  /**
   * Bucket holding the ground truth labels.
   *
   * @default - the capture bucket
   */
  readonly groundTruthBucket?: s3.IBucket;

  /**
   * KMS key of the ground truth objects.
   *
   * @default - the key of `groundTruthBucket` (for the capture bucket, the capture key)
   */
  readonly groundTruthEncryptionKey?: kms.IKey;

  /**
   * Object key of the model-quality baseline constraints (`constraints.json` of the
   * `ModelQualityMonitor.suggest_baseline` job) in `baselineBucket`, in a folder; not an s3:// URL.
   * A model-quality baseline has no statistics file (MM-17).
   */
  readonly baselineConstraintsKey: string;

  /**
   * How far before the execution the analysed window starts (`StartTimeOffset`, MM-15): with labels
   * that arrive a day late, a window from 8 days to 1 day ago is `startTimeOffset: Duration.days(8)`,
   * `endTimeOffset: Duration.days(1)`. Whole minutes, hours or days.
   *
   * @default - no offset: the window of the schedule (the last hour, or day)
   */
  readonly startTimeOffset?: Duration;

  /**
   * How far before the execution the analysed window ends (`EndTimeOffset`, MM-15); shorter than
   * `startTimeOffset`, which it requires.
   *
   * @default - no offset
   */
  readonly endTimeOffset?: Duration;

  /**
   * Key prefix, in the capture bucket, of the reports (model-quality statistics, constraint
   * violations); apart from the data-quality reports.
   *
   * @default 'model-quality-reports/'
   */
  readonly reportsPrefix?: string;

  /**
   * Longest an execution (the ground-truth merge and the analysis) may run: at most 30 minutes for
   * an hourly schedule (MM-13), one day otherwise.
   *
   * @default Duration.minutes(30)
   */
  readonly maxRuntime?: Duration;

  /**
   * CloudWatch alarms, to the alert topic, on model-quality metrics the executions publish
   * (`aws/sagemaker/Endpoints/model-metrics`): one alarm per metric, so the page names the metric
   * that degraded. Executions that find any violation page through EventBridge whether or not a
   * metric has an alarm.
   *
   * @default - no metric alarm
   */
  readonly qualityAlarms?: ModelQualityAlarm[];
}

/** Properties of a ModelQualityMonitor. */
export interface ModelQualityMonitorProps extends ModelQualityMonitorOptions, ModelMonitorEndpointProps {
}
