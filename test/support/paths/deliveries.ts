import { PathEvaluator } from './evaluator';
import { logGroupArn, serviceCall } from './requests';
import { PathRow } from './table';
import { ACCOUNT, REGION } from '../iam';

type Json = any;

/**
 * Rows built from a template for the deliveries AWS services make on their own: alarms and
 * EventBridge rules publishing to their topics (and dead-letter queues), CloudTrail writing to
 * its bucket and log group, VPC Flow Logs, CloudWatch Logs using each log group's key, S3 server
 * access logs. One row per resource found, so a new alarm or bucket gets its row without a
 * table edit. Services sign as their service principals with the confused-deputy context keys
 * they document (aws:SourceAccount, aws:SourceArn).
 */

const resources = (ev: PathEvaluator, type: string): [string, Json][] => ev.ids(type).map((id) => [id, ev.template.Resources[id].Properties ?? {}]);

function keyOf(ev: PathEvaluator, type: string, arn: string): string | undefined {
  const [id] = ev.ids(type).filter((x) => ev.arn(x) === arn);
  if (!id) throw new Error(`no ${type} ${arn} in the template`);
  const key = ev.template.Resources[id].Properties.KmsMasterKeyId;
  return key ? ev.sim.resolve(key) as string : undefined;
}

/**
 * Publishing to an encrypted topic: sns:Publish on the topic, and kms:GenerateDataKey* and
 * kms:Decrypt on its key (SNS developer guide, "Enable compatibility between event sources from
 * AWS services and encrypted topics").
 */
function publish(ev: PathEvaluator, service: string, topicArn: string, sourceArn: string) {
  const key = keyOf(ev, 'AWS::SNS::Topic', topicArn);
  return [serviceCall(service, 'sns:Publish', topicArn, sourceArn, { 'aws:SecureTransport': 'true' }),
    ...(key ? ['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => serviceCall(service, action, key, sourceArn)) : [])];
}

/** Every alarm action of every alarm: CloudWatch publishes as cloudwatch.amazonaws.com with the alarm's ARN. */
export function alarmRows(ev: PathEvaluator): PathRow[] {
  return resources(ev, 'AWS::CloudWatch::Alarm').flatMap(([id, p]) => (p.AlarmActions ?? []).map((action: unknown): PathRow => ({
    name: `alarm ${id} reaches ${ev.sim.resolve(action)}`,
    expect: 'OPEN',
    requests: publish(ev, 'cloudwatch.amazonaws.com', ev.sim.resolve(action), `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${p.AlarmName ?? id}`),
  })));
}

/** Every target of every EventBridge rule that is a topic, and its dead-letter queue. */
export function ruleRows(ev: PathEvaluator): PathRow[] {
  return resources(ev, 'AWS::Events::Rule').flatMap(([id, p]) => (p.Targets ?? []).flatMap((target: Json) => {
    const ruleArn = ev.arn(id);
    const targetArn = ev.sim.resolve(target.Arn) as string;
    const rows: PathRow[] = targetArn.startsWith('arn:aws:sns:')
      ? [{ name: `rule ${id} reaches ${targetArn}`, expect: 'OPEN', requests: publish(ev, 'events.amazonaws.com', targetArn, ruleArn) }]
      : [];
    if (target.DeadLetterConfig) {
      const queue = ev.sim.resolve(target.DeadLetterConfig.Arn) as string;
      const key = keyOf(ev, 'AWS::SQS::Queue', queue);
      rows.push({
        name: `rule ${id} dead-letters to ${queue}`,
        expect: 'OPEN',
        requests: [
          serviceCall('events.amazonaws.com', 'sqs:SendMessage', queue, ruleArn, { 'aws:SecureTransport': 'true' }),
          ...(key ? ['kms:GenerateDataKey', 'kms:Decrypt'].map((action) => serviceCall('events.amazonaws.com', action, key, ruleArn)) : []),
        ],
      });
    }
    return rows;
  }));
}

/**
 * The trail writes to its bucket (GetBucketAcl, PutObject with bucket-owner-full-control and its
 * key), encrypts with its key (CloudTrail names the trail in the encryption context), decrypts
 * when the bucket uses an S3 Bucket Key, and delivers to CloudWatch Logs through its role
 * (CloudTrail user guide: "Amazon S3 bucket policy for CloudTrail", "Configure AWS KMS key
 * policies for CloudTrail", "Sending events to CloudWatch Logs").
 */
export function cloudTrailRows(ev: PathEvaluator): PathRow[] {
  return resources(ev, 'AWS::CloudTrail::Trail').flatMap(([id, trail]) => {
    const trailArn = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${trail.TrailName ?? id}`;
    const bucket = `arn:aws:s3:::${ev.sim.resolve(trail.S3BucketName)}`;
    const key = trail.KMSKeyId ? ev.sim.resolve(trail.KMSKeyId) as string : undefined;
    const [bucketId] = ev.ids('AWS::S3::Bucket').filter((b) => ev.arn(b) === bucket);
    const bucketKey = (ev.template.Resources[bucketId]?.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration ?? [])
      .some((c: Json) => c.BucketKeyEnabled === true);
    const encryption = { 'kms:EncryptionContext:aws:cloudtrail:arn': trailArn };
    const rows: PathRow[] = [{
      name: `CloudTrail ${id} checks its bucket ACL and writes log files${key ? ' with its key' : ''}`,
      expect: 'OPEN',
      requests: [
        serviceCall('cloudtrail.amazonaws.com', 's3:GetBucketAcl', bucket, trailArn, { 'aws:SecureTransport': 'true' }),
        serviceCall('cloudtrail.amazonaws.com', 's3:PutObject', `${bucket}/AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/2026/12/01/file.json.gz`, trailArn, {
          'aws:SecureTransport': 'true',
          's3:TlsVersion': '1.2',
          's3:x-amz-acl': 'bucket-owner-full-control',
          ...(key ? { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': key } : {}),
        }),
        ...(key ? [serviceCall('cloudtrail.amazonaws.com', 'kms:GenerateDataKey', key, trailArn, encryption)] : []),
      ],
    }];
    if (key && bucketKey) {
      rows.push({
        name: `CloudTrail ${id} decrypts with its key (its bucket uses an S3 Bucket Key)`,
        expect: 'OPEN',
        requests: [serviceCall('cloudtrail.amazonaws.com', 'kms:Decrypt', key, trailArn, encryption)],
      });
    }
    if (trail.CloudWatchLogsRoleArn) {
      const roleArn = ev.sim.resolve(trail.CloudWatchLogsRoleArn) as string;
      const roleId = ev.ids('AWS::IAM::Role').find((r) => ev.arn(r) === roleArn)!;
      const logGroup = trail.CloudWatchLogsLogGroupArn['Fn::GetAtt'][0];
      rows.push({
        name: `CloudTrail ${id} assumes its CloudWatch Logs role`,
        expect: 'OPEN',
        // The CloudTrail guide's trust policy for this role has no condition, and nothing documents
        // that CloudTrail sends aws:SourceAccount/aws:SourceArn on this call: simulated without them.
        requests: [{ caller: { service: 'cloudtrail.amazonaws.com' }, action: 'sts:AssumeRole', resource: roleArn }],
      }, {
        name: `the CloudTrail role of ${id} writes to the trail log group`,
        expect: 'OPEN',
        requests: ['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({
          caller: { role: roleId }, action, resource: logGroupArn(ev, logGroup, `${ACCOUNT}_CloudTrail_${REGION}`),
        })),
      });
    }
    return rows;
  });
}

/** VPC Flow Logs assumes its delivery role (confused-deputy keys per the VPC user guide) and writes to the group. */
export function flowLogRows(ev: PathEvaluator): PathRow[] {
  return resources(ev, 'AWS::EC2::FlowLog').filter(([, p]) => p.LogGroupName).map(([id, p]): PathRow => {
    const roleArn = ev.sim.resolve(p.DeliverLogsPermissionArn) as string;
    const roleId = ev.ids('AWS::IAM::Role').find((r) => ev.arn(r) === roleArn)!;
    const sourceArn = `arn:aws:ec2:${REGION}:${ACCOUNT}:vpc-flow-log/fl-0123456789abcdef0`;
    return {
      name: `VPC Flow Logs ${id} assumes its role and writes to its log group`,
      expect: 'OPEN',
      requests: [
        { caller: { service: 'vpc-flow-logs.amazonaws.com' }, action: 'sts:AssumeRole', resource: roleArn, context: { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': sourceArn } },
        ...['logs:CreateLogStream', 'logs:PutLogEvents'].map((action) => ({
          caller: { role: roleId }, action, resource: logGroupArn(ev, p.LogGroupName.Ref, 'eni-0123456789abcdef0-all'),
        })),
      ],
    };
  });
}

/** CloudWatch Logs uses each log group's key, naming the group in the encryption context (CloudWatch Logs user guide, "Encrypt log data"). */
export function logGroupKeyRows(ev: PathEvaluator): PathRow[] {
  return resources(ev, 'AWS::Logs::LogGroup').filter(([, p]) => p.KmsKeyId).map(([id, p]): PathRow => ({
    name: `CloudWatch Logs encrypts and decrypts ${id} with its key`,
    expect: 'OPEN',
    requests: ['kms:GenerateDataKey', 'kms:Decrypt', 'kms:Encrypt'].map((action) => ({
      caller: { service: `logs.${REGION}.amazonaws.com` },
      action,
      resource: ev.sim.resolve(p.KmsKeyId) as string,
      context: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn(ev, id) },
    })),
  }));
}

/** S3 server access logs: the destination meets S3's requirements and its policy admits logging.s3.amazonaws.com for this source. */
export function accessLogRows(ev: PathEvaluator): PathRow[] {
  return resources(ev, 'AWS::S3::Bucket').filter(([, p]) => p.LoggingConfiguration).map(([id, p]): PathRow => {
    const target = ev.sim.resolve(p.LoggingConfiguration.DestinationBucketName) as string;
    const targetId = ev.ids('AWS::S3::Bucket').find((b) => ev.sim.resolve({ Ref: b }) === target);
    if (!targetId) throw new Error(`the access-log bucket ${target} of ${id} is not in the template`);
    return {
      name: `S3 delivers the server access logs of ${id} to ${targetId}`,
      expect: 'OPEN',
      destination: { rule: 's3-access-log-destination', resource: targetId },
      requests: [serviceCall('logging.s3.amazonaws.com', 's3:PutObject',
        `arn:aws:s3:::${target}/${p.LoggingConfiguration.LogFilePrefix ?? ''}2026-12-01-00-00-00-0123456789ABCDEF`, ev.arn(id), { 'aws:SecureTransport': 'true' })],
    };
  });
}
