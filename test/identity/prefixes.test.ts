import { Stack } from 'aws-cdk-lib';
import { LeastPrivilegeSageMakerRole, SageMakerWorkload, SecureTrainingBucket } from '../../lib';
import { createTestApp } from '../support/app';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, PolicySimulator } from '../support/iam';

/**
 * A key prefix without a trailing slash ("datasets") would be granted as `datasets*`, which also
 * matches "datasets-private/…". Decision: a prefix must end with "/" (a folder); the construct
 * refuses any other, naming the prop.
 */
describe('LeastPrivilegeSageMakerRole key prefixes end with a slash', () => {
  const stack = new Stack(createTestApp({ checks: false }), 'Prefixes');
  const data = new SecureTrainingBucket(stack, 'Data');
  const role = new LeastPrivilegeSageMakerRole(stack, 'Ml', {
    workloads: [SageMakerWorkload.TRAINING],
    inputs: [{ bucket: data.bucket, prefixes: ['datasets/'] }],
  });
  const sim = new PolicySimulator(stack);
  const bucket = sim.arnOf(data.bucket);
  const tls = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' };

  test('why: a grant on "datasets*" reaches "datasets-private/" (the IAM simulator says so)', async () => {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucket}/datasets*` }] };
    expect(await sim.decide({ principal: `arn:aws:iam::${ACCOUNT}:role/Other`, identityPolicies: [policy], action: 's3:GetObject', resource: `${bucket}/datasets-private/secret.csv`, context: tls }))
      .toBe('Allowed');
  });

  test.each<[string, string, string, Record<string, string>, string]>([
    ['reads under datasets/', 's3:GetObject', `${bucket}/datasets/train.csv`, tls, 'Allowed'],
    ['cannot read datasets-private/', 's3:GetObject', `${bucket}/datasets-private/secret.csv`, tls, 'ImplicitlyDenied'],
    ['cannot read a key named datasets.csv', 's3:GetObject', `${bucket}/datasets.csv`, tls, 'ImplicitlyDenied'],
    ['lists datasets/', 's3:ListBucket', bucket, { ...tls, 's3:prefix': 'datasets/' }, 'Allowed'],
    ['cannot list datasets-private/', 's3:ListBucket', bucket, { ...tls, 's3:prefix': 'datasets-private/' }, 'ImplicitlyDenied'],
  ])('with "datasets/": the role %s', async (_name, action, resource, context, expected) => {
    expect(await sim.decide({ principal: role.role, action, resource, context })).toBe(expected);
  });

  test.each(['datasets', 'datasets/train-', 'models/v1'])('"%s" is refused, naming the prop and the fix', (prefix) => {
    const s = new Stack(createTestApp({ checks: false }), 'Bad');
    const d = new SecureTrainingBucket(s, 'Data');
    expectInvalidProp(() => new LeastPrivilegeSageMakerRole(s, 'Ml', { workloads: [SageMakerWorkload.TRAINING], inputs: [{ bucket: d.bucket, prefixes: [prefix] }] }),
      'Bad/Ml', new RegExp(`\`inputs\\[0\\]\\.prefixes\`.*"${prefix.replace('/', '\\/')}" does not end with "/"`));
  });

  test('grantWriteTo refuses it too', () => {
    expectInvalidProp(() => role.grantWriteTo({ bucket: data.bucket, prefixes: ['models'] }), 'Prefixes/Ml', /`access\.prefixes`.*"models" does not end with "\/"/);
  });
});
