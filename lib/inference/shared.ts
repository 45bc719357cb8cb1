import { Duration, RemovalPolicy, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { InferenceMonitoringOptions } from './props';
import { AddAlarm, alarmFactory, allowAlarmsToUseKey, createAlarmTopic } from '../private/alarms';
import { invalidProp, isUnresolved } from '../private/errors';
import { createKey } from '../private/kms';
import { allowLogsToUseKey, createLogGroup } from '../private/logs';
import { checkNumberProp, checkRetention } from '../private/numbers';

/** Validation helpers that name the prop and the scope in their errors. */
export function numberChecks(scope: Construct) {
  // A Lazy number is resolved and range-checked at synthesis; relations between props are checked
  // by checkNumberRelation at the call sites (at synthesis when a side is a Lazy number; not at all
  // when a side is known only at deployment).
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
    let ms: number;
    try {
      ms = value.toMilliseconds();
    } catch {
      // Duration.seconds(token) cannot be converted (aws-cdk-lib): the alarm needs milliseconds
      invalidProp(scope, prop, value, 'Give a duration from a token in milliseconds, Duration.millis(...): the alarm threshold is computed from it.');
    }
    checkNumberProp(scope, prop, ms, { positive: true, fix: 'Give a positive duration, e.g. Duration.seconds(5).' });
    return value;
  };
  return { int, positive, positiveDuration };
}

/** A duration for an alarm description: `5 seconds`, or `<n> ms` for a Lazy one (resolved at synthesis). */
export function describeDuration(value: Duration): string {
  const ms = value.toMilliseconds();
  return isUnresolved(ms) ? `${Token.asString(ms)} ms` : value.toHumanString();
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
  allowAlarmsToUseKey(key);
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
  return props.alarmTopic ?? createAlarmTopic(scope, 'AlarmTopic', key);
}

/** Adds an alarm (greater than `threshold`) that notifies `topic`; its description ends with the construct path. */
export function inferenceAlarms(scope: Construct, topic: sns.ITopic, alarms: cloudwatch.Alarm[]): AddAlarm {
  const add = alarmFactory(scope, topic, alarms);
  return (alarmId, description, metric, threshold, evaluationPeriods) =>
    add(alarmId, `${description} (${scope.node.path})`, metric, threshold, evaluationPeriods);
}
