import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AiSecurityMonitoring, AiSecurityMonitoringProps, ObjectLockMode, SecureTrainingBucket } from '../../lib';
import { createTestApp } from '../support/app';
import { expectCompliant, findViolations } from '../support/compliance';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, REGION } from '../support/iam';

const ORG_LOG_GROUP = 'aws-controltower/CloudTrailLogs';
const TOPIC_ARN = `arn:aws:sns:${REGION}:${ACCOUNT}:secops-alerts`;
const EXPECTED_FILTERS = ['UnauthorizedApiCalls', 'IamPolicyChanges', 'IamRoleChanges', 'KmsKeyDisabledOrScheduledForDeletion', 'BucketPolicyChanges', 'SageMakerEndpointOrModelChanges'];

function build(props: (stack: Stack) => AiSecurityMonitoringProps, checks = true) {
  const stack = new Stack(createTestApp({ checks }), 'Monitoring', { env: { account: ACCOUNT, region: REGION } });
  const monitoring = new AiSecurityMonitoring(stack, 'Security', props(stack));
  const template = Template.fromStack(stack);
  const warnings = Annotations.fromStack(stack).findWarning('*', Match.anyValue()).map((w) => String(w.entry.data));
  return { stack, monitoring, template, resources: template.toJSON().Resources as Record<string, any>, warnings };
}

/** A key and topic as a platform team would bring them: rotated key, encrypted TLS-only topic. */
function teamTopic(stack: Stack): sns.Topic {
  const key = new kms.Key(stack, 'TeamKey', { enableKeyRotation: true });
  key.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
  return new sns.Topic(stack, 'TeamTopic', { masterKey: key, enforceSSL: true });
}

const ofType = (resources: Record<string, any>, type: string) => Object.values(resources).filter((r) => r.Type === type);
const lid = (stack: Stack, c: any) => stack.getLogicalId((c.node?.defaultChild ?? c) as any);

describe('an existing trail (organization trail) with its log group in this account', () => {
  const { stack, monitoring, resources, warnings } = build((s) => ({
    createTrail: false,
    trailLogGroup: logs.LogGroup.fromLogGroupName(s, 'OrgTrailLogs', ORG_LOG_GROUP),
  }));

  test('creates no trail, trail bucket, trail key, log group or CloudTrail role', () => {
    expect(ofType(resources, 'AWS::CloudTrail::Trail')).toEqual([]);
    expect(ofType(resources, 'AWS::S3::Bucket')).toEqual([]);
    expect(ofType(resources, 'AWS::Logs::LogGroup')).toEqual([]);
    expect(ofType(resources, 'AWS::IAM::Role')).toEqual([]);
    expect(monitoring.trail).toBeUndefined();
    expect(monitoring.encryptionKey).toBeUndefined();
    // the only key left is the alert key
    expect(Object.keys(resources).filter((k) => resources[k].Type === 'AWS::KMS::Key')).toEqual([lid(stack, monitoring.alertsEncryptionKey)]);
  });

  test('puts every metric filter on the given log group, with an alarm notifying the topic', () => {
    const filters = ofType(resources, 'AWS::Logs::MetricFilter');
    expect(filters.map((f) => f.Properties.MetricTransformations[0].MetricName).sort()).toEqual([...EXPECTED_FILTERS].sort());
    for (const f of filters) expect(f.Properties.LogGroupName).toBe(ORG_LOG_GROUP);
    const alarms = ofType(resources, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(EXPECTED_FILTERS.length + 1); // + UndeliveredAlerts
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([{ Ref: lid(stack, monitoring.topic) }]);
  });

  test('keeps the rules, the topic and the dead-letter queue', () => {
    expect(monitoring.rules.length).toBeGreaterThan(0);
    expect(ofType(resources, 'AWS::SNS::Topic')).toHaveLength(1);
    expect(ofType(resources, 'AWS::SQS::Queue')).toHaveLength(1);
  });

  test('warns about nothing', () => {
    expect(warnings.filter((w) => /cdk-secure-ai|metric-filter|imported/.test(w))).toEqual([]);
  });

  test('has no unacknowledged finding in any check', () => {
    expectCompliant(stack);
  });
});

describe('an existing trail whose log group is in another account (Control Tower member account)', () => {
  const { stack, resources, monitoring, warnings } = build(() => ({ createTrail: false }));

  test('creates no metric filter, and keeps the EventBridge rules targeting the topic', () => {
    expect(ofType(resources, 'AWS::Logs::MetricFilter')).toEqual([]);
    expect(monitoring.logGroup).toBeUndefined();
    const rules = ofType(resources, 'AWS::Events::Rule');
    expect(rules.length).toBe(monitoring.rules.length);
    for (const r of rules) expect(r.Properties.Targets[0].Arn).toEqual({ Ref: lid(stack, monitoring.topic) });
    // only the dead-letter queue alarm is left
    expect(monitoring.alarms.map((a) => a.node.id)).toEqual(['UndeliveredAlertsAlarm']);
  });

  test('its only finding is that warning', () => {
    expect(findViolations(stack).map((v) => v.rule)).toEqual(['Annotation::cdk-secure-ai:no-metric-filter-alarms']);
  });

  test('warns that the metric-filter alarms are missing and why', () => {
    const w = warnings.filter((x) => x.includes('no metric-filter alarms'));
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/UnauthorizedApiCalls.*a metric filter needs the trail's log group in this account and Region.*`trailLogGroup`.*EventBridge rules work in this account/);
  });

});

describe('an alert topic imported by ARN', () => {
  const { stack, resources, monitoring, warnings } = build((s) => ({ alertTopic: sns.Topic.fromTopicArn(s, 'SecOps', TOPIC_ARN) }));

  test('creates no topic; keeps the dead-letter queue, encrypted with the alert key', () => {
    expect(ofType(resources, 'AWS::SNS::Topic')).toEqual([]);
    expect(ofType(resources, 'AWS::SNS::TopicPolicy')).toEqual([]);
    expect(ofType(resources, 'AWS::SQS::Queue')).toHaveLength(1);
    expect(resources[lid(stack, monitoring.deadLetterQueue)].Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [lid(stack, monitoring.alertsEncryptionKey), 'Arn'] });
  });

  test('every rule and alarm notifies the given topic', () => {
    const rules = ofType(resources, 'AWS::Events::Rule');
    expect(rules.length).toBe(monitoring.rules.length);
    for (const r of rules) {
      expect(r.Properties.Targets).toHaveLength(1);
      expect(r.Properties.Targets[0].Arn).toBe(TOPIC_ARN);
      expect(r.Properties.Targets[0].DeadLetterConfig).toEqual({ Arn: { 'Fn::GetAtt': [lid(stack, monitoring.deadLetterQueue), 'Arn'] } });
    }
    const alarms = ofType(resources, 'AWS::CloudWatch::Alarm');
    expect(alarms).toHaveLength(EXPECTED_FILTERS.length + 1); // + UndeliveredAlerts
    for (const a of alarms) expect(a.Properties.AlarmActions).toEqual([TOPIC_ARN]);
  });

  const statementIn = (warning: string) => JSON.parse(warning.slice(warning.indexOf('{'), warning.lastIndexOf('}') + 1));

  test('warns with the topic-policy statement EventBridge needs', () => {
    const w = warnings.filter((x) => x.includes('For EventBridge to publish to it'));
    expect(w).toHaveLength(1);
    expect(w[0]).toContain('The alert topic Monitoring/SecOps is imported');
    const statement = statementIn(w[0]);
    expect(statement).toEqual(expect.objectContaining({
      Sid: 'AllowTheseEventBridgeRules', Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'events.amazonaws.com' }, Resource: TOPIC_ARN,
    }));
    expect(statement.Condition.ArnEquals['aws:SourceArn']).toHaveLength(monitoring.rules.length);
  });

  test('warns with the topic-policy statement CloudWatch alarms need', () => {
    const w = warnings.filter((x) => x.includes('For CloudWatch to publish to it'));
    expect(w).toHaveLength(1);
    expect(statementIn(w[0])).toEqual(expect.objectContaining({
      Sid: 'AllowCloudWatchAlarmsOfThisAccount',
      Action: 'sns:Publish',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Resource: TOPIC_ARN,
      Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:*` }, StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    }));
  });

  test('warns with the key-policy statement an encrypted topic needs', () => {
    const w = warnings.filter((x) => x.includes('cannot see whether it is encrypted'));
    expect(w).toHaveLength(1);
    expect(statementIn(w[0])).toEqual(expect.objectContaining({
      Sid: 'AllowAlarmsAndRulesToPublishToTheEncryptedTopic',
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
    }));
  });

  test('its only findings are those warnings', () => {
    expect(findViolations(stack).map((v) => v.rule).sort()).toEqual([
      'Annotation::cdk-secure-ai:imported-topic-key', 'Annotation::cdk-secure-ai:imported-topic-policy:CloudWatch', 'Annotation::cdk-secure-ai:imported-topic-policy:EventBridge',
    ]);
  });
});

describe('an alert topic of the same app', () => {
  const { stack, resources, monitoring, warnings } = build((s) => ({ alertTopic: teamTopic(s) }));
  const topic = stack.node.findChild('TeamTopic') as sns.Topic;

  test('gets the publishing statements in its topic policy, and its key the alerting statement', () => {
    const policies = ofType(resources, 'AWS::SNS::TopicPolicy');
    expect(policies).toHaveLength(1);
    const sids = policies[0].Properties.PolicyDocument.Statement.map((s: any) => s.Sid);
    expect(sids).toEqual(expect.arrayContaining(['AllowCloudWatchAlarmsOfThisAccount', 'AllowTheseEventBridgeRules']));
    const keyPolicy = resources[lid(stack, topic.masterKey)].Properties.KeyPolicy.Statement.map((s: any) => s.Sid);
    expect(keyPolicy).toContain('AllowAlarmsAndRulesToPublishToTheEncryptedTopic');
    for (const r of ofType(resources, 'AWS::Events::Rule')) expect(r.Properties.Targets[0].Arn).toEqual({ Ref: lid(stack, topic) });
    expect(monitoring.topic).toBe(topic);
  });

  test('warns about nothing', () => {
    expect(warnings.filter((w) => /imported|metric-filter/.test(w))).toEqual([]);
  });

  test('has no unacknowledged finding in any check', () => {
    expectCompliant(stack);
  });
});

describe('an existing trail and an existing topic together', () => {
  const { stack, resources } = build((s) => ({
    createTrail: false,
    trailLogGroup: logs.LogGroup.fromLogGroupName(s, 'OrgTrailLogs', ORG_LOG_GROUP),
    alertTopic: teamTopic(s),
  }));

  test('creates only metric filters, alarms, rules, the dead-letter queue and its key (besides the team\'s key and topic)', () => {
    const types = new Set(Object.values(resources).map((r) => r.Type));
    expect([...types].sort()).toEqual(['AWS::CloudWatch::Alarm', 'AWS::Events::Rule', 'AWS::KMS::Key', 'AWS::Logs::MetricFilter', 'AWS::SNS::Topic', 'AWS::SNS::TopicPolicy', 'AWS::SQS::Queue', 'AWS::SQS::QueuePolicy']);
  });

  test('has no unacknowledged finding in any check', () => {
    expectCompliant(stack);
  });
});

describe('bad combinations', () => {
  const make = (props: (stack: Stack) => AiSecurityMonitoringProps) => () => build(props, false);
  test.each<[string, (stack: Stack) => AiSecurityMonitoringProps]>([
    ['trainingBuckets', (s) => ({ trainingBuckets: [new SecureTrainingBucket(s, 'D').bucket] })],
    ['encryptionKey', (s) => ({ encryptionKey: new kms.Key(s, 'K', { enableKeyRotation: true }) })],
    ['trailName', () => ({ trailName: 'ai-audit' })],
    ['logRetention', () => ({ logRetention: logs.RetentionDays.FIVE_YEARS })],
    ['trailObjectLockMode', () => ({ trailObjectLockMode: ObjectLockMode.GOVERNANCE, trailObjectLockRetention: Duration.days(90) })],
  ])('%s with createTrail: false', (prop, props) => {
    expectInvalidProp(make((s) => ({ ...props(s), createTrail: false })), 'Monitoring/Security', new RegExp(`invalid \`${prop}\`.*\`createTrail\` is false`));
  });

  test('trailLogGroup without createTrail: false', () => {
    expectInvalidProp(make((s) => ({ trailLogGroup: logs.LogGroup.fromLogGroupName(s, 'L', ORG_LOG_GROUP) })), 'Monitoring/Security',
      /invalid `trailLogGroup`.*only with `createTrail: false`/);
  });

  test('trailLogGroup in another Region', () => {
    expectInvalidProp(make((s) => ({
      createTrail: false,
      trailLogGroup: logs.LogGroup.fromLogGroupArn(s, 'L', `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:${ORG_LOG_GROUP}:*`),
    })), 'Monitoring/Security', /invalid `trailLogGroup`.*Region eu-west-1.*own account and Region/);
  });

  test('trailLogGroup in another account', () => {
    expectInvalidProp(make((s) => ({
      createTrail: false,
      trailLogGroup: logs.LogGroup.fromLogGroupArn(s, 'L', `arn:aws:logs:${REGION}:999999999999:log-group:${ORG_LOG_GROUP}:*`),
    })), 'Monitoring/Security', /invalid `trailLogGroup`.*account 999999999999/);
  });

});
