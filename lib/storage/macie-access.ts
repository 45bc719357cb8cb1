import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { IConstruct } from 'constructs';

/**
 * The ARN of Amazon Macie's service-linked role in the account of `scope`. Macie creates the role
 * when it is enabled, with the path `/aws-service-role/macie.amazonaws.com/` (Macie user guide,
 * "Using service-linked roles for Macie"); only Macie can assume it, and nobody can create a role
 * under that path with CreateRole.
 */
export function macieServiceLinkedRoleArn(scope: IConstruct): string {
  const stack = Stack.of(scope);
  return `arn:${stack.partition}:iam::${stack.account}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`;
}

/**
 * Adds the key policy statement the Macie user guide gives for customer managed keys ("Analyzing
 * encrypted Amazon S3 objects", section "Allowing Macie to use a customer managed AWS KMS key"):
 * the Macie service-linked role may call `kms:Decrypt` on this key, and nothing else.
 *
 * The guide names the role as the statement's principal. A key policy's principals must exist
 * when the policy is set (KMS API reference, PutKeyPolicy: "The principals in the key policy must
 * exist and be visible to KMS"), and the role exists only once Macie is enabled, which may happen
 * after the key is deployed (or never). So the statement names the same principal by condition:
 * any principal whose `aws:PrincipalArn` is that role of this account. The effect is the guide's
 * statement; it deploys whether or not Macie is enabled yet, and grants nothing until it is.
 *
 * @returns false when the key's policy cannot be changed here (an imported key)
 */
export function allowMacieToDecrypt(key: kms.IKey): boolean {
  const { statementAdded } = key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowMacieServiceLinkedRoleToDecrypt',
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:Decrypt'],
    resources: ['*'],
    conditions: { ArnEquals: { 'aws:PrincipalArn': macieServiceLinkedRoleArn(key) } },
  }));
  return statementAdded;
}
