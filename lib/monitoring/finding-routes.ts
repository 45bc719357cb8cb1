import { Names } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * Sends the rule's events to the topic (undelivered ones to the dead-letter queue) and, when the
 * topic and queue are defined in this app, lets this rule (and no other) publish and dead-letter. A topic encrypted with a customer managed key must also let
 * events.amazonaws.com use the key (AiSecurityMonitoring's alert key does); an imported topic's
 * policy is the owner's to change.
 */
export function routeToTopic(rule: events.Rule, topic: sns.ITopic, deadLetterQueue: sqs.IQueue): void {
  // A target of our own: the L2 SnsTopic target adds an unconditioned topic statement.
  rule.addTarget({
    bind: () => ({
      arn: topic.topicArn,
      deadLetterConfig: { arn: deadLetterQueue.queueArn },
      retryPolicy: { maximumEventAgeInSeconds: 86_400, maximumRetryAttempts: 185 },
    }),
  });
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: `AllowRule${Names.uniqueId(rule)}`.slice(0, 100),
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
  }));
  deadLetterQueue.addToResourcePolicy(new iam.PolicyStatement({
    sid: `AllowRule${Names.uniqueId(rule)}`.slice(0, 100),
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['sqs:SendMessage'],
    resources: [deadLetterQueue.queueArn],
    conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
  }));
}
