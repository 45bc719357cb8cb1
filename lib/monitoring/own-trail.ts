import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { AiSecurityMonitoringProps } from './ai-security-monitoring';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { createLogGroup } from '../private/logs';
import { nagName } from '../private/nag-names';
import { SecureTrainingBucket } from '../storage/secure-training-bucket';

/**
 * The construct's own trail: its bucket, log group, delivery role and policy, and the trail
 * (construct IDs relative to `scope`, unchanged from when they were created in the construct).
 */
export function createOwnTrail(scope: Construct, encryptionKey: kms.IKey, trailName: string, trailArn: string,
  trainingBuckets: s3.IBucket[] | undefined, props: AiSecurityMonitoringProps, retention: logs.RetentionDays, removalPolicy: RemovalPolicy) {
  const stack = Stack.of(scope);
  // Trail bucket: the library's training bucket, encrypted with the trail key (so its
  // "only this key" upload policy accepts CloudTrail's SSE-KMS writes), versioned, Object Lock.
  const trailBucket = new SecureTrainingBucket(scope, 'TrailBucket', {
    encryptionKey,
    removalPolicy,
    objectLockMode: props.trailObjectLockMode,
    objectLockRetention: props.trailObjectLockRetention,
  });
  allowCloudTrailDelivery(trailBucket.bucket, trailArn);

  const logGroup = createLogGroup(scope, 'TrailLogs', {
    encryptionKey,
    retention,
    removalPolicy,
    purpose: 'CloudTrail',
  }).logGroup;

  // The trust policy is the documented one, without aws:SourceAccount/aws:SourceArn conditions:
  // the CloudTrail user guide ("Sending events to CloudWatch Logs", "Role policy document for
  // CloudTrail to use CloudWatch Logs for monitoring") documents none for this role, and
  // CloudTrail validates the role when the trail is created or updated.
  const cloudTrailLogsRole = new iam.Role(scope, 'CloudTrailLogsRole', {
    description: 'Lets CloudTrail deliver the trail to its CloudWatch Logs log group',
    assumedBy: new iam.ServicePrincipal('cloudtrail.amazonaws.com'),
  });
  const logStreams = `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${logGroup.logGroupName}:log-stream:${stack.account}_CloudTrail_${stack.region}*`;
  const deliveryPolicy = new iam.ManagedPolicy(scope, 'CloudTrailLogsPolicy', {
    description: 'CloudTrail delivery to the trail log group',
    roles: [cloudTrailLogsRole],
    statements: [new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logStreams],
    })],
  });
  acknowledge(deliveryPolicy, [{ id: `AwsSolutions-IAM5[Resource::${nagName(stack.resolve(logStreams))}]`, source: FindingSource.CDK_NAG }], LOG_STREAM_REASON);

  const trail = new cloudtrail.CfnTrail(scope, 'Trail', {
    trailName,
    isLogging: true,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    enableLogFileValidation: true,
    kmsKeyId: encryptionKey.keyArn,
    s3BucketName: trailBucket.bucket.bucketName,
    cloudWatchLogsLogGroupArn: logGroup.logGroupArn,
    cloudWatchLogsRoleArn: cloudTrailLogsRole.roleArn,
    eventSelectors: [{
      readWriteType: 'All',
      includeManagementEvents: true,
      dataResources: trainingBuckets
        ? [{ type: 'AWS::S3::Object', values: trainingBuckets.map((b) => `${b.bucketArn}/`) }]
        : undefined,
    }],
  });
  trail.node.addDependency(trailBucket.bucket.policy!, deliveryPolicy);
  return { trailBucket, logGroup, cloudTrailLogsRole, trail };
}

function allowCloudTrailDelivery(bucket: s3.IBucket, trailArn: string): void {
  {
    const stack = Stack.of(bucket);
    const fromThisTrail = { StringEquals: { 'aws:SourceArn': trailArn } };
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudTrailAclCheck',
      principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
      actions: ['s3:GetBucketAcl'],
      resources: [bucket.bucketArn],
      conditions: fromThisTrail,
    }));
    bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudTrailWrite',
      principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [bucket.arnForObjects(`AWSLogs/${stack.account}/*`)],
      conditions: { ...fromThisTrail, StringEquals: { 'aws:SourceArn': trailArn, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    }));
  }
}

const LOG_STREAM_REASON =
  'CloudTrail names its log streams <account>_CloudTrail_<region> with a suffix it chooses, so the delivery policy must end in a wildcard; it is limited to this log group and to streams of this account and Region, as in the CloudTrail user guide.';
