import { RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';

/**
 * What a SageMaker execution role is for. Each workload adds only the permissions its jobs need.
 */
export enum SageMakerWorkload {
  /** Training jobs (`CreateTrainingJob`): logs to `/aws/sagemaker/TrainingJobs`. */
  TRAINING = 'TRAINING',
  /** Processing jobs (`CreateProcessingJob`): logs to `/aws/sagemaker/ProcessingJobs`. */
  PROCESSING = 'PROCESSING',
  /**
   * Model hosting (`CreateModel`, `CreateEndpointConfig`, `CreateEndpoint`): logs to
   * `/aws/sagemaker/Endpoints/<endpoint name>`.
   */
  INFERENCE = 'INFERENCE',
  /**
   * Model Monitor monitoring schedules (`CreateMonitoringSchedule`): SageMaker runs each execution
   * as a processing job it names itself, so logs go to `/aws/sagemaker/ProcessingJobs` and metrics
   * to the Model Monitor namespaces. Not with `jobNamePrefix` (the execution names are not yours)
   * nor `grantCreateJobs`.
   */
  MONITORING = 'MONITORING',
}

/**
 * Key prefixes of one bucket that a role may read or write.
 *
 * For a SecureTrainingBucket pass its `bucket`: its KMS key is picked up from the bucket.
 */
export interface BucketPrefixes {
  /** The bucket, e.g. `secureTrainingBucket.bucket` or any `s3.IBucket`. */
  readonly bucket: s3.IBucket;

  /**
   * Key prefixes, e.g. `['datasets/']`. Access is granted to objects under these prefixes only.
   * Each ends with `/`: `datasets` would be granted as `datasets*`, which also matches
   * `datasets-private/`, so it is refused. Required unless `wholeBucket` is true.
   *
   * @default - none: you must name prefixes or set `wholeBucket`
   */
  readonly prefixes?: string[];

  /**
   * Grant access to every object of the bucket instead of named prefixes. The wildcard object
   * ARN this writes is NOT acknowledged: `AwsSolutions-IAM5` keeps reporting it.
   *
   * @default false - access is limited to `prefixes` (least privilege)
   */
  readonly wholeBucket?: boolean;

  /**
   * The KMS key that encrypts the bucket's objects.
   *
   * @default - `bucket.encryptionKey`; none when the bucket has no KMS key
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * Properties of a LeastPrivilegeSageMakerRole.
 */
export interface LeastPrivilegeSageMakerRoleProps {
  /**
   * What the role is for: training, processing, inference, or several. Permissions (log groups,
   * metric namespaces, job ARNs) follow from this list.
   */
  readonly workloads: SageMakerWorkload[];

  /**
   * Buckets and key prefixes the jobs read (training data, processing input, model artifacts
   * for inference): `s3:GetObject` under the prefixes, `s3:ListBucket` with an `s3:prefix`
   * condition, `kms:Decrypt` on the bucket key through S3 only.
   *
   * @default - no S3 read access
   */
  readonly inputs?: BucketPrefixes[];

  /**
   * Buckets and key prefixes the jobs write (model artifacts, processing output, checkpoints):
   * `s3:PutObject` and `s3:AbortMultipartUpload` under the prefixes, `kms:GenerateDataKey` and
   * `kms:Decrypt` on the bucket key through S3 only. No delete is granted.
   *
   * @default - no S3 write access
   */
  readonly outputs?: BucketPrefixes[];

  /**
   * The KMS key for ML storage volumes and job outputs (`VolumeKmsKeyId`, `OutputDataConfig.KmsKeyId`,
   * `KmsKeyId` of an endpoint configuration). The role may use it through S3 and SageMaker only;
   * `grantCreateJobs` requires requests to name it. A role that only serves models (INFERENCE
   * and no `outputs`) gets `kms:Decrypt` on it through S3 and nothing else.
   *
   * @default - a new customer-managed key with annual rotation, a 30-day deletion window, retained
   * (KMS.3, KMS.4)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * ECR repositories the job containers are pulled from. Only these repositories can be read;
   * `ecr:GetAuthorizationToken`, which has no resource-level permission, is the one `*`.
   *
   * @default - no ECR access (SageMaker built-in algorithm images need none)
   */
  readonly repositories?: ecr.IRepository[];

  /**
   * The VPC the jobs run in (VPC mode). The role gets the EC2 network-interface actions SageMaker
   * needs, limited to `vpcSubnets` and `securityGroups`; `grantCreateJobs` requires requests to
   * name them.
   *
   * @default - no VPC permissions, and `grantCreateJobs` cannot be used
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of `vpc` the jobs run in.
   *
   * @default - the private subnets of `vpc` (isolated subnets when it has no private ones)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the jobs' network interfaces. Required with `vpc`.
   *
   * @default - none; required when `vpc` is set
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * Name prefix of the jobs, models, endpoint configurations and endpoints this role serves,
   * e.g. `fraud-`. Narrows the trust policy (`aws:SourceArn`), the log streams and the ARNs
   * `grantCreateJobs` grants on. Letters, digits and hyphens, starting with a letter or digit,
   * at most 50 characters.
   *
   * @default - any name in this account and Region; `grantCreateJobs` then cannot be used
   */
  readonly jobNamePrefix?: string;

  /**
   * CloudWatch metric namespaces the role may publish to (`cloudwatch:namespace` condition).
   *
   * @default - the SageMaker namespaces of `workloads`: `/aws/sagemaker/TrainingJobs`,
   * `/aws/sagemaker/ProcessingJobs`, `/aws/sagemaker/Endpoints`
   */
  readonly metricNamespaces?: string[];

  /**
   * An existing execution role to scope instead of creating one. The construct attaches its
   * customer-managed policies to it (by name, so an imported role works) and routes later grants
   * (`addToPolicy`, `grant*(construct)`) to a customer-managed policy too. The role's trust
   * policy stays yours: it must trust `sagemaker.amazonaws.com`, with `aws:SourceAccount`.
   * Not with `roleName` or `permissionsBoundary`, which belong to a created role.
   *
   * @default - a new role trusted by SageMaker with confused-deputy conditions
   */
  readonly existingRole?: iam.IRole;

  /**
   * Permissions boundary of the role.
   *
   * @default - no permissions boundary
   */
  readonly permissionsBoundary?: iam.IManagedPolicy;

  /**
   * Physical role name.
   *
   * @default - CloudFormation generates a unique name
   */
  readonly roleName?: string;

  /**
   * What happens to a created `encryptionKey` when it leaves the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Options of `LeastPrivilegeSageMakerRole.grantCreateJobs`.
 */
export interface GrantCreateJobsOptions {
  /**
   * The workloads the grantee may launch; each must be one of the role's workloads.
   *
   * @default - every workload of the role
   */
  readonly workloads?: SageMakerWorkload[];
}
