import { Annotations, Resource, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { allowLogsToUseKey } from '../private/logs';

/**
 * Adds the statements the services need to a key of this app. A key imported from elsewhere
 * (`Key.fromKeyArn`, `fromLookup`) cannot be changed by the construct: then it warns, naming
 * every statement its key policy must already contain, because the deployment would succeed and
 * delivery would fail silently.
 */
function requireStatements(scope: Construct, key: kms.IKey, statements: iam.PolicyStatement[], purpose: string): void {
  const missing = statements.filter((statement) => !key.addToResourcePolicy(statement).statementAdded);
  if (missing.length === 0) return;
  const stack = Stack.of(scope);
  const json = missing.map((s) => JSON.stringify(stack.resolve(s.toStatementJson())));
  Annotations.of(scope).addWarningV2(`cdk-secure-ai:imported-key-policy:${purpose}`,
    `The key ${key.node.path} is imported, so this construct cannot add to its key policy. For ${purpose}, its key policy must contain `
    + `(see the README, "Keys you bring"): ${json.join(' ')}`);
}

/** CloudTrail (encrypt, describe, and decrypt for the S3 Bucket Key) and CloudWatch Logs on the trail key. */
export function allowTrailServicesToUseKey(scope: Construct, key: kms.IKey, trailArn: string): void {
  const stack = Stack.of(scope);
  const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');
  requireStatements(scope, key, [
    new iam.PolicyStatement({
      sid: 'AllowCloudTrailToEncryptLogs',
      principals: [cloudTrail],
      actions: ['kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceArn': trailArn },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*` },
      },
    }),
    // "If you're using an existing S3 bucket with an S3 Bucket Key, kms:Decrypt permissions are
    // required to create or update a trail with SSE-KMS encryption enabled" (CloudTrail user guide,
    // "Configure AWS KMS key policies for CloudTrail"); the trail bucket uses a bucket key.
    new iam.PolicyStatement({
      sid: 'AllowCloudTrailToDecryptForTheBucketKey',
      principals: [cloudTrail],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
    }),
    new iam.PolicyStatement({
      sid: 'AllowCloudTrailToDescribeKey',
      principals: [cloudTrail],
      actions: ['kms:DescribeKey'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceArn': trailArn } },
    }),
  ], 'CloudTrail');
  // The CloudWatch Logs statement is shared with the library's other log groups.
  if (Resource.isOwnedResource(key)) {
    allowLogsToUseKey(key);
  } else {
    const [partition, region, account] = [stack.partition, stack.region, stack.account].map((v, i) => (Token.isUnresolved(v) ? ['<partition>', '<region>', '<account>'][i] : v));
    Annotations.of(scope).addWarningV2('cdk-secure-ai:imported-key-policy:CloudWatchLogs',
      `The key ${key.node.path} is imported, so this construct cannot add to its key policy. For CloudWatch Logs, its key policy must allow `
      + `the service principal logs.${region}.amazonaws.com kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe* `
      + `with the condition ArnLike kms:EncryptionContext:aws:logs:arn = arn:${partition}:logs:${region}:${account}:log-group:* `
      + '(see the README, "Keys you bring").');
  }
}

/** CloudWatch alarms and EventBridge publishing to the topic, and EventBridge dead-lettering, on the alert key. */
export function allowAlertingToUseKey(scope: Construct, key: kms.IKey): void {
  requireStatements(scope, key, [ALERTING_KEY_STATEMENT()], 'SNS (CloudWatch alarms and EventBridge publishing to the encrypted topic)');
}

/** The key-policy statement CloudWatch alarms and EventBridge need to publish to a topic encrypted with the key. */
export const ALERTING_KEY_STATEMENT = () => new iam.PolicyStatement({
  sid: 'AllowAlarmsAndRulesToPublishToTheEncryptedTopic',
  principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com'), new iam.ServicePrincipal('events.amazonaws.com')],
  actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
  resources: ['*'],
});
