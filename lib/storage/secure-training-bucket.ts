import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { checkBucketName } from './constraints';
import { allowMacieToDecrypt, macieServiceLinkedRoleArn } from './macie-access';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { invalidProp, isUnresolved } from '../private/errors';
import { createKey } from '../private/kms';
import { nonEmptyList, wholeDays } from '../private/validate';

/**
 * S3 Object Lock retention mode for the default retention of a SecureTrainingBucket.
 */
export enum ObjectLockMode {
  /**
   * Users with `s3:BypassGovernanceRetention` can still delete or overwrite locked versions.
   */
  GOVERNANCE = 'GOVERNANCE',
  /**
   * Nobody, including the root user, can delete or overwrite a locked version until its
   * retention period ends. Choose this only when a regulation requires it.
   */
  COMPLIANCE = 'COMPLIANCE',
}

/**
 * Properties of a SecureTrainingBucket. Every property is optional: the defaults are the
 * secure configuration.
 */
export interface SecureTrainingBucketProps {
  /**
   * Physical bucket name. It must follow the S3 general purpose bucket naming rules (checked at
   * construction, see docs/deploy-constraints/monitoring-storage.md).
   *
   * @default - CloudFormation generates a unique name
   */
  readonly bucketName?: string;

  /**
   * Customer-managed KMS key for SSE-KMS default encryption of the bucket.
   *
   * A key you pass is used as is: enable rotation on it yourself (Security Hub KMS.4).
   *
   * @default - a new customer-managed key with annual rotation, a 30-day deletion window,
   * retained on stack deletion (S3.17 SSE-KMS, KMS.3, KMS.4)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Bucket that receives the S3 server access logs of this bucket.
   *
   * The bucket must accept log delivery from `logging.s3.amazonaws.com` (a bucket policy), use
   * SSE-S3 (the only encryption S3 server access logging supports) and must not have Object Lock
   * enabled: S3 buckets with Object Lock can't be server-access-log destinations (S3 user guide,
   * "Configuring S3 Object Lock"). A bucket of this app with Object Lock is rejected.
   *
   * @default - a dedicated log bucket: SSE-S3, TLS 1.2+ only, versioned, all public access
   * blocked, ACLs disabled, retained, with a lifecycle (S3.9); no Object Lock (see above)
   */
  readonly accessLogsBucket?: s3.IBucket;

  /**
   * Key prefix of the server access logs in the log bucket.
   *
   * @default 'access-logs/'
   */
  readonly accessLogsPrefix?: string;

  /**
   * How long the created log bucket keeps access logs before they expire.
   * Ignored when you pass `accessLogsBucket`.
   *
   * @default Duration.days(365) - a year of logs, the minimum the library recommends for
   * forensic review
   */
  readonly accessLogsRetention?: Duration;

  /**
   * How long a noncurrent (overwritten or deleted) object version is kept before it expires.
   *
   * @default Duration.days(365)
   */
  readonly noncurrentVersionExpiration?: Duration;

  /**
   * How long an incomplete multipart upload may linger before S3 aborts it.
   *
   * @default Duration.days(7)
   */
  readonly abortIncompleteMultipartUploadAfter?: Duration;

  /**
   * Allow object access (read, write, delete, list) only through these VPC endpoints
   * (`aws:SourceVpce`), for example the S3 gateway endpoint of a SegmentedAiVpc.
   *
   * Requests from anywhere else are explicitly denied by the bucket policy, except requests by
   * `administratorPrincipalArns`. Bucket configuration actions (policy, encryption, tags) are
   * not restricted, so CloudFormation can still manage the bucket.
   *
   * @default - object access is not restricted to VPC endpoints
   */
  readonly allowedVpcEndpointIds?: string[];

  /**
   * IAM principal ARNs (wildcards allowed, e.g. `arn:aws:iam::111122223333:role/Admin*`) that keep
   * object access from outside `allowedVpcEndpointIds`. Only used with `allowedVpcEndpointIds`.
   *
   * @default - no principal is exempt from the VPC endpoint restriction
   */
  readonly administratorPrincipalArns?: string[];

  /**
   * Default Object Lock retention mode for new object versions (immutable data lineage).
   * Object Lock itself is always enabled (Control Tower CT.S3.PR.9); this adds a default
   * retention. Requires `objectLockRetention`.
   *
   * @default - no default retention: objects are locked only when a request asks for it
   */
  readonly objectLockMode?: ObjectLockMode;

  /**
   * Default Object Lock retention period, in whole days. Requires `objectLockMode`.
   *
   * @default - no default retention
   */
  readonly objectLockRetention?: Duration;

  /**
   * Let Amazon Macie analyse the objects for sensitive data (with `SensitiveDataDiscovery`, or
   * a Macie discovery job): the key policy allows Macie's service-linked role
   * (`AWSServiceRoleForAmazonMacie`) `kms:Decrypt`, the statement the Macie user guide gives for
   * SSE-KMS objects under a customer managed key ("Analyzing encrypted Amazon S3 objects");
   * without it Macie cannot decrypt the objects and reports them as not analysed. With
   * `allowedVpcEndpointIds`, the role is also exempt from the VPC endpoint restriction, as the
   * guide advises for restrictive bucket policies ("Allowing Macie to access S3 buckets and
   * objects"); the role only reads. It deploys before Macie is enabled (see the README).
   *
   * Off by default: it widens who can decrypt the training data to a service the account may not
   * use, and Macie is enabled per account. A key you pass must be defined in this app (its
   * policy is changed); an imported key is rejected.
   *
   * @default false
   */
  readonly allowMacieDiscovery?: boolean;

  /**
   * What happens to the bucket, its key and the created log bucket when they leave the stack.
   * Deleting data is never a default; even with DESTROY a bucket that still holds objects
   * fails to delete (the construct deploys no auto-delete custom resource).
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * An S3 bucket for training data and model artifacts, secure by default.
 *
 * - SSE-KMS with a customer-managed, rotated key and S3 bucket keys;
 * - a bucket policy that denies requests without TLS, TLS below 1.2, uploads asking for
 *   another encryption (SSE-S3, SSE-C, another KMS key) and, optionally, object access from
 *   outside given VPC endpoints;
 * - all public access blocked, ACLs disabled, versioning, Object Lock, lifecycle rules;
 * - server access logs to a dedicated log bucket, EventBridge notifications;
 * - bucket, key and log bucket retained on stack deletion.
 *
 * @example
 * const data = new SecureTrainingBucket(this, 'TrainingData');
 * data.grantRead(trainingRole, 'datasets/');
 */
export class SecureTrainingBucket extends Construct {
  /** The training-data bucket. */
  public readonly bucket: s3.Bucket;
  /** The KMS key that encrypts the bucket. */
  public readonly encryptionKey: kms.IKey;
  /** The bucket that receives the server access logs. */
  public readonly accessLogsBucket: s3.IBucket;

  constructor(scope: Construct, id: string, props: SecureTrainingBucketProps = {}) {
    super(scope, id);
    // The log bucket disables ACLs, so log delivery must be granted by bucket policy,
    // whatever the user's app sets for this flag.
    this.node.setContext(cxapi.S3_SERVER_ACCESS_LOGS_USE_BUCKET_POLICY, true);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const noncurrentDays = wholeDays(this, 'noncurrentVersionExpiration', props.noncurrentVersionExpiration ?? Duration.days(365), 1, 36_500);
    const abortDays = wholeDays(this, 'abortIncompleteMultipartUploadAfter', props.abortIncompleteMultipartUploadAfter ?? Duration.days(7), 1, 365);
    const objectLockDefaultRetention = this.objectLockRetention(props);
    nonEmptyList(this, 'allowedVpcEndpointIds', props.allowedVpcEndpointIds,
      'Name at least one VPC endpoint ID (vpce-...), or leave the prop out to allow access from any network.');
    this.validateVpcEndpointIds(props.allowedVpcEndpointIds);
    if (props.administratorPrincipalArns !== undefined) {
      if (props.allowedVpcEndpointIds === undefined) {
        invalidProp(this, 'administratorPrincipalArns', props.administratorPrincipalArns,
          'Administrator principals only make sense with `allowedVpcEndpointIds`: set both, or neither.');
      }
      nonEmptyList(this, 'administratorPrincipalArns', props.administratorPrincipalArns, 'Name at least one principal ARN, or leave the prop out.');
      this.validatePrincipalArns(props.administratorPrincipalArns);
    }
    checkBucketName(this, 'bucketName', props.bucketName);
    const accessLogsPrefix = props.accessLogsPrefix ?? 'access-logs/';
    if (!isUnresolved(accessLogsPrefix) && (accessLogsPrefix.startsWith('/') || accessLogsPrefix.length > 512)) {
      invalidProp(this, 'accessLogsPrefix', accessLogsPrefix, 'Use a relative key prefix such as "access-logs/".');
    }

    this.encryptionKey = props.encryptionKey ?? createKey(this, 'Key', {
      description: `Encrypts training data and model artifacts in ${this.node.path}`,
      removalPolicy,
    });

    if (props.accessLogsBucket) validateAccessLogsTarget(this, props.accessLogsBucket);
    this.accessLogsBucket = props.accessLogsBucket ?? this.createAccessLogsBucket(props, removalPolicy);

    this.bucket = new s3.Bucket(this, 'Bucket', {
      bucketName: props.bucketName,
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.encryptionKey,
      bucketKeyEnabled: true,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      objectLockEnabled: true,
      objectLockDefaultRetention,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: accessLogsPrefix,
      lifecycleRules: [{
        id: 'expire-noncurrent-versions-and-abort-incomplete-uploads',
        noncurrentVersionExpiration: Duration.days(noncurrentDays ?? 365),
        abortIncompleteMultipartUploadAfter: Duration.days(abortDays ?? 7),
      }],
      removalPolicy,
    });

    enableEventBridge(this.bucket);
    this.denyOtherEncryption();
    const macie = props.allowMacieDiscovery ?? false;
    if (macie && !allowMacieToDecrypt(this.encryptionKey)) {
      invalidProp(this, 'allowMacieDiscovery', true,
        'The key policy of an imported `encryptionKey` cannot be changed here: add the Macie statement to it yourself (Macie user guide, "Analyzing encrypted Amazon S3 objects") and leave allowMacieDiscovery off, or pass a key defined in this app.');
    }
    if (props.allowedVpcEndpointIds) {
      const exempt = [...props.administratorPrincipalArns ?? [], ...macie ? [macieServiceLinkedRoleArn(this)] : []];
      this.restrictToVpcEndpoints(props.allowedVpcEndpointIds, exempt);
    }
    acknowledge(this.bucket, replicationFindings(), REPLICATION_REASON);
  }

  /**
   * Grants read access to objects (optionally only under `keyPrefix`), listing of those keys,
   * and `kms:Decrypt` on the bucket key through S3 only.
   *
   * @param grantee the principal to grant access to
   * @param keyPrefix only objects whose key starts with this prefix, e.g. `datasets/`
   */
  public grantRead(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    const objects = this.objectArns(keyPrefix);
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resourceArns: [objects],
    });
    this.grantList(grantee, keyPrefix);
    this.grantKey(grantee, ['kms:Decrypt']);
    return grant;
  }

  /**
   * Grants writing objects (optionally only under `keyPrefix`), and the KMS use an SSE-KMS
   * upload needs (`kms:GenerateDataKey`, and `kms:Decrypt` for multipart uploads) through S3 only.
   * It grants no delete: versions are kept, and lifecycle rules expire old ones.
   *
   * @param grantee the principal to grant access to
   * @param keyPrefix only objects whose key starts with this prefix, e.g. `models/`
   */
  public grantWrite(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    const grant = iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:PutObject', 's3:AbortMultipartUpload'],
      resourceArns: [this.objectArns(keyPrefix)],
    });
    this.grantKey(grantee, ['kms:GenerateDataKey', 'kms:Decrypt']);
    return grant;
  }

  /**
   * Grants both `grantRead` and `grantWrite` for `keyPrefix`.
   *
   * @param grantee the principal to grant access to
   * @param keyPrefix only objects whose key starts with this prefix
   */
  public grantReadWrite(grantee: iam.IGrantable, keyPrefix?: string): iam.Grant {
    return this.grantRead(grantee, keyPrefix).combine(this.grantWrite(grantee, keyPrefix));
  }

  private objectArns(keyPrefix: string | undefined): string {
    this.validateKeyPrefix(keyPrefix);
    return this.bucket.arnForObjects(`${keyPrefix ?? ''}*`);
  }

  private grantList(grantee: iam.IGrantable, keyPrefix: string | undefined): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions: ['s3:ListBucket'],
      resourceArns: [this.bucket.bucketArn],
      conditions: keyPrefix ? { StringLike: { 's3:prefix': [`${keyPrefix}*`] } } : undefined,
    });
  }

  private grantKey(grantee: iam.IGrantable, actions: string[]): void {
    iam.Grant.addToPrincipal({
      grantee,
      actions,
      resourceArns: [this.encryptionKey.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
    });
  }

  private denyOtherEncryption(): void {
    const objects = this.bucket.arnForObjects('*');
    const deny = (sid: string, conditions: Record<string, Record<string, unknown>>) =>
      this.bucket.addToResourcePolicy(new iam.PolicyStatement({
        sid,
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [objects],
        conditions,
      }));
    deny('DenyEncryptionOtherThanKms', {
      Null: { 's3:x-amz-server-side-encryption': 'false' },
      StringNotEquals: { 's3:x-amz-server-side-encryption': 'aws:kms' },
    });
    deny('DenyOtherKmsKeys', {
      Null: { 's3:x-amz-server-side-encryption-aws-kms-key-id': 'false' },
      StringNotEquals: { 's3:x-amz-server-side-encryption-aws-kms-key-id': this.encryptionKey.keyArn },
    });
    deny('DenyCustomerProvidedKeys', {
      Null: { 's3:x-amz-server-side-encryption-customer-algorithm': 'false' },
    });
  }

  private restrictToVpcEndpoints(endpointIds: string[], adminArns: string[]): void {
    const conditions: Record<string, Record<string, unknown>> = {
      StringNotEquals: { 'aws:SourceVpce': endpointIds },
    };
    if (adminArns.length > 0) conditions.ArnNotLike = { 'aws:PrincipalArn': adminArns };
    this.bucket.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'DenyObjectAccessOutsideVpcEndpoints',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: [
        's3:GetObject', 's3:GetObjectVersion', 's3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion',
        's3:ListBucket', 's3:ListBucketVersions', 's3:RestoreObject', 's3:PutObjectRetention', 's3:PutObjectLegalHold',
      ],
      resources: [this.bucket.bucketArn, this.bucket.arnForObjects('*')],
      conditions,
    }));
  }

  private createAccessLogsBucket(props: SecureTrainingBucketProps, removalPolicy: RemovalPolicy): s3.Bucket {
    const retentionDays = wholeDays(this, 'accessLogsRetention', props.accessLogsRetention ?? Duration.days(365), 1, 36_500);
    // Construct ID 'ServerAccessLogs' (was 'AccessLogs'): the earlier log bucket had Object Lock,
    // which S3 neither allows on a log destination nor lets anyone disable, so it is replaced by a
    // new bucket; the old one is retained (it never received a log).
    const logs = new s3.Bucket(this, 'ServerAccessLogs', {
      // S3 server access logging delivers only to SSE-S3 buckets.
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      // No Object Lock: "S3 buckets with Object Lock can't be used as destination buckets for
      // server access logs" (S3 user guide, Configuring S3 Object Lock).
      lifecycleRules: [{
        id: 'expire-access-logs',
        expiration: Duration.days(retentionDays ?? 365),
        noncurrentVersionExpiration: Duration.days(1),
        abortIncompleteMultipartUploadAfter: Duration.days(1),
      }],
      removalPolicy,
    });
    enableEventBridge(logs);
    acknowledge(logs, [
      { id: 'AwsSolutions-S1', source: FindingSource.CDK_NAG },
      { id: 'HIPAA.Security-S3BucketLoggingEnabled', source: FindingSource.CDK_NAG },
      { id: 'NIST.800.53.R5-S3BucketLoggingEnabled', source: FindingSource.CDK_NAG },
      { id: 'PCI.DSS.321-S3BucketLoggingEnabled', source: FindingSource.CDK_NAG },
      { id: 's3_bucket_logging_enabled_check', source: FindingSource.CFN_GUARD },
    ], 'This is the server access log target bucket; logging its own writes would loop. Object-level access to it is recorded by CloudTrail data events when the account enables them.');
    acknowledge(logs, [
      { id: 'HIPAA.Security-S3DefaultEncryptionKMS', source: FindingSource.CDK_NAG },
      { id: 'NIST.800.53.R5-S3DefaultEncryptionKMS', source: FindingSource.CDK_NAG },
      { id: 'PCI.DSS.321-S3DefaultEncryptionKMS', source: FindingSource.CDK_NAG },
      { id: 's3_bucket_default_encryption_kms_check', source: FindingSource.CFN_GUARD },
    ], 'S3 server access log delivery supports only SSE-S3 target buckets (https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html).');
    acknowledge(logs, replicationFindings(), REPLICATION_REASON);
    acknowledge(logs, [{ id: 's3_bucket_object_lock_enabled_check', source: FindingSource.CFN_GUARD }], ACCESS_LOGS_OBJECT_LOCK_REASON);
    return logs;
  }

  private objectLockRetention(props: SecureTrainingBucketProps): s3.ObjectLockRetention | undefined {
    const { objectLockMode: mode, objectLockRetention: retention } = props;
    if (mode === undefined && retention === undefined) return undefined;
    if (mode === undefined) {
      invalidProp(this, 'objectLockMode', mode, 'Set `objectLockMode` (GOVERNANCE or COMPLIANCE) together with `objectLockRetention`.');
    }
    if (retention === undefined) {
      invalidProp(this, 'objectLockRetention', retention, 'Set `objectLockRetention` (e.g. Duration.days(365)) together with `objectLockMode`.');
    }
    wholeDays(this, 'objectLockRetention', retention, 1, 36_500);
    return mode === ObjectLockMode.COMPLIANCE ? s3.ObjectLockRetention.compliance(retention) : s3.ObjectLockRetention.governance(retention);
  }

  private validateVpcEndpointIds(ids: string[] | undefined): void {
    for (const id of ids ?? []) {
      if (!Token.isUnresolved(id) && !/^vpce-[0-9a-f]{8,17}$/.test(id)) {
        invalidProp(this, 'allowedVpcEndpointIds', ids, `"${id}" is not a VPC endpoint ID; IDs look like "vpce-0a1b2c3d4e5f67890".`);
      }
    }
  }

  private validatePrincipalArns(arns: string[]): void {
    for (const arn of arns) {
      if (!Token.isUnresolved(arn) && !/^arn:aws[a-z-]*:(iam|sts)::(\d{12}|\*):\S+$/.test(arn)) {
        invalidProp(this, 'administratorPrincipalArns', arns, `"${arn}" is not an IAM principal ARN such as "arn:aws:iam::111122223333:role/Admin".`);
      }
    }
  }

  private validateKeyPrefix(keyPrefix: string | undefined): void {
    if (keyPrefix === undefined || Token.isUnresolved(keyPrefix)) return;
    if (keyPrefix === '' || keyPrefix.startsWith('/') || keyPrefix.includes('*')) {
      invalidProp(this, 'keyPrefix', keyPrefix, 'Give a key prefix such as "datasets/" (no leading slash, no wildcard), or none for the whole bucket.');
    }
  }
}

/**
 * Sends the bucket's events to EventBridge through the native CloudFormation property.
 * (The L2 `eventBridgeEnabled` prop deploys a Lambda-backed custom resource instead.)
 */
function enableEventBridge(bucket: s3.Bucket): void {
  const cfn = bucket.node.defaultChild as s3.CfnBucket;
  cfn.notificationConfiguration = { eventBridgeConfiguration: { eventBridgeEnabled: true } };
}

/**
 * S3 server access logging delivers to a bucket only when it has no Object Lock and no SSE-KMS
 * default encryption (S3 user guide: "Configuring S3 Object Lock", "Enabling Amazon S3 server
 * access logging"). Checked for buckets of this app; an imported bucket is the caller's to check.
 */
function validateAccessLogsTarget(scope: Construct, target: s3.IBucket): void {
  const cfn = target.node.defaultChild;
  if (!(cfn instanceof s3.CfnBucket)) return;
  const resolve = (v: unknown) => Stack.of(scope).resolve(v);
  if (resolve(cfn.objectLockEnabled) === true) {
    invalidProp(scope, 'accessLogsBucket', target.node.path,
      'S3 buckets with Object Lock can\'t be server access log destinations (S3 user guide, "Configuring S3 Object Lock"), and Object Lock cannot be turned off: give a bucket without Object Lock, or leave the prop out for a dedicated log bucket.');
  }
  type Encryption = { serverSideEncryptionConfiguration?: { serverSideEncryptionByDefault?: { sseAlgorithm?: string } }[] };
  const encryption = resolve(cfn.bucketEncryption) as Encryption | undefined;
  const algorithms = (encryption?.serverSideEncryptionConfiguration ?? []).map((r) => r.serverSideEncryptionByDefault?.sseAlgorithm);
  if (algorithms.some((a) => a !== undefined && a !== 'AES256')) {
    invalidProp(scope, 'accessLogsBucket', target.node.path,
      'S3 server access logging delivers only to buckets with SSE-S3 (AES256) default encryption (S3 user guide, "Enabling Amazon S3 server access logging"): give an SSE-S3 bucket.');
  }
}

const ACCESS_LOGS_OBJECT_LOCK_REASON =
  'S3 buckets with Object Lock can\'t be used as destination buckets for server access logs (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html); this bucket is the access-log destination, so it has versioning and a lifecycle but no Object Lock.';

const REPLICATION_REASON =
  'Cross-Region replication needs a destination bucket and key in a second Region, which belong to the account\'s backup design and cannot be created by this single-stack construct. Versioning and Object Lock protect the data in place.';

function replicationFindings() {
  return [
    { id: 'HIPAA.Security-S3BucketReplicationEnabled', source: FindingSource.CDK_NAG },
    { id: 'NIST.800.53.R5-S3BucketReplicationEnabled', source: FindingSource.CDK_NAG },
    { id: 'PCI.DSS.321-S3BucketReplicationEnabled', source: FindingSource.CDK_NAG },
  ];
}
