import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/** What differs between the customer-managed keys the library creates. */
export interface KeyOptions {
  readonly description: string;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * A customer-managed KMS key as the library creates them: annual rotation (KMS.4), the longest
 * deletion window (KMS.3), retained by default, and a key policy that lets only AWS services
 * create grants on it (Control Tower CT.KMS.PR.3).
 */
export function createKey(scope: Construct, id: string, options: KeyOptions): kms.Key {
  const key = new kms.Key(scope, id, {
    description: options.description,
    enableKeyRotation: true,
    pendingWindow: Duration.days(30),
    removalPolicy: options.removalPolicy,
  });
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyGrantsNotForAwsResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: {
      BoolIfExists: {
        'kms:GrantIsForAWSResource': 'false',
        'aws:PrincipalIsAWSService': 'false',
      },
    },
  }));
  return key;
}
