import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { acknowledge, FindingSource } from './acknowledge';

/**
 * The dead-letter queue of EventBridge rule targets that deliver alerts: encrypted with the
 * alerting key (SSE-SQS without one: EventBridge then needs no key policy), TLS only, events kept
 * 14 days (the SQS maximum). It is itself a dead-letter queue, so the "has no dead-letter queue"
 * findings are acknowledged on it with `reason`.
 */
export function alertDeadLetterQueue(scope: Construct, id: string, options: {
  readonly encryptionKey?: kms.IKey;
  readonly removalPolicy: RemovalPolicy;
  readonly reason: string;
}): sqs.Queue {
  const encryption = options.encryptionKey
    ? { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: options.encryptionKey, dataKeyReuse: Duration.hours(1) }
    : { encryption: sqs.QueueEncryption.SQS_MANAGED };
  const queue = new sqs.Queue(scope, id, {
    ...encryption,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: options.removalPolicy,
  });
  acknowledge(queue, [
    { id: 'AwsSolutions-SQS3', source: FindingSource.CDK_NAG },
    { id: 'Serverless-SQSRedrivePolicy', source: FindingSource.CDK_NAG },
    { id: 'sqs_dlq_check', source: FindingSource.CFN_GUARD },
  ], options.reason);
  return queue;
}
