import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  AiSecurityMonitoring, MacieFindingPublishingFrequency, MacieFindingSeverity, SensitiveDataDiscovery, SensitiveDataDiscoveryProps,
} from '../../lib';
import { createTestApp } from '../support/app';
import { expectCompliant } from '../support/compliance';
import { expectInvalidProp } from '../support/errors';
import { matchesEventPattern } from '../support/event-pattern';
import { ACCOUNT, PolicySimulator, REGION } from '../support/iam';

function build(props: Partial<SensitiveDataDiscoveryProps> = {}, checks = true) {
  const stack = new Stack(createTestApp({ checks }), 'Macie', { env: { account: ACCOUNT, region: REGION } });
  const monitoring = new AiSecurityMonitoring(stack, 'Security');
  const discovery = new SensitiveDataDiscovery(stack, 'SensitiveData', {
    topic: monitoring.topic, deadLetterQueue: monitoring.deadLetterQueue, ...props,
  });
  return { stack, monitoring, discovery };
}

function renderedPattern(stack: Stack): unknown {
  const list = Object.values(Template.fromStack(stack).findResources('AWS::Events::Rule', {
    Properties: { EventPattern: { source: ['aws.macie'] } },
  }));
  expect(list).toHaveLength(1);
  return (list[0] as any).Properties.EventPattern;
}

describe('SensitiveDataDiscovery resources', () => {
  test('default: findings routing only, no Macie session; compliant', () => {
    const { stack } = build();
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::Macie::Session', 0);
    t.hasResourceProperties('AWS::Events::Rule', { EventPattern: { 'source': ['aws.macie'], 'detail-type': ['Macie Finding'] } });
    expectCompliant(stack);
  });

  test('enableMacie: an enabled session, 15-minute publishing, retained; compliant', () => {
    const { stack } = build({ enableMacie: true });
    const t = Template.fromStack(stack);
    t.hasResource('AWS::Macie::Session', {
      Properties: { Status: 'ENABLED', FindingPublishingFrequency: 'FIFTEEN_MINUTES' },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    expectCompliant(stack);
  });

  test('publishing frequency and removal policy are passed through', () => {
    const { stack } = build({
      enableMacie: true, findingPublishingFrequency: MacieFindingPublishingFrequency.ONE_HOUR, removalPolicy: RemovalPolicy.DESTROY,
    }, false);
    Template.fromStack(stack).hasResource('AWS::Macie::Session', {
      Properties: { FindingPublishingFrequency: 'ONE_HOUR' },
      DeletionPolicy: 'Delete',
    });
  });
});

// Sample events: the Macie finding in the EventBridge user guide ("Event patterns", value
// matching: a Policy:IAMUser/S3BucketEncryptionDisabled finding, severity score 1 "Low"), and the
// Finding object of the Macie API reference (severity description Low | Medium | High;
// category CLASSIFICATION for sensitive data, POLICY for policy findings).
const macieFinding = (type: string, category: string, score: number, description: string, extra: Record<string, unknown> = {}) => ({
  'version': '0',
  'id': '0948ba87-d3b8-c6d4-f2da-732a1example',
  'detail-type': 'Macie Finding',
  'source': 'aws.macie',
  'account': '123456789012',
  'time': '2021-04-29T23:12:15Z',
  'region': 'us-east-1',
  'resources': [],
  'detail': {
    schemaVersion: '1.0',
    id: '64b917aa-3843-014c-91d8-937ffexample',
    accountId: '123456789012',
    partition: 'aws',
    region: 'us-east-1',
    type,
    category,
    title: 'title',
    description: 'description',
    severity: { score, description },
    createdAt: '2021-04-29T15:46:02Z',
    updatedAt: '2021-04-29T23:12:15Z',
    count: 1,
    archived: false,
    sample: false,
    resourcesAffected: { s3Bucket: { name: 'training-data-bucket' }, s3Object: { key: 'datasets/customers.csv' } },
    ...extra,
  },
});
const sensitive = (score: number, description: string) => macieFinding('SensitiveData:S3Object/Personal', 'CLASSIFICATION', score, description);
const policy = (score: number, description: string) => macieFinding('Policy:IAMUser/S3BucketEncryptionDisabled', 'POLICY', score, description, { count: 2 });

describe('SensitiveDataDiscovery EventBridge rule, evaluated against sample findings', () => {
  const cases: [MacieFindingSeverity, string, unknown, boolean][] = [
    [MacieFindingSeverity.MEDIUM, 'a High sensitive-data finding on a training bucket is sent', sensitive(3, 'High'), true],
    [MacieFindingSeverity.MEDIUM, 'a Medium sensitive-data finding is sent', sensitive(2, 'Medium'), true],
    [MacieFindingSeverity.MEDIUM, 'a Low sensitive-data finding is not', sensitive(1, 'Low'), false],
    [MacieFindingSeverity.MEDIUM, 'a Low policy finding (the guide\'s example) is not', policy(1, 'Low'), false],
    [MacieFindingSeverity.MEDIUM, 'a High policy finding is sent', policy(3, 'High'), true],
    [MacieFindingSeverity.HIGH, 'with HIGH, a Medium finding is not', sensitive(2, 'Medium'), false],
    [MacieFindingSeverity.HIGH, 'with HIGH, a High finding is', policy(3, 'High'), true],
    [MacieFindingSeverity.LOW, 'with LOW, the guide\'s Low policy finding is sent', policy(1, 'Low'), true],
    [MacieFindingSeverity.LOW, 'with LOW, a GuardDuty finding is still not', { ...sensitive(3, 'High'), 'source': 'aws.guardduty', 'detail-type': 'GuardDuty Finding' }, false],
  ];
  test.each(cases)('threshold %s: %s', (threshold, _name, event, expected) => {
    const { stack } = build({ severityThreshold: threshold }, false);
    expect(matchesEventPattern(renderedPattern(stack), event)).toBe(expected);
  });
});

describe('SensitiveDataDiscovery rule → topic, decided by the IAM simulator', () => {
  const { stack, monitoring, discovery } = build({}, false);
  const sim = new PolicySimulator(stack);
  const tls = { 'aws:SecureTransport': 'true' };
  const other = `arn:aws:events:${REGION}:${ACCOUNT}:rule/other`;

  test('the rule targets the topic, with the dead-letter queue', () => {
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['aws.macie'] },
      Targets: [{ Arn: stack.resolve(monitoring.topic.topicArn), DeadLetterConfig: { Arn: stack.resolve(monitoring.deadLetterQueue.queueArn) } }],
    });
  });

  test.each<[string, string, () => string, string]>([
    ['the findings rule publishes', 'sns:Publish', () => sim.arnOf(discovery.rule), 'Allowed'],
    ['another rule cannot publish', 'sns:Publish', () => other, 'ImplicitlyDenied'],
    ['the findings rule dead-letters', 'sqs:SendMessage', () => sim.arnOf(discovery.rule), 'Allowed'],
    ['another rule cannot dead-letter', 'sqs:SendMessage', () => other, 'ImplicitlyDenied'],
  ])('%s', async (_name, action, source, expected) => {
    const resource = action === 'sns:Publish' ? sim.arnOf(monitoring.topic) : sim.arnOf(monitoring.deadLetterQueue);
    expect(await sim.decide({ principal: 'events.amazonaws.com', action, resource, context: { ...tls, 'aws:SourceArn': source() } })).toBe(expected);
  });
});

describe('SensitiveDataDiscovery bad input', () => {
  const bad = (props: Partial<SensitiveDataDiscoveryProps>) => () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    new SensitiveDataDiscovery(stack, 'SensitiveData', { topic: new sns.Topic(stack, 'Topic'), deadLetterQueue: new sqs.Queue(stack, 'Dlq'), ...props });
  };
  test.each<[string, Partial<SensitiveDataDiscoveryProps>, RegExp]>([
    ['severity not of the enum', { severityThreshold: 'CRITICAL' as MacieFindingSeverity }, /`severityThreshold` \(received "CRITICAL"\)/],
    ['publishing frequency without enabling Macie', { findingPublishingFrequency: MacieFindingPublishingFrequency.ONE_HOUR }, /`findingPublishingFrequency`.*enableMacie/],
    ['publishing frequency not of the enum', { enableMacie: true, findingPublishingFrequency: 'DAILY' as MacieFindingPublishingFrequency }, /`findingPublishingFrequency` \(received "DAILY"\)/],
    ['removal policy without a session', { removalPolicy: RemovalPolicy.DESTROY }, /`removalPolicy`/],
  ])('%s', (_name, props, message) => {
    expectInvalidProp(bad(props), 'Bad/SensitiveData', message);
  });
  test('canary: valid input of the same shapes builds', () => {
    expect(bad({
      enableMacie: true,
      severityThreshold: MacieFindingSeverity.HIGH,
      findingPublishingFrequency: MacieFindingPublishingFrequency.SIX_HOURS,
      removalPolicy: RemovalPolicy.RETAIN,
    })).not.toThrow();
  });
});
