import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { constraints, DeployConstraint, violates } from '../private/deploy-constraint';

const NAMING = 'S3 user guide, "General purpose bucket naming rules"';

/** Deploy-time constraints of S3 buckets the library checks (docs/deploy-constraints/monitoring-storage.md). */
export const S3_CONSTRAINTS = constraints({
  nameLength: { id: 'S3-1', rule: 'a bucket name is 3 to 63 characters long', source: NAMING },
  nameCharacters: { id: 'S3-2', rule: 'a bucket name has only lowercase letters, digits, periods and hyphens, and begins and ends with a letter or digit', source: NAMING },
  nameAdjacentPeriods: { id: 'S3-3', rule: 'a bucket name has no two adjacent periods', source: NAMING },
  nameIpAddress: { id: 'S3-4', rule: 'a bucket name is not formatted as an IP address', source: NAMING },
  nameReservedPrefix: { id: 'S3-5', rule: 'a bucket name does not start with xn--, sthree- or amzn-s3-demo-', source: NAMING },
  nameReservedSuffix: { id: 'S3-6', rule: 'a bucket name does not end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3', source: NAMING },
});

/** Checks a general purpose bucket name against the S3 naming rules. */
export function checkBucketName(scope: IConstruct, prop: string, name: string | undefined): void {
  if (name === undefined || Token.isUnresolved(name)) return;
  const fail = (c: DeployConstraint) => violates(scope, prop, name, c, 'Choose another bucket name, or leave the prop out for a generated one.');
  if (name.length < 3 || name.length > 63) fail(S3_CONSTRAINTS.nameLength);
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) fail(S3_CONSTRAINTS.nameCharacters);
  if (name.includes('..')) fail(S3_CONSTRAINTS.nameAdjacentPeriods);
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) fail(S3_CONSTRAINTS.nameIpAddress);
  if (['xn--', 'sthree-', 'amzn-s3-demo-'].some((p) => name.startsWith(p))) fail(S3_CONSTRAINTS.nameReservedPrefix);
  if (['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'].some((s) => name.endsWith(s))) fail(S3_CONSTRAINTS.nameReservedSuffix);
}
