import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createKey } from './kms';

/** What differs between the log groups the library creates. */
export interface LogGroupOptions {
  /** KMS key to encrypt with; a new one (createKey) when absent. */
  readonly encryptionKey?: kms.IKey;
  /** Retention; the library never goes below one year. */
  readonly retention?: logs.RetentionDays;
  readonly removalPolicy: RemovalPolicy;
  /** Physical name, when a service requires one (e.g. WAF logs must start with `aws-waf-logs-`). */
  readonly logGroupName?: string;
  /** Used in the description of a created key. */
  readonly purpose: string;
}

/**
 * A CloudWatch Logs log group as the library creates them: KMS-encrypted with a customer-managed
 * key (CloudWatchLogGroupEncrypted), at least one year of retention
 * (CloudWatchLogGroupRetentionPeriod), retained on deletion.
 *
 * A created key gets the key-policy statement CloudWatch Logs needs, limited to log groups of
 * this account and Region by encryption context.
 */
export function createLogGroup(scope: Construct, id: string, options: LogGroupOptions): { logGroup: logs.LogGroup; key: kms.IKey } {
  const key = options.encryptionKey ?? createKey(scope, `${id}Key`, {
    description: `Encrypts ${options.purpose} logs in ${scope.node.path}`,
    removalPolicy: options.removalPolicy,
  });
  if (!options.encryptionKey) allowLogsToUseKey(key);
  const logGroup = new logs.LogGroup(scope, id, {
    logGroupName: options.logGroupName,
    encryptionKey: key,
    retention: options.retention ?? logs.RetentionDays.ONE_YEAR,
    removalPolicy: options.removalPolicy,
  });
  return { logGroup, key };
}

/** Lets CloudWatch Logs of this account and Region use `key` for its log groups. */
export function allowLogsToUseKey(key: kms.IKey): void {
  const stack = Stack.of(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsOfThisAccount',
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
    },
  }));
}
