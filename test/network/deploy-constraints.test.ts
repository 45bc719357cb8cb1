import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { NetworkStage, SegmentedAiVpc } from '../../lib';
import { AclRule, checkAclRules } from '../../lib/network/network-acls';
import { createTestApp } from '../support/app';
import { expectInvalidProp } from '../support/errors';

/** Deploy-time constraints of SegmentedAiVpc's resources (docs/deploy-constraints/network-identity-containers.md). */
describe('SegmentedAiVpc deploy-time constraints', () => {
  const app = () => createTestApp({ checks: false, context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });

  test('C-SG-1: security group descriptions fit EC2\'s 255 characters and character set, whatever the construct path', () => {
    const stack = new Stack(app(), 'Network');
    let scope: Construct = stack;
    for (let i = 0; i < 12; i++) scope = new Construct(scope, `Deeply-Nested-Platform-Component-${i}`);
    new SegmentedAiVpc(scope, 'Réseau~Prod', { stage: NetworkStage.DEV });
    const groups = Object.values<any>(Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const group of groups) {
      const description: string = group.Properties.GroupDescription;
      expect(description.length).toBeLessThanOrEqual(255);
      expect(description).toMatch(/^[a-zA-Z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/);
    }
  });

  test('C-SG-1: a description that already fits is unchanged (a changed description replaces the group)', () => {
    const stack = new Stack(app(), 'Network');
    new SegmentedAiVpc(stack, 'Net', { stage: NetworkStage.DEV });
    const descriptions = Object.values<any>(Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup')).map((g) => g.Properties.GroupDescription).sort();
    expect(descriptions).toEqual([
      'Inference tier of Network/Net: HTTPS out only',
      'Interface endpoints of Network/Net: HTTPS in from the training and inference tiers',
      'Training tier of Network/Net: HTTPS out; all traffic within the group for distributed training',
    ]);
  });

  test('C-VPCE-1: an S3 endpoint policy over 20,480 characters fails synthesis, naming the constraint', () => {
    const a = app();
    const stack = new Stack(a, 'Network');
    const names = Array.from({ length: 400 }, (_, i) => `partner-dataset-bucket-number-${i}`);
    new SegmentedAiVpc(stack, 'Net', { stage: NetworkStage.DEV, allowedS3BucketNames: names });
    expect(() => a.synth()).toThrow(/s3Endpoint endpoint has \d+ characters.*C-VPCE-1/);
  });

  test('C-VPCE-1 canary: a few named buckets synthesize', () => {
    const a = app();
    new SegmentedAiVpc(new Stack(a, 'Network'), 'Net', { stage: NetworkStage.DEV, allowedS3BucketNames: ['partner-datasets'] });
    expect(() => a.synth()).not.toThrow();
  });

  describe('network ACL rules (C-NACL-1..3): the checker refuses what EC2 refuses', () => {
    const network = new SegmentedAiVpc(new Stack(app(), 'Network'), 'Net', { stage: NetworkStage.DEV });
    const rule = (n: number, egress = true) => ({ n, egress, allow: true, cidr: '10.0.0.0/16', traffic: undefined, why: `R${n}` });
    const check = (rules: unknown[]) => () => checkAclRules(network, 'Training', rules as AclRule[]);
    test.each([0, 32767, 1.5])('rule number %s', (n) => {
      expectInvalidProp(check([rule(n)]), 'Network/Net', /C-NACL-1; CloudFormation AWS::EC2::NetworkAclEntry/);
    });
    test('a rule number twice in one direction', () => {
      expectInvalidProp(check([rule(100), rule(100)]), 'Network/Net', /C-NACL-2/);
    });
    test('the same number in both directions is fine', () => {
      expect(check([rule(100, true), rule(100, false)])).not.toThrow();
    });
    test('21 rules in one direction', () => {
      expectInvalidProp(check(Array.from({ length: 21 }, (_, i) => rule(100 + i))), 'Network/Net', /C-NACL-3; Amazon VPC quotas/);
    });
  });
});
