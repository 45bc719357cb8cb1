import { CfnParameter, Lazy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { fixtureStack, outcome } from './support';
import { ECRKms } from '../../../lib/nag/rules/ecr/kms';
import { ECRLifecyclePolicy } from '../../../lib/nag/rules/ecr/lifecycle-policy';
import { ECRScanOnPush } from '../../../lib/nag/rules/ecr/scan-on-push';
import { ECRTagImmutability } from '../../../lib/nag/rules/ecr/tag-immutability';
import { WAFv2Logging } from '../../../lib/nag/rules/wafv2/logging';
import { WAFv2Metrics } from '../../../lib/nag/rules/wafv2/metrics';
import { WAFv2RateBasedRule } from '../../../lib/nag/rules/wafv2/rate-based-rule';

function repository(props: ecr.CfnRepositoryProps = {}) {
  const stack = fixtureStack();
  return { stack, node: new ecr.CfnRepository(stack, 'Repo', props) };
}

describe('AiSec-ECRScanOnPush', () => {
  const rule = ECRScanOnPush;
  test('scan on push is compliant', () => expect(outcome(rule, repository({ imageScanningConfiguration: { scanOnPush: true } }).node)).toBe('COMPLIANT'));
  test('scan on push from a resolving token is compliant', () =>
    expect(outcome(rule, repository({ imageScanningConfiguration: { scanOnPush: Lazy.any({ produce: () => true }) } }).node)).toBe('COMPLIANT'));
  test('no scanning configuration is non-compliant', () => expect(outcome(rule, repository().node)).toBe('NON_COMPLIANT'));
  test('scan on push false is non-compliant', () => expect(outcome(rule, repository({ imageScanningConfiguration: { scanOnPush: false } }).node)).toBe('NON_COMPLIANT'));
  test('a parameter is reported as unresolvable', () => {
    const { stack, node } = repository();
    node.imageScanningConfiguration = { scanOnPush: new CfnParameter(stack, 'Scan').valueAsString as any };
    expect(outcome(rule, node)).toBe('THREW');
  });
});

describe('AiSec-ECRTagImmutability', () => {
  const rule = ECRTagImmutability;
  test('IMMUTABLE is compliant', () => expect(outcome(rule, repository({ imageTagMutability: 'IMMUTABLE' }).node)).toBe('COMPLIANT'));
  test('IMMUTABLE_WITH_EXCLUSION from a resolving token is compliant', () =>
    expect(outcome(rule, repository({ imageTagMutability: Lazy.string({ produce: () => 'IMMUTABLE_WITH_EXCLUSION' }) }).node)).toBe('COMPLIANT'));
  test('the default (absent, MUTABLE) is non-compliant', () => expect(outcome(rule, repository().node)).toBe('NON_COMPLIANT'));
  test('MUTABLE is non-compliant', () => expect(outcome(rule, repository({ imageTagMutability: 'MUTABLE' }).node)).toBe('NON_COMPLIANT'));
  test('a parameter is reported as unresolvable', () => {
    const { stack, node } = repository();
    node.imageTagMutability = new CfnParameter(stack, 'Mutability').valueAsString;
    expect(outcome(rule, node)).toBe('THREW');
  });
});

describe('AiSec-ECRKms', () => {
  const rule = ECRKms;
  test('KMS with a key of the stack (GetAtt) is compliant', () => {
    const { stack, node } = repository();
    node.encryptionConfiguration = { encryptionType: 'KMS', kmsKey: new kms.CfnKey(stack, 'Key', {}).attrArn };
    expect(outcome(rule, node)).toBe('COMPLIANT');
  });
  test('KMS without a key (AWS managed key) is non-compliant', () =>
    expect(outcome(rule, repository({ encryptionConfiguration: { encryptionType: 'KMS' } }).node)).toBe('NON_COMPLIANT'));
  test('AES256 and the default are non-compliant', () => {
    expect(outcome(rule, repository({ encryptionConfiguration: { encryptionType: 'AES256' } }).node)).toBe('NON_COMPLIANT');
    expect(outcome(rule, repository().node)).toBe('NON_COMPLIANT');
  });
});

describe('AiSec-ECRLifecyclePolicy', () => {
  const rule = ECRLifecyclePolicy;
  const text = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }] });
  test('a lifecycle policy is compliant', () => expect(outcome(rule, repository({ lifecyclePolicy: { lifecyclePolicyText: text } }).node)).toBe('COMPLIANT'));
  test('a policy text from a parameter is given (a reference)', () => {
    const { stack, node } = repository();
    node.lifecyclePolicy = { lifecyclePolicyText: new CfnParameter(stack, 'Lifecycle').valueAsString };
    expect(outcome(rule, node)).toBe('COMPLIANT');
  });
  test('no lifecycle policy is non-compliant', () => expect(outcome(rule, repository().node)).toBe('NON_COMPLIANT'));
});

const VISIBLE = { cloudWatchMetricsEnabled: true, metricName: 'm', sampledRequestsEnabled: true };
const RATE_RULE = { name: 'rate', priority: 0, statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit: 100 } }, action: { block: {} }, visibilityConfig: VISIBLE };
const MANAGED_RULE = {
  name: 'common',
  priority: 1,
  overrideAction: { none: {} },
  visibilityConfig: VISIBLE,
  statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
};

function webAcl(props: Partial<wafv2.CfnWebACLProps> = {}) {
  const stack = fixtureStack();
  return {
    stack,
    node: new wafv2.CfnWebACL(stack, 'Acl', { defaultAction: { allow: {} }, scope: 'REGIONAL', visibilityConfig: VISIBLE, rules: [RATE_RULE, MANAGED_RULE], ...props }),
  };
}

describe('AiSec-WAFv2RateBasedRule', () => {
  const rule = WAFv2RateBasedRule;
  test('a blocking rate-based rule is compliant', () => expect(outcome(rule, webAcl().node)).toBe('COMPLIANT'));
  test('a challenging rate-based rule with a limit from a parameter is compliant', () => {
    const { stack, node } = webAcl();
    const limit = new CfnParameter(stack, 'Limit', { type: 'Number' }).valueAsNumber;
    node.rules = [{ ...RATE_RULE, action: { challenge: {} }, statement: { rateBasedStatement: { aggregateKeyType: 'IP', limit } } }];
    expect(outcome(rule, node)).toBe('COMPLIANT');
  });
  test('no rate-based rule is non-compliant', () => expect(outcome(rule, webAcl({ rules: [MANAGED_RULE] }).node)).toBe('NON_COMPLIANT'));
  test('a rate-based rule that only counts is non-compliant', () =>
    expect(outcome(rule, webAcl({ rules: [{ ...RATE_RULE, action: { count: {} } }] }).node)).toBe('NON_COMPLIANT'));
  test('rules from a single intrinsic are reported as unresolvable', () => {
    const { stack, node } = webAcl();
    node.rules = new CfnParameter(stack, 'Rules').valueAsString as any;
    expect(outcome(rule, node)).toBe('THREW');
  });
});

describe('AiSec-WAFv2Logging', () => {
  const rule = WAFv2Logging;
  test('a logging configuration referencing the ACL (GetAtt) is compliant', () => {
    const { stack, node } = webAcl();
    const group = new logs.CfnLogGroup(stack, 'Logs', { logGroupName: 'aws-waf-logs-model-api' });
    new wafv2.CfnLoggingConfiguration(stack, 'Logging', { resourceArn: node.attrArn, logDestinationConfigs: [group.attrArn] });
    expect(outcome(rule, node)).toBe('COMPLIANT');
  });
  test('a logging configuration with the literal ARN of the named ACL is compliant', () => {
    const { stack, node } = webAcl({ name: 'model-api' });
    new wafv2.CfnLoggingConfiguration(stack, 'Logging', {
      resourceArn: 'arn:aws:wafv2:eu-west-1:111111111111:regional/webacl/model-api/a1b2',
      logDestinationConfigs: ['arn:aws:logs:eu-west-1:111111111111:log-group:aws-waf-logs-x'],
    });
    expect(outcome(rule, node)).toBe('COMPLIANT');
  });
  test('no logging configuration is non-compliant', () => expect(outcome(rule, webAcl().node)).toBe('NON_COMPLIANT'));
  test('a logging configuration for another ACL is non-compliant', () => {
    const { stack, node } = webAcl();
    const other = new wafv2.CfnWebACL(stack, 'AclOther', { defaultAction: { allow: {} }, scope: 'REGIONAL', visibilityConfig: VISIBLE });
    new wafv2.CfnLoggingConfiguration(stack, 'Logging', { resourceArn: other.attrArn, logDestinationConfigs: ['arn:aws:logs:eu-west-1:111111111111:log-group:aws-waf-logs-x'] });
    expect(outcome(rule, node)).toBe('NON_COMPLIANT');
  });
});

describe('AiSec-WAFv2Metrics', () => {
  const rule = WAFv2Metrics;
  test('metrics on the ACL and every rule are compliant', () => expect(outcome(rule, webAcl().node)).toBe('COMPLIANT'));
  test('metrics enabled by a resolving token are compliant', () =>
    expect(outcome(rule, webAcl({ visibilityConfig: { ...VISIBLE, cloudWatchMetricsEnabled: Lazy.any({ produce: () => true }) } }).node)).toBe('COMPLIANT'));
  test('a rule without metrics is non-compliant', () =>
    expect(outcome(rule, webAcl({ rules: [RATE_RULE, { ...MANAGED_RULE, visibilityConfig: { ...VISIBLE, cloudWatchMetricsEnabled: false } }] }).node)).toBe('NON_COMPLIANT'));
  test('an ACL without metrics is non-compliant', () =>
    expect(outcome(rule, webAcl({ visibilityConfig: { ...VISIBLE, cloudWatchMetricsEnabled: false } }).node)).toBe('NON_COMPLIANT'));
});
