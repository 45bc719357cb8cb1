import { Annotations, Aws, CfnMapping, Duration, Fn, Names, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LeastPrivilegeSageMakerRole, SageMakerWorkload } from '../identity/least-privilege-sagemaker-role';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { invalidProp, isUnresolved } from '../private/errors';

/** How often the monitoring schedule runs (the only schedules Model Monitor accepts besides "every N hours"). */
export enum MonitoringFrequency {
  /** At the start of every hour (UTC): `cron(0 * ? * * *)`. */
  HOURLY = 'HOURLY',
  /** Once a day at `dailyStartHour` (UTC): `cron(0 H ? * * *)`. */
  DAILY = 'DAILY',
}

/**
 * Registry accounts of the Model Monitor pre-built image `sagemaker-model-monitor-analyzer`, by
 * Region (SageMaker developer guide, "Amazon SageMaker Model Monitor prebuilt container", which
 * points to the Docker registry paths; the SageMaker Python SDK's `image_uri_config/model-monitor.json`).
 */
const MODEL_MONITOR_IMAGE_ACCOUNTS: Record<string, string> = {
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

/** The part of a data-quality monitor that does not follow from the endpoint it watches. */
export interface ModelDataQualityMonitorOptions {
  /**
   * Object key of the baseline statistics (`statistics.json` written by the baselining job) in
   * `baselineBucket`; not an `s3://` URL. It must be in a folder: the role may read that folder.
   */
  readonly baselineStatisticsKey: string;

  /** Object key of the baseline constraints (`constraints.json`) in `baselineBucket`, in a folder. */
  readonly baselineConstraintsKey: string;

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
   * Key prefix, in the capture bucket, of the monitoring reports (statistics, constraint violations).
   *
   * @default 'monitoring-reports/'
   */
  readonly reportsPrefix?: string;

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
   * Longest an execution may run; at most one hour for an hourly schedule, one day otherwise.
   *
   * @default Duration.hours(1)
   */
  readonly maxRuntime?: Duration;

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
}

/** Properties of a ModelDataQualityMonitor. */
export interface ModelDataQualityMonitorProps extends ModelDataQualityMonitorOptions {
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

const ENDPOINT_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const PROCESSING_JOB_STATE = 'SageMaker Processing Job State Change';

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

  constructor(scope: Construct, id: string, props: ModelDataQualityMonitorProps) {
    super(scope, id);
    const v = this.validate(props);
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
      dataQualityAppSpecification: { imageUri: props.imageUri ?? this.defaultImageUri() },
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
    if (props.alarmTopicEncryptionKey) {
      const added = props.alarmTopicEncryptionKey.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AllowEventBridgeToPublishToTheEncryptedTopic',
        principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      })).statementAdded;
      if (!added) {
        Annotations.of(this).addWarningV2('cdk-secure-ai:imported-key-policy:ModelMonitorAlerts',
          'The topic key is imported: its key policy must allow events.amazonaws.com and cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*, or the monitoring alerts are not delivered.');
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
    props.alarmTopic.addToResourcePolicy(statement(props.alarmTopic.topicArn, 'sns:Publish'));
    dlq.addToResourcePolicy(statement(dlq.queueArn, 'sqs:SendMessage'));
    return rule;
  }

  /**
   * A dead-letter queue for the two rules (SSE-SQS: EventBridge needs no key policy to send to it),
   * and an alarm to the topic when it holds an alert.
   */
  private createDeadLetterQueue(topic: sns.ITopic): sqs.Queue {
    const queue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(queue, [
      { id: 'AwsSolutions-SQS3', source: FindingSource.CDK_NAG },
      { id: 'Serverless-SQSRedrivePolicy', source: FindingSource.CDK_NAG },
      { id: 'sqs_dlq_check', source: FindingSource.CFN_GUARD },
    ], 'This queue is itself the dead-letter queue of the monitoring alert rules; a dead-letter queue of a dead-letter queue would only move the same undelivered events again. The UndeliveredAlerts alarm watches it.');
    const alarm = new cloudwatch.Alarm(this, 'UndeliveredAlertsAlarm', {
      alarmDescription: `EventBridge could not deliver a Model Monitor alert to the topic: read the dead-letter queue (${this.node.path})`.slice(0, 1024),
      metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new cw_actions.SnsAction(topic));
    topic.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowAlarm${Names.uniqueId(alarm)}`.slice(0, 100),
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: { ArnEquals: { 'aws:SourceArn': alarm.alarmArn } },
    }));
    return queue;
  }

  /** `<account>.dkr.ecr.<region>.<url suffix>/sagemaker-model-monitor-analyzer`, from a Region map. */
  private defaultImageUri(): string {
    const stack = Stack.of(this);
    if (!Token.isUnresolved(stack.region) && !(stack.region in MODEL_MONITOR_IMAGE_ACCOUNTS)) {
      invalidProp(this, 'imageUri', undefined,
        `The Model Monitor pre-built image is not listed for ${stack.region}: pass the image URI of your Region (SageMaker developer guide, "Docker Registry Paths and Example Code").`);
    }
    const id = 'ModelMonitorImageAccounts';
    const mapping = (stack.node.tryFindChild(id) as CfnMapping | undefined) ?? new CfnMapping(stack, id, {
      mapping: Object.fromEntries(Object.entries(MODEL_MONITOR_IMAGE_ACCOUNTS).map(([region, account]) => [region, { account }])),
      lazy: true,
    });
    const account = mapping.findInMap(stack.region, 'account');
    return `${account}.dkr.ecr.${stack.region}.${Aws.URL_SUFFIX}/sagemaker-model-monitor-analyzer`;
  }

  private validate(props: ModelDataQualityMonitorProps) {
    if (!isUnresolved(props.endpointName) && !ENDPOINT_NAME.test(props.endpointName)) {
      invalidProp(this, 'endpointName', props.endpointName, 'Give the name of a SageMaker endpoint: 1 to 63 letters, digits and hyphens.');
    }
    const prefix = (prop: string, value: string) => {
      if (isUnresolved(value)) return value;
      if (value === '' || value.startsWith('/') || value.includes('*') || !value.endsWith('/') || /^[a-z0-9]+:\/\//i.test(value)) {
        invalidProp(this, prop, value, 'Give a key prefix that ends with "/", such as "monitoring-reports/" (no URL, no leading slash, no wildcard).');
      }
      return value;
    };
    const capturePrefix = prefix('capturePrefix', props.capturePrefix ?? 'data-capture/');
    const reportsPrefix = prefix('reportsPrefix', props.reportsPrefix ?? 'monitoring-reports/');
    const overlap = reportsPrefix.startsWith(capturePrefix) || capturePrefix.startsWith(reportsPrefix);
    if (!isUnresolved(capturePrefix) && !isUnresolved(reportsPrefix) && overlap) {
      invalidProp(this, 'reportsPrefix', reportsPrefix, `Keep the reports apart from the captured data ("${capturePrefix}"): the role reads one and writes the other.`);
    }
    for (const prop of ['baselineStatisticsKey', 'baselineConstraintsKey'] as const) {
      const key = props[prop];
      if (isUnresolved(key)) continue;
      if (!key || key.startsWith('/') || key.includes('*') || /^[a-z0-9]+:\/\//i.test(key) || key.lastIndexOf('/') < 1 || key.endsWith('/')) {
        invalidProp(this, prop, key, 'Give the object key of the baseline file in a folder, such as "baselines/v1/statistics.json" (not an s3:// URL).');
      }
    }
    const frequency = props.frequency ?? MonitoringFrequency.HOURLY;
    if (!Object.values(MonitoringFrequency).includes(frequency)) {
      invalidProp(this, 'frequency', frequency, 'Use MonitoringFrequency.HOURLY or MonitoringFrequency.DAILY.');
    }
    if (props.dailyStartHour !== undefined && frequency !== MonitoringFrequency.DAILY) {
      invalidProp(this, 'dailyStartHour', props.dailyStartHour, 'The start hour applies to a DAILY schedule: set `frequency: MonitoringFrequency.DAILY` or remove it.');
    }
    const hour = this.int('dailyStartHour', props.dailyStartHour, 0, 0, 23);
    // C-MON-1: Model Monitor accepts cron(0 * ? * * *) (hourly) and cron(0 H ? * * *) (daily).
    const scheduleExpression = frequency === MonitoringFrequency.HOURLY ? 'cron(0 * ? * * *)' : `cron(0 ${hour} ? * * *)`;
    const maxRuntimeSeconds = (props.maxRuntime ?? Duration.hours(1)).toSeconds();
    // C-MON-2: MaxRuntimeInSeconds 1-86400, at most 3600 for an hourly data-quality schedule.
    const limit = frequency === MonitoringFrequency.HOURLY ? 3600 : 86400;
    if (!isUnresolved(maxRuntimeSeconds) && (!Number.isInteger(maxRuntimeSeconds) || maxRuntimeSeconds < 1 || maxRuntimeSeconds > limit)) {
      invalidProp(this, 'maxRuntime', props.maxRuntime,
        `An execution may run 1 second to ${limit === 3600 ? 'one hour on an hourly schedule' : 'one day'} (MonitoringStoppingCondition.MaxRuntimeInSeconds).`);
    }
    const instanceType = props.instanceType ?? 'ml.m5.xlarge';
    if (!isUnresolved(instanceType) && !/^ml\.[a-z0-9]+\.[a-z0-9]+$/.test(instanceType)) {
      invalidProp(this, 'instanceType', instanceType, 'Give an ML instance type such as "ml.m5.xlarge".');
    }
    const subnetSelection = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    const selected = props.vpc.selectSubnets(subnetSelection);
    if (selected.subnetIds.length === 0) {
      invalidProp(this, 'vpcSubnets', props.vpcSubnets, 'The selection matches no subnet of `vpc`: select the endpoint\'s private or isolated subnets.');
    }
    if (props.vpc.publicSubnets.some((s) => selected.subnetIds.includes(s.subnetId))) {
      invalidProp(this, 'vpcSubnets', props.vpcSubnets, 'Run the monitoring job in private or isolated subnets, not public ones.');
    }
    if (props.s3PrefixListId !== undefined && !isUnresolved(props.s3PrefixListId) && !/^pl-[0-9a-f]{8,17}$/.test(props.s3PrefixListId)) {
      invalidProp(this, 's3PrefixListId', props.s3PrefixListId, 'Give the ID of the Region\'s S3 prefix list, such as "pl-63a5400a".');
    }
    return {
      capturePrefix,
      reportsPrefix,
      scheduleExpression,
      maxRuntimeSeconds,
      instanceType,
      instanceCount: this.int('instanceCount', props.instanceCount, 1, 1, 100),
      volumeSizeInGb: this.int('volumeSizeInGb', props.volumeSizeInGb, 20, 1, 16384),
      subnetSelection,
    };
  }

  private int(prop: string, value: number | undefined, fallback: number, min: number, max: number): number {
    const n = value ?? fallback;
    if (!isUnresolved(n) && (!Number.isInteger(n) || n < min || n > max)) {
      invalidProp(this, prop, value, `Give a whole number between ${min} and ${max}.`);
    }
    return n;
  }
}
