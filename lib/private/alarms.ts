import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** How the alarms of one construct compare their metric with the threshold. */
export interface AlarmWiringOptions {
  /** @default cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
}

/** Adds an alarm to the construct, notifying the topic; returns it. */
export type AddAlarm = (
  alarmId: string, description: string, metric: cloudwatch.IMetric, threshold: number, evaluationPeriods?: number,
) => cloudwatch.Alarm;

/**
 * The alarm wiring of the library's constructs: each alarm added with the returned function is
 * created in `scope`, treats missing data as not breaching (no traffic is no incident), notifies
 * `topic` and is pushed onto `alarms` (the construct's public list).
 */
export function alarmFactory(scope: Construct, topic: sns.ITopic, alarms: cloudwatch.Alarm[], options: AlarmWiringOptions = {}): AddAlarm {
  const action = new cw_actions.SnsAction(topic);
  return (alarmId, description, metric, threshold, evaluationPeriods = 1) => {
    const created = new cloudwatch.Alarm(scope, alarmId, {
      alarmDescription: description.slice(0, 1024), // PutMetricAlarm: AlarmDescription at most 1024 characters
      metric,
      threshold,
      evaluationPeriods,
      comparisonOperator: options.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    created.addAlarmAction(action);
    alarms.push(created);
    return created;
  };
}

/** Lets CloudWatch alarms of this account encrypt to (and read) a topic encrypted with `key`. */
export function allowAlarmsToUseKey(key: kms.IKey): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(key).account } },
  }));
}

/**
 * An SNS topic for alarms: encrypted with `key`, TLS-only publishes, and a policy that lets only
 * CloudWatch alarms of this account publish.
 */
export function createAlarmTopic(scope: Construct, id: string, key: kms.IKey): sns.Topic {
  const topic = new sns.Topic(scope, id, {
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
