import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { InferenceMonitoringOptions } from './props';
import { invalidProp, isUnresolved } from '../private/errors';
import { createKey } from '../private/kms';
import { allowLogsToUseKey, createLogGroup } from '../private/logs';
import { checkNumberProp, checkRetention } from '../private/numbers';

/** Validation helpers that name the prop and the scope in their errors. */
export function numberChecks(scope: Construct) {
  // A Lazy number is resolved and range-checked at synthesis; relations between two props are
  // checked when both are literals (see the call sites).
  const int = (prop: string, value: number | undefined, fallback: number, min: number, max: number, fix?: string): number => {
    const rule = { integer: true, min, max, fix: fix ?? `Give a whole number between ${min} and ${max}.` };
    checkNumberProp(scope, prop, value, rule);
    // a default derived from other props (maxInstanceCount) is checked too, naming this prop
    if (value === undefined && !isUnresolved(fallback) && !(Number.isInteger(fallback) && fallback >= min && fallback <= max)) {
      invalidProp(scope, prop, `its default ${fallback}`, rule.fix);
    }
    return value ?? fallback;
  };
  const positive = (prop: string, value: number | undefined, fallback: number): number => {
    checkNumberProp(scope, prop, value, { positive: true, fix: 'Give a positive number of requests per second.' });
    return value ?? fallback;
  };
  const positiveDuration = (prop: string, value: Duration): Duration => {
    if (!isUnresolved(value.toMilliseconds()) && value.toMilliseconds() <= 0) {
      invalidProp(scope, prop, value, 'Give a positive duration, e.g. Duration.seconds(5).');
    }
    return value;
  };
  return { int, positive, positiveDuration };
}

/** The monitoring settings both sides share, validated and resolved. */
export interface Monitoring {
  readonly key: kms.IKey;
  readonly retention: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
}

export function validateMonitoring(scope: Construct, props: InferenceMonitoringOptions):
{ logRetention: logs.RetentionDays; removalPolicy: RemovalPolicy } {
  const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
  checkRetention(scope, 'logRetention', props.logRetention, { allowInfinite: true });
  return { logRetention, removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN };
}

/** The key of the log groups and alarm topic: the given one, or a new one CloudWatch Logs and alarms may use. */
export function monitoringKey(scope: Construct, props: InferenceMonitoringOptions, removalPolicy: RemovalPolicy): kms.IKey {
  if (props.monitoringEncryptionKey) return props.monitoringEncryptionKey;
  const key = createKey(scope, 'MonitoringKey', {
    description: `Encrypts the logs and alarm topic of ${scope.node.path}`,
    removalPolicy,
  });
  allowLogsToUseKey(key);
  const stack = Stack.of(scope);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
  }));
  return key;
}

/** A log group encrypted with the monitoring key, with the monitoring retention and removal policy. */
export function monitoredLogGroup(scope: Construct, m: Monitoring, id: string, purpose: string, logGroupName: string | undefined): logs.LogGroup {
  return createLogGroup(scope, id, {
    encryptionKey: m.key,
    retention: m.retention,
    removalPolicy: m.removalPolicy,
    logGroupName,
    purpose,
  }).logGroup;
}

/** The topic of the alarms: the given one, or a KMS-encrypted topic only CloudWatch alarms of this account publish to. */
export function alarmTopic(scope: Construct, props: InferenceMonitoringOptions, key: kms.IKey): sns.ITopic {
  if (props.alarmTopic) return props.alarmTopic;
  const topic = new sns.Topic(scope, 'AlarmTopic', {
    displayName: `Alarms of ${scope.node.path}`.slice(0, 100), // SNS CreateTopic: DisplayName at most 100 characters
    masterKey: key,
    enforceSSL: true,
  });
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowAlarmsOfThisAccountToPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
  }));
  return topic;
}

/** Adds an alarm (greater than `threshold`, missing data not breaching) that notifies `topic`. */
export function alarmFactory(scope: Construct, topic: sns.ITopic, alarms: cloudwatch.Alarm[]) {
  const action = new cw_actions.SnsAction(topic);
  return (alarmId: string, description: string, metric: cloudwatch.IMetric, threshold: number, evaluationPeriods = 1) => {
    const created = new cloudwatch.Alarm(scope, alarmId, {
      alarmDescription: `${description} (${scope.node.path})`.slice(0, 1024), // PutMetricAlarm: AlarmDescription at most 1024 characters
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    created.addAlarmAction(action);
    alarms.push(created);
    return created;
  };
}

/** The resource string as cdk-nag writes it in an IAM5 finding ID (`<Logical.Arn>`, `<AWS::Region>`). */
export function nagResourceString(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const r = resource as Record<string, unknown>;
  if (r['Fn::Join']) {
    const [sep, parts] = r['Fn::Join'] as [string, unknown[]];
    return parts.map(nagResourceString).join(sep);
  }
  if (r.Ref) return `<${r.Ref}>`;
  if (r['Fn::GetAtt']) return `<${(r['Fn::GetAtt'] as string[]).join('.')}>`;
  return JSON.stringify(resource);
}
