import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AccessAnalysis, AccessAnalysisAnalyzer, AccessAnalysisProps, AccessAnalysisZoneOfTrust, AiSecurityMonitoring } from '../../lib';
import { createTestApp } from '../support/app';
import { expectCompliant } from '../support/compliance';
import { expectInvalidProp } from '../support/errors';
import { matchesEventPattern } from '../support/event-pattern';
import { ACCOUNT, PolicySimulator, REGION } from '../support/iam';

function build(props: Partial<AccessAnalysisProps> = {}, checks = true) {
  const stack = new Stack(createTestApp({ checks }), 'Access', { env: { account: ACCOUNT, region: REGION } });
  const monitoring = new AiSecurityMonitoring(stack, 'Security');
  const analysis = new AccessAnalysis(stack, 'AccessAnalysis', { topic: monitoring.topic, deadLetterQueue: monitoring.deadLetterQueue, ...props });
  return { stack, monitoring, analysis };
}

/** The rule's pattern as EventBridge receives it (CloudFormation JSON, e.g. `detail-type`). */
function renderedPattern(stack: Stack): unknown {
  const rules = Template.fromStack(stack).findResources('AWS::Events::Rule', {
    Properties: { EventPattern: { source: ['aws.access-analyzer'] } },
  });
  const list = Object.values(rules);
  expect(list).toHaveLength(1);
  return (list[0] as any).Properties.EventPattern;
}

describe('AccessAnalysis analyzers', () => {
  test('defaults: account external-access and unused-access (90 days) analyzers; compliant', () => {
    const { stack } = build();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 2);
    t.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', { Type: 'ACCOUNT' });
    t.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      Type: 'ACCOUNT_UNUSED_ACCESS',
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 90 } },
    });
    expectCompliant(stack);
  });

  test('organization zone of trust, names, tracking period and archive rules; compliant', () => {
    const { stack } = build({
      zoneOfTrust: AccessAnalysisZoneOfTrust.ORGANIZATION,
      unusedAccessAge: 180,
      analyzerNamePrefix: 'ai-platform',
      archiveRules: [
        { ruleName: 'shared-model-bucket', filters: [{ property: 'resource', eq: ['arn:aws:s3:::shared-models'] }] },
        { ruleName: 'break-glass', analyzer: AccessAnalysisAnalyzer.UNUSED_ACCESS, filters: [{ property: 'resource', contains: ['BreakGlass'] }] },
      ],
    });
    const t = Template.fromStack(stack);
    t.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      Type: 'ORGANIZATION',
      AnalyzerName: 'ai-platform-external-access',
      ArchiveRules: [{ RuleName: 'shared-model-bucket', Filter: [{ Property: 'resource', Eq: ['arn:aws:s3:::shared-models'] }] }],
    });
    t.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', {
      Type: 'ORGANIZATION_UNUSED_ACCESS',
      AnalyzerName: 'ai-platform-unused-access',
      AnalyzerConfiguration: { UnusedAccessConfiguration: { UnusedAccessAge: 180 } },
      ArchiveRules: [{ RuleName: 'break-glass', Filter: [{ Property: 'resource', Contains: ['BreakGlass'] }] }],
    });
    expectCompliant(stack);
  });

  test('external access only: no unused-access analyzer; compliant', () => {
    const { stack } = build({ unusedAccess: false });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::AccessAnalyzer::Analyzer', 1);
    t.hasResourceProperties('AWS::AccessAnalyzer::Analyzer', { Type: 'ACCOUNT' });
    expectCompliant(stack);
  });
});

// Sample events: IAM user guide, "Monitoring AWS Identity and Access Management Access Analyzer
// with Amazon EventBridge" (example findings events and unused access finding events).
const externalFinding = (detail: Record<string, unknown>) => ({
  'version': '0',
  'id': '11111111-2222-4444-aaaa-333333333333',
  'detail-type': 'Access Analyzer Finding',
  'source': 'aws.access-analyzer',
  'account': '111122223333',
  'time': '2019-11-21T01:22:33Z',
  'region': 'us-west-2',
  'resources': ['arn:aws:access-analyzer:us-west-2:111122223333:analyzer/MyAnalyzer'],
  'detail': {
    version: '1.0',
    id: '22222222-dcba-4444-dcba-333333333333',
    accountId: '111122223333',
    region: 'us-west-2',
    action: ['s3:GetObject'],
    condition: {},
    principal: { AWS: '999988887777' },
    isPublic: false,
    resource: 'arn:aws:s3:::my-bucket',
    resourceType: 'AWS::S3::Bucket',
    analyzedAt: '2019-11-21T01:22:22Z',
    createdAt: '2019-11-20T04:58:50Z',
    updatedAt: '2019-11-21T01:14:07Z',
    status: 'ACTIVE',
    isDeleted: false,
    ...detail,
  },
});
const unusedFinding = (detail: Record<string, unknown>) => ({
  'version': '0',
  'id': 'dc7ce3ee-114b-3243-e249-7f10f9054b21',
  'detail-type': 'Unused Access Finding for IAM entities',
  'source': 'aws.access-analyzer',
  'account': '123456789012',
  'time': '2023-09-29T17:31:40Z',
  'region': 'us-west-2',
  'resources': ['arn:aws:access-analyzer:us-west-2:123456789012:analyzer/unused'],
  'detail': {
    findingId: 'b8ae0460-5d29-4922-b92a-ba956c986277',
    resource: 'arn:aws:iam::111122223333:role/FindingIntegTestFakeRole',
    resourceType: 'AWS::IAM::Role',
    accountId: '111122223333',
    createdAt: '2023-09-29T17:29:18.758Z',
    updatedAt: '2023-09-29T17:29:18.758Z',
    analyzedAt: '2023-09-29T17:29:18.758Z',
    previousStatus: '',
    status: 'ACTIVE',
    version: '62160bda-8e94-46d6-ac97-9670930d8ffb',
    isDeleted: false,
    findingType: 'UnusedPermission',
    numberOfUnusedServices: 0,
    numberOfUnusedActions: 1,
    ...detail,
  },
});

describe('AccessAnalysis EventBridge rule, evaluated against sample findings', () => {
  const { stack } = build({}, false);
  const pattern = renderedPattern(stack);

  test.each<[string, unknown, boolean]>([
    ['an active external-access finding is sent', externalFinding({}), true],
    ['an active error finding is sent (the analyzer cannot see the resource)', externalFinding({ error: 'ACCESS_DENIED' }), true],
    ['an archived external-access finding is not', externalFinding({ status: 'ARCHIVED' }), false],
    ['a resolved external-access finding is not', externalFinding({ status: 'RESOLVED' }), false],
    ['a deleted finding (status unchanged, isDeleted true) is not', externalFinding({ isDeleted: true }), false],
    ['an active unused-permission finding is sent', unusedFinding({}), true],
    ['an active unused-role finding is sent', unusedFinding({ findingType: 'UnusedIAMRole', numberOfUnusedActions: undefined }), true],
    ['an archived unused-access finding is not', unusedFinding({ status: 'ARCHIVED', previousStatus: 'ACTIVE' }), false],
    ['a resolved unused-access finding is not', unusedFinding({ status: 'RESOLVED', previousStatus: 'ACTIVE' }), false],
    ['an access preview event is not', { ...externalFinding({ status: 'COMPLETED' }), 'detail-type': 'Access Preview State Change' }, false],
    ['a GuardDuty finding is not', { ...externalFinding({}), 'source': 'aws.guardduty', 'detail-type': 'GuardDuty Finding' }, false],
  ])('%s', (_name, event, expected) => {
    expect(matchesEventPattern(pattern, JSON.parse(JSON.stringify(event)))).toBe(expected);
  });
});

describe('AccessAnalysis rule → topic, decided by the IAM simulator', () => {
  const { stack, monitoring, analysis } = build({}, false);
  const sim = new PolicySimulator(stack);
  const topic = sim.arnOf(monitoring.topic);
  const tls = { 'aws:SecureTransport': 'true' };

  test('the rule targets the topic, with the dead-letter queue', () => {
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.access-analyzer'] },
      Targets: [{ Arn: stack.resolve(monitoring.topic.topicArn), DeadLetterConfig: { Arn: stack.resolve(monitoring.deadLetterQueue.queueArn) } }],
    });
  });

  test.each<[string, () => string, string]>([
    ['the findings rule dead-letters', () => sim.arnOf(analysis.rule), 'Allowed'],
    ['another rule cannot dead-letter', () => `arn:aws:events:${REGION}:${ACCOUNT}:rule/other`, 'ImplicitlyDenied'],
  ])('dead-letter queue — %s', async (_name, source, expected) => {
    expect(await sim.decide({ principal: 'events.amazonaws.com', action: 'sqs:SendMessage', resource: sim.arnOf(monitoring.deadLetterQueue), context: { ...tls, 'aws:SourceArn': source() } })).toBe(expected);
  });

  test.each<[string, () => string, Record<string, string>, string]>([
    ['the findings rule publishes', () => sim.arnOf(analysis.rule), tls, 'Allowed'],
    ['another rule cannot publish', () => `arn:aws:events:${REGION}:${ACCOUNT}:rule/other`, tls, 'ImplicitlyDenied'],
    ['the findings rule without TLS is denied', () => sim.arnOf(analysis.rule), { 'aws:SecureTransport': 'false' }, 'ExplicitlyDenied'],
  ])('%s', async (_name, source, context, expected) => {
    expect(await sim.decide({ principal: 'events.amazonaws.com', action: 'sns:Publish', resource: topic, context: { ...context, 'aws:SourceArn': source() } })).toBe(expected);
  });

  test('a plain topic created in the test gets the same statement', async () => {
    const s = new Stack(createTestApp({ checks: false }), 'Plain', { env: { account: ACCOUNT, region: REGION } });
    const t = new sns.Topic(s, 'Topic');
    const q = new sqs.Queue(s, 'Dlq');
    const a = new AccessAnalysis(s, 'AccessAnalysis', { topic: t, deadLetterQueue: q });
    const ps = new PolicySimulator(s);
    expect(await ps.decide({ principal: 'events.amazonaws.com', action: 'sns:Publish', resource: ps.arnOf(t), context: { 'aws:SourceArn': ps.arnOf(a.rule) } })).toBe('Allowed');
    expect(await ps.decide({ principal: 'events.amazonaws.com', action: 'sns:Publish', resource: ps.arnOf(t), context: { 'aws:SourceArn': `arn:aws:events:${REGION}:${ACCOUNT}:rule/other` } })).toBe('ImplicitlyDenied');
    expect(await ps.decide({ principal: 'events.amazonaws.com', action: 'sqs:SendMessage', resource: ps.arnOf(q), context: { 'aws:SourceArn': ps.arnOf(a.rule) } })).toBe('Allowed');
    expect(await ps.decide({ principal: 'events.amazonaws.com', action: 'sqs:SendMessage', resource: ps.arnOf(q), context: { 'aws:SourceArn': `arn:aws:events:${REGION}:${ACCOUNT}:rule/other` } })).toBe('ImplicitlyDenied');
  });
});

describe('AccessAnalysis bad input', () => {
  const path = 'Bad/AccessAnalysis';
  const bad = (props: Partial<AccessAnalysisProps>) => () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    new AccessAnalysis(stack, 'AccessAnalysis', { topic: new sns.Topic(stack, 'Topic'), deadLetterQueue: new sqs.Queue(stack, 'Dlq'), ...props });
  };
  const filter = { property: 'resource', eq: ['arn:aws:s3:::b'] };

  test.each<[string, Partial<AccessAnalysisProps>, RegExp]>([
    ['no analyzer at all', { externalAccess: false, unusedAccess: false }, /`externalAccess`.*at least one analyzer/],
    ['tracking period without the unused-access analyzer', { unusedAccess: false, unusedAccessAge: 30 }, /`unusedAccessAge`.*unused-access analyzer only/],
    ['tracking period 0', { unusedAccessAge: 0 }, /`unusedAccessAge` \(received 0\).*between 1 and 365/],
    ['tracking period 366', { unusedAccessAge: 366 }, /`unusedAccessAge` \(received 366\)/],
    ['tracking period 1.5', { unusedAccessAge: 1.5 }, /`unusedAccessAge` \(received 1.5\)/],
    ['zone of trust not of the enum', { zoneOfTrust: 'ACCOUNT_UNUSED_ACCESS' as AccessAnalysisZoneOfTrust }, /`zoneOfTrust`/],
    ['name prefix starting with a digit', { analyzerNamePrefix: '1st' }, /`analyzerNamePrefix` \(received "1st"\)/],
    ['name prefix with a space', { analyzerNamePrefix: 'ai platform' }, /`analyzerNamePrefix`/],
    ['archive rule name with a slash', { archiveRules: [{ ruleName: 'a/b', filters: [filter] }] }, /`archiveRules\[0\]\.ruleName` \(received "a\/b"\)/],
    ['archive rule without filters', { archiveRules: [{ ruleName: 'r', filters: [] }] }, /`archiveRules\[0\]\.filters`.*at least one filter/],
    ['filter with no operator', { archiveRules: [{ ruleName: 'r', filters: [{ property: 'resource' }] }] }, /`archiveRules\[0\]\.filters\[0\]` \(received "resource"\).*Give an operator/],
    ['filter with an empty eq', { archiveRules: [{ ruleName: 'r', filters: [{ property: 'resource', eq: [] }] }] }, /`archiveRules\[0\]\.filters\[0\]\.eq`.*between 1 and 20/],
    ['filter with 21 values', { archiveRules: [{ ruleName: 'r', filters: [{ property: 'resource', contains: Array.from({ length: 21 }, (_, i) => `v${i}`) }] }] }, /`archiveRules\[0\]\.filters\[0\]\.contains`/],
    ['filter without property', { archiveRules: [{ ruleName: 'r', filters: [{ property: ' ', exists: true }] }] }, /`archiveRules\[0\]\.filters\[0\]\.property`/],
    ['rule for an analyzer not created', { unusedAccess: false, archiveRules: [{ ruleName: 'r', analyzer: AccessAnalysisAnalyzer.UNUSED_ACCESS, filters: [filter] }] }, /`archiveRules\[0\]\.analyzer`/],
    ['two rules of one analyzer with one name', { archiveRules: [{ ruleName: 'r', filters: [filter] }, { ruleName: 'r', filters: [filter] }] }, /`archiveRules` \(received "r"\).*distinct/],
  ])('%s', (_name, props, message) => {
    expectInvalidProp(bad(props), path, message);
  });

  test('canary: valid input of the same shapes builds', () => {
    expect(bad({ unusedAccessAge: 365, analyzerNamePrefix: 'a1_.-b', archiveRules: [{ ruleName: 'r', filters: [filter, { property: 'isPublic', exists: true }] }] })).not.toThrow();
  });
});
