import { lid } from './platform';
import { allow, evaluatorOf, pathStack } from './support';
import { AiSecurityMonitoring, SecureTrainingBucket } from '../../lib';
import { ACCOUNT, OTHER_ACCOUNT, REGION } from '../support/iam';
import {
  accessLogRows, alarmRows, cloudTrailRows, describePaths,
  logGroupKeyRows, PathRow, ruleRows, serviceCall,
} from '../support/paths';

/**
 * AiSecurityMonitoring: every alarm and every rule reaches the topic (and the dead-letter queue),
 * the trail reaches its bucket and log group; nobody else publishes. Rows per resource of the
 * template (test/support/paths/deliveries.ts).
 */
const stack = pathStack('Monitoring');
const monitoring = new AiSecurityMonitoring(stack, 'Security', { trainingBuckets: [new SecureTrainingBucket(stack, 'Data').bucket] });
const ev = evaluatorOf(stack);
const topic = ev.arn(lid(monitoring.topic));

const forbidden: PathRow[] = [
  {
    name: 'an alarm of another account publishes to the topic',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [{
      caller: { service: 'cloudwatch.amazonaws.com' },
      action: 'sns:Publish',
      resource: topic,
      context: { 'aws:SourceAccount': OTHER_ACCOUNT, 'aws:SourceArn': `arn:aws:cloudwatch:${REGION}:${OTHER_ACCOUNT}:alarm:x`, 'aws:SecureTransport': 'true' },
    }],
  },
  {
    name: 'a rule that is not one of the monitoring rules publishes to the topic',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [serviceCall('events.amazonaws.com', 'sns:Publish', topic, `arn:aws:events:${REGION}:${ACCOUNT}:rule/other`, { 'aws:SecureTransport': 'true' })],
  },
  {
    name: 'another account with sns:* publishes to the topic',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [{ caller: { arn: `arn:aws:iam::${OTHER_ACCOUNT}:role/X`, identityPolicies: [allow('sns:*')] }, action: 'sns:Publish', resource: topic, context: { 'aws:SecureTransport': 'true' } }],
  },
  {
    name: 'a publish over plain HTTP',
    expect: 'CLOSED',
    closedBy: 'resource policy',
    requests: [serviceCall('cloudwatch.amazonaws.com', 'sns:Publish', topic, `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:x`, { 'aws:SecureTransport': 'false' })],
  },
];

describePaths('AiSecurityMonitoring: alarms and rules reach the topic', () => ev, [...alarmRows(ev), ...ruleRows(ev), ...forbidden]);
describePaths('AiSecurityMonitoring: the trail and the logs are delivered', () => ev, [
  ...cloudTrailRows(ev),
  ...logGroupKeyRows(ev),
  ...accessLogRows(ev),
]);
