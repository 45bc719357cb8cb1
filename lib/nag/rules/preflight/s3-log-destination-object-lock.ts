import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { Rendered } from '../render';
import { Subject, isTrue, targetOf } from '../values';

/** The bucket of the app a LoggingConfiguration.DestinationBucketName names (by reference or by name). */
export function logDestination(s: Subject): Rendered | undefined {
  const destination = s.r.props.LoggingConfiguration?.DestinationBucketName;
  if (destination === undefined) return undefined;
  const target = targetOf(s.index, s.r.stack, destination);
  if (target) return target.type === 'AWS::S3::Bucket' ? target : undefined;
  return typeof destination === 'string'
    ? s.index.ofType('AWS::S3::Bucket').find((b) => b.props.BucketName === destination) : undefined;
}

/** An S3 bucket's server access logs go to a bucket without Object Lock. */
export const PreflightS3LogDestinationObjectLock: AiSecRule = defineRule({
  name: 'PreflightS3LogDestinationObjectLock',
  level: Level.ERROR,
  preflight: true,
  resourceTypes: ['AWS::S3::Bucket'],
  info: 'The S3 bucket sends server access logs to a bucket of the app that has Object Lock enabled, which S3 does not allow as a log destination.',
  rationale: 'Amazon S3 cannot deliver server access logs to a bucket with Object Lock: the logging configuration is rejected, or no log ever arrives. Keep the log bucket free of Object Lock (protect it with versioning, a bucket policy and lifecycle rules instead).',
  guide: 'Continuous Monitoring and Logging (access logs that actually arrive)',
  controls: ['preflight: deploy-time constraint, no compliance control'],
  source: 'Amazon S3 User Guide, "Object Lock considerations" (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-managing.html): "S3 buckets with Object Lock can\'t be used as destination buckets for server access logs"',
  judge: (s) => {
    const target = logDestination(s);
    if (!target) return NA;
    return isTrue(target.props.ObjectLockEnabled) || target.props.ObjectLockConfiguration?.ObjectLockEnabled === 'Enabled'
      ? fail(`its access-log destination ${target.logicalId} has Object Lock enabled`) : OK;
  },
});
