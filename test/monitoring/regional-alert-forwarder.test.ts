import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AiSecurityMonitoring, RegionalAlertForwarder } from '../../lib';
import { createTestApp } from '../support/app';
import { expectCompliant } from '../support/compliance';
import { acknowledgementsIn, expectListedInReadme } from '../support/docs';
import { expectInvalidProp } from '../support/errors';
import { matchesEventPattern } from '../support/event-pattern';
import { ACCOUNT, OTHER_ACCOUNT, PolicySimulator } from '../support/iam';

const HOME = 'us-east-1';
const OTHER = 'eu-west-1';
const homeBus = `arn:aws:events:${HOME}:${ACCOUNT}:event-bus/default`;

function forwarderStack(options: { checks?: boolean } = {}) {
  const app = createTestApp(options);
  const stack = new Stack(app, 'Forwarder', { env: { account: ACCOUNT, region: OTHER } });
  const forwarder = new RegionalAlertForwarder(stack, 'Alerts', { homeRegion: HOME });
  return { stack, forwarder };
}

function homeStack(forwardedRegions?: string[]) {
  const app = createTestApp({ checks: false });
  const stack = new Stack(app, 'Home', { env: { account: ACCOUNT, region: HOME } });
  const monitoring = new AiSecurityMonitoring(stack, 'Security', { forwardedRegions });
  return { stack, monitoring };
}

const logicalId = (stack: Stack, c: any) => stack.getLogicalId((c.node?.defaultChild ?? c) as any);
const patternOf = (stack: Stack, rule: any) => Template.fromStack(stack).toJSON().Resources[logicalId(stack, rule)].Properties.EventPattern;

/** A GuardDuty finding raised in the forwarding Region (GuardDuty user guide, EventBridge event format). */
const guardDutyFinding = (severity: number, region = OTHER) => ({
  'version': '0',
  'id': 'c8c4daa7-a20c-2f03-0070-b7393dd542ad',
  'detail-type': 'GuardDuty Finding',
  'source': 'aws.guardduty',
  'account': ACCOUNT,
  region,
  'resources': [],
  'detail': { schemaVersion: '2.0', accountId: ACCOUNT, region, type: 'Recon:EC2/PortProbeUnprotectedPort', severity },
});

describe('RegionalAlertForwarder', () => {
  const { stack, forwarder } = forwarderStack({ checks: false });
  const resources = Template.fromStack(stack).toJSON().Resources;

  test('has one forwarding rule per alert rule of the home Region, each targeting the home default bus through its role', () => {
    const { stack: home, monitoring } = homeStack();
    expect(forwarder.rules.map((r) => r.node.id).sort()).toEqual(monitoring.rules.map((r) => r.node.id).sort());
    for (const rule of forwarder.rules) {
      expect(resources[logicalId(stack, rule)].Properties.Targets).toEqual([expect.objectContaining({
        Arn: homeBus,
        RoleArn: { 'Fn::GetAtt': [logicalId(stack, forwarder.role), 'Arn'] },
      })]);
      const homeRule = monitoring.rules.find((r) => r.node.id === rule.node.id)!;
      expect(patternOf(stack, rule)).toEqual(patternOf(home, homeRule));
    }
  });

  test('a GuardDuty finding of this Region is forwarded and matches the home rule once it arrives', () => {
    const { stack: home, monitoring } = homeStack();
    const forward = patternOf(stack, forwarder.rules.find((r) => r.node.id === 'GuardDutyFindings'));
    const atHome = patternOf(home, monitoring.rules.find((r) => r.node.id === 'GuardDutyFindings'));
    expect(matchesEventPattern(forward, guardDutyFinding(8))).toBe(true);
    expect(matchesEventPattern(atHome, guardDutyFinding(8))).toBe(true);
    expect(matchesEventPattern(forward, guardDutyFinding(3))).toBe(false);
  });

  test.each<[string, string, string]>([
    ['puts events on the home Region\'s default bus', homeBus, 'Allowed'],
    ['cannot put events on this Region\'s bus (no loop)', `arn:aws:events:${OTHER}:${ACCOUNT}:event-bus/default`, 'ImplicitlyDenied'],
    ['cannot put events on another bus of the home Region', `arn:aws:events:${HOME}:${ACCOUNT}:event-bus/other`, 'ImplicitlyDenied'],
    ['cannot put events on another account\'s bus', `arn:aws:events:${HOME}:${OTHER_ACCOUNT}:event-bus/default`, 'ImplicitlyDenied'],
  ])('the forwarding role %s', async (_name, resource, expected) => {
    const sim = new PolicySimulator(stack);
    expect(await sim.decide({ principal: forwarder.role, action: 'events:PutEvents', resource })).toBe(expected);
  });

  test('every forwarding rule dead-letters to the queue, which only these rules may send to', async () => {
    const queueArn = { 'Fn::GetAtt': [logicalId(stack, forwarder.deadLetterQueue), 'Arn'] };
    for (const rule of forwarder.rules) {
      expect(resources[logicalId(stack, rule)].Properties.Targets[0].DeadLetterConfig).toEqual({ Arn: queueArn });
    }
    const sim = new PolicySimulator(stack);
    const queue = sim.arnOf(forwarder.deadLetterQueue);
    const tls = { 'aws:SecureTransport': 'true' };
    expect(await sim.decide({ principal: 'events.amazonaws.com', action: 'sqs:SendMessage', resource: queue, context: { ...tls, 'aws:SourceArn': sim.arnOf(forwarder.rules[0]) } })).toBe('Allowed');
    expect(await sim.decide({ principal: 'events.amazonaws.com', action: 'sqs:SendMessage', resource: queue, context: { ...tls, 'aws:SourceArn': `arn:aws:events:${OTHER}:${ACCOUNT}:rule/other` } })).toBe('ImplicitlyDenied');
  });

  test('only EventBridge can assume the forwarding role', async () => {
    const sim = new PolicySimulator(stack);
    const role = sim.arnOf(forwarder.role);
    expect(await sim.decide({ principal: 'events.amazonaws.com', action: 'sts:AssumeRole', resource: role })).toBe('Allowed');
    expect(await sim.decide({ principal: 'lambda.amazonaws.com', action: 'sts:AssumeRole', resource: role })).toBe('ImplicitlyDenied');
  });

  test('has no unacknowledged finding in any check', () => {
    expectCompliant(forwarderStack().stack);
  });
});

describe('AiSecurityMonitoring forwardedRegions: the home default bus accepts forwarded events', () => {
  const { stack, monitoring } = homeStack([OTHER, 'ap-southeast-2']);
  const policy = Template.fromStack(stack).toJSON().Resources[logicalId(stack, monitoring.forwardingPolicy)].Properties;
  const sim = new PolicySimulator(stack);
  const resourcePolicy = { Version: '2012-10-17', Statement: [{ Sid: policy.StatementId, ...sim.resolve(policy.Statement) }] };
  const forwarderRole = `arn:aws:iam::${ACCOUNT}:role/Forwarder-AlertsRole`;
  // The forwarding role's own policy (RegionalAlertForwarder.Policy): events:PutEvents on the home bus.
  const identityPolicies = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: homeBus }] }];

  test('adds one statement to the default bus, by statement ID', () => {
    expect(policy.EventBusName).toBe('default');
    expect(policy.StatementId).toMatch(/^[A-Za-z0-9_-]{1,64}$/);
  });

  test('the forwarding role, with the bus statement, puts a forwarded event on the home bus', async () => {
    const decision = await sim.decide({
      principal: forwarderRole,
      action: 'events:PutEvents',
      resource: homeBus,
      resourcePolicy,
      identityPolicies,
      context: { 'aws:SourceArn': `arn:aws:events:${OTHER}:${ACCOUNT}:rule/Forwarder-AlertsGuardDutyFindings` },
    });
    expect(decision).toBe('Allowed');
  });

  test('the bus statement does not open the bus to another account, even from a listed Region', async () => {
    const decision = await sim.decide({
      principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/R`,
      action: 'events:PutEvents',
      resource: homeBus,
      resourcePolicy,
      identityPolicies,
      context: { 'aws:SourceArn': `arn:aws:events:${OTHER}:${OTHER_ACCOUNT}:rule/x` },
    });
    expect(decision).toBe('ImplicitlyDenied');
  });

  // Same-account requests are decided by IAM with the role's identity policy as well, so the
  // Region list is checked on the statement itself (the simulator cannot isolate it).
  test('the bus statement names exactly the forwarding Regions of this account (template)', () => {
    expect(resourcePolicy.Statement[0].Principal).toEqual({ AWS: `arn:aws:iam::${ACCOUNT}:root` });
    expect(resourcePolicy.Statement[0].Condition).toEqual({
      ArnLike: { 'aws:SourceArn': [`arn:aws:events:${OTHER}:${ACCOUNT}:rule/*`, `arn:aws:events:ap-southeast-2:${ACCOUNT}:rule/*`] },
    });
  });

  test('no bus policy without forwardedRegions', () => {
    const { stack: s, monitoring: m } = homeStack();
    expect(m.forwardingPolicy).toBeUndefined();
    Template.fromStack(s).resourceCountIs('AWS::Events::EventBusPolicy', 0);
  });
});

describe('forwarding rejects bad input, naming the prop', () => {
  test.each<[string, string, RegExp]>([
    ['the stack\'s own Region as home', OTHER, /`homeRegion` \(received "eu-west-1"\).*other Regions only/],
    ['a malformed Region', 'europe', /`homeRegion` \(received "europe"\)/],
  ])('%s', (_name, homeRegion, message) => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad', { env: { account: ACCOUNT, region: OTHER } });
    expectInvalidProp(() => new RegionalAlertForwarder(stack, 'Alerts', { homeRegion }), 'Bad/Alerts', message);
  });

  test('a GuardDuty severity outside 1-10', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad', { env: { account: ACCOUNT, region: OTHER } });
    expectInvalidProp(() => new RegionalAlertForwarder(stack, 'Alerts', { homeRegion: HOME, guardDutySeverityThreshold: 0 }), 'Bad/Alerts', /`guardDutySeverityThreshold`/);
  });

  test.each<[string, string[], RegExp]>([
    ['empty', [], /`forwardedRegions` \(received \[\]\)/],
    ['the home Region itself', [HOME], /`forwardedRegions`.*own Region/],
    ['a malformed Region', ['eu_west_1'], /`forwardedRegions`.*not a Region name/],
  ])('forwardedRegions %s', (_name, regions, message) => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad', { env: { account: ACCOUNT, region: HOME } });
    expectInvalidProp(() => new AiSecurityMonitoring(stack, 'Security', { forwardedRegions: regions }), 'Bad/Security', message);
  });
});

describe('documentation', () => {
  test('every acknowledgement the forwarder makes is listed in the README with its reason', () => {
    const { stack } = forwarderStack({ checks: false });
    expectListedInReadme(acknowledgementsIn(stack));
  });
});
