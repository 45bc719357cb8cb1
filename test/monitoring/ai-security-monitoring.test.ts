import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AiSecurityMonitoring, AiSecurityMonitoringProps, ObjectLockMode, SecureTrainingBucket } from '../../lib';
import { createTestApp } from '../support/app';
import { expectCompliant, findViolations } from '../support/compliance';
import { acknowledgementsIn, expectListedInReadme } from '../support/docs';
import { expectInvalidProp } from '../support/errors';
import { matchesEventPattern } from '../support/event-pattern';
import { matchesFilterPattern } from '../support/filter-pattern';
import { ACCOUNT, OTHER_ACCOUNT, PolicySimulator, REGION } from '../support/iam';
import { snapshotOf } from '../support/snapshot';

function monitoringStack(props: (stack: Stack) => AiSecurityMonitoringProps = () => ({}), options: { checks?: boolean } = {}) {
  const stack = new Stack(createTestApp(options), 'Monitoring');
  const monitoring = new AiSecurityMonitoring(stack, 'Security', props(stack));
  return { stack, monitoring };
}

function withTrainingData(stack: Stack): AiSecurityMonitoringProps {
  return { trainingBuckets: [new SecureTrainingBucket(stack, 'Data').bucket] };
}

/** A key as a platform team would bring it: rotated, and only AWS services may create grants (CT.KMS.PR.3). */
function ownKey(stack: Stack): kms.Key {
  const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
  key.addToResourcePolicy(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
  return key;
}

const logicalId = (stack: Stack, construct: any) => stack.getLogicalId((construct.node?.defaultChild ?? construct) as any);

/** The synthesized event pattern of one of the construct's rules, by construct ID. */
function patternOf(stack: Stack, monitoring: AiSecurityMonitoring, id: string): unknown {
  const rule = monitoring.rules.find((r) => r.node.id === id);
  if (!rule) throw new Error(`no rule ${id}`);
  return Template.fromStack(stack).toJSON().Resources[logicalId(stack, rule)].Properties.EventPattern;
}

const guardDutyFinding = (severity: number) => ({
  'version': '0',
  'id': 'c8c4daa7-a20c-2f03-0070-b7393dd542ad',
  'detail-type': 'GuardDuty Finding',
  'source': 'aws.guardduty',
  'account': ACCOUNT,
  'region': REGION,
  'resources': [],
  'detail': {
    schemaVersion: '2.0',
    accountId: ACCOUNT,
    region: REGION,
    type: 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    severity,
    title: 'Credentials for an instance role used from an external IP address.',
    resource: { resourceType: 'AccessKey' },
  },
});

describe('AiSecurityMonitoring defaults', () => {
  const { stack, monitoring } = monitoringStack();
  const template = Template.fromStack(stack);
  const resources = template.toJSON().Resources;
  const keyId = logicalId(stack, monitoring.encryptionKey!);
  const topicId = logicalId(stack, monitoring.topic);
  const trail = resources[logicalId(stack, monitoring.trail!)];

  test('the trail is multi-Region, validates log files, records management events, and is KMS-encrypted', () => {
    expect(trail.Properties).toEqual(expect.objectContaining({
      IsLogging: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EnableLogFileValidation: true,
      KMSKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
      EventSelectors: [{ IncludeManagementEvents: true, ReadWriteType: 'All' }],
    }));
  });

  test('the trail delivers to the retained, Object-Lock trail bucket and to the encrypted log group', () => {
    const bucketId = logicalId(stack, monitoring.trailBucket!.bucket);
    const logGroupId = logicalId(stack, monitoring.logGroup!);
    expect(trail.Properties.S3BucketName).toEqual({ Ref: bucketId });
    expect(trail.Properties.CloudWatchLogsLogGroupArn).toEqual({ 'Fn::GetAtt': [logGroupId, 'Arn'] });
    expect(trail.Properties.CloudWatchLogsRoleArn).toEqual({ 'Fn::GetAtt': [logicalId(stack, monitoring.cloudTrailLogsRole!), 'Arn'] });
    expect(resources[bucketId]).toEqual(expect.objectContaining({ DeletionPolicy: 'Retain' }));
    expect(resources[bucketId].Properties.ObjectLockEnabled).toBe(true);
    expect(resources[logGroupId]).toEqual(expect.objectContaining({ DeletionPolicy: 'Retain' }));
    expect(resources[logGroupId].Properties).toEqual(expect.objectContaining({ KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] }, RetentionInDays: 365 }));
    expect(trail.DependsOn).toEqual(expect.arrayContaining([logicalId(stack, monitoring.trailBucket!.bucket.policy!)]));
  });

  test('the topic and the dead-letter queue are encrypted with an alert key of their own, not the trail key', () => {
    const alertsKeyId = logicalId(stack, monitoring.alertsEncryptionKey!);
    expect(alertsKeyId).not.toEqual(keyId);
    expect(resources[alertsKeyId]).toEqual(expect.objectContaining({ Type: 'AWS::KMS::Key', DeletionPolicy: 'Retain' }));
    expect(resources[alertsKeyId].Properties).toEqual(expect.objectContaining({ EnableKeyRotation: true, PendingWindowInDays: 30 }));
    expect(resources[topicId].Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [alertsKeyId, 'Arn'] });
    expect(resources[logicalId(stack, monitoring.deadLetterQueue!)].Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [alertsKeyId, 'Arn'] });
  });

  test('every alarm notifies the topic', () => {
    const alarms = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms.length).toBe(7);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
      expect(alarm.Properties.ActionsEnabled).not.toBe(false);
    }
  });

  test('one alarm per concern, each reading a metric filter on the trail log group', () => {
    const filters = Object.values<any>(template.findResources('AWS::Logs::MetricFilter'));
    const names = filters.map((f) => f.Properties.MetricTransformations[0].MetricName).sort();
    expect(names).toEqual([
      'BucketPolicyChanges', 'IamPolicyChanges', 'IamRoleChanges', 'KmsKeyDisabledOrScheduledForDeletion',
      'SageMakerEndpointOrModelChanges', 'UnauthorizedApiCalls',
    ]);
    for (const f of filters) expect(f.Properties.LogGroupName).toEqual({ Ref: logicalId(stack, monitoring.logGroup!) });
    const alarmMetrics = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.MetricName);
    expect(alarmMetrics).toEqual(expect.arrayContaining(names));
  });

  test('every rule targets the topic with a dead-letter queue and a retry policy', () => {
    const rules = Object.values<any>(template.findResources('AWS::Events::Rule'));
    expect(rules.length).toBe(6);
    for (const rule of rules) {
      expect(rule.Properties.Targets).toEqual([expect.objectContaining({
        Arn: { Ref: topicId },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId(stack, monitoring.deadLetterQueue!), 'Arn'] } },
        RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 },
      })]);
    }
  });

  test('no data events and no training-data alarm without training buckets', () => {
    expect(monitoring.alarms.map((a) => a.node.id)).not.toContain('TrainingDataAccessDeniedAlarm');
  });

  test('deploys no Lambda function and no custom resource', () => {
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(Object.values<any>(resources).filter((r) => r.Type.startsWith('Custom::'))).toEqual([]);
  });

  test('matches the snapshot', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });

  test('has no unacknowledged finding in any check', () => {
    expectCompliant(stack);
  });
});

describe('AiSecurityMonitoring with training buckets', () => {
  const { stack, monitoring } = monitoringStack(withTrainingData);
  const template = Template.fromStack(stack);
  const data = stack.node.findChild('Data') as SecureTrainingBucket;

  test('records S3 data events for the training buckets', () => {
    const trail = template.toJSON().Resources[logicalId(stack, monitoring.trail!)];
    expect(trail.Properties.EventSelectors).toEqual([{
      IncludeManagementEvents: true,
      ReadWriteType: 'All',
      DataResources: [{ Type: 'AWS::S3::Object', Values: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalId(stack, data.bucket), 'Arn'] }, '/']] }] }],
    }]);
  });

  test('alarms on AccessDenied spikes at 10 per five minutes', () => {
    const alarm = monitoring.alarms.find((a) => a.node.id === 'TrainingDataAccessDeniedAlarm');
    expect(alarm).toBeDefined();
    const props = template.toJSON().Resources[logicalId(stack, alarm)].Properties;
    expect(props).toEqual(expect.objectContaining({ Threshold: 10, Period: 300, Statistic: 'Sum', ComparisonOperator: 'GreaterThanOrEqualToThreshold' }));
  });

  test('has no unacknowledged finding in any check', () => {
    expectCompliant(stack);
  });
});

describe('AiSecurityMonitoring options stay compliant', () => {
  test.each<[string, (stack: Stack) => AiSecurityMonitoringProps]>([
    ['five-year log retention, medium GuardDuty findings, named trail', () => ({
      logRetention: logs.RetentionDays.FIVE_YEARS, guardDutySeverityThreshold: 4, trailName: 'ai-audit', metricNamespace: 'Team/Security',
    })],
    ['several training buckets and a custom AccessDenied threshold', (stack) => ({
      trainingBuckets: [new SecureTrainingBucket(stack, 'A').bucket, new SecureTrainingBucket(stack, 'B').bucket], accessDeniedThreshold: 3,
    })],
    ['a key of your own', (stack) => ({ encryptionKey: ownKey(stack) })],
    ['removal policy DESTROY', () => ({ removalPolicy: RemovalPolicy.DESTROY })],
  ])('%s', (_name, props) => {
    const { stack } = monitoringStack(props);
    expectCompliant(stack);
  });

  test('the dead-letter-queue acknowledgements stay narrow: another queue without a DLQ is reported', () => {
    const { stack } = monitoringStack();
    new sqs.Queue(stack, 'Plain', { enforceSSL: true });
    const rules = findViolations(stack).filter((v) => v.constructPath === 'Monitoring/Plain/Resource').map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'Serverless-SQSRedrivePolicy', 'sqs_dlq_check']));
    expect(findViolations(stack).filter((v) => v.constructPath.startsWith('Monitoring/Security/'))).toEqual([]);
  });

  test('a weakened trail is still reported: no log-file validation, no KMS', () => {
    const { stack, monitoring } = monitoringStack();
    monitoring.trail!.enableLogFileValidation = false;
    monitoring.trail!.kmsKeyId = undefined;
    const rules = findViolations(stack).filter((v) => v.constructPath === 'Monitoring/Security/Trail').map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining([
      'cloud_trail_log_file_validation_enabled_check', 'cloud_trail_encryption_enabled_check',
      'HIPAA.Security-CloudTrailLogFileValidationEnabled', 'HIPAA.Security-CloudTrailEncryptionEnabled',
    ]));
  });
});

describe('AiSecurityMonitoring trail bucket retention', () => {
  test('without retention props the trail bucket locks nothing by default', () => {
    const { stack, monitoring } = monitoringStack(() => ({}), { checks: false });
    const bucket = Template.fromStack(stack).toJSON().Resources[logicalId(stack, monitoring.trailBucket!.bucket)].Properties;
    expect(bucket.ObjectLockEnabled).toBe(true);
    expect(bucket.ObjectLockConfiguration).toBeUndefined();
  });

  test('trailObjectLockMode and trailObjectLockRetention lock every new log file version', () => {
    const { stack, monitoring } = monitoringStack(() => ({
      trailObjectLockMode: ObjectLockMode.COMPLIANCE, trailObjectLockRetention: Duration.days(365),
    }));
    const bucket = Template.fromStack(stack).toJSON().Resources[logicalId(stack, monitoring.trailBucket!.bucket)].Properties;
    expect(bucket.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } });
    expectCompliant(stack);
  });

  test('a retention mode without a period (or the reverse) is rejected, naming the prop', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    expectInvalidProp(() => new AiSecurityMonitoring(stack, 'Security', { trailObjectLockMode: ObjectLockMode.GOVERNANCE }), 'Bad/Security', /`trailObjectLockRetention` \(received undefined\)/);
    expectInvalidProp(() => new AiSecurityMonitoring(stack, 'Security2', { trailObjectLockRetention: Duration.days(30) }), 'Bad/Security2', /`trailObjectLockMode` \(received undefined\)/);
  });
});

describe('AiSecurityMonitoring event patterns, evaluated', () => {
  const { stack, monitoring } = monitoringStack(() => ({}), { checks: false });
  const guardDuty = patternOf(stack, monitoring, 'GuardDutyFindings');

  test.each<[number, boolean]>([
    [8.0, true], [7.0, true], [9.5, true], [6.9, false], [5.0, false], [2.0, false],
  ])('a GuardDuty finding of severity %d matches: %s', (severity, expected) => {
    expect(matchesEventPattern(guardDuty, guardDutyFinding(severity))).toBe(expected);
  });

  test('a GuardDuty finding matches no other rule', () => {
    for (const rule of monitoring.rules.filter((r) => r.node.id !== 'GuardDutyFindings')) {
      expect({ rule: rule.node.id, matches: matchesEventPattern(patternOf(stack, monitoring, rule.node.id), guardDutyFinding(8)) })
        .toEqual({ rule: rule.node.id, matches: false });
    }
  });

  test('the threshold is configurable', () => {
    const { stack: s, monitoring: m } = monitoringStack(() => ({ guardDutySeverityThreshold: 4 }), { checks: false });
    const pattern = patternOf(s, m, 'GuardDutyFindings');
    expect(matchesEventPattern(pattern, guardDutyFinding(4.5))).toBe(true);
    expect(matchesEventPattern(pattern, guardDutyFinding(3.9))).toBe(false);
  });

  const ecrScan = (counts: Record<string, number>) => ({
    'source': 'aws.ecr',
    'detail-type': 'ECR Image Scan',
    'detail': { 'scan-status': 'COMPLETE', 'repository-name': 'ml/inference', 'image-tags': ['1.0.0'], 'finding-severity-counts': counts },
  });
  test.each<[string, Record<string, number>, boolean]>([
    ['CRITICAL findings', { CRITICAL: 1, MEDIUM: 3 }, true],
    ['HIGH findings', { HIGH: 2 }, true],
    ['only MEDIUM and LOW findings', { MEDIUM: 4, LOW: 9 }, false],
    ['no findings', {}, false],
  ])('an ECR scan with %s matches: %s', (_name, counts, expected) => {
    expect(matchesEventPattern(patternOf(stack, monitoring, 'EcrScanFindings'), ecrScan(counts))).toBe(expected);
  });

  test('a failed ECR scan does not match', () => {
    const event = ecrScan({ CRITICAL: 1 });
    event.detail['scan-status'] = 'FAILED';
    expect(matchesEventPattern(patternOf(stack, monitoring, 'EcrScanFindings'), event)).toBe(false);
  });

  const hubFinding = (label: string, status = 'NEW') => ({
    'source': 'aws.securityhub',
    'detail-type': 'Security Hub Findings - Imported',
    'detail': { findings: [{ Severity: { Label: label }, RecordState: 'ACTIVE', Workflow: { Status: status }, Title: 'S3.5 ...' }] },
  });
  test.each<[string, string, string, boolean]>([
    ['CRITICAL', 'CRITICAL', 'NEW', true],
    ['HIGH', 'HIGH', 'NEW', true],
    ['LOW', 'LOW', 'NEW', false],
    ['HIGH but suppressed', 'HIGH', 'SUPPRESSED', false],
  ])('a Security Hub finding %s matches: %s', (_name, label, status, expected) => {
    expect(matchesEventPattern(patternOf(stack, monitoring, 'SecurityHubFindings'), hubFinding(label, status))).toBe(expected);
  });

  test('Inspector findings on container images of CRITICAL or HIGH severity match, others not', () => {
    const pattern = patternOf(stack, monitoring, 'EcrEnhancedScanFindings');
    const finding = (severity: string, type = 'AWS_ECR_CONTAINER_IMAGE') => ({
      'source': 'aws.inspector2',
      'detail-type': 'Inspector2 Finding',
      'detail': { severity, status: 'ACTIVE', resources: [{ type, id: 'arn:aws:ecr:...' }] },
    });
    expect(matchesEventPattern(pattern, finding('HIGH'))).toBe(true);
    expect(matchesEventPattern(pattern, finding('MEDIUM'))).toBe(false);
    expect(matchesEventPattern(pattern, finding('CRITICAL', 'AWS_EC2_INSTANCE'))).toBe(false);
  });

  /** An "AWS API Call via CloudTrail" event as EventBridge delivers it (EventBridge user guide, CloudTrail events). */
  const kmsCall = (eventName: string, keyArn = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, source = 'aws.kms') => ({
    'version': '0',
    'id': '6f87d04b-9f74-4f04-a780-7acf4b0a9b38',
    'detail-type': 'AWS API Call via CloudTrail',
    source,
    'account': ACCOUNT,
    'time': '2026-11-30T12:00:00Z',
    'region': REGION,
    'resources': [],
    'detail': {
      eventVersion: '1.09',
      userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/mallory` },
      eventTime: '2026-11-30T12:00:00Z',
      eventSource: source === 'aws.kms' ? 'kms.amazonaws.com' : 's3.amazonaws.com',
      eventName,
      awsRegion: REGION,
      requestParameters: eventName === 'ScheduleKeyDeletion' ? { keyId: keyArn, pendingWindowInDays: 7 } : { keyId: keyArn },
      responseElements: null,
      resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: keyArn }],
      eventType: 'AwsApiCall',
      managementEvent: true,
      eventCategory: 'Management',
    },
  });
  test.each<[string, object, boolean]>([
    ['DisableKey', kmsCall('DisableKey'), true],
    ['ScheduleKeyDeletion', kmsCall('ScheduleKeyDeletion'), true],
    ['DisableKey called with a key ID instead of an ARN', kmsCall('DisableKey', '1234abcd-12ab-34cd-56ef-1234567890ab'), true],
    ['EnableKey', kmsCall('EnableKey'), false],
    ['CancelKeyDeletion', kmsCall('CancelKeyDeletion'), false],
    ['Decrypt', kmsCall('Decrypt'), false],
    ['an S3 call named DisableKey by another service', kmsCall('DisableKey', 'x', 'aws.s3'), false],
  ])('the KMS rule on %s matches: %s', (_name, event, expected) => {
    expect(matchesEventPattern(patternOf(stack, monitoring, 'KmsKeyDisabledOrScheduledForDeletion'), event)).toBe(expected);
  });

  test('the KMS rule notifies the topic, which is not encrypted with the trail key it watches', () => {
    const resources = Template.fromStack(stack).toJSON().Resources;
    const rule = resources[logicalId(stack, monitoring.rules.find((r) => r.node.id === 'KmsKeyDisabledOrScheduledForDeletion'))];
    expect(rule.Properties.Targets[0].Arn).toEqual({ Ref: logicalId(stack, monitoring.topic) });
    expect(resources[logicalId(stack, monitoring.topic)].Properties.KmsMasterKeyId).not.toEqual({ 'Fn::GetAtt': [logicalId(stack, monitoring.encryptionKey!), 'Arn'] });
  });

  test('every SageMaker endpoint state change matches', () => {
    const pattern = patternOf(stack, monitoring, 'SageMakerEndpointStateChanges');
    for (const status of ['FAILED', 'IN_SERVICE', 'DELETING', 'UPDATING']) {
      expect(matchesEventPattern(pattern, {
        'source': 'aws.sagemaker', 'detail-type': 'SageMaker Endpoint State Change', 'detail': { EndpointName: 'e', EndpointStatus: status },
      })).toBe(true);
    }
    expect(matchesEventPattern(pattern, { 'source': 'aws.sagemaker', 'detail-type': 'SageMaker Training Job State Change', 'detail': {} })).toBe(false);
  });
});

describe('AiSecurityMonitoring metric filters, evaluated on CloudTrail records', () => {
  const { stack } = monitoringStack(withTrainingData, { checks: false });
  const filters = Object.values<any>(Template.fromStack(stack).findResources('AWS::Logs::MetricFilter'));
  const filterPatternOf = (metric: string): string => {
    const filter = filters.find((f) => f.Properties.MetricTransformations[0].MetricName === metric);
    if (!filter) throw new Error(`no metric filter ${metric}`);
    return filter.Properties.FilterPattern;
  };
  const record = (eventSource: string, eventName: string, extra: Record<string, unknown> = {}) => ({
    eventVersion: '1.09',
    eventSource,
    eventName,
    awsRegion: REGION,
    eventCategory: 'Management',
    userIdentity: { type: 'AssumedRole', arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Dev/alice` },
    ...extra,
  });

  test.each<[string, string, object, boolean]>([
    ['UnauthorizedApiCalls', 'an AccessDenied error', record('s3.amazonaws.com', 'GetObject', { errorCode: 'AccessDenied' }), true],
    ['UnauthorizedApiCalls', 'an EC2 UnauthorizedOperation', record('ec2.amazonaws.com', 'RunInstances', { errorCode: 'Client.UnauthorizedOperation' }), true],
    ['UnauthorizedApiCalls', 'a successful call', record('s3.amazonaws.com', 'GetObject'), false],
    ['UnauthorizedApiCalls', 'a throttling error', record('sagemaker.amazonaws.com', 'ListModels', { errorCode: 'ThrottlingException' }), false],
    ['IamPolicyChanges', 'PutRolePolicy', record('iam.amazonaws.com', 'PutRolePolicy'), true],
    ['IamPolicyChanges', 'AttachRolePolicy', record('iam.amazonaws.com', 'AttachRolePolicy'), true],
    ['IamPolicyChanges', 'CreatePolicyVersion', record('iam.amazonaws.com', 'CreatePolicyVersion'), true],
    ['IamPolicyChanges', 'GetRolePolicy (read only)', record('iam.amazonaws.com', 'GetRolePolicy'), false],
    ['IamRoleChanges', 'UpdateAssumeRolePolicy', record('iam.amazonaws.com', 'UpdateAssumeRolePolicy'), true],
    ['IamRoleChanges', 'CreateRole', record('iam.amazonaws.com', 'CreateRole'), true],
    ['IamRoleChanges', 'ListRoles', record('iam.amazonaws.com', 'ListRoles'), false],
    ['KmsKeyDisabledOrScheduledForDeletion', 'ScheduleKeyDeletion', record('kms.amazonaws.com', 'ScheduleKeyDeletion'), true],
    ['KmsKeyDisabledOrScheduledForDeletion', 'DisableKey', record('kms.amazonaws.com', 'DisableKey'), true],
    ['KmsKeyDisabledOrScheduledForDeletion', 'Decrypt', record('kms.amazonaws.com', 'Decrypt'), false],
    ['BucketPolicyChanges', 'PutBucketPolicy', record('s3.amazonaws.com', 'PutBucketPolicy'), true],
    ['BucketPolicyChanges', 'DeleteBucketPolicy', record('s3.amazonaws.com', 'DeleteBucketPolicy'), true],
    ['BucketPolicyChanges', 'GetBucketPolicy', record('s3.amazonaws.com', 'GetBucketPolicy'), false],
    ['SageMakerEndpointOrModelChanges', 'DeleteEndpoint', record('sagemaker.amazonaws.com', 'DeleteEndpoint'), true],
    ['SageMakerEndpointOrModelChanges', 'UpdateEndpoint', record('sagemaker.amazonaws.com', 'UpdateEndpoint'), true],
    ['SageMakerEndpointOrModelChanges', 'DeleteModel', record('sagemaker.amazonaws.com', 'DeleteModel'), true],
    ['SageMakerEndpointOrModelChanges', 'CreateEndpoint', record('sagemaker.amazonaws.com', 'CreateEndpoint'), false],
    ['SageMakerEndpointOrModelChanges', 'DeleteModel of another service', record('bedrock.amazonaws.com', 'DeleteModel'), false],
    ['TrainingDataAccessDenied', 'a denied read of training data', record('s3.amazonaws.com', 'GetObject', { eventCategory: 'Data', errorCode: 'AccessDenied' }), true],
    ['TrainingDataAccessDenied', 'a successful read of training data', record('s3.amazonaws.com', 'GetObject', { eventCategory: 'Data' }), false],
    ['TrainingDataAccessDenied', 'a denied bucket-policy change (management event)', record('s3.amazonaws.com', 'PutBucketPolicy', { errorCode: 'AccessDenied' }), false],
  ])('%s — %s: %s', (metric, _name, event, expected) => {
    expect(matchesFilterPattern(filterPatternOf(metric), event)).toBe(expected);
  });
});

describe('AiSecurityMonitoring policies, decided by the IAM simulator', () => {
  const stack = new Stack(createTestApp({ checks: false }), 'Sim');
  const monitoring = new AiSecurityMonitoring(stack, 'Security');
  const publisher = new iam.Role(stack, 'Publisher', { assumedBy: new iam.AccountRootPrincipal() });
  monitoring.topic.grantPublish(publisher);
  const sim = new PolicySimulator(stack);
  const topic = sim.arnOf(monitoring.topic);
  const ruleArn = sim.arnOf(monitoring.rules[0]);
  const tls = { 'aws:SecureTransport': 'true' };
  const alarmArn = `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:Security-UnauthorizedApiCalls`;
  const trailArn = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${stack.resolve(monitoring.trail!.trailName)}`;

  test.each<[string, iam.IRole | string, Record<string, string>, string]>([
    ['a granted role publishes over TLS', publisher, tls, 'Allowed'],
    ['a granted role publishing without TLS is denied', publisher, { 'aws:SecureTransport': 'false' }, 'ExplicitlyDenied'],
    ['an ungranted role cannot publish', `arn:aws:iam::${ACCOUNT}:role/Someone`, tls, 'ImplicitlyDenied'],
    ['another account cannot publish', `arn:aws:iam::${OTHER_ACCOUNT}:role/Someone`, tls, 'ImplicitlyDenied'],
    ['the construct\'s EventBridge rule publishes', 'events.amazonaws.com', { ...tls, 'aws:SourceArn': ruleArn }, 'Allowed'],
    ['the construct\'s rule publishing without TLS is denied', 'events.amazonaws.com', { 'aws:SecureTransport': 'false', 'aws:SourceArn': ruleArn }, 'ExplicitlyDenied'],
    ['another EventBridge rule cannot publish', 'events.amazonaws.com', { ...tls, 'aws:SourceArn': `arn:aws:events:${REGION}:${ACCOUNT}:rule/other` }, 'ImplicitlyDenied'],
    ['an alarm of this account publishes', 'cloudwatch.amazonaws.com', { ...tls, 'aws:SourceArn': alarmArn, 'aws:SourceAccount': ACCOUNT }, 'Allowed'],
    ['an alarm of another account cannot publish', 'cloudwatch.amazonaws.com', {
      ...tls, 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${OTHER_ACCOUNT}:alarm:x`, 'aws:SourceAccount': OTHER_ACCOUNT,
    }, 'ImplicitlyDenied'],
  ])('topic — %s', async (_name, principal, context, expected) => {
    expect(await sim.decide({ principal, action: 'sns:Publish', resource: topic, context })).toBe(expected);
  });

  test.each<[string, Record<string, string>, string]>([
    ['the construct\'s rule dead-letters an undelivered event', { ...tls, 'aws:SourceArn': ruleArn }, 'Allowed'],
    ['the construct\'s rule without TLS is denied', { 'aws:SecureTransport': 'false', 'aws:SourceArn': ruleArn }, 'ExplicitlyDenied'],
    ['another rule cannot send to the dead-letter queue', { ...tls, 'aws:SourceArn': `arn:aws:events:${REGION}:${ACCOUNT}:rule/other` }, 'ImplicitlyDenied'],
  ])('dead-letter queue — %s', async (_name, context, expected) => {
    expect(await sim.decide({ principal: 'events.amazonaws.com', action: 'sqs:SendMessage', resource: sim.arnOf(monitoring.deadLetterQueue!), context })).toBe(expected);
  });

  // The CloudTrail user guide documents this role's trust without aws:SourceAccount/aws:SourceArn
  // conditions ("Sending events to CloudWatch Logs"); CloudTrail is not documented to send them
  // when it assumes the role, so the role must be assumable without them.
  test.each<[string, string, Record<string, string>, string]>([
    ['CloudTrail assumes the logs role without confused-deputy context keys (as documented)', 'cloudtrail.amazonaws.com', {}, 'Allowed'],
    ['CloudTrail assumes the logs role with them', 'cloudtrail.amazonaws.com', { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': trailArn }, 'Allowed'],
    ['another service cannot assume the logs role', 'logs.amazonaws.com', {}, 'ImplicitlyDenied'],
    ['a role of this account cannot assume the logs role', `arn:aws:iam::${ACCOUNT}:role/Someone`, {}, 'ImplicitlyDenied'],
  ])('trust — %s', async (_name, principal, context, expected) => {
    expect(await sim.decide({ principal, action: 'sts:AssumeRole', resource: sim.arnOf(monitoring.cloudTrailLogsRole!), context })).toBe(expected);
  });

  const bucket = sim.arnOf(monitoring.trailBucket!.bucket);
  const key = sim.arnOf(monitoring.encryptionKey!);
  const delivery = {
    'aws:SecureTransport': 'true',
    's3:TlsVersion': '1.2',
    'aws:SourceArn': trailArn,
    's3:x-amz-acl': 'bucket-owner-full-control',
    's3:x-amz-server-side-encryption': 'aws:kms',
    's3:x-amz-server-side-encryption-aws-kms-key-id': key,
  };
  test.each<[string, string, string, Record<string, string>, string]>([
    ['CloudTrail delivers log files of this account', 's3:PutObject', `${bucket}/AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/2026/11/26/f.json.gz`, delivery, 'Allowed'],
    ['CloudTrail of another trail cannot deliver', 's3:PutObject', `${bucket}/AWSLogs/${ACCOUNT}/x.json.gz`, { ...delivery, 'aws:SourceArn': `arn:aws:cloudtrail:${REGION}:${OTHER_ACCOUNT}:trail/t` }, 'ImplicitlyDenied'],
    ['CloudTrail cannot write outside AWSLogs/<account>/', 's3:PutObject', `${bucket}/datasets/x`, delivery, 'ImplicitlyDenied'],
    ['CloudTrail delivery with another KMS key is denied', 's3:PutObject', `${bucket}/AWSLogs/${ACCOUNT}/x.json.gz`, {
      ...delivery, 's3:x-amz-server-side-encryption-aws-kms-key-id': `arn:aws:kms:${REGION}:${OTHER_ACCOUNT}:key/00000000-1111-2222-3333-444444444444`,
    }, 'ExplicitlyDenied'],
    ['CloudTrail checks the bucket ACL', 's3:GetBucketAcl', bucket, { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2', 'aws:SourceArn': trailArn }, 'Allowed'],
  ])('trail bucket — %s', async (_name, action, resource, context, expected) => {
    expect(await sim.decide({ principal: 'cloudtrail.amazonaws.com', action, resource, context })).toBe(expected);
  });

  test.each<[string, string, string, Record<string, string>, string]>([
    // The simulator does not know kms:EncryptionContext:<key> condition keys (it drops them), so the
    // GenerateDataKey statement for CloudTrail is checked by template assertion below; DescribeKey is simulated.
    ['CloudTrail describes the key for this trail', 'cloudtrail.amazonaws.com', 'kms:DescribeKey', { 'aws:SourceArn': trailArn }, 'Allowed'],
    ['CloudTrail of another trail cannot describe the key', 'cloudtrail.amazonaws.com', 'kms:DescribeKey',
      { 'aws:SourceArn': `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/other` }, 'ImplicitlyDenied'],
    // CloudTrail user guide, "Configure AWS KMS key policies for CloudTrail": with an S3 Bucket Key,
    // kms:Decrypt is required to create or update a trail with SSE-KMS encryption.
    ['CloudTrail decrypts with the key for this trail (the bucket uses a bucket key)', 'cloudtrail.amazonaws.com', 'kms:Decrypt', { 'aws:SourceArn': trailArn }, 'Allowed'],
    ['CloudTrail of another trail cannot decrypt', 'cloudtrail.amazonaws.com', 'kms:Decrypt',
      { 'aws:SourceArn': `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/other` }, 'ImplicitlyDenied'],
    ['EventBridge cannot use the trail key (alerts have their own)', 'events.amazonaws.com', 'kms:GenerateDataKey', {}, 'ImplicitlyDenied'],
    ['an unrelated service cannot use the key', 'lambda.amazonaws.com', 'kms:Decrypt', {}, 'ImplicitlyDenied'],
  ])('key — %s', async (_name, principal, action, context, expected) => {
    expect(await sim.decide({ principal, action, resource: key, context })).toBe(expected);
  });

  test.each<[string, string, string, string]>([
    ['EventBridge encrypts messages for the topic', 'events.amazonaws.com', 'kms:GenerateDataKey', 'Allowed'],
    ['CloudWatch alarms decrypt for the topic', 'cloudwatch.amazonaws.com', 'kms:Decrypt', 'Allowed'],
    ['CloudTrail cannot use the alert key', 'cloudtrail.amazonaws.com', 'kms:GenerateDataKey', 'ImplicitlyDenied'],
    ['an unrelated service cannot use the alert key', 'lambda.amazonaws.com', 'kms:Decrypt', 'ImplicitlyDenied'],
  ])('alert key — %s', async (_name, principal, action, expected) => {
    expect(await sim.decide({ principal, action, resource: sim.arnOf(monitoring.alertsEncryptionKey!) })).toBe(expected);
  });

  test('the key lets CloudTrail generate data keys only for this trail and for trails of this account (template)', () => {
    const policy = sim.resolve(Template.fromStack(stack).toJSON().Resources[logicalId(stack, monitoring.encryptionKey!)].Properties.KeyPolicy);
    expect(policy.Statement).toEqual(expect.arrayContaining([{
      Sid: 'AllowCloudTrailToEncryptLogs',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceArn': trailArn },
        StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
      },
    }]));
  });

  test('the CloudTrail logs role writes only to the trail log group\'s CloudTrail streams', async () => {
    const group = stack.resolve(monitoring.logGroup!.logGroupName);
    const logGroupName = typeof group === 'string' ? group : logicalId(stack, monitoring.logGroup!);
    const stream = (name: string) => `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${logGroupName}:log-stream:${name}`;
    const role = monitoring.cloudTrailLogsRole!;
    expect(await sim.decide({ principal: role, action: 'logs:PutLogEvents', resource: stream(`${ACCOUNT}_CloudTrail_${REGION}`) })).toBe('Allowed');
    expect(await sim.decide({ principal: role, action: 'logs:PutLogEvents', resource: stream('other') })).toBe('ImplicitlyDenied');
    expect(await sim.decide({ principal: role, action: 'logs:DeleteLogGroup', resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${logGroupName}` })).toBe('ImplicitlyDenied');
  });
});

describe('AiSecurityMonitoring rejects bad input, naming the prop', () => {
  test.each<[string, (stack: Stack) => AiSecurityMonitoringProps, RegExp]>([
    ['logRetention below a year', () => ({ logRetention: logs.RetentionDays.SIX_MONTHS }), /`logRetention` \(received 180\).*365, 400/],
    ['logRetention not a CloudWatch value', () => ({ logRetention: 500 as logs.RetentionDays }), /`logRetention` \(received 500\)/],
    ['logRetention infinite', () => ({ logRetention: logs.RetentionDays.INFINITE }), /`logRetention` \(received 9999\)/],
    ['empty trainingBuckets', () => ({ trainingBuckets: [] }), /`trainingBuckets` \(received \[\]\)/],
    ['guardDutySeverityThreshold 0', () => ({ guardDutySeverityThreshold: 0 }), /`guardDutySeverityThreshold` \(received 0\).*between 1 and 10/],
    ['guardDutySeverityThreshold 11', () => ({ guardDutySeverityThreshold: 11 }), /`guardDutySeverityThreshold` \(received 11\)/],
    ['guardDutySeverityThreshold NaN', () => ({ guardDutySeverityThreshold: NaN }), /`guardDutySeverityThreshold`/],
    ['accessDeniedThreshold 0', (stack) => ({ ...withTrainingData(stack), accessDeniedThreshold: 0 }), /`accessDeniedThreshold` \(received 0\)/],
    ['trailName with spaces', () => ({ trailName: 'my trail' }), /`trailName` \(received "my trail"\)/],
    ['metricNamespace in the AWS/ space', () => ({ metricNamespace: 'AWS/CloudTrail' }), /`metricNamespace` \(received "AWS\/CloudTrail"\)/],
  ])('%s', (_name, props, message) => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    expectInvalidProp(() => new AiSecurityMonitoring(stack, 'Security', props(stack)), 'Bad/Security', message);
  });
});

describe('documentation', () => {
  test('every acknowledgement the construct makes is listed in the README with its reason', () => {
    const { stack } = monitoringStack(withTrainingData, { checks: false });
    // The log-stream finding names the log group's logical ID, which differs per stack: match its stable part.
    expectListedInReadme(acknowledgementsIn(stack), (id) => [id.replace(/log-group:<[^>]+>/, 'log-group:<…>')]);
  });
});
