import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { createKey } from '../private/kms';

/**
 * The alerts of a SecureDeliveryPipeline: the topic, the EventBridge rules and their
 * dead-letter queue, created in the pipeline construct's own scope (their construct IDs are
 * those of the pipeline's children).
 */

const PIPELINE_EVENT_STATES = ['FAILED', 'STOPPED', 'SUCCEEDED', 'SUPERSEDED'];

/**
 * A CodeCommit source starts the pipeline through an EventBridge rule that CodePipeline's
 * source action creates without a dead-letter queue: give its target the alert dead-letter
 * queue, so a push that could not start the pipeline is kept (Serverless EventBusDLQ).
 */
export function sendSourceRuleFailuresToDeadLetterQueue(scope: Construct, pipeline: pipelines.CodePipeline, queue: sqs.IQueue): void {
  const stack = Stack.of(scope);
  const pipelineArn = stack.resolve(pipeline.pipeline.pipelineArn);
  const rules: events.CfnRule[] = [];
  for (const child of stack.node.findAll()) {
    if (!(child instanceof events.CfnRule)) continue;
    const pattern = stack.resolve(child.eventPattern) as { source?: string[] } | undefined;
    const targets = (stack.resolve(child.targets) ?? []) as { arn: unknown; deadLetterConfig?: unknown }[];
    const index = targets.findIndex((t) => JSON.stringify(t.arn) === JSON.stringify(pipelineArn));
    if (pattern?.source?.includes('aws.codecommit') && index >= 0 && !targets[index].deadLetterConfig) {
      // The property itself, not an override: the checks read the construct's properties.
      child.targets = targets.map((t, i) => (i === index ? { ...t, deadLetterConfig: { arn: queue.queueArn } } : t)) as
        events.CfnRule.TargetProperty[];
      rules.push(child);
    }
  }
  if (rules.length > 0) {
    queue.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowTheSourceRuleToDeadLetter',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': rules.map((r) => r.attrArn) } },
    }));
  }
}

/** A new alert topic, encrypted with a new customer-managed key that EventBridge of this account may use. */
export function createAlertTopic(scope: Construct, removalPolicy: RemovalPolicy): sns.Topic {
  const key: kms.Key = createKey(scope, 'AlertKey', { description: `Encrypts the alert topic of ${scope.node.path}`, removalPolicy });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowEventBridgeToPublishToTheEncryptedTopic',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account } },
  }));
  return new sns.Topic(scope, 'AlertTopic', { displayName: 'Delivery pipeline alerts', masterKey: key, enforceSSL: true });
}

/** The alert rules (state changes, rejected approvals) of the pipeline, their dead-letter queue, and the topic's permission. */
export function createAlertRules(scope: Construct, pipelineName: string, alertTopic: sns.ITopic):
{ rules: events.Rule[]; deadLetterQueue: sqs.Queue } {
  const pipelineArn = Stack.of(scope).formatArn({ service: 'codepipeline', resource: pipelineName });
  const rules = [
    new events.Rule(scope, 'PipelineStateRule', {
      description: `Execution state changes (${PIPELINE_EVENT_STATES.join(', ')}) of pipeline ${pipelineName}`,
      eventPattern: {
        source: ['aws.codepipeline'],
        detailType: ['CodePipeline Pipeline Execution State Change'],
        resources: [pipelineArn],
        detail: { state: PIPELINE_EVENT_STATES },
      },
    }),
    new events.Rule(scope, 'ApprovalRejectedRule', {
      description: `Rejected (failed) manual approvals of pipeline ${pipelineName}`,
      eventPattern: {
        source: ['aws.codepipeline'],
        detailType: ['CodePipeline Action Execution State Change'],
        resources: [pipelineArn],
        detail: { type: { category: ['Approval'] }, state: ['FAILED'] },
      },
    }),
  ];
  const deadLetterQueue = new sqs.Queue(scope, 'AlertDeadLetterQueue', {
    encryption: sqs.QueueEncryption.KMS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  acknowledge(deadLetterQueue, [
    { id: 'AwsSolutions-SQS3', source: FindingSource.CDK_NAG },
    { id: 'Serverless-SQSRedrivePolicy', source: FindingSource.CDK_NAG },
    { id: 'sqs_dlq_check', source: FindingSource.CFN_GUARD },
  ], 'This queue is itself the dead-letter queue of the alert rule target; a dead-letter queue of a dead-letter queue would only move the same undelivered events again.');
  for (const rule of rules) {
    rule.addTarget({
      bind: () => ({
        arn: alertTopic.topicArn,
        deadLetterConfig: { arn: deadLetterQueue.queueArn },
        retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
      }),
    });
  }
  alertTopic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowThePipelineAlertRules',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [alertTopic.topicArn],
    conditions: { ArnEquals: { 'aws:SourceArn': rules.map((r) => r.ruleArn) } },
  }));
  deadLetterQueue.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowThePipelineAlertRulesToDeadLetter',
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['sqs:SendMessage'],
    resources: [deadLetterQueue.queueArn],
    conditions: { ArnEquals: { 'aws:SourceArn': rules.map((r) => r.ruleArn) } },
  }));
  return { rules, deadLetterQueue };
}
