import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DATA_QUALITY_METRIC_FORMS, DRIFT_METRIC_PREFIX, lookbackHours, monitorMetricAlarm, notifyTopic, reportsHint, validateDriftAlarms } from './model-monitor-alarms';
import {
  addMonitorAlerts, defaultMonitorImageUri, failedExecutionsPattern, monitorCaptureKey, monitoringJobProperties, monitoringSchedule,
  monitorSecurityGroup, violationsPattern,
} from './model-monitor-base';
import { ModelDataQualityMonitorProps } from './model-monitor-props';
import { validateMonitor } from './model-monitor-settings';
import { LeastPrivilegeSageMakerRole, SageMakerWorkload } from '../identity/least-privilege-sagemaker-role';

/**
 * SageMaker Model Monitor data-quality monitoring of an endpoint with data capture: a
 * data-quality job definition and an hourly or daily monitoring schedule that compare the
 * captured requests with a baseline, secure by default.
 *
 * The job runs with network isolation and inter-container traffic encryption (Security Hub
 * SageMaker.9, SageMaker.11) in the given subnets with its own security group (HTTPS only), its
 * volume and reports encrypted with customer-managed keys, under a `LeastPrivilegeSageMakerRole`
 * of the MONITORING workload that may read the capture prefix and the baseline folder and write
 * the reports prefix only. Failed executions and executions with constraint violations are
 * published to the alert topic (EventBridge, `SageMaker Processing Job State Change` of the jobs
 * this role runs).
 *
 * @example
 * new ModelDataQualityMonitor(this, 'Monitor', {
 *   endpointName: model.endpointName, captureBucket: model.dataCaptureBucket,
 *   captureEncryptionKey: model.encryptionKey, vpc, alarmTopic: model.alarmTopic,
 *   baselineStatisticsKey: 'baselines/v1/statistics.json', baselineConstraintsKey: 'baselines/v1/constraints.json',
 * });
 */
export class ModelDataQualityMonitor extends Construct {
  /** The event pattern of the monitoring executions run by `roleArn` that failed or stopped. */
  public static failedExecutionsPattern(roleArn: string): events.EventPattern {
    return failedExecutionsPattern(roleArn);
  }

  /**
   * The event pattern of the monitoring executions run by `roleArn` that found constraint
   * violations: the Model Monitor container ends with the exit message `CompletedWithViolations: ...`.
   */
  public static violationsPattern(roleArn: string): events.EventPattern {
    return violationsPattern(roleArn);
  }

  /** The data-quality job definition. */
  public readonly jobDefinition: sagemaker.CfnDataQualityJobDefinition;
  /** The monitoring schedule. */
  public readonly schedule: sagemaker.CfnMonitoringSchedule;
  /** Name of the monitoring schedule. */
  public readonly scheduleName: string;
  /** The execution role of the monitoring jobs (MONITORING workload). */
  public readonly role: LeastPrivilegeSageMakerRole;
  /** The security group of the job's network interfaces. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** S3 URI of the reports. */
  public readonly reportsUri: string;
  /** The rule that publishes failed and stopped executions to the topic. */
  public readonly failedExecutionsRule: events.Rule;
  /** The rule that publishes executions with constraint violations to the topic. */
  public readonly violationsRule: events.Rule;
  /** The queue that receives alerts EventBridge could not deliver (given, or created). */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The per-feature drift alarms (`driftAlarms`), in the order given. */
  public readonly driftAlarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ModelDataQualityMonitorProps) {
    super(scope, id);
    const v = validateMonitor(this, props);
    const drift = validateDriftAlarms(this, props.driftAlarms);
    const captureKey = monitorCaptureKey(this, props);
    const baselineBucket = props.baselineBucket ?? props.captureBucket;
    const baselineKey = props.baselineEncryptionKey ?? (props.baselineBucket ? props.baselineBucket.encryptionKey : captureKey);
    const volumeKey = props.volumeEncryptionKey ?? captureKey;

    this.securityGroup = monitorSecurityGroup(this, props);

    const folder = (key: string) => key.slice(0, key.lastIndexOf('/') + 1);
    const baselineFolders = [...new Set([folder(props.baselineStatisticsKey), folder(props.baselineConstraintsKey)])];
    this.role = new LeastPrivilegeSageMakerRole(this, 'Role', {
      workloads: [SageMakerWorkload.MONITORING],
      inputs: [
        { bucket: props.captureBucket, prefixes: [v.capturePrefix], encryptionKey: captureKey },
        { bucket: baselineBucket, prefixes: baselineFolders, encryptionKey: baselineKey },
      ],
      outputs: [{ bucket: props.captureBucket, prefixes: [v.reportsPrefix], encryptionKey: captureKey }],
      encryptionKey: volumeKey,
      vpc: props.vpc,
      vpcSubnets: v.subnetSelection,
      securityGroups: [this.securityGroup],
    });

    this.reportsUri = `s3://${props.captureBucket.bucketName}/${v.reportsPrefix}`;
    this.jobDefinition = new sagemaker.CfnDataQualityJobDefinition(this, 'JobDefinition', {
      roleArn: this.role.role.roleArn,
      dataQualityAppSpecification: {
        imageUri: props.imageUri ?? defaultMonitorImageUri(this),
        // the per-feature metrics (MM-12) the drift alarms watch; published by every execution
        environment: { publish_cloudwatch_metrics: 'Enabled' },
      },
      dataQualityBaselineConfig: {
        statisticsResource: { s3Uri: `s3://${baselineBucket.bucketName}/${props.baselineStatisticsKey}` },
        constraintsResource: { s3Uri: `s3://${baselineBucket.bucketName}/${props.baselineConstraintsKey}` },
      },
      dataQualityJobInput: {
        endpointInput: {
          endpointName: props.endpointName,
          localPath: '/opt/ml/processing/input/endpoint',
          s3InputMode: 'File',
          s3DataDistributionType: 'FullyReplicated',
        },
      },
      dataQualityJobOutputConfig: {
        kmsKeyId: captureKey.keyArn,
        monitoringOutputs: [{ s3Output: { localPath: '/opt/ml/processing/output', s3Uri: this.reportsUri, s3UploadMode: 'EndOfJob' } }],
      },
      ...monitoringJobProperties(this.role, this.securityGroup, v, volumeKey),
    });
    // SageMaker checks the role when the definition is created: its policies come first.
    this.jobDefinition.node.addDependency(this.role);

    const scheduled = monitoringSchedule(this, this.jobDefinition.attrJobDefinitionArn, props.endpointName, 'DataQuality', v.scheduleExpression);
    this.schedule = scheduled.schedule;
    this.scheduleName = scheduled.scheduleName;

    const alerts = addMonitorAlerts(this, props, this.role.role.roleArn);
    this.deadLetterQueue = alerts.deadLetterQueue;
    this.failedExecutionsRule = alerts.failedExecutionsRule;
    this.violationsRule = alerts.violationsRule;

    this.driftAlarms = drift.map(({ feature, threshold }, i) => monitorMetricAlarm(this, `DriftAlarm${i}`, {
      metricName: `${DRIFT_METRIC_PREFIX}${feature}`,
      forms: DATA_QUALITY_METRIC_FORMS,
      endpointName: props.endpointName,
      scheduleName: this.scheduleName,
      feature,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: lookbackHours(v.maxRuntimeSeconds),
      description: `Input drift on feature "${feature}" of endpoint ${props.endpointName}: its distribution moved ${threshold} or more from the baseline. `
        + reportsHint(v.reportsPrefix, this.scheduleName),
    }));
    notifyTopic(this, props.alarmTopic, this.driftAlarms, 'DriftAlarms');
  }
}
