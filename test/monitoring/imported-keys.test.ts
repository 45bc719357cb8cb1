import { Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AiSecurityMonitoring } from '../../lib';
import { createTestApp } from '../support/app';
import { ACCOUNT, REGION } from '../support/iam';

const KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ALERT_KEY_ARN = `arn:aws:kms:${REGION}:${ACCOUNT}:key/9999abcd-12ab-34cd-56ef-1234567890ab`;

/**
 * A key imported from elsewhere keeps its key policy: the construct cannot add the statements
 * CloudTrail, CloudWatch Logs, CloudWatch alarms and EventBridge need, and the deployment would
 * succeed while delivery fails. It must say so, naming each statement.
 */
describe('imported keys', () => {
  const stack = new Stack(createTestApp({ checks: false }), 'Imported', { env: { account: ACCOUNT, region: REGION } });
  new AiSecurityMonitoring(stack, 'Security', {
    encryptionKey: kms.Key.fromKeyArn(stack, 'TrailKey', KEY_ARN),
    alertsEncryptionKey: kms.Key.fromKeyArn(stack, 'AlertKey', ALERT_KEY_ARN),
  });
  const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('is imported')).map((w) => String(w.entry.data));

  /** The statements a warning names, parsed from its JSON. */
  const statementsIn = (warning: string): any[] => (warning.match(/\{"Action".*?"Sid":"[A-Za-z]+"\}/g) ?? []).map((j) => JSON.parse(j));
  const named = (keyPath: string) => warnings.filter((w) => w.includes(`The key ${keyPath} is imported`)).flatMap(statementsIn);

  test.each<[string, string, object]>([
    ['CloudTrail encrypt', 'Imported/TrailKey', { Sid: 'AllowCloudTrailToEncryptLogs', Action: 'kms:GenerateDataKey*', Principal: { Service: 'cloudtrail.amazonaws.com' } }],
    ['CloudTrail decrypt for the bucket key', 'Imported/TrailKey', { Sid: 'AllowCloudTrailToDecryptForTheBucketKey', Action: 'kms:Decrypt' }],
    ['CloudTrail describe', 'Imported/TrailKey', { Sid: 'AllowCloudTrailToDescribeKey', Action: 'kms:DescribeKey' }],
    ['alarms and rules publishing to the topic', 'Imported/AlertKey', {
      Sid: 'AllowAlarmsAndRulesToPublishToTheEncryptedTopic', Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
    }],
  ])('warns with the statement for %s', (_name, keyPath, statement) => {
    expect(named(keyPath)).toEqual(expect.arrayContaining([expect.objectContaining(statement)]));
  });

  test('warns with the CloudWatch Logs statement', () => {
    const pattern = new RegExp(`Imported/TrailKey.*logs\\.${REGION}\\.amazonaws\\.com.*kms:EncryptionContext:aws:logs:arn = arn:aws:logs:${REGION}:${ACCOUNT}:log-group:\\*`);
    expect(warnings.some((w) => pattern.test(w))).toBe(true);
  });

  test('keys of the app get the statements and no warning', () => {
    const own = new Stack(createTestApp({ checks: false }), 'Own');
    new AiSecurityMonitoring(own, 'Security', { encryptionKey: new kms.Key(own, 'K', { enableKeyRotation: true }) });
    expect(Annotations.fromStack(own).findWarning('*', Match.stringLikeRegexp('is imported'))).toEqual([]);
  });
});
