import { Annotations, Aws, CfnMapping, Duration, Fn, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { DATA_QUALITY_METRIC_FORMS, DRIFT_METRIC_PREFIX, lookbackHours, monitorMetricAlarm, validateDriftAlarms } from './model-monitor-alarms';
import { ModelDataQualityMonitorProps } from './model-monitor-props';
import { MODEL_MONITOR_CONSTRAINTS, MODEL_MONITOR_IMAGE_ACCOUNTS, PROCESSING_JOB_STATE, validateMonitor } from './model-monitor-settings';
import { LeastPrivilegeSageMakerRole, SageMakerWorkload } from '../identity/least-privilege-sagemaker-role';
import { alertDeadLetterQueue } from '../private/dead-letter-queue';
import { violates } from '../private/deploy-constraint';
import { invalidProp } from '../private/errors';

/** A topic, queue or key: something with a resource policy. */
type PolicyHolder = IConstruct & { addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult };

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
    return {
      source: ['aws.sagemaker'],
      detailType: [PROCESSING_JOB_STATE],
      detail: { RoleArn: [roleArn], ProcessingJobStatus: ['Failed', 'Stopped'] },
    };
  }

  /**
   * The event pattern of the monitoring executions run by `roleArn` that found constraint
   * violations: the Model Monitor container ends with the exit message `CompletedWithViolations: ...`.
   */
  public static violationsPattern(roleArn: string): events.EventPattern {
    return {
      source: ['aws.sagemaker'],
      detailType: [PROCESSING_JOB_STATE],
      detail: { RoleArn: [roleArn], ExitMessage: [{ prefix: 'CompletedWithViolations' }] },
    };
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
    const captureKey = props.captureEncryptionKey ?? props.captureBucket.encryptionKey;
    if (!captureKey) {
      invalidProp(this, 'captureEncryptionKey', undefined, 'Captured data and reports are encrypted with a customer-managed key: pass the KMS key of `captureBucket`.');
    }
    const baselineBucket = props.baselineBucket ?? props.captureBucket;
    const baselineKey = props.baselineEncryptionKey ?? (props.baselineBucket ? props.baselineBucket.encryptionKey : captureKey);
    const volumeKey = props.volumeEncryptionKey ?? captureKey;

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Network interfaces of the Model Monitor jobs of ${this.node.path}`,
      allowAllOutbound: false,
    });
    // SageMaker reads the captured data and baseline and writes the reports (S3: the gateway
    // endpoint, S3's public ranges) and the logs (the logs interface endpoint) through these interfaces.
    if (props.s3PrefixListId) {
      this.securityGroup.addEgressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS to VPC endpoints in this VPC');
      this.securityGroup.addEgressRule(ec2.Peer.prefixList(props.s3PrefixListId), ec2.Port.tcp(443), 'HTTPS to S3 through the gateway endpoint');
    } else {
      this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443),
        'HTTPS: in isolated subnets only the VPC endpoints and the S3 gateway endpoint are routed');
    }

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
        imageUri: props.imageUri ?? this.defaultImageUri(),
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
      jobResources: {
        clusterConfig: {
          instanceCount: v.instanceCount,
          instanceType: v.instanceType,
          volumeSizeInGb: v.volumeSizeInGb,
          volumeKmsKeyId: volumeKey.keyArn,
        },
      },
      networkConfig: {
        enableNetworkIsolation: true,
        enableInterContainerTrafficEncryption: true,
        vpcConfig: { subnets: this.role.subnetIds, securityGroupIds: [this.securityGroup.securityGroupId] },
      },
      stoppingCondition: { maxRuntimeInSeconds: v.maxRuntimeSeconds },
    });
    // SageMaker checks the role when the definition is created: its policies come first.
    this.jobDefinition.node.addDependency(this.role);

    this.scheduleName = Names.uniqueResourceName(this, { maxLength: 63, separator: '-' });
    this.schedule = new sagemaker.CfnMonitoringSchedule(this, 'Schedule', {
      monitoringScheduleName: this.scheduleName,
      endpointName: props.endpointName,
      monitoringScheduleConfig: {
        monitoringJobDefinitionName: Fn.select(1, Fn.split('/', this.jobDefinition.attrJobDefinitionArn)),
        monitoringType: 'DataQuality',
        scheduleConfig: { scheduleExpression: v.scheduleExpression },
      },
    });

    this.deadLetterQueue = props.deadLetterQueue ?? this.createDeadLetterQueue(props.alarmTopic);
    this.failedExecutionsRule = this.alertRule(props, 'FailedExecutions', 'Model Monitor executions that failed or stopped',
      ModelDataQualityMonitor.failedExecutionsPattern(this.role.role.roleArn));
    this.violationsRule = this.alertRule(props, 'Violations', 'Model Monitor executions that found constraint violations',
      ModelDataQualityMonitor.violationsPattern(this.role.role.roleArn));
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
        + `Read constraint_violations.json of the latest execution under ${this.reportsUri} (schedule ${this.scheduleName}).`,
    }));
    if (this.driftAlarms.length > 0) {
      const action = new cw_actions.SnsAction(props.alarmTopic);
      this.driftAlarms.forEach((alarm) => alarm.addAlarmAction(action));
      this.requireStatement(props.alarmTopic, new iam.PolicyStatement({
        sid: `AllowDriftAlarms${Names.uniqueId(this)}`.slice(0, 100),
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [props.alarmTopic.topicArn],
        conditions: { ArnEquals: { 'aws:SourceArn': this.driftAlarms.map((alarm) => alarm.alarmArn) } },
      }), 'the alert topic (drift alarms)');
    }
    if (props.alarmTopicEncryptionKey) {
      const added = this.addPolicyStatement(props.alarmTopicEncryptionKey, new iam.PolicyStatement({
        sid: 'AllowEventBridgeToPublishToTheEncryptedTopic',
        principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }));
      if (!added) {
        Annotations.of(this).addWarningV2('cdk-secure-ai:imported-key-policy:ModelMonitorAlerts',
          'The topic key is imported or in another stack: its key policy must allow events.amazonaws.com and cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*, or the monitoring alerts are not delivered.');
      }
    }
  }

  private alertRule(props: ModelDataQualityMonitorProps, id: string, description: string, pattern: events.EventPattern): events.Rule {
    const rule = new events.Rule(this, id, { description: `${description} (${this.node.path})`.slice(0, 512), eventPattern: pattern });
    const dlq = this.deadLetterQueue;
    rule.addTarget({
      bind: () => ({
        arn: props.alarmTopic.topicArn,
        deadLetterConfig: dlq ? { arn: dlq.queueArn } : undefined,
        retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
      }),
    });
    const statement = (resource: string, action: string) => new iam.PolicyStatement({
      sid: `AllowRule${Names.uniqueId(rule)}`.slice(0, 100),
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: [action],
      resources: [resource],
      conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
    });
    this.requireStatement(props.alarmTopic, statement(props.alarmTopic.topicArn, 'sns:Publish'), 'the alert topic');
    this.requireStatement(dlq, statement(dlq.queueArn, 'sqs:SendMessage'), 'the dead-letter queue');
    return rule;
  }

  /**
   * Adds a statement to the resource policy of a topic, queue or key of this stack. One imported,
   * or in another stack (the statement would name this stack's rule there, and the two stacks
   * would reference each other), is left unchanged: a warning quotes what its policy must allow.
   */
  private requireStatement(target: PolicyHolder, statement: iam.PolicyStatement, what: string): void {
    if (this.addPolicyStatement(target, statement)) return;
    Annotations.of(this).addWarningV2(`cdk-secure-ai:model-monitor-alert-policy:${Names.uniqueId(target)}`,
      `${what} (${target.node.path}) is imported or in another stack, so this construct does not change its policy: it must allow `
      + `${JSON.stringify(Stack.of(this).resolve(statement.toStatementJson()))}, or the monitoring alerts are not delivered (README, "Model monitoring").`);
  }

  private addPolicyStatement(target: PolicyHolder, statement: iam.PolicyStatement): boolean {
    if (Stack.of(target) !== Stack.of(this)) return false;
    return target.addToResourcePolicy(statement).statementAdded;
  }

  /**
   * A dead-letter queue for the two rules (SSE-SQS: EventBridge needs no key policy to send to it),
   * and an alarm to the topic when it holds an alert.
   */
  private createDeadLetterQueue(topic: sns.ITopic): sqs.Queue {
    // undelivered alerts are evidence: retained like the library's other alert queues
    const queue = alertDeadLetterQueue(this, 'DeadLetterQueue', {
      removalPolicy: RemovalPolicy.RETAIN,
      reason: 'This queue is itself the dead-letter queue of the monitoring alert rules; a dead-letter queue of a dead-letter queue would only move the same undelivered events again. The UndeliveredAlerts alarm watches it.',
    });
    const alarm = new cloudwatch.Alarm(this, 'UndeliveredAlertsAlarm', {
      alarmDescription: `EventBridge could not deliver a Model Monitor alert to the topic: read the dead-letter queue (${this.node.path})`.slice(0, 1024),
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cw_actions.SnsAction(topic));
    this.requireStatement(topic, new iam.PolicyStatement({
      sid: `AllowAlarm${Names.uniqueId(alarm)}`.slice(0, 100),
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { ArnEquals: { 'aws:SourceArn': alarm.alarmArn } },
    }), 'the alert topic (undelivered-alerts alarm)');
    return queue;
  }

  /** `<account>.dkr.ecr.<region>.<url suffix>/sagemaker-model-monitor-analyzer`, from a Region map. */
  private defaultImageUri(): string {
    const stack = Stack.of(this);
    if (!Token.isUnresolved(stack.region) && !(stack.region in MODEL_MONITOR_IMAGE_ACCOUNTS)) {
      violates(this, 'imageUri', undefined, MODEL_MONITOR_CONSTRAINTS.image,
        `The Model Monitor pre-built image is not listed for ${stack.region}: pass the image URI of your Region.`);
    }
    const id = 'ModelMonitorImageAccounts';
    const mapping = (stack.node.tryFindChild(id) as CfnMapping | undefined) ?? new CfnMapping(stack, id, {
      mapping: Object.fromEntries(Object.entries(MODEL_MONITOR_IMAGE_ACCOUNTS).map(([region, account]) => [region, { account }])),
      lazy: true,
    });
    const account = mapping.findInMap(stack.region, 'account');
    return `${account}.dkr.ecr.${stack.region}.${Aws.URL_SUFFIX}/sagemaker-model-monitor-analyzer`;
  }
}
