import { lid } from './platform';
import { evaluatorOf, pathStack } from './support';
import { AccessAnalysis, AiSecurityMonitoring, SensitiveDataDiscovery } from '../../lib';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../support/iam';
import { describePaths, PathRow, ruleRows, serviceCall } from '../support/paths';

/**
 * AccessAnalysis and SensitiveDataDiscovery: their findings rules reach the alert topic (topic
 * policy, and the alert key's policy for events.amazonaws.com, SNS developer guide "Enable
 * compatibility between event sources from AWS services and encrypted topics") and dead-letter to
 * the queue; other rules, of this account or another, do not publish. The OPEN rows are built
 * from the template (test/support/paths/deliveries.ts), one per target of each rule.
 */
const stack = pathStack('Findings');
const monitoring = new AiSecurityMonitoring(stack, 'Security');
const alerting = { topic: monitoring.topic, deadLetterQueue: monitoring.deadLetterQueue };
const access = new AccessAnalysis(stack, 'AccessAnalysis', alerting);
const macie = new SensitiveDataDiscovery(stack, 'SensitiveData', { ...alerting, enableMacie: true });
const ev = evaluatorOf(stack);
const topic = ev.arn(lid(monitoring.topic));
const queue = ev.arn(lid(monitoring.deadLetterQueue));
const findingRules = [lid(access.rule), lid(macie.rule)];

const delivered = ruleRows(ev).filter((row) => findingRules.some((id) => row.name.startsWith(`rule ${id} `)));

test('the table has a publish row and a dead-letter row for each findings rule', () => {
  expect(delivered.map((row) => row.name).sort()).toEqual(findingRules.flatMap((id) => [
    `rule ${id} dead-letters to ${queue}`,
    `rule ${id} reaches ${topic}`,
  ]).sort());
  // the publish rows carry the key calls of the encrypted topic, so the key policy is on the path
  const publish = delivered.find((row) => row.name === `rule ${lid(access.rule)} reaches ${topic}`)!;
  expect((publish.requests ?? []).map((r) => r.action)).toEqual(['sns:Publish', 'kms:GenerateDataKey', 'kms:Decrypt']);
});

const otherRule = (account: string, name: string) => `arn:aws:events:${REGION}:${account}:rule/${name}`;
const forbidden: PathRow[] = [
  {
    name: 'a rule of this account that is not a findings rule publishes to the topic',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [serviceCall('events.amazonaws.com', 'sns:Publish', topic, otherRule(ACCOUNT, 'copycat'), { 'aws:SecureTransport': 'true' })],
  },
  {
    name: 'a rule of another account with the findings rule\'s name publishes to the topic',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [{
      caller: { service: 'events.amazonaws.com' },
      action: 'sns:Publish',
      resource: topic,
      context: { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': ev.arn(lid(access.rule)).replace(ACCOUNT, OTHER_ACCOUNT), 'aws:SecureTransport': 'true' },
    }],
  },
  {
    name: 'the Macie findings rule publishes over plain HTTP',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [serviceCall('events.amazonaws.com', 'sns:Publish', topic, ev.arn(lid(macie.rule)), { 'aws:SecureTransport': 'false' })],
  },
  {
    name: 'a rule of this account that is not a findings rule dead-letters to the queue',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [serviceCall('events.amazonaws.com', 'sqs:SendMessage', queue, otherRule(ACCOUNT, 'copycat'), { 'aws:SecureTransport': 'true' })],
  },
];

describePaths('AccessAnalysis and SensitiveDataDiscovery: findings reach the alert topic', () => ev, delivered);
describePaths('AccessAnalysis and SensitiveDataDiscovery: nobody else publishes', () => ev, forbidden);
