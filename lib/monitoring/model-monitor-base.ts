import { Annotations, Aws, CfnMapping, Duration, Fn, Names, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
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
import { Construct, IConstruct } from 'constructs';
import { MODEL_MONITOR_CONSTRAINTS, MODEL_MONITOR_IMAGE_ACCOUNTS, PROCESSING_JOB_STATE } from './model-monitor-settings';
import { LeastPrivilegeSageMakerRole } from '../identity/least-privilege-sagemaker-role';
import { alertDeadLetterQueue } from '../private/dead-letter-queue';
import { violates } from '../private/deploy-constraint';
import { invalidProp } from '../private/errors';

/*
 * What every Model Monitor construct of the library shares (internal, not exported from the
 * package): the job's security group, the capture key, the default image, and the alerts
 * (two EventBridge rules to the topic, a dead-letter queue with an undelivered-alerts alarm).
 * Each helper creates its constructs under the same IDs, in the same order, as the first monitor did.
 */

/** The validated job settings both monitors take (validateMonitorCommon). */
export interface MonitoringJobSettings {
  readonly instanceCount: number;
  readonly instanceType: string;
  readonly volumeSizeInGb: number;
  readonly maxRuntimeSeconds: number;
}

/**
 * The job properties every monitor of the library sets alike: its cluster with the volume key,
 * network isolation and inter-container traffic encryption (Security Hub SageMaker.9, .11), the
 * role's subnets with the monitor's security group, and the run time.
 */
export function monitoringJobProperties(role: LeastPrivilegeSageMakerRole, securityGroup: ec2.ISecurityGroup, v: MonitoringJobSettings,
  volumeKey: kms.IKey) {
  return {
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
      vpcConfig: { subnets: role.subnetIds, securityGroupIds: [securityGroup.securityGroupId] },
    },
    stoppingCondition: { maxRuntimeInSeconds: v.maxRuntimeSeconds },
  };
}

/**
 * The monitoring schedule of a job definition: named from the construct path (MM-7), running the
 * definition by the name in its ARN (a replaced definition gets a new name, MM-8), over `endpointName`.
 */
export function monitoringSchedule(scope: Construct, jobDefinitionArn: string, endpointName: string, monitoringType: string,
  scheduleExpression: string): { schedule: sagemaker.CfnMonitoringSchedule; scheduleName: string } {
  const scheduleName = Names.uniqueResourceName(scope, { maxLength: 63, separator: '-' });
  const schedule = new sagemaker.CfnMonitoringSchedule(scope, 'Schedule', {
    monitoringScheduleName: scheduleName,
    endpointName,
    monitoringScheduleConfig: {
      monitoringJobDefinitionName: Fn.select(1, Fn.split('/', jobDefinitionArn)),
      monitoringType,
      scheduleConfig: { scheduleExpression },
    },
  });
  return { schedule, scheduleName };
}

/** A topic, queue or key: something with a resource policy. */
export type PolicyHolder = IConstruct & { addToResourcePolicy(statement: iam.PolicyStatement): iam.AddToResourcePolicyResult };

/** The event pattern of the monitoring executions run by `roleArn` that failed or stopped. */
export function failedExecutionsPattern(roleArn: string): events.EventPattern {
  return {
    source: ['aws.sagemaker'],
    detailType: [PROCESSING_JOB_STATE],
    detail: { RoleArn: [roleArn], ProcessingJobStatus: ['Failed', 'Stopped'] },
  };
}

/** The event pattern of the monitoring executions run by `roleArn` whose exit message begins `CompletedWithViolations`. */
export function violationsPattern(roleArn: string): events.EventPattern {
  return {
    source: ['aws.sagemaker'],
    detailType: [PROCESSING_JOB_STATE],
    detail: { RoleArn: [roleArn], ExitMessage: [{ prefix: 'CompletedWithViolations' }] },
  };
}

/** The KMS key of the captured data (and of the reports): `captureEncryptionKey`, else the bucket's. */
export function monitorCaptureKey(scope: IConstruct, props: { captureBucket: s3.IBucket; captureEncryptionKey?: kms.IKey }): kms.IKey {
  const key = props.captureEncryptionKey ?? props.captureBucket.encryptionKey;
  if (!key) {
    invalidProp(scope, 'captureEncryptionKey', undefined, 'Captured data and reports are encrypted with a customer-managed key: pass the KMS key of `captureBucket`.');
  }
  return key;
}

/**
 * The security group `SecurityGroup` of the job's network interfaces: HTTPS only, to the VPC CIDR
 * and the S3 prefix list with `s3PrefixListId`, else to 0.0.0.0/0 (isolated subnets route only to
 * the VPC endpoints and the S3 gateway endpoint).
 */
export function monitorSecurityGroup(scope: Construct, props: { vpc: ec2.IVpc; s3PrefixListId?: string }): ec2.SecurityGroup {
  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: props.vpc,
    description: `Network interfaces of the Model Monitor jobs of ${scope.node.path}`,
    allowAllOutbound: false,
  });
  // SageMaker reads the inputs and writes the reports (S3: the gateway endpoint, S3's public
  // ranges) and the logs (the logs interface endpoint) through these interfaces.
  if (props.s3PrefixListId) {
    securityGroup.addEgressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS to VPC endpoints in this VPC');
    securityGroup.addEgressRule(ec2.Peer.prefixList(props.s3PrefixListId), ec2.Port.tcp(443), 'HTTPS to S3 through the gateway endpoint');
  } else {
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443),
      'HTTPS: in isolated subnets only the VPC endpoints and the S3 gateway endpoint are routed');
  }
  return securityGroup;
}

/** `<account>.dkr.ecr.<region>.<url suffix>/sagemaker-model-monitor-analyzer`, from a Region map (MM-6). */
export function defaultMonitorImageUri(scope: IConstruct): string {
  const stack = Stack.of(scope);
  if (!Token.isUnresolved(stack.region) && !(stack.region in MODEL_MONITOR_IMAGE_ACCOUNTS)) {
    violates(scope, 'imageUri', undefined, MODEL_MONITOR_CONSTRAINTS.image,
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

/** Where the alerts of a monitor go. */
export interface MonitorAlertProps {
  readonly alarmTopic: sns.ITopic;
  readonly alarmTopicEncryptionKey?: kms.IKey;
  readonly deadLetterQueue?: sqs.IQueue;
}

/** The alerting constructs of a monitor. */
export interface MonitorAlerts {
  readonly deadLetterQueue: sqs.IQueue;
  readonly failedExecutionsRule: events.Rule;
  readonly violationsRule: events.Rule;
}

/**
 * The alerts of a monitor whose executions run with `roleArn`: the dead-letter queue (given, or
 * `DeadLetterQueue` with its `UndeliveredAlertsAlarm`), the rules `FailedExecutions` and
 * `Violations` to the topic, and the EventBridge statement on the topic key (MM-10).
 */
export function addMonitorAlerts(scope: Construct, props: MonitorAlertProps, roleArn: string): MonitorAlerts {
  const deadLetterQueue = props.deadLetterQueue ?? createDeadLetterQueue(scope, props.alarmTopic);
  const failedExecutionsRule = alertRule(scope, props.alarmTopic, deadLetterQueue, 'FailedExecutions',
    'Model Monitor executions that failed or stopped', failedExecutionsPattern(roleArn));
  const violationsRule = alertRule(scope, props.alarmTopic, deadLetterQueue, 'Violations',
    'Model Monitor executions that found constraint violations', violationsPattern(roleArn));
  if (props.alarmTopicEncryptionKey) {
    const added = addPolicyStatement(scope, props.alarmTopicEncryptionKey, new iam.PolicyStatement({
      sid: 'AllowEventBridgeToPublishToTheEncryptedTopic',
      principals: [new iam.ServicePrincipal('events.amazonaws.com'), new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }));
    if (!added) {
      Annotations.of(scope).addWarningV2('cdk-secure-ai:imported-key-policy:ModelMonitorAlerts',
        'The topic key is imported or in another stack: its key policy must allow events.amazonaws.com and cloudwatch.amazonaws.com kms:Decrypt and kms:GenerateDataKey*, or the monitoring alerts are not delivered.');
    }
  }
  return { deadLetterQueue, failedExecutionsRule, violationsRule };
}

function alertRule(scope: Construct, topic: sns.ITopic, dlq: sqs.IQueue, id: string, description: string, pattern: events.EventPattern): events.Rule {
  const rule = new events.Rule(scope, id, { description: `${description} (${scope.node.path})`.slice(0, 512), eventPattern: pattern });
  rule.addTarget({
    bind: () => ({
      arn: topic.topicArn,
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
  requireStatement(scope, topic, statement(topic.topicArn, 'sns:Publish'), 'the alert topic');
  requireStatement(scope, dlq, statement(dlq.queueArn, 'sqs:SendMessage'), 'the dead-letter queue');
  return rule;
}

/**
 * Adds a statement to the resource policy of a topic, queue or key of the stack of `scope`. One
 * imported, or in another stack (the statement would name this stack's rule there, and the two
 * stacks would reference each other), is left unchanged: a warning on `scope` quotes what its policy must allow.
 */
export function requireStatement(scope: IConstruct, target: PolicyHolder, statement: iam.PolicyStatement, what: string): void {
  if (addPolicyStatement(scope, target, statement)) return;
  Annotations.of(scope).addWarningV2(`cdk-secure-ai:model-monitor-alert-policy:${Names.uniqueId(target)}`,
    `${what} (${target.node.path}) is imported or in another stack, so this construct does not change its policy: it must allow `
    + `${JSON.stringify(Stack.of(scope).resolve(statement.toStatementJson()))}, or the monitoring alerts are not delivered (README, "Model monitoring").`);
}

/** Adds `statement` to the policy of `target` when it is in the stack of `scope`; false when it is not added. */
export function addPolicyStatement(scope: IConstruct, target: PolicyHolder, statement: iam.PolicyStatement): boolean {
  if (Stack.of(target) !== Stack.of(scope)) return false;
  return target.addToResourcePolicy(statement).statementAdded;
}

/**
 * A dead-letter queue for the two rules (SSE-SQS: EventBridge needs no key policy to send to it),
 * and an alarm to the topic when it holds an alert.
 */
function createDeadLetterQueue(scope: Construct, topic: sns.ITopic): sqs.Queue {
  // undelivered alerts are evidence: retained like the library's other alert queues
  const queue = alertDeadLetterQueue(scope, 'DeadLetterQueue', {
    removalPolicy: RemovalPolicy.RETAIN,
    reason: 'This queue is itself the dead-letter queue of the monitoring alert rules; a dead-letter queue of a dead-letter queue would only move the same undelivered events again. The UndeliveredAlerts alarm watches it.',
  });
  const alarm = new cloudwatch.Alarm(scope, 'UndeliveredAlertsAlarm', {
    alarmDescription: `EventBridge could not deliver a Model Monitor alert to the topic: read the dead-letter queue (${scope.node.path})`.slice(0, 1024),
    metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new cw_actions.SnsAction(topic));
  requireStatement(scope, topic, new iam.PolicyStatement({
    sid: `AllowAlarm${Names.uniqueId(alarm)}`.slice(0, 100),
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { ArnEquals: { 'aws:SourceArn': alarm.alarmArn } },
  }), 'the alert topic (undelivered-alerts alarm)');
  return queue;
}
