import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { LeastPrivilegeSageMakerRole, SageMakerWorkload, SecureTrainingBucket } from '../../lib';
import { createTestApp } from '../support/app';
import { expectInvalidProp } from '../support/errors';

/** Deploy-time constraints of LeastPrivilegeSageMakerRole's resources (docs/deploy-constraints/network-identity-containers.md). */
describe('LeastPrivilegeSageMakerRole deploy-time constraints', () => {
  const app = () => createTestApp({ checks: false, context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });

  test.each([
    ['has a space', 'training role'],
    ['is 65 characters', 'r'.repeat(65)],
    ['has a slash', 'ml/training'],
  ])('C-IAM-1: a roleName that %s is refused', (_why, roleName) => {
    const stack = new Stack(app(), 'Identity');
    expectInvalidProp(() => new LeastPrivilegeSageMakerRole(stack, 'Ml', { workloads: [SageMakerWorkload.TRAINING], roleName }), 'Identity/Ml', /`roleName`.*C-IAM-1; IAM API reference, CreateRole/);
  });

  test('C-IAM-1: a valid roleName passes', () => {
    const stack = new Stack(app(), 'Identity');
    expect(() => new LeastPrivilegeSageMakerRole(stack, 'Ml', { workloads: [SageMakerWorkload.TRAINING], roleName: 'ml-training+v2@team=a,b.c_d' })).not.toThrow();
  });

  test('C-IAM-2, C-IAM-6: role and policy descriptions fit 1,000 characters of IAM\'s set, whatever the path', () => {
    const stack = new Stack(app(), 'Identity');
    let scope: Construct = stack;
    for (let i = 0; i < 40; i++) scope = new Construct(scope, `Nested-Component-With-A-Long-Name-${i}`);
    new LeastPrivilegeSageMakerRole(scope, 'Rôle✓', { workloads: [SageMakerWorkload.TRAINING] });
    const template = Template.fromStack(stack);
    const descriptions = [
      ...Object.values<any>(template.findResources('AWS::IAM::Role')).map((r) => r.Properties.Description),
      ...Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy')).map((r) => r.Properties.Description),
    ];
    expect(descriptions.length).toBeGreaterThanOrEqual(3);
    for (const d of descriptions) {
      expect(d.length).toBeLessThanOrEqual(1000);
      expect(d).toMatch(/^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]+$/);
    }
  });

  test('C-IAM-4: a data-access policy over 6,144 characters fails synthesis, naming the constraint', () => {
    const a = app();
    const stack = new Stack(a, 'Identity');
    const data = new SecureTrainingBucket(stack, 'Data');
    new LeastPrivilegeSageMakerRole(stack, 'Ml', {
      workloads: [SageMakerWorkload.TRAINING],
      inputs: [{ bucket: data.bucket, prefixes: Array.from({ length: 120 }, (_, i) => `datasets/customer-segment-${i}/`) }],
    });
    expect(() => a.synth()).toThrow(/DataAccessPolicy: the policy document has \d+ characters.*C-IAM-4/);
  });

  test('C-IAM-4 canary: a few prefixes synthesize', () => {
    const a = app();
    const stack = new Stack(a, 'Identity');
    const data = new SecureTrainingBucket(stack, 'Data');
    new LeastPrivilegeSageMakerRole(stack, 'Ml', { workloads: [SageMakerWorkload.TRAINING], inputs: [{ bucket: data.bucket, prefixes: ['datasets/'] }] });
    expect(() => a.synth()).not.toThrow();
  });
});
