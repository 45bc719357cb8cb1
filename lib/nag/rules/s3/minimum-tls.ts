import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { Rendered } from '../render';
import { Subject, asList, flatten, isIntrinsic, listOf, markerOf, unknowable } from '../values';

const MINIMUM = 1.2;

/**
 * S3 buckets deny requests over TLS older than 1.2: a bucket policy in the same stack with a
 * statement `Deny`, principal `*`, action `s3:*` (or `*`), condition
 * `NumericLessThan: { s3:TlsVersion: 1.2 }` (or higher), on the bucket and its objects.
 * (The L2 `Bucket` writes exactly this with `minimumTLSVersion: 1.2`.)
 */
export const S3MinimumTls12: AiSecRule = defineRule({
  name: 'S3MinimumTls12',
  level: Level.ERROR,
  resourceTypes: ['AWS::S3::Bucket'],
  info: 'The S3 bucket has no bucket policy denying requests that use TLS older than 1.2 (s3:TlsVersion).',
  rationale: 'Denying plain HTTP (aws:SecureTransport) still admits TLS 1.0 and 1.1, which have known weaknesses; training data and model artifacts should only travel over TLS 1.2 or later.',
  guide: 'Encrypt Data at Rest and in Transit ("For data in transit, use TLS/SSL for all communications")',
  controls: ['no Security Hub or Control Tower control checks the TLS version (nearest: Security Hub S3.5 / CT.S3.PR.8, bucket policies should require SSL)'],
  judge: (s) => {
    const policies = policiesByBucket(s);
    const names = [`${markerOf(s.r)}»`, `${markerOf(s.r)}.Arn»`, ...(typeof s.r.props.BucketName === 'string' ? [s.r.props.BucketName] : [])];
    const mine = [...new Set(names.flatMap((name) => policies.get(name) ?? []))];
    if (mine.length === 0) return fail('no bucket policy in the app names this bucket');
    const statements = mine.flatMap((policy) => listOf({ r: policy, index: s.index }, asStatements(policy.props.PolicyDocument?.Statement), 'PolicyDocument.Statement')
      .map((statement: any) => ({ statement, policy })));
    for (const { statement, policy } of statements) {
      const version = Object.entries(statement?.Condition?.NumericLessThan ?? {}).find(([k]) => k.toLowerCase() === 's3:tlsversion')?.[1];
      if (asList(version).some(isIntrinsic)) throw unknowable({ r: policy, index: s.index }, version, 's3:TlsVersion in the bucket policy');
    }
    const denying = statements.filter(({ statement }) => deniesOldTls(statement));
    const resources = denying.flatMap(({ statement, policy }) => asList(statement.Resource).map((res) => flatten(s.index, policy.stack, res)));
    const onBucket = resources.some((res) => isBucket(res, names));
    const onObjects = resources.some((res) => isObjects(res, names));
    if (onBucket && onObjects) return OK;
    if (denying.length === 0) return fail('its bucket policy has no Deny for all principals and s3:* with NumericLessThan s3:TlsVersion 1.2 or higher');
    return fail(`the TLS deny covers ${onBucket ? 'the bucket but not its objects' : onObjects ? 'the objects but not the bucket' : 'neither the bucket nor its objects'}`);
  },
});
/**
 * The bucket policies of the app by the bucket they name (a `«Stack#Id»` marker or a literal
 * bucket name): built once per validation, so the rule costs one lookup per bucket.
 */
function policiesByBucket(s: Subject): Map<string, Rendered[]> {
  return s.index.memo('s3-bucket-policies-by-bucket', () => {
    const byBucket = new Map<string, Rendered[]>();
    for (const policy of s.index.ofType('AWS::S3::BucketPolicy')) {
      const key = flatten(s.index, policy.stack, policy.props.Bucket);
      byBucket.set(key, [...(byBucket.get(key) ?? []), policy]);
    }
    return byBucket;
  });
}

function deniesOldTls(statement: any): boolean {
  if (statement?.Effect !== 'Deny' || !allPrincipals(statement.Principal)) return false;
  if (!asList(statement.Action).some((a) => a === '*' || String(a).toLowerCase() === 's3:*')) return false;
  const condition = statement.Condition?.NumericLessThan ?? {};
  const key = Object.keys(condition).find((k) => k.toLowerCase() === 's3:tlsversion');
  if (key === undefined || Object.keys(statement.Condition).length !== 1) return false;
  const versions = asList(condition[key]).map(Number);
  // NumericLessThan with a list matches when the version is below any value: the largest one counts.
  return versions.length > 0 && versions.every((v) => !Number.isNaN(v)) && Math.max(...versions) >= MINIMUM;
}

function allPrincipals(principal: any): boolean {
  return principal === '*' || asList(principal?.AWS).includes('*');
}

function isBucket(resource: string, names: string[]): boolean {
  return names.some((name) => resource === name || resource === `arn:aws:s3:::${name}` || resource.endsWith(`:::${name}`));
}

function isObjects(resource: string, names: string[]): boolean {
  return names.some((name) => resource === `${name}/*` || resource === `arn:aws:s3:::${name}/*` || resource.endsWith(`:::${name}/*`));
}

function asStatements(statement: unknown): unknown {
  return statement === undefined || isIntrinsic(statement) || Array.isArray(statement) ? statement : [statement];
}
