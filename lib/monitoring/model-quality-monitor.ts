import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { lookbackHours, MODEL_QUALITY_METRIC_FORMS, monitorMetricAlarm, notifyTopic, reportsHint, validateQualityAlarms } from './model-monitor-alarms';
import {
  addMonitorAlerts, defaultMonitorImageUri, failedExecutionsPattern, monitorCaptureKey, monitoringJobProperties, monitoringSchedule,
  monitorSecurityGroup, violationsPattern,
} from './model-monitor-base';
import { ModelQualityMonitorProps } from './model-quality-monitor-props';
import { validateModelQualityMonitor } from './model-quality-settings';
import { LeastPrivilegeSageMakerRole, SageMakerWorkload } from '../identity/least-privilege-sagemaker-role';

/**
 * CloudWatch namespace of the model-quality metrics the Model Monitor container publishes for an
 * endpoint (`publish_cloudwatch_metrics`), with the processing-job namespace of every monitoring role.
 */
const METRIC_NAMESPACES = ['/aws/sagemaker/ProcessingJobs', 'aws/sagemaker/Endpoints/model-metrics'];

/**
 * SageMaker Model Monitor model-quality monitoring of an endpoint with data capture: a
 * model-quality job definition and an hourly or daily monitoring schedule that merge the captured
 * predictions with the ground truth labels you upload to S3 and compare the model's quality
 * metrics (accuracy, precision, recall, MAE ...) with a baseline, secure by default.
 *
 * The job runs with network isolation and inter-container traffic encryption (Security Hub
 * SageMaker.9, SageMaker.11) in the given subnets with its own security group (HTTPS only), its
 * volume and reports encrypted with customer-managed keys, under a `LeastPrivilegeSageMakerRole`
 * of the MONITORING workload that may read the capture prefix, the ground-truth prefix and the
 * baseline folder and write the reports prefix only. The container publishes the metrics to
 * CloudWatch (`aws/sagemaker/Endpoints/model-metrics`). Failed executions and executions with
 * constraint violations are published to the alert topic, like `ModelDataQualityMonitor`'s.
 *
 * @example
 * new ModelQualityMonitor(this, 'Quality', {
 *   endpointName: model.endpointName, captureBucket: model.dataCaptureBucket,
 *   captureEncryptionKey: model.encryptionKey, vpc, alarmTopic: model.alarmTopic,
 *   problemType: ModelQualityProblemType.BINARY_CLASSIFICATION,
 *   probabilityAttribute: '0', probabilityThresholdAttribute: 0.5,
 *   baselineConstraintsKey: 'baselines/model-quality/v1/constraints.json',
 * });
 */
export class ModelQualityMonitor extends Construct {
  /** The event pattern of the monitoring executions run by `roleArn` that failed or stopped. */
  public static failedExecutionsPattern(roleArn: string): events.EventPattern {
    return failedExecutionsPattern(roleArn);
  }

  /** The event pattern of the monitoring executions run by `roleArn` that found constraint violations. */
  public static violationsPattern(roleArn: string): events.EventPattern {
    return violationsPattern(roleArn);
  }

  /** The model-quality job definition. */
  public readonly jobDefinition: sagemaker.CfnModelQualityJobDefinition;
  /** The monitoring schedule. */
  public readonly schedule: sagemaker.CfnMonitoringSchedule;
  /** Name of the monitoring schedule (the `MonitoringSchedule` dimension of the metrics). */
  public readonly scheduleName: string;
  /** The execution role of the monitoring jobs (MONITORING workload). */
  public readonly role: LeastPrivilegeSageMakerRole;
  /** The security group of the job's network interfaces. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** S3 URI of the reports. */
  public readonly reportsUri: string;
  /** S3 URI of the ground truth labels. */
  public readonly groundTruthUri: string;
  /** The rule that publishes failed and stopped executions to the topic. */
  public readonly failedExecutionsRule: events.Rule;
  /** The rule that publishes executions with constraint violations to the topic. */
  public readonly violationsRule: events.Rule;
  /** The queue that receives alerts EventBridge could not deliver (given, or created). */
  public readonly deadLetterQueue: sqs.IQueue;
  /** The model-quality metric alarms (`qualityAlarms`), in the order given. */
  public readonly qualityAlarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: ModelQualityMonitorProps) {
    super(scope, id);
    const groundTruthBucket = props.groundTruthBucket ?? props.captureBucket;
    const v = validateModelQualityMonitor(this, props, groundTruthBucket === props.captureBucket);
    const quality = validateQualityAlarms(this, props.problemType, props.qualityAlarms);
    const captureKey = monitorCaptureKey(this, props);
    const keyOf = (bucket: typeof groundTruthBucket | undefined) => (bucket ? bucket.encryptionKey : captureKey);
    const groundTruthKey = props.groundTruthEncryptionKey ?? keyOf(props.groundTruthBucket);
    const baselineBucket = props.baselineBucket ?? props.captureBucket;
    const baselineKey = props.baselineEncryptionKey ?? keyOf(props.baselineBucket);
    const volumeKey = props.volumeEncryptionKey ?? captureKey;

    this.securityGroup = monitorSecurityGroup(this, props);
    const baselineFolder = props.baselineConstraintsKey.slice(0, props.baselineConstraintsKey.lastIndexOf('/') + 1);
    this.role = new LeastPrivilegeSageMakerRole(this, 'Role', {
      workloads: [SageMakerWorkload.MONITORING],
      inputs: [
        { bucket: props.captureBucket, prefixes: [v.capturePrefix], encryptionKey: captureKey },
        { bucket: groundTruthBucket, prefixes: [v.groundTruthPrefix], encryptionKey: groundTruthKey },
        { bucket: baselineBucket, prefixes: [baselineFolder], encryptionKey: baselineKey },
      ],
      outputs: [{ bucket: props.captureBucket, prefixes: [v.reportsPrefix], encryptionKey: captureKey }],
      encryptionKey: volumeKey,
      metricNamespaces: METRIC_NAMESPACES,
      vpc: props.vpc,
      vpcSubnets: v.subnetSelection,
      securityGroups: [this.securityGroup],
    });

    this.reportsUri = `s3://${props.captureBucket.bucketName}/${v.reportsPrefix}`;
    this.groundTruthUri = `s3://${groundTruthBucket.bucketName}/${v.groundTruthPrefix}`;
    this.jobDefinition = new sagemaker.CfnModelQualityJobDefinition(this, 'JobDefinition', {
      roleArn: this.role.role.roleArn,
      modelQualityAppSpecification: {
        imageUri: props.imageUri ?? defaultMonitorImageUri(this),
        problemType: props.problemType,
        environment: { publish_cloudwatch_metrics: 'Enabled' },
      },
      modelQualityBaselineConfig: {
        constraintsResource: { s3Uri: `s3://${baselineBucket.bucketName}/${props.baselineConstraintsKey}` },
      },
      modelQualityJobInput: {
        endpointInput: {
          endpointName: props.endpointName,
          localPath: '/opt/ml/processing/input/endpoint',
          s3InputMode: 'File',
          s3DataDistributionType: 'FullyReplicated',
          inferenceAttribute: props.inferenceAttribute,
          probabilityAttribute: props.probabilityAttribute,
          probabilityThresholdAttribute: props.probabilityThresholdAttribute,
          startTimeOffset: v.startTimeOffset,
          endTimeOffset: v.endTimeOffset,
        },
        groundTruthS3Input: { s3Uri: this.groundTruthUri },
      },
      modelQualityJobOutputConfig: {
        kmsKeyId: captureKey.keyArn,
        monitoringOutputs: [{ s3Output: { localPath: '/opt/ml/processing/output', s3Uri: this.reportsUri, s3UploadMode: 'EndOfJob' } }],
      },
      ...monitoringJobProperties(this.role, this.securityGroup, v, volumeKey),
    });
    // SageMaker checks the role when the definition is created: its policies come first.
    this.jobDefinition.node.addDependency(this.role);

    const scheduled = monitoringSchedule(this, this.jobDefinition.attrJobDefinitionArn, props.endpointName, 'ModelQuality', v.scheduleExpression);
    this.schedule = scheduled.schedule;
    this.scheduleName = scheduled.scheduleName;

    const alerts = addMonitorAlerts(this, props, this.role.role.roleArn);
    this.deadLetterQueue = alerts.deadLetterQueue;
    this.failedExecutionsRule = alerts.failedExecutionsRule;
    this.violationsRule = alerts.violationsRule;

    this.qualityAlarms = quality.map((q, i) => monitorMetricAlarm(this, `QualityAlarm${i}`, {
      metricName: q.metric,
      forms: MODEL_QUALITY_METRIC_FORMS,
      endpointName: props.endpointName,
      scheduleName: this.scheduleName,
      threshold: q.threshold,
      comparisonOperator: q.comparisonOperator,
      evaluationPeriods: lookbackHours(v.maxRuntimeSeconds),
      description: `Model quality of endpoint ${props.endpointName}: ${q.metric} ${q.worse} ${q.threshold} against the ground truth. `
        + reportsHint(v.reportsPrefix, this.scheduleName),
    }));
    notifyTopic(this, props.alarmTopic, this.qualityAlarms, 'QualityAlarms');
  }
}
