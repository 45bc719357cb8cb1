import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ModelDataQualityMonitorOptions } from '../monitoring/model-monitor-props';
import { ModelQualityMonitorOptions } from '../monitoring/model-quality-monitor-props';

/** Who can reach the inference API. */
export enum InferenceApiEndpointType {
  /**
   * Reachable only through the execute-api interface VPC endpoints named in `apiVpcEndpoints`;
   * a resource policy denies every other request.
   */
  PRIVATE = 'PRIVATE',
  /**
   * A regional endpoint reachable from the internet (still authenticated, throttled and behind WAF).
   * Choose it only when callers cannot reach a VPC endpoint.
   */
  REGIONAL = 'REGIONAL',
}

/** How callers of the inference API authenticate. There is deliberately no "none". */
export enum InferenceApiAuthorization {
  /** Requests are signed with AWS Signature Version 4 by an IAM principal allowed by `grantInvoke`. */
  IAM = 'IAM',
  /** Requests carry an ID or access token of the Cognito user pool given in `userPool`. */
  COGNITO = 'COGNITO',
}

/**
 * The SageMaker side of an inference endpoint: model, endpoint configuration, endpoint,
 * autoscaling and data capture. The model location and the VPC are required; every other
 * property has a secure default.
 */
export interface SecureModelEndpointOptions {
  /** ECR repository holding the inference container image. */
  readonly imageRepository: ecr.IRepository;

  /**
   * Tag or digest (`sha256:...`) of the image in `imageRepository`. Prefer a digest, or a tag in a
   * repository with immutable tags.
   *
   * @default 'latest'
   */
  readonly imageTagOrDigest?: string;

  /**
   * KMS key that encrypts `imageRepository`, when it uses one; the execution role may decrypt
   * with it through ECR only.
   *
   * @default - the repository is not encrypted with a customer-managed key
   */
  readonly imageRepositoryEncryptionKey?: kms.IKey;

  /** Bucket holding the model artifact (for example the `bucket` of a SecureTrainingBucket). */
  readonly modelDataBucket: s3.IBucket;

  /** Object key of the model artifact (`model.tar.gz`) in `modelDataBucket`; not an `s3://` URL. */
  readonly modelDataKey: string;

  /**
   * KMS key that encrypts the model artifact (SSE-KMS). The execution role may decrypt with it
   * through S3 only. Give it for a bucket imported without its key (`Bucket.fromBucketArn`), or
   * the endpoint fails at deploy when SageMaker cannot decrypt the artifact; a key you pass must
   * allow the execution role in its key policy (or delegate to IAM).
   *
   * @default - the `encryptionKey` of `modelDataBucket`; for an imported bucket without one, a
   * warning (`cdk-secure-ai:modelDataKeyUnknown`) says the construct cannot know the key
   */
  readonly modelDataEncryptionKey?: kms.IKey;

  /** VPC whose subnets the model runs in. */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets of `vpc` for the model's network interfaces: the inference tier. Public subnets are
   * rejected; give subnets in at least two Availability Zones so instances spread across them.
   *
   * @default - the isolated subnets of `vpc` (`SubnetType.PRIVATE_ISOLATED`)
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * ID of the Region's AWS-managed S3 prefix list (`pl-...`, `aws ec2 describe-managed-prefix-lists
   * --filters Name=prefix-list-name,Values=com.amazonaws.<region>.s3`). SageMaker downloads the model
   * artifact and writes captured data through the model's network interfaces, and S3 behind a
   * gateway endpoint is S3's public address ranges, not the VPC CIDR. With this ID the security
   * group allows HTTPS to the VPC CIDR (the interface endpoints) and to S3 only.
   * CloudFormation cannot look the prefix list up, hence a prop.
   *
   * @default - HTTPS to 0.0.0.0/0: in an isolated subnet (no internet or NAT route) the route table
   * lets that reach only the VPC (interface endpoints) and S3 through the gateway endpoint
   */
  readonly s3PrefixListId?: string;

  /**
   * Keep the variant registered with Application Auto Scaling (target tracking on invocations per
   * instance). SageMaker refuses an update that changes the instance type of a variant that is a
   * scaling target, so changing `instanceType` takes two deployments: first `false` (deregisters
   * the variant), then the new type with `true` (the target is registered again after the endpoint
   * update). `minInstanceCount`, `maxInstanceCount` and `targetInvocationsPerInstance` are kept but
   * unused while it is off.
   *
   * @default true
   */
  readonly enableAutoScaling?: boolean;

  /**
   * IAM role SageMaker assumes to pull the image, read the model artifact, write logs and data
   * capture. The construct attaches a managed policy with exactly those permissions to it.
   *
   * @default - a new role trusted by `sagemaker.amazonaws.com` with only that policy
   */
  readonly executionRole?: iam.IRole;

  /**
   * Run the container without network access (Security Hub SageMaker.5). Turn it off only for a
   * container that must call other services, and say why in your review.
   *
   * @default true
   */
  readonly enableNetworkIsolation?: boolean;

  /**
   * Name of the SageMaker endpoint (also the name of its log group).
   *
   * @default - a name derived from the construct path
   */
  readonly endpointName?: string;

  /**
   * ML instance type of the production variant. It must support EBS volume encryption with
   * `encryptionKey` (instance types with only NVMe instance storage, such as ml.g4dn, do not).
   *
   * @default 'ml.m5.large'
   */
  readonly instanceType?: string;

  /**
   * Instances the endpoint starts with (Security Hub SageMaker.4 requires more than one); between
   * `minInstanceCount` and `maxInstanceCount` (checked at synthesis when one of them is a
   * `Lazy.number`; not checked when one is known only at deployment).
   *
   * @default 2
   */
  readonly initialInstanceCount?: number;

  /**
   * Fewest instances autoscaling may leave; at most `maxInstanceCount` (checked at synthesis when
   * either is a `Lazy.number`; not checked when either is known only at deployment).
   *
   * @default - `initialInstanceCount`
   */
  readonly minInstanceCount?: number;

  /**
   * Most instances autoscaling may add.
   *
   * @default - twice `minInstanceCount`, or `initialInstanceCount` when that is larger
   */
  readonly maxInstanceCount?: number;

  /**
   * Target-tracking autoscaling keeps invocations per instance per minute near this value.
   *
   * @default 100
   */
  readonly targetInvocationsPerInstance?: number;

  /**
   * Customer-managed KMS key for the endpoint's ML storage volumes and for data capture.
   *
   * @default - a new rotated key (SageMakerEndpointConfigurationKMSKeyConfigured, KMS.4)
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Percentage (0-100, whole) of requests whose request and response are captured.
   *
   * @default 100
   */
  readonly dataCaptureSamplingPercentage?: number;

  /**
   * Bucket that receives captured requests and responses. Give `dataCaptureEncryptionKey` unless
   * the bucket object knows its key.
   *
   * @default - a SecureTrainingBucket encrypted with `encryptionKey`, retained
   */
  readonly dataCaptureBucket?: s3.IBucket;

  /**
   * KMS key of `dataCaptureBucket`, used to encrypt captured data.
   *
   * @default - the key of `dataCaptureBucket`, or `encryptionKey` for the created bucket
   */
  readonly dataCaptureEncryptionKey?: kms.IKey;

  /**
   * Key prefix of captured data.
   *
   * @default 'data-capture/'
   */
  readonly dataCapturePrefix?: string;

  /**
   * p99 model latency that raises the model latency alarm.
   *
   * @default Duration.seconds(5)
   */
  readonly modelLatencyAlarmThreshold?: Duration;

  /**
   * Monitor the captured data against a baseline with SageMaker Model Monitor (a data-quality job
   * definition and an hourly or daily schedule, network-isolated in the endpoint's subnets, its own
   * MONITORING role); failed executions and violations go to the alarm topic. A `monitoringEncryptionKey`
   * or `alarmTopic` you pass must let events.amazonaws.com publish (kms:Decrypt, kms:GenerateDataKey*).
   *
   * @default - no monitoring schedule
   */
  readonly dataQualityMonitoring?: ModelDataQualityMonitorOptions;

  /**
   * Monitor the model's quality with SageMaker Model Monitor: a model-quality job definition and
   * an hourly or daily schedule that merge the captured predictions with the ground truth labels you
   * upload (by default under `ground-truth/` of the capture bucket) and compare the quality metrics
   * with a baseline; network-isolated in the endpoint's subnets, its own MONITORING role; failed
   * executions and violations go to the alarm topic, like `dataQualityMonitoring`.
   *
   * @default - no model-quality schedule
   */
  readonly modelQualityMonitoring?: ModelQualityMonitorOptions;
}

/**
 * The front door of an inference endpoint: the REST API, its authorization, validation,
 * throttling, WAF and logs. For a private API the VPC endpoints are required; every other
 * property has a secure default.
 */
export interface PrivateInferenceApiOptions {
  /**
   * Private (default) or regional API.
   *
   * @default InferenceApiEndpointType.PRIVATE
   */
  readonly endpointType?: InferenceApiEndpointType;

  /**
   * execute-api interface VPC endpoints through which a private API is reached. Required for a
   * private API; the resource policy denies requests that come through any other endpoint.
   *
   * @default - none; required when `endpointType` is PRIVATE
   */
  readonly apiVpcEndpoints?: ec2.IInterfaceVpcEndpoint[];

  /**
   * Name of the REST API. API Gateway metrics (and so the alarms) are keyed by API name and stage,
   * so two APIs of an account must not share a name.
   *
   * @default - a name derived from the stack and construct path, unique in the account
   */
  readonly apiName?: string;

  /**
   * Path of the POST method that invokes the model.
   *
   * @default 'invocations'
   */
  readonly resourcePath?: string;

  /**
   * Name of the API stage.
   *
   * @default 'prod'
   */
  readonly stageName?: string;

  /**
   * How callers authenticate (APIG4: no method is left without authorization).
   *
   * @default InferenceApiAuthorization.IAM
   */
  readonly authorization?: InferenceApiAuthorization;

  /**
   * User pool whose tokens the Cognito authorizer accepts. Required with COGNITO authorization.
   *
   * @default - none
   */
  readonly userPool?: cognito.IUserPool;

  /**
   * OAuth scopes an access token must carry, with COGNITO authorization.
   *
   * @default - an ID token of the user pool is enough
   */
  readonly authorizationScopes?: string[];

  /**
   * Also require an API key, and create a usage plan with per-client throttling and a quota.
   * API keys identify clients for metering; they are not authentication, so they come on top
   * of `authorization`, never instead of it.
   *
   * @default false
   */
  readonly requireApiKey?: boolean;

  /**
   * Steady-state requests per second the stage allows for all clients (Serverless APIGWDefaultThrottling).
   *
   * @default 50
   */
  readonly throttlingRateLimit?: number;

  /**
   * Burst of requests the stage allows above the rate; at least `throttlingRateLimit` (checked at
   * synthesis when either is a `Lazy.number`; not checked when either is known only at deployment).
   *
   * @default 100
   */
  readonly throttlingBurstLimit?: number;

  /**
   * Requests per second per API key, with `requireApiKey`.
   *
   * @default 10
   */
  readonly usagePlanRateLimit?: number;

  /**
   * Burst per API key, with `requireApiKey`; at least `usagePlanRateLimit` (checked at synthesis
   * when either is a `Lazy.number`; not checked when either is known only at deployment).
   *
   * @default 20
   */
  readonly usagePlanBurstLimit?: number;

  /**
   * Requests per API key per day, with `requireApiKey`.
   *
   * @default 10000
   */
  readonly usagePlanDailyQuota?: number;

  /**
   * ARN of an existing regional AWS WAF web ACL (`arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>`)
   * to associate with the stage instead of the one the construct creates, for example the
   * organization's Firewall Manager-managed ACL. The construct then creates no web ACL, WAF log
   * group or WAF alarms: the ACL's owner keeps its rules, logging and monitoring. `wafRateLimit`
   * and `maxRequestBodyBytes` configure the created ACL and are rejected with it.
   *
   * @default - a web ACL with AWS managed rules, a per-IP rate rule, a body-size rule and logging
   */
  readonly webAclArn?: string;

  /**
   * Requests one client IP may send in five minutes before WAF blocks it (10 to 2,000,000,000).
   *
   * @default 1000
   */
  readonly wafRateLimit?: number;

  /**
   * Largest request body, in bytes, WAF lets through (1 to 65,536). Above 8 KiB WAF inspects a
   * larger body (at extra cost) and the common rule set's own 8 KiB body rule only counts.
   *
   * @default 8192
   */
  readonly maxRequestBodyBytes?: number;

  /**
   * JSON schema (draft 4) a request body must satisfy; the request validator rejects others.
   *
   * @default - an object with a required `inputs` member and an optional `parameters` object, nothing else
   */
  readonly requestSchema?: apigw.JsonSchema;

  /**
   * Custom domain name of a REGIONAL API (for example `inference.example.com`). The domain
   * accepts TLS 1.2 or later only, and the default execute-api endpoint is disabled so callers
   * must use it. Not available for a PRIVATE API.
   *
   * @default - no custom domain: callers use the execute-api hostname
   */
  readonly domainName?: string;

  /**
   * ACM certificate for `domainName`, in the API's Region. Required with `domainName`.
   *
   * @default - none
   */
  readonly domainCertificate?: acm.ICertificate;

  /**
   * Turn on the stage cache. Inference requests are POSTs that must reach the model, so the
   * default is off; a cache you turn on is encrypted.
   *
   * @default false
   */
  readonly cacheEnabled?: boolean;

  /**
   * Create the account-wide API Gateway CloudWatch Logs role (`AWS::ApiGateway::Account`).
   * Execution logging needs one role per account and Region; leave this off when the account
   * already has it (it is a global setting one stack should own).
   *
   * @default false
   */
  readonly createApiGatewayAccountRole?: boolean;

  /**
   * Create API Gateway's execution log group (`API-Gateway-Execution-Logs_{restApiId}/{stageName}`)
   * in the stack, KMS-encrypted with `monitoringEncryptionKey`, retained, with `logRetention`,
   * before the stage, so the service does not create an unencrypted, never-expiring one. Turn it
   * off only when upgrading a stage that is already deployed (the service created the group; import
   * it or delete it first).
   *
   * @default true
   */
  readonly createExecutionLogGroup?: boolean;

  /**
   * p99 API latency that raises the latency alarm.
   *
   * @default Duration.seconds(10)
   */
  readonly apiLatencyAlarmThreshold?: Duration;
}

/** Logs, alarms and retention shared by the SageMaker side and the API. */
export interface InferenceMonitoringOptions {
  /**
   * KMS key for the log groups (access, WAF, endpoint) and the created alarm topic. A key you
   * pass must let CloudWatch Logs and CloudWatch alarms use it.
   *
   * @default - a new rotated key with exactly those permissions
   */
  readonly monitoringEncryptionKey?: kms.IKey;

  /**
   * How long the log groups keep logs (at least a year).
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * SNS topic that receives the alarms. A topic you pass is used as is: encrypt it and allow
   * CloudWatch to publish.
   *
   * @default - a KMS-encrypted topic that accepts only TLS publishes
   */
  readonly alarmTopic?: sns.ITopic;

  /**
   * What happens to keys, log groups and the created capture bucket when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A SageMaker endpoint a PrivateInferenceApi can invoke: a SecureModelEndpoint, or any endpoint
 * referenced with `InferenceEndpointTarget.fromEndpointName` or `fromCfnEndpoint`.
 */
export interface IInferenceEndpointTarget {
  /** Name of the SageMaker endpoint (the path segment of `InvokeEndpoint`). */
  readonly endpointName: string;
  /** ARN of the SageMaker endpoint (the resource of `sagemaker:InvokeEndpoint`). */
  readonly endpointArn: string;
}
