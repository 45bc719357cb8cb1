import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LeastPrivilegeSageMakerRole, SageMakerWorkload, SecureTrainingBucket } from '../../lib';
import { createTestApp } from '../support/app';
import { findViolations } from '../support/compliance';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, PolicySimulator } from '../support/iam';

/** Scoping an existing execution role: the construct's policies are attached to it, nothing inline. */
describe('LeastPrivilegeSageMakerRole on an existing role', () => {
  const ROLE = `arn:aws:iam::${ACCOUNT}:role/ExistingSageMakerRole`;
  const stack = new Stack(createTestApp(), 'Existing');
  const data = new SecureTrainingBucket(stack, 'Data');
  const other = new SecureTrainingBucket(stack, 'Other');
  const existing = iam.Role.fromRoleArn(stack, 'Imported', ROLE);
  const ml = new LeastPrivilegeSageMakerRole(stack, 'Ml', {
    workloads: [SageMakerWorkload.TRAINING],
    inputs: [{ bucket: data.bucket, prefixes: ['datasets/'] }],
    existingRole: existing,
  });
  other.grantRead(ml, 'features/'); // a CDK grant on the construct
  const template = Template.fromStack(stack);

  test('no role is created and no inline policy is written; every policy is attached to the existing role by name', () => {
    expect(template.findResources('AWS::IAM::Role')).toEqual({});
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
    const policies = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies.length).toBeGreaterThanOrEqual(3); // data access, logging, later grants
    for (const p of policies) expect(p.Properties.Roles).toEqual(['ExistingSageMakerRole']);
    expect(ml.role).toBe(existing);
  });

  test('the checks report only the wildcard the CDK grant wrote (as for a created role; the construct\'s own are acknowledged)', () => {
    expect(findViolations(stack).map((v) => `${v.rule} at ${v.constructPath}`)).toEqual([
      'AwsSolutions-IAM5[Resource::<OtherBucket850E530A.Arn>/features/*] at Existing/Ml/GrantsPolicy/Resource',
    ]);
  });

  test.each<[string, string, string, string]>([
    ['reads under its input prefix', 's3:GetObject', 'datasets/a.csv', 'Allowed'],
    ['cannot read elsewhere', 's3:GetObject', 'secrets/a.csv', 'ImplicitlyDenied'],
  ])('decided by the IAM simulator: the existing role %s', async (_name, action, key, expected) => {
    const sim = new PolicySimulator(stack);
    const identityPolicies = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))
      .filter((p) => p.Properties.Roles.includes('ExistingSageMakerRole')).map((p) => sim.resolve(p.Properties.PolicyDocument));
    expect(await sim.decide({ principal: ROLE, identityPolicies, action, resource: `${sim.arnOf(data.bucket)}/${key}`, context: { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' } })).toBe(expected);
  });

  test.each([
    ['roleName', { roleName: 'Other' }, /`roleName`.*not both/],
    ['permissionsBoundary', { permissionsBoundary: iam.ManagedPolicy.fromAwsManagedPolicyName('PowerUserAccess') }, /`permissionsBoundary`.*not both/],
  ])('with %s it is refused', (_prop, extra, message) => {
    const s = new Stack(createTestApp({ checks: false }), 'Bad');
    const role = iam.Role.fromRoleArn(s, 'Imported', ROLE);
    expectInvalidProp(() => new LeastPrivilegeSageMakerRole(s, 'Ml', { workloads: [SageMakerWorkload.TRAINING], existingRole: role, ...extra }), 'Bad/Ml', message);
  });
});
