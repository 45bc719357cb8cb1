import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { acknowledge, FindingSource } from '../../lib/private/acknowledge';
import { createTestApp } from '../support/app';
import { complianceReport } from '../support/compliance';

const REASON = 'Canary: this bucket is acknowledged to prove the scope stays narrow.';

describe('acknowledge', () => {
  const app = createTestApp();
  const stack = new Stack(app, 'Ack');
  const quiet = new s3.Bucket(stack, 'Acknowledged');
  new s3.Bucket(stack, 'NotAcknowledged');
  acknowledge(quiet, [
    { id: 'AwsSolutions-S1', source: FindingSource.CDK_NAG },
    { id: 'HIPAA.Security-S3BucketLoggingEnabled', source: FindingSource.CDK_NAG },
    { id: 's3_bucket_logging_enabled_check', source: FindingSource.CFN_GUARD },
  ], REASON);
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
  acknowledge(role.node.findChild('DefaultPolicy'), [{ id: 'AwsSolutions-IAM5[Resource::*]', source: FindingSource.CDK_NAG }], REASON);
  const report = complianceReport(stack);
  const reported = (rule: string, path: string) => report.violations.some((v) => v.rule === rule && v.constructPath === path);

  test.each([
    ['AwsSolutions-S1'],
    ['HIPAA.Security-S3BucketLoggingEnabled'],
    ['s3_bucket_logging_enabled_check'],
  ])('%s is silenced on the acknowledged resource only', (rule) => {
    expect(reported(rule, 'Ack/Acknowledged/Resource')).toBe(false);
    expect(reported(rule, 'Ack/NotAcknowledged/Resource')).toBe(true);
  });

  test('other findings on the acknowledged resource are still reported', () => {
    expect(reported('AwsSolutions-S10', 'Ack/Acknowledged/Resource')).toBe(true);
    expect(reported('s3_bucket_versioning_enabled_check', 'Ack/Acknowledged/Resource')).toBe(true);
  });

  test('a single IAM5 finding is acknowledged, not the rule', () => {
    expect(reported('AwsSolutions-IAM5[Resource::*]', 'Ack/Role/DefaultPolicy/Resource')).toBe(false);
    // the same pack's other rules on the same policy still report
    expect(report.violations.some((v) => v.constructPath === 'Ack/Role/DefaultPolicy/Resource')).toBe(true);
  });

  test('the guard acknowledgement is recorded with its reason', () => {
    expect(report.acknowledged).toEqual(expect.arrayContaining([
      expect.objectContaining({ rule: 's3_bucket_logging_enabled_check', constructPath: 'Ack/Acknowledged/Resource' }),
    ]));
  });

  test('cdk-nag v2 suppression metadata is written on the resource', () => {
    const resources = Template.fromStack(stack).toJSON().Resources;
    const byPath = (suffix: string) => resources[stack.getLogicalId(stack.node.findChild(suffix.split('/')[0]).node.findChild(suffix.split('/')[1]) as CfnElement)];
    expect(byPath('Acknowledged/Resource').Metadata.cdk_nag.rules_to_suppress).toEqual([
      { id: 'AwsSolutions-S1', reason: REASON },
      { id: 'HIPAA.Security-S3BucketLoggingEnabled', reason: REASON },
    ]);
    expect(resources[stack.getLogicalId(role.node.findChild('DefaultPolicy').node.defaultChild as CfnElement)].Metadata.cdk_nag.rules_to_suppress).toEqual([
      { id: 'AwsSolutions-IAM5', reason: REASON, appliesTo: ['Resource::*'] },
    ]);
    expect(byPath('NotAcknowledged/Resource').Metadata?.cdk_nag).toBeUndefined();
  });
});

describe('acknowledge refuses', () => {
  const stack = new Stack(createTestApp({ checks: false }), 'Refuse');
  const bucket = new s3.Bucket(stack, 'Bucket');
  test('a missing or vague reason', () => {
    expect(() => acknowledge(bucket, [{ id: 'AwsSolutions-S1', source: FindingSource.CDK_NAG }], 'ok')).toThrow(/reason/);
  });
  test('no finding', () => {
    expect(() => acknowledge(bucket, [], REASON)).toThrow(/at least one finding/);
  });
  test('a scope that is not a resource', () => {
    expect(() => acknowledge(stack, [{ id: 'AwsSolutions-S1', source: FindingSource.CDK_NAG }], REASON)).toThrow(/not a CloudFormation resource/);
  });
});
