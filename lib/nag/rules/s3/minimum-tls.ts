import { CfnResource } from 'aws-cdk-lib';
import { CfnBucket, CfnBucketPolicy } from 'aws-cdk-lib/aws-s3';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { list, logicalIdOf, resolve, resourcesInStack } from '../resolve';

const MINIMUM = 1.2;

/**
 * S3 buckets deny requests over TLS older than 1.2: a bucket policy in the same stack with a
 * statement `Deny`, principal `*`, action `s3:*` (or `*`), condition
 * `NumericLessThan: { s3:TlsVersion: 1.2 }` (or higher), on the bucket and its objects.
 * (The L2 `Bucket` writes exactly this with `minimumTLSVersion: 1.2`.)
 */
export const S3MinimumTls12: AiSecRule = {
  name: 'S3MinimumTls12',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnBucket.CFN_RESOURCE_TYPE_NAME],
  info: 'The S3 bucket has no bucket policy denying requests that use TLS older than 1.2 (s3:TlsVersion).',
  rationale: 'Denying plain HTTP (aws:SecureTransport) still admits TLS 1.0 and 1.1, which have known weaknesses; training data and model artifacts should only travel over TLS 1.2 or later.',
  guide: 'Encrypt Data at Rest and in Transit ("For data in transit, use TLS/SSL for all communications")',
  controls: ['no Security Hub or Control Tower control checks the TLS version (nearest: Security Hub S3.5 / CT.S3.PR.8, bucket policies should require SSL)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnBucket)) return NagRuleCompliance.NOT_APPLICABLE;
    const bucketId = logicalIdOf(node);
    const bucketName = resolve(node, node.bucketName);
    const names = [bucketId, ...(typeof bucketName === 'string' ? [bucketName] : [])];
    const policies = resourcesInStack(node, CfnBucketPolicy).filter((policy) => {
      const target = resolve(policy, policy.bucket);
      return names.includes(target?.Ref ?? target);
    });
    return policies.some((policy) => deniesOldTls(policy, names))
      ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};

function deniesOldTls(policy: CfnBucketPolicy, names: string[]): boolean {
  const document = resolve(policy, policy.policyDocument);
  return list(document?.Statement, 'PolicyDocument.Statement').some((statement: any) => {
    if (statement?.Effect !== 'Deny' || !allPrincipals(statement.Principal)) return false;
    if (!asList(statement.Action).some((a) => a === '*' || String(a).toLowerCase() === 's3:*')) return false;
    const version = statement.Condition?.NumericLessThan?.['s3:TlsVersion'];
    if (version === undefined || typeof version === 'object' || Number(version) < MINIMUM) return false;
    const resources = asList(statement.Resource).map((r) => JSON.stringify(r));
    const coversBucket = resources.some((r) => mentions(r, names) && !r.includes('/'));
    const coversObjects = resources.some((r) => mentions(r, names) && /\/\*"\]*\]*\}*$/.test(r));
    return coversBucket && coversObjects;
  });
}

function allPrincipals(principal: any): boolean {
  return principal === '*' || asList(principal?.AWS).includes('*');
}

function asList(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function mentions(text: string, names: string[]): boolean {
  return names.some((name) => new RegExp(`(^|[^\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(text));
}
