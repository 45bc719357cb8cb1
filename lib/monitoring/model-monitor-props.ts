import { Duration } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/** How often the monitoring schedule runs (the only schedules Model Monitor accepts besides "every N hours"). */
export enum MonitoringFrequency {
  /** At the start of every hour (UTC): `cron(0 * ? * * *)`. */
  HOURLY = 'HOURLY',
  /** Once a day at `dailyStartHour` (UTC): `cron(0 H ? * * *)`. */
  DAILY = 'DAILY',
}

/** A CloudWatch alarm on the baseline drift Model Monitor reports for one feature. */
export interface FeatureDriftAlarm {
  /**
   * Name of the feature as the baseline names it (`features[].name` in `constraints.json`; `_c0`,
   * `_c1`, … for a CSV dataset without a header row).
   */
  readonly feature: string;

  /**
   * Drift distance from the baseline distribution (0 to 1) at or above which the alarm fires.
   *
   * @default 0.1 - the `comparison_threshold` the pre-built container writes into suggested constraints
   */
  readonly threshold?: number;
}

/** What every Model Monitor schedule of the library takes, whatever it monitors. */
export interface ModelMonitorScheduleOptions {
  /**
   * How often the schedule runs.
   *
   * @default MonitoringFrequency.HOURLY
   */
  readonly frequency?: MonitoringFrequency;

  /**
   * Hour of the day (UTC, 0-23) a DAILY schedule starts at.
   *
   * @default 0
   */
  readonly dailyStartHour?: number;

  /**
   * ML instance type of the monitoring job.
   *
   * @default 'ml.m5.xlarge'
   */
  readonly instanceType?: string;

  /**
   * Instances of the monitoring job (1-100).
   *
   * @default 1
   */
  readonly instanceCount?: number;

  /**
   * Size of the job's ML storage volume, in GB (1-16384), encrypted with the volume key.
   *
   * @default 20
   */
  readonly volumeSizeInGb?: number;

  /**
   * Image of the analysis container.
   *
   * @default - the Model Monitor pre-built image `sagemaker-model-monitor-analyzer` of the stack's Region
   */
  readonly imageUri?: string;

  /**
   * Queue that receives alerts EventBridge cannot deliver to the topic.
   *
   * @default - a new SSE-SQS queue, with an alarm to the topic when it holds an alert
   */
  readonly deadLetterQueue?: sqs.IQueue;

  /**
   * Bucket holding the baseline files.
   *
   * @default - the capture bucket
   */
  readonly baselineBucket?: s3.IBucket;

  /**
   * KMS key of the baseline objects.
   *
   * @default - the key of `baselineBucket` (for the capture bucket, the capture key)
   */
  readonly baselineEncryptionKey?: kms.IKey;
}

/** The endpoint a Model Monitor schedule watches: its captured data, network and alert topic. */
export interface ModelMonitorEndpointProps {
  /** Name of the SageMaker endpoint whose captured data is monitored (data capture must be on). */
  readonly endpointName: string;

  /** Bucket the endpoint captures requests and responses to; the reports are written to it too. */
  readonly captureBucket: s3.IBucket;

  /**
   * KMS key of the captured data; the reports are encrypted with it.
   *
   * @default - the `encryptionKey` of `captureBucket` (required when the bucket has none)
   */
  readonly captureEncryptionKey?: kms.IKey;

  /**
   * Key prefix of the captured data (the endpoint configuration's `DestinationS3Uri` path).
   *
   * @default 'data-capture/'
   */
  readonly capturePrefix?: string;

  /**
   * KMS key of the job's ML storage volume.
   *
   * @default - the capture key
   */
  readonly volumeEncryptionKey?: kms.IKey;

  /** VPC the monitoring job runs in (the endpoint's). */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets of `vpc` for the job's network interfaces; public subnets are rejected.
   *
   * @default - the isolated subnets of `vpc`
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * ID of the Region's S3 prefix list (`pl-...`): the security group then allows HTTPS to the VPC
   * CIDR (interface endpoints) and to S3 only.
   *
   * @default - HTTPS to 0.0.0.0/0, which in an isolated subnet reaches only the VPC endpoints
   */
  readonly s3PrefixListId?: string;

  /** Topic that receives failed executions and executions with violations. */
  readonly alarmTopic: sns.ITopic;

  /**
   * KMS key of `alarmTopic`, when it is encrypted: EventBridge may use it to publish.
   *
   * @default - the topic is not encrypted, or its key policy already allows events.amazonaws.com
   */
  readonly alarmTopicEncryptionKey?: kms.IKey;
}

/** The part of a data-quality monitor that does not follow from the endpoint it watches. */
export interface ModelDataQualityMonitorOptions extends ModelMonitorScheduleOptions {
  /**
   * Object key of the baseline statistics (`statistics.json` written by the baselining job) in
   * `baselineBucket`; not an `s3://` URL. It must be in a folder: the role may read that folder.
   */
  readonly baselineStatisticsKey: string;

  /** Object key of the baseline constraints (`constraints.json`) in `baselineBucket`, in a folder. */
  readonly baselineConstraintsKey: string;

  /**
   * Key prefix, in the capture bucket, of the monitoring reports (statistics, constraint violations).
   *
   * @default 'monitoring-reports/'
   */
  readonly reportsPrefix?: string;

  /**
   * Longest an execution may run; at most one hour for an hourly schedule, one day otherwise.
   *
   * @default Duration.hours(1)
   */
  readonly maxRuntime?: Duration;

  /**
   * CloudWatch alarms, to the alert topic, on the baseline drift of these features
   * (`feature_baseline_drift_<feature>`, published by each execution): one alarm per feature, so
   * the page names the feature that moved. Executions that find any violation page through
   * EventBridge whether or not a feature has an alarm.
   *
   * @default - no drift alarm
   */
  readonly driftAlarms?: FeatureDriftAlarm[];
}

/** Properties of a ModelDataQualityMonitor. */
export interface ModelDataQualityMonitorProps extends ModelDataQualityMonitorOptions, ModelMonitorEndpointProps {
}
