import { Annotations, Duration, Names, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwactions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { checkAdoptionProps } from './adoption';
import { alertRuleSpecs, SEVERITY_RULE } from './alert-rules';
import { checkFilterPattern, checkTrailName, limitFiltersPerLogGroup } from './constraints';
import { ALERTING_KEY_STATEMENT, allowAlertingToUseKey, allowTrailServicesToUseKey } from './key-policies';
import { createOwnTrail } from './own-trail';
import { REGION_PATTERN } from './regional-alert-forwarder';
import { alertDeadLetterQueue } from '../private/dead-letter-queue';
import { invalidProp } from '../private/errors';
import { createKey } from '../private/kms';
import { checkNumberProp, checkRetention } from '../private/numbers';
import { ObjectLockMode, SecureTrainingBucket } from '../storage/secure-training-bucket';


/**
 * Properties of an AiSecurityMonitoring. Every property is optional.
 */
export interface AiSecurityMonitoringProps {
  /**
   * Buckets whose object-level (data) events the trail records: reads, writes and deletes of
   * training data and model artifacts (S3.22, S3.23). Their AccessDenied errors feed the
   * `TrainingDataAccessDenied` alarm.
   *
   * @default - no data events; management events only
   */
  readonly trainingBuckets?: s3.IBucket[];

  /**
   * Customer-managed KMS key for the trail, its bucket and its log group.
   * The construct adds the statements CloudTrail and CloudWatch Logs need to a key of this app;
   * an imported key's policy must already allow them.
   *
   * @default - a new customer-managed key with annual rotation, retained (KMS.3, KMS.4)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Customer-managed KMS key for the alert topic and its dead-letter queue. It is a key of its
   * own so that disabling the trail key cannot also silence the alert that reports it. The
   * construct adds the statements CloudWatch alarms and EventBridge need to a key of this app.
   *
   * @default - a new customer-managed key with annual rotation, retained (KMS.3, KMS.4)
   */
  readonly alertsEncryptionKey?: kms.IKey;

  /**
   * Object Lock default retention mode of the trail bucket's log files. Requires
   * `trailObjectLockRetention`. Without a default retention the bucket has Object Lock enabled
   * but locks nothing, so an administrator could still delete log file versions.
   *
   * @default - no default retention
   */
  readonly trailObjectLockMode?: ObjectLockMode;

  /**
   * Object Lock default retention period of the trail bucket's log files, in whole days.
   * Requires `trailObjectLockMode`.
   *
   * @default - no default retention
   */
  readonly trailObjectLockRetention?: Duration;

  /**
   * Retention of the trail's CloudWatch Logs log group: one of the CloudWatch Logs values of
   * at least a year (365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 days).
   * The bucket copy of the trail is never expired by the construct.
   *
   * @default logs.RetentionDays.ONE_YEAR (CloudWatchLogGroupRetentionPeriod, CT.CLOUDWATCH.PR.2)
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Lowest GuardDuty finding severity sent to the topic, between 1 and 10
   * (GuardDuty: low 1–3.9, medium 4–6.9, high 7–8.9, critical 9–10).
   *
   * @default 7 - high and critical findings
   */
  readonly guardDutySeverityThreshold?: number;

  /**
   * How many AccessDenied errors on the training buckets within five minutes raise the
   * `TrainingDataAccessDenied` alarm. Only used with `trainingBuckets`.
   *
   * @default 10
   */
  readonly accessDeniedThreshold?: number;

  /**
   * Name of the trail.
   *
   * @default - a name derived from the construct path (stable while the path is)
   */
  readonly trailName?: string;

  /**
   * CloudWatch namespace of the metrics the metric filters publish.
   *
   * @default - `CdkSecureAi/` followed by a name unique to this construct
   */
  readonly metricNamespace?: string;

  /**
   * Other Regions of this account whose security events a `RegionalAlertForwarder` sends to this
   * Region's default event bus. The construct adds one statement to the default event bus policy
   * that lets this account put events on it only from EventBridge rules in these Regions.
   * EventBridge rules see only their own Region: without forwarders, the GuardDuty, Security Hub,
   * ECR, Inspector, KMS and SageMaker rules cover this Region only (the trail's metric-filter
   * alarms cover every Region).
   *
   * @default - no forwarding: the EventBridge rules cover this Region only
   */
  readonly forwardedRegions?: string[];

  /**
   * Whether the construct creates its own trail (with its key, bucket, log group and delivery
   * role). Set `false` where a trail already records this account's management events, e.g. the
   * organization trail of an AWS Control Tower landing zone: a second multi-Region trail bills
   * management events a second time. Then the trail props (`trainingBuckets`, `encryptionKey`,
   * `trailName`, `logRetention`, `trailObjectLockMode`, `trailObjectLockRetention`) cannot be
   * given, and the metric-filter alarms need `trailLogGroup`.
   *
   * @default true
   */
  readonly createTrail?: boolean;

  /**
   * The CloudWatch Logs log group an existing trail delivers to, in this stack's account and
   * Region (a metric filter reads only a log group of its own account and Region). The
   * metric-filter alarms are created on it. Only with `createTrail: false`. In a Control Tower
   * member account the organization trail's log group (`aws-controltower/CloudTrailLogs`) is in
   * the management account: leave this out there; the EventBridge rules still work.
   *
   * @default - with `createTrail: false`, no metric-filter alarms (a warning says so); otherwise the construct's own log group
   */
  readonly trailLogGroup?: logs.ILogGroup;

  /**
   * An existing topic that receives every alarm and rule. Then the construct creates no topic;
   * it still creates the rules' dead-letter queue, encrypted with the alert key
   * (`alertsEncryptionKey`), and its `UndeliveredAlerts` alarm. A topic of this app
   * gets the publishing statements added; for an imported topic the construct warns, naming
   * the topic-policy statements (and key-policy statement of an encrypted topic) it needs.
   *
   * @default - a new KMS-encrypted, TLS-only topic with its own alert key and dead-letter queue
   */
  readonly alertTopic?: sns.ITopic;

  /**
   * What happens to the key, trail bucket and log group when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Audit trail, alarms and incident-response wiring for an AI/ML account.
 *
 * - a multi-Region CloudTrail trail with log-file validation, KMS-encrypted, delivered to a
 *   retained, Object-Lock-capable SecureTrainingBucket and to a KMS-encrypted log group, with
 *   management events and S3 data events for the training buckets;
 * - metric filters and alarms: unauthorized API calls, IAM policy and role changes, KMS key
 *   disabling or scheduled deletion, bucket policy changes, SageMaker endpoint and model
 *   deletions and updates, AccessDenied spikes on the training buckets;
 * - EventBridge rules for GuardDuty findings (severity threshold), Security Hub findings
 *   (CRITICAL/HIGH), ECR scan findings (CRITICAL/HIGH) and SageMaker endpoint state changes;
 * - one KMS-encrypted, TLS-only SNS topic that receives all of it: subscribe your SIEM or pager.
 *
 * It deploys no Lambda function. It does not enable GuardDuty or Security Hub (account-level).
 *
 * @example
 * const monitoring = new AiSecurityMonitoring(this, 'Monitoring', {
 *   trainingBuckets: [data.bucket],
 * });
 * monitoring.topic.addSubscription(new subscriptions.EmailSubscription('secops@example.com'));
 */
export class AiSecurityMonitoring extends Construct {
  /** The KMS key of the trail, its bucket and its log group; undefined with `createTrail: false`. */
  public readonly encryptionKey?: kms.IKey;
  /** The KMS key of the alert topic and the dead-letter queue (of the dead-letter queue only, with `alertTopic`). */
  public readonly alertsEncryptionKey: kms.IKey;
  /** The trail; undefined with `createTrail: false`. */
  public readonly trail?: cloudtrail.CfnTrail;
  /** The bucket the trail delivers log files to; undefined with `createTrail: false`. */
  public readonly trailBucket?: SecureTrainingBucket;
  /**
   * The log group the trail delivers events to; the metric filters read it. With
   * `createTrail: false` it is `trailLogGroup` (undefined without it).
   */
  public readonly logGroup?: logs.ILogGroup;
  /** The role CloudTrail assumes to write to the log group; undefined with `createTrail: false`. */
  public readonly cloudTrailLogsRole?: iam.Role;
  /** The topic every alarm and rule notifies: the hand-off to a SIEM or pager (`alertTopic` when given). */
  public readonly topic: sns.ITopic;
  /** The alarms, one per metric filter. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The EventBridge rules that route findings and state changes to the topic. */
  public readonly rules: events.Rule[] = [];
  /**
   * Where EventBridge puts an event it could not deliver to the topic (after retrying for a
   * day); the `UndeliveredAlerts` alarm watches it.
   */
  public readonly deadLetterQueue: sqs.Queue;
  /** The namespace of the metric filters' metrics. */
  public readonly metricNamespace: string;
  /** The default event bus statement that accepts forwarded events, with `forwardedRegions`. */
  public readonly forwardingPolicy?: events.CfnEventBusPolicy;

  constructor(scope: Construct, id: string, props: AiSecurityMonitoringProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const retention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    checkRetention(this, 'logRetention', props.logRetention);
    const severity = props.guardDutySeverityThreshold ?? 7;
    checkNumberProp(this, 'guardDutySeverityThreshold', props.guardDutySeverityThreshold, SEVERITY_RULE);
    if (props.trainingBuckets !== undefined && props.trainingBuckets.length === 0) {
      invalidProp(this, 'trainingBuckets', props.trainingBuckets, 'Name at least one bucket whose data events to record, or leave the prop out for management events only.');
    }
    if (props.trainingBuckets && props.trainingBuckets.length > 250) {
      invalidProp(this, 'trainingBuckets', `${props.trainingBuckets.length} buckets`, 'A trail records data events for at most 250 buckets.');
    }
    const accessDeniedThreshold = props.accessDeniedThreshold ?? 10;
    checkNumberProp(this, 'accessDeniedThreshold', props.accessDeniedThreshold, { integer: true, min: 1, fix: 'Give a whole number of errors, at least 1.' });
    checkTrailName(this, 'trailName', props.trailName);
    if (props.metricNamespace !== undefined && !Token.isUnresolved(props.metricNamespace)
      && (!/^[A-Za-z0-9.\-_/#:]{1,255}$/.test(props.metricNamespace) || props.metricNamespace.startsWith('AWS/'))) {
      invalidProp(this, 'metricNamespace', props.metricNamespace, 'Use up to 255 letters, digits and . - _ / # : characters, not starting with "AWS/" (reserved for AWS services).');
    }
    if (props.trailObjectLockMode !== undefined && props.trailObjectLockRetention === undefined) {
      invalidProp(this, 'trailObjectLockRetention', undefined, 'Set `trailObjectLockRetention` (e.g. Duration.days(365)) together with `trailObjectLockMode`.');
    }
    if (props.trailObjectLockRetention !== undefined && props.trailObjectLockMode === undefined) {
      invalidProp(this, 'trailObjectLockMode', undefined, 'Set `trailObjectLockMode` (GOVERNANCE or COMPLIANCE) together with `trailObjectLockRetention`.');
    }
    const createTrail = props.createTrail ?? true;
    checkAdoptionProps(this, props, createTrail);
    this.metricNamespace = props.metricNamespace ?? `CdkSecureAi/${Names.uniqueId(this)}`;

    if (createTrail) {
      const trailName = props.trailName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
      if (props.trailName === undefined) checkTrailName(this, 'trailName (generated from the construct path)', trailName);
      const trailArn = `arn:${stack.partition}:cloudtrail:${stack.region}:${stack.account}:trail/${trailName}`;
      const encryptionKey = props.encryptionKey ?? createKey(this, 'Key', {
        description: `Encrypts the audit trail, its logs and security alerts of ${this.node.path}`,
        removalPolicy,
      });
      this.encryptionKey = encryptionKey;
      allowTrailServicesToUseKey(this, encryptionKey, trailArn);
      this.alertsEncryptionKey = this.createAlertsKey(props, removalPolicy);
      const own = createOwnTrail(this, encryptionKey, trailName, trailArn, props.trainingBuckets, props, retention, removalPolicy);
      this.trailBucket = own.trailBucket;
      this.logGroup = own.logGroup;
      this.cloudTrailLogsRole = own.cloudTrailLogsRole;
      this.trail = own.trail;
    } else {
      this.alertsEncryptionKey = this.createAlertsKey(props, removalPolicy);
      this.logGroup = props.trailLogGroup;
      if (!this.logGroup) {
        Annotations.of(this).addWarningV2('cdk-secure-ai:no-metric-filter-alarms',
          'With `createTrail: false` and no `trailLogGroup`, no metric-filter alarms are created (UnauthorizedApiCalls, IamPolicyChanges, IamRoleChanges, '
          + 'KmsKeyDisabledOrScheduledForDeletion, BucketPolicyChanges, SageMakerEndpointOrModelChanges): a metric filter needs the trail\'s log group in this '
          + 'account and Region. Create them where the log group is (for an AWS Control Tower organization trail, the management account), or give '
          + '`trailLogGroup`. The EventBridge rules work in this account whichever trail records its management events (see the README, "Existing trail and topic").');
      }
    }

    if (props.alertTopic) {
      this.topic = props.alertTopic;
      this.requireTopicStatement('CloudWatch', this.alarmPublishStatement());
      this.requireAlertTopicKey(props.alertTopic);
    } else {
      const topic = new sns.Topic(this, 'Topic', {
        displayName: 'AI security alerts',
        masterKey: this.alertsEncryptionKey,
        enforceSSL: true,
      });
      this.topic = topic;
      topic.addToResourcePolicy(this.alarmPublishStatement());
    }
    // Created with an alert topic of the team's too: EventBridge targets need a dead-letter queue
    // (Serverless-EventBusDLQ), and with a topic whose policy the construct cannot see it is where
    // an undelivered finding shows up.
    {
      this.deadLetterQueue = alertDeadLetterQueue(this, 'DeadLetterQueue', { encryptionKey: this.alertsEncryptionKey, removalPolicy, reason: DLQ_REASON });
    }

    if (this.logGroup) this.createAlarms(this.logGroup, props.trainingBuckets !== undefined, accessDeniedThreshold);
    this.createRules(severity);
    this.forwardingPolicy = props.forwardedRegions ? this.acceptForwardedEvents(props.forwardedRegions) : undefined;
  }

  private createAlertsKey(props: AiSecurityMonitoringProps, removalPolicy: RemovalPolicy): kms.IKey {
    const key = props.alertsEncryptionKey ?? createKey(this, 'AlertsKey', {
      description: `Encrypts the security alerts (topic and dead-letter queue) of ${this.node.path}`,
      removalPolicy,
    });
    allowAlertingToUseKey(this, key);
    return key;
  }

  /**
   * Lets the EventBridge rules of this account and Region publish to the alert topic: for rules
   * in other stacks (a `ModelDataQualityMonitor` in an inference stack, for example), whose
   * constructs cannot add to this topic's policy without the two stacks referencing each other.
   * The statement names no rule: any rule of this account and Region may then send to the topic
   * (the same reach the statement for CloudWatch alarms has). The alert key already allows
   * EventBridge.
   */
  public allowEventRulesOfThisAccount(): void {
    const stack = Stack.of(this);
    this.requireTopicStatement('EventBridge rules of this account', new iam.PolicyStatement({
      sid: 'AllowEventBridgeRulesOfThisAccount',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: {
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:events:${stack.region}:${stack.account}:rule/*` },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    }));
  }

  private alarmPublishStatement(): iam.PolicyStatement {
    const stack = Stack.of(this);
    return new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsOfThisAccount',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: {
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
        StringEquals: { 'aws:SourceAccount': stack.account },
      },
    });
  }

  /** Adds a statement to the topic policy; warns, quoting it, when the topic is imported and keeps its policy. */
  private requireTopicStatement(publisher: string, statement: iam.PolicyStatement): void {
    if (this.topic.addToResourcePolicy(statement).statementAdded) return;
    const json = JSON.stringify(Stack.of(this).resolve(statement.toStatementJson()));
    Annotations.of(this).addWarningV2(`cdk-secure-ai:imported-topic-policy:${publisher}`,
      `The alert topic ${this.topic.node.path} is imported, so this construct cannot add to its topic policy. For ${publisher} to publish to it, `
      + `its topic policy must contain (see the README, "Existing trail and topic"): ${json}`);
  }

  /** An encrypted alert topic's key must let CloudWatch alarms and EventBridge use it. */
  private requireAlertTopicKey(topic: sns.ITopic): void {
    if (topic.masterKey) {
      allowAlertingToUseKey(this, topic.masterKey);
    } else if (!Resource.isOwnedResource(topic)) {
      Annotations.of(this).addWarningV2('cdk-secure-ai:imported-topic-key',
        `The alert topic ${topic.node.path} is imported, so this construct cannot see whether it is encrypted. If it is encrypted with a customer-managed KMS key, `
        + 'that key policy must contain (see the README, "Existing trail and topic"): '
        + JSON.stringify(Stack.of(this).resolve(ALERTING_KEY_STATEMENT().toStatementJson())));
    }
  }

  private acceptForwardedEvents(regions: string[]): events.CfnEventBusPolicy {
    const stack = Stack.of(this);
    if (regions.length === 0) {
      invalidProp(this, 'forwardedRegions', regions, 'Name at least one Region, or leave the prop out.');
    }
    for (const region of regions) {
      if (!Token.isUnresolved(region) && !REGION_PATTERN.test(region)) {
        invalidProp(this, 'forwardedRegions', regions, `"${region}" is not a Region name such as "eu-west-1".`);
      }
      if (!Token.isUnresolved(region) && !Token.isUnresolved(stack.region) && region === stack.region) {
        invalidProp(this, 'forwardedRegions', regions, `"${region}" is this stack's own Region: list only the other Regions.`);
      }
    }
    // A statement of its own (StatementId) on the default bus: other statements stay as they are.
    return new events.CfnEventBusPolicy(this, 'ForwardedEventsPolicy', {
      eventBusName: 'default',
      statementId: `cdk-secure-ai-${Names.uniqueId(this)}`.slice(0, 64),
      statement: {
        Effect: 'Allow',
        Principal: { AWS: `arn:${stack.partition}:iam::${stack.account}:root` },
        Action: 'events:PutEvents',
        Resource: `arn:${stack.partition}:events:${stack.region}:${stack.account}:event-bus/default`,
        Condition: {
          ArnLike: { 'aws:SourceArn': regions.map((r) => `arn:${stack.partition}:events:${r}:${stack.account}:rule/*`) },
        },
      },
    });
  }

  private createAlarms(logGroup: logs.ILogGroup, dataEvents: boolean, accessDeniedThreshold: number): void {
    limitFiltersPerLogGroup(logGroup);
    const alarm = (id: string, description: string, pattern: string, threshold = 1) => {
      checkFilterPattern(this, `${id} metric filter pattern`, pattern);
      const filter = new logs.MetricFilter(this, `${id}Filter`, {
        logGroup,
        filterPattern: logs.FilterPattern.literal(pattern),
        metricNamespace: this.metricNamespace,
        metricName: id,
        metricValue: '1',
      });
      const a = new cloudwatch.Alarm(this, `${id}Alarm`, {
        alarmDescription: description,
        metric: filter.metric({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
        threshold,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(new cwactions.SnsAction(this.topic));
      this.alarms.push(a);
    };
    const anyOf = (names: string[]) => names.map((n) => `($.eventName = ${n})`).join(' || ');
    alarm('UnauthorizedApiCalls', 'API calls denied for lack of authorization (CIS 4.1)',
      '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }');
    alarm('IamPolicyChanges', 'IAM policies created, changed, attached or detached (CIS 4.4)', `{ ${anyOf([
      'DeleteGroupPolicy', 'DeleteRolePolicy', 'DeleteUserPolicy', 'PutGroupPolicy', 'PutRolePolicy', 'PutUserPolicy',
      'CreatePolicy', 'DeletePolicy', 'CreatePolicyVersion', 'DeletePolicyVersion', 'SetDefaultPolicyVersion',
      'AttachRolePolicy', 'DetachRolePolicy', 'AttachUserPolicy', 'DetachUserPolicy', 'AttachGroupPolicy', 'DetachGroupPolicy',
    ])} }`);
    alarm('IamRoleChanges', 'IAM roles created, deleted, or their trust policy or permissions boundary changed', `{ ($.eventSource = iam.amazonaws.com) && (${anyOf([
      'CreateRole', 'DeleteRole', 'UpdateRole', 'UpdateAssumeRolePolicy', 'PutRolePermissionsBoundary', 'DeleteRolePermissionsBoundary',
    ])}) }`);
    alarm('KmsKeyDisabledOrScheduledForDeletion', 'A KMS key was disabled or scheduled for deletion (CIS 4.7)',
      `{ ($.eventSource = kms.amazonaws.com) && (${anyOf(['DisableKey', 'ScheduleKeyDeletion'])}) }`);
    alarm('BucketPolicyChanges', 'An S3 bucket policy, ACL, CORS, lifecycle or replication configuration changed (CIS 4.8)', `{ ($.eventSource = s3.amazonaws.com) && (${anyOf([
      'PutBucketAcl', 'PutBucketPolicy', 'PutBucketCors', 'PutBucketLifecycle', 'PutBucketReplication',
      'DeleteBucketPolicy', 'DeleteBucketCors', 'DeleteBucketLifecycle', 'DeleteBucketReplication',
    ])}) }`);
    alarm('SageMakerEndpointOrModelChanges', 'A SageMaker endpoint, endpoint configuration or model was deleted or updated', `{ ($.eventSource = sagemaker.amazonaws.com) && (${anyOf([
      'DeleteEndpoint', 'DeleteEndpointConfig', 'DeleteModel', 'UpdateEndpoint', 'UpdateEndpointWeightsAndCapacities',
    ])}) }`);
    if (dataEvents) {
      // Only the training buckets' data events reach this log group, so every S3 data event is theirs.
      alarm('TrainingDataAccessDenied', `At least ${accessDeniedThreshold} requests to the training buckets were denied within five minutes`,
        '{ ($.eventSource = s3.amazonaws.com) && ($.eventCategory = Data) && ($.errorCode = AccessDenied) }', accessDeniedThreshold);
    }
  }

  private createRules(severity: number): void {
    const rule = (id: string, description: string, eventPattern: events.EventPattern) => {
      const r = new events.Rule(this, id, { description, eventPattern });
      // A target of our own: the L2 SnsTopic target adds an unconditioned topic statement.
      r.addTarget({
        bind: () => ({
          arn: this.topic.topicArn,
          deadLetterConfig: { arn: this.deadLetterQueue.queueArn },
          retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
        }),
      });
      this.rules.push(r);
    };
    for (const spec of alertRuleSpecs(severity)) rule(spec.id, spec.description, spec.eventPattern);
    this.requireTopicStatement('EventBridge', new iam.PolicyStatement({
      sid: 'AllowTheseEventBridgeRules',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [this.topic.topicArn],
      conditions: { ArnEquals: { 'aws:SourceArn': this.rules.map((r) => r.ruleArn) } },
    }));
    this.deadLetterQueue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowTheseEventBridgeRulesToDeadLetter',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [this.deadLetterQueue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': this.rules.map((r) => r.ruleArn) } },
    }));
    const undelivered = new cloudwatch.Alarm(this, 'UndeliveredAlertsAlarm', {
      alarmDescription: 'EventBridge could not deliver a finding to the alert topic: read the dead-letter queue',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    undelivered.addAlarmAction(new cwactions.SnsAction(this.topic));
    this.alarms.push(undelivered);
  }

}

const DLQ_REASON =
  'This queue is itself the dead-letter queue of the EventBridge rule targets; a dead-letter queue of a dead-letter queue would only move the same undelivered events again. The UndeliveredAlerts alarm watches it.';
