import { Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AiSecurityMonitoring, SecureTrainingBucket } from '../../lib';
import { checkFilterPattern } from '../../lib/monitoring/constraints';
import { createTestApp } from '../support/app';
import { expectInvalidProp } from '../support/errors';

/**
 * Deploy-time constraints (docs/deploy-constraints/monitoring-storage.md): each is enforced at
 * construction (or synthesis) with an error naming the constraint ID and its source.
 */
describe('trail name (CloudTrail API reference, CreateTrail)', () => {
  test.each<[string, string, RegExp]>([
    ['too short', 'ab', /CT-2: a trail name is 3 to 128 characters long — CloudTrail API reference, CreateTrail/],
    ['too long', `a${'b'.repeat(128)}`, /CT-2/],
    ['a space', 'my trail', /CT-1/],
    ['ending with a dash', 'audit-', /CT-1/],
    ['adjacent dashes', 'my--trail', /CT-3: a trail name has no adjacent periods, underscores or dashes/],
    ['a dash next to an underscore', 'my-_trail', /CT-3/],
    ['an IP address', '192.168.5.4', /CT-4/],
  ])('%s is rejected', (_name, trailName, message) => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    expectInvalidProp(() => new AiSecurityMonitoring(stack, 'Security', { trailName }), 'Bad/Security', message);
  });

  test.each(['ai-audit', 'Audit.Trail_2026', 'abc'])('%s is accepted', (trailName) => {
    const stack = new Stack(createTestApp({ checks: false }), 'Ok');
    expect(() => new AiSecurityMonitoring(stack, 'Security', { trailName })).not.toThrow();
  });
});

describe('metric filters (CloudWatch Logs API reference, PutMetricFilter)', () => {
  test('a pattern over 1024 characters is rejected (LOGS-3); the construct\'s own patterns pass', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    expectInvalidProp(() => checkFilterPattern(stack, 'pattern', `{ ${'($.eventName = X) || '.repeat(60)}($.a = b) }`), 'Bad', /LOGS-3: a metric filter pattern is at most 1024 characters/);
    expect(() => new AiSecurityMonitoring(stack, 'Security', { trainingBuckets: [new SecureTrainingBucket(stack, 'Data').bucket] })).not.toThrow();
  });

  test('more than 100 metric filters on the trail log group fail synthesis (LOGS-4)', () => {
    const app = createTestApp({ checks: false });
    const stack = new Stack(app, 'Many');
    const monitoring = new AiSecurityMonitoring(stack, 'Security');
    const existing = monitoring.alarms.length - 1; // one alarm per filter, plus UndeliveredAlerts
    for (let i = 0; i < 100 - existing; i++) {
      new logs.MetricFilter(stack, `F${i}`, { logGroup: monitoring.logGroup!, filterPattern: logs.FilterPattern.allEvents(), metricNamespace: 'X', metricName: `m${i}` });
    }
    expect(() => app.synth()).not.toThrow();
    const app2 = createTestApp({ checks: false });
    const stack2 = new Stack(app2, 'TooMany');
    const m2 = new AiSecurityMonitoring(stack2, 'Security');
    for (let i = 0; i < 101 - existing; i++) {
      new logs.MetricFilter(stack2, `F${i}`, { logGroup: m2.logGroup!, filterPattern: logs.FilterPattern.allEvents(), metricNamespace: 'X', metricName: `m${i}` });
    }
    expect(() => app2.synth()).toThrow(/LOGS-4: a log group has at most 100 metric filters/);
  });
});

describe('bucket name (S3 user guide, general purpose bucket naming rules)', () => {
  test.each<[string, string, RegExp]>([
    ['too short', 'ab', /S3-1: a bucket name is 3 to 63 characters long — S3 user guide/],
    ['uppercase', 'Training-Data', /S3-2/],
    ['an underscore', 'training_data', /S3-2/],
    ['ending with a hyphen', 'training-', /S3-2/],
    ['adjacent periods', 'training..data', /S3-3/],
    ['an IP address', '192.168.5.4', /S3-4/],
    ['the xn-- prefix', 'xn--training', /S3-5/],
    ['the -s3alias suffix', 'training-s3alias', /S3-6/],
    ['the --x-s3 suffix', 'training--x-s3', /S3-6/],
  ])('%s is rejected', (_name, bucketName, message) => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    expectInvalidProp(() => new SecureTrainingBucket(stack, 'Data', { bucketName }), 'Bad/Data', message);
  });

  test.each(['training-data-111122223333', 'ml.artifacts.example', 'abc'])('%s is accepted', (bucketName) => {
    const stack = new Stack(createTestApp({ checks: false }), 'Ok');
    expect(() => new SecureTrainingBucket(stack, 'Data', { bucketName })).not.toThrow();
  });
});
