import { Annotations, ArnFormat, Duration, Names, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cw_actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import {
  checkCapturePrefix, checkInstanceType, checkLogGroupName, checkModelDataKey, checkWafLogGroupName, checkWafName, CONSTRAINTS, violated,
} from './constraints';
import { acknowledge, Finding, FindingSource } from '../private/acknowledge';
import { invalidProp, isUnresolved } from '../private/errors';
import { createKey } from '../private/kms';
import { allowLogsToUseKey, createLogGroup } from '../private/logs';
import { SecureTrainingBucket } from '../storage/secure-training-bucket';

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
 * Properties of a PrivateInferenceEndpoint. The model location, the VPC and, for a private API,
 * the VPC endpoints are required; every other property has a secure default.
 */
export interface PrivateInferenceEndpointProps {
  // ---------------------------------------------------------------- model

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
   * Instances the endpoint starts with (Security Hub SageMaker.4 requires more than one).
   *
   * @default 2
   */
  readonly initialInstanceCount?: number;

  /**
   * Fewest instances autoscaling may leave.
   *
   * @default - `initialInstanceCount`
   */
  readonly minInstanceCount?: number;

  /**
   * Most instances autoscaling may add.
   *
   * @default - twice `minInstanceCount`
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

  // ---------------------------------------------------------------- API

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
   * Burst of requests the stage allows above the rate; at least `throttlingRateLimit`.
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
   * Burst per API key, with `requireApiKey`; at least `usagePlanRateLimit`.
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

  // ---------------------------------------------------------------- monitoring

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
   * p99 API latency that raises the latency alarm.
   *
   * @default Duration.seconds(10)
   */
  readonly apiLatencyAlarmThreshold?: Duration;

  /**
   * p99 model latency that raises the model latency alarm.
   *
   * @default Duration.seconds(5)
   */
  readonly modelLatencyAlarmThreshold?: Duration;

  /**
   * What happens to keys, log groups and the created capture bucket when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const VARIANT_NAME = 'AllTraffic';

/**
 * A SageMaker model served behind a private API Gateway REST API, secure by default.
 *
 * Model side: a model from an ECR image and an S3 artifact, network-isolated in the given
 * subnets with its own security group; an endpoint configuration encrypted with a
 * customer-managed key, two instances by default, data capture of requests and responses to an
 * encrypted retained bucket; target-tracking autoscaling; an execution role that can read only
 * this model's artifact and image and write only its logs and captured data.
 *
 * API side: a private REST API (resource policy: only the named execute-api VPC endpoints) whose
 * POST method calls SageMaker `InvokeEndpoint` directly through a role that can invoke only this
 * endpoint; IAM (or Cognito) authorization, optional API keys with a usage plan; stage
 * throttling; a request validator with a JSON schema; a WAF web ACL with AWS managed rules,
 * a per-IP rate rule and a body-size rule, logged with the Authorization header redacted;
 * JSON access logs, execution logs without data, X-Ray; alarms to an encrypted SNS topic.
 *
 * @example
 * const endpoint = new PrivateInferenceEndpoint(this, 'Inference', {
 *   vpc, imageRepository, modelDataBucket: artifacts.bucket, modelDataKey: 'models/model.tar.gz',
 *   apiVpcEndpoints: [executeApiEndpoint],
 * });
 * endpoint.grantInvoke(clientRole);
 */
export class PrivateInferenceEndpoint extends Construct {
  /** The SageMaker model. */
  public readonly model: sagemaker.CfnModel;
  /** The endpoint configuration. */
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The SageMaker endpoint. */
  public readonly endpoint: sagemaker.CfnEndpoint;
  /** Name of the SageMaker endpoint. */
  public readonly endpointName: string;
  /** ARN of the SageMaker endpoint. */
  public readonly endpointArn: string;
  /** The role SageMaker assumes for the model. */
  public readonly executionRole: iam.IRole;
  /** The managed policy attached to the execution role. */
  public readonly executionPolicy: iam.ManagedPolicy;
  /** The security group of the model's network interfaces. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The key of the endpoint's volumes and of data capture. */
  public readonly encryptionKey: kms.IKey;
  /** The bucket that receives captured requests and responses. */
  public readonly dataCaptureBucket: s3.IBucket;
  /** The created capture bucket construct, when the construct created one. */
  public readonly secureDataCaptureBucket?: SecureTrainingBucket;
  /** The autoscaling target of the production variant, unless `enableAutoScaling` is false. */
  public readonly scalableTarget?: appscaling.ScalableTarget;
  /** The REST API. */
  public readonly api: apigw.RestApi;
  /** The API stage. */
  public readonly stage: apigw.Stage;
  /** The POST method that invokes the model. */
  public readonly method: apigw.Method;
  /** The role API Gateway uses to call `InvokeEndpoint`. */
  public readonly integrationRole: iam.Role;
  /** The request body model (JSON schema). */
  public readonly requestModel: apigw.Model;
  /** The usage plan, with `requireApiKey`. */
  public readonly usagePlan?: apigw.UsagePlan;
  /** The API key of the usage plan, with `requireApiKey`. */
  public readonly apiKey?: apigw.IApiKey;
  /** The custom domain, with `domainName`. */
  public readonly domain?: apigw.DomainName;
  /** The WAF web ACL the construct created for the stage (undefined with `webAclArn`). */
  public readonly webAcl?: wafv2.CfnWebACL;
  /** ARN of the web ACL associated with the stage (created, or `webAclArn`). */
  public readonly webAclArn: string;
  /** The key of the log groups and of the created alarm topic. */
  public readonly monitoringEncryptionKey: kms.IKey;
  /** The log group of the API access logs (JSON). */
  public readonly accessLogGroup: logs.LogGroup;
  /** API Gateway's execution log group, unless `createExecutionLogGroup` is false. */
  public readonly executionLogGroup?: logs.LogGroup;
  /** The log group of the WAF logs (undefined with `webAclArn`). */
  public readonly wafLogGroup?: logs.LogGroup;
  /** The log group the SageMaker endpoint writes to. */
  public readonly endpointLogGroup: logs.LogGroup;
  /** The topic that receives the alarms. */
  public readonly alarmTopic: sns.ITopic;
  /** Every alarm the construct creates. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  private readonly removalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: PrivateInferenceEndpointProps) {
    super(scope, id);
    this.removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const stack = Stack.of(this);
    const v = this.validate(props);

    this.reportWeakenedDefaults(v);
    this.endpointName = v.endpointName;
    this.endpointArn = stack.formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: v.endpointName.toLowerCase() });

    // ------------------------------------------------------------ keys and logs
    this.encryptionKey = props.encryptionKey ?? createKey(this, 'Key', {
      description: `Encrypts the SageMaker endpoint volumes and captured data of ${this.node.path}`,
      removalPolicy: this.removalPolicy,
    });
    this.monitoringEncryptionKey = props.monitoringEncryptionKey ?? this.createMonitoringKey();
    const logGroup = (logId: string, purpose: string, logGroupName: string | undefined) => createLogGroup(this, logId, {
      encryptionKey: this.monitoringEncryptionKey,
      retention: v.logRetention,
      removalPolicy: this.removalPolicy,
      logGroupName,
      purpose,
    }).logGroup;
    checkLogGroupName(this, 'endpointName', `/aws/sagemaker/Endpoints/${v.endpointName}`);
    this.endpointLogGroup = logGroup('EndpointLogs', 'SageMaker endpoint', `/aws/sagemaker/Endpoints/${v.endpointName}`);
    this.accessLogGroup = logGroup('AccessLogs', 'API access', undefined);
    const wafLogGroupName = `aws-waf-logs-${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`;
    if (!props.webAclArn) {
      checkWafLogGroupName(this, wafLogGroupName);
      this.wafLogGroup = logGroup('WafLogs', 'WAF', wafLogGroupName);
    }

    // ------------------------------------------------------------ model side
    if (props.dataCaptureBucket) {
      this.dataCaptureBucket = props.dataCaptureBucket;
    } else {
      this.secureDataCaptureBucket = new SecureTrainingBucket(this, 'DataCapture', {
        encryptionKey: this.encryptionKey,
        removalPolicy: this.removalPolicy,
      });
      this.dataCaptureBucket = this.secureDataCaptureBucket.bucket;
    }
    const captureKey = props.dataCaptureEncryptionKey ?? (props.dataCaptureBucket ? props.dataCaptureBucket.encryptionKey : this.encryptionKey);
    if (!captureKey) {
      invalidProp(this, 'dataCaptureEncryptionKey', undefined,
        'Captured requests and responses must be encrypted with a customer-managed key: pass the KMS key of `dataCaptureBucket`.');
    }

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `Network interfaces of the SageMaker model ${this.node.path}`,
      allowAllOutbound: false,
    });
    // SageMaker pulls the image (ECR, CloudWatch Logs: interface endpoints in the VPC) and reads the
    // artifact and writes captured data (S3: the gateway endpoint, S3's public ranges) through these
    // network interfaces.
    if (v.s3PrefixListId) {
      this.securityGroup.addEgressRule(ec2.Peer.ipv4(props.vpc.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS to VPC endpoints in this VPC');
      this.securityGroup.addEgressRule(ec2.Peer.prefixList(v.s3PrefixListId), ec2.Port.tcp(443), 'HTTPS to S3 through the gateway endpoint');
    } else {
      this.securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443),
        'HTTPS: in isolated subnets only the VPC endpoints and the S3 gateway endpoint are routed');
    }

    this.executionPolicy = new iam.ManagedPolicy(this, 'ExecutionPolicy', {
      description: `Lets SageMaker run the model of ${this.node.path}: its image, its artifact, its logs, its captured data`,
      statements: this.executionStatements(props, v, captureKey),
    });
    if (props.executionRole) {
      this.executionRole = props.executionRole;
    } else {
      this.executionRole = new iam.Role(this, 'ExecutionRole', {
        // confused-deputy guard: only SageMaker acting for this account may assume the role
        assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com').withConditions({
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        }),
        description: `SageMaker execution role of ${this.node.path}`,
      });
    }
    this.executionPolicy.attachToRole(this.executionRole);
    this.acknowledgeExecutionPolicy(v);

    const image = props.imageRepository.repositoryUriForTagOrDigest(v.imageTagOrDigest);
    this.model = new sagemaker.CfnModel(this, 'Model', {
      executionRoleArn: this.executionRole.roleArn,
      enableNetworkIsolation: v.networkIsolation,
      primaryContainer: {
        image,
        modelDataUrl: `s3://${props.modelDataBucket.bucketName}/${props.modelDataKey}`,
      },
      vpcConfig: {
        subnets: v.subnetIds,
        securityGroupIds: [this.securityGroup.securityGroupId],
      },
    });
    this.model.node.addDependency(this.executionPolicy);

    this.endpointConfig = new sagemaker.CfnEndpointConfig(this, 'EndpointConfig', {
      kmsKeyId: this.encryptionKey.keyArn,
      productionVariants: [{
        variantName: VARIANT_NAME,
        modelName: this.model.attrModelName,
        initialInstanceCount: v.initialInstanceCount,
        instanceType: v.instanceType,
        initialVariantWeight: 1,
      }],
      dataCaptureConfig: {
        enableCapture: true,
        initialSamplingPercentage: v.samplingPercentage,
        destinationS3Uri: `s3://${this.dataCaptureBucket.bucketName}/${v.capturePrefix}`,
        kmsKeyId: captureKey.keyArn,
        captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
        captureContentTypeHeader: { jsonContentTypes: ['application/json'] },
      },
    });

    this.endpoint = new sagemaker.CfnEndpoint(this, 'Endpoint', {
      endpointName: v.endpointName,
      endpointConfigName: this.endpointConfig.attrEndpointConfigName,
    });
    this.endpoint.node.addDependency(this.executionPolicy, this.endpointLogGroup);

    if (v.autoScaling) this.scalableTarget = this.createScaling(v);

    // ------------------------------------------------------------ API side
    this.integrationRole = new iam.Role(this, 'IntegrationRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: `Lets API Gateway invoke the SageMaker endpoint of ${this.node.path}, and nothing else`,
    });
    new iam.ManagedPolicy(this, 'IntegrationPolicy', {
      description: `Invoke the SageMaker endpoint of ${this.node.path} only`,
      roles: [this.integrationRole],
      statements: [new iam.PolicyStatement({
        sid: 'InvokeThisEndpointOnly',
        actions: ['sagemaker:InvokeEndpoint'],
        resources: [this.endpointArn],
      })],
    });

    const cacheEnabled = props.cacheEnabled ?? false;
    this.api = new apigw.RestApi(this, 'Api', {
      restApiName: v.apiName,
      description: `Inference API of ${this.node.path}`,
      endpointConfiguration: v.private
        ? { types: [apigw.EndpointType.PRIVATE], vpcEndpoints: props.apiVpcEndpoints }
        : { types: [apigw.EndpointType.REGIONAL] },
      policy: this.resourcePolicy(props, v),
      disableExecuteApiEndpoint: props.domainName !== undefined ? true : undefined,
      cloudWatchRole: props.createApiGatewayAccountRole ?? false,
      cloudWatchRoleRemovalPolicy: props.createApiGatewayAccountRole ? this.removalPolicy : undefined,
      apiKeySourceType: v.requireApiKey ? apigw.ApiKeySourceType.HEADER : undefined,
      deployOptions: {
        stageName: v.stageName,
        throttlingRateLimit: v.rate,
        throttlingBurstLimit: v.burst,
        loggingLevel: apigw.MethodLoggingLevel.INFO,
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
        cacheClusterEnabled: cacheEnabled,
        cachingEnabled: cacheEnabled,
        cacheDataEncrypted: true,
      },
    });
    this.stage = this.api.deploymentStage;
    if (props.createExecutionLogGroup ?? true) {
      // The group API Gateway writes execution logs to; created here first, so the service finds it
      // instead of creating an unencrypted, never-expiring one outside the stack.
      this.executionLogGroup = logGroup('ExecutionLogs', 'API Gateway execution',
        `API-Gateway-Execution-Logs_${this.api.restApiId}/${v.stageName}`);
      this.stage.node.addDependency(this.executionLogGroup);
    }
    if (props.domainName && props.domainCertificate) {
      this.domain = this.api.addDomainName('Domain', {
        domainName: props.domainName,
        certificate: props.domainCertificate,
        endpointType: apigw.EndpointType.REGIONAL,
        securityPolicy: apigw.SecurityPolicy.TLS_1_2,
      });
    }

    this.requestModel = this.api.addModel('RequestModel', {
      contentType: 'application/json',
      description: 'The request body an inference call must send',
      schema: props.requestSchema ?? DEFAULT_REQUEST_SCHEMA,
    });
    const validator = this.api.addRequestValidator('BodyValidator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const integration = new apigw.AwsIntegration({
      service: 'runtime.sagemaker',
      path: `endpoints/${v.endpointName}/invocations`,
      integrationHttpMethod: 'POST',
      options: {
        credentialsRole: this.integrationRole,
        passthroughBehavior: apigw.PassthroughBehavior.NEVER,
        requestParameters: {
          'integration.request.header.Content-Type': "'application/json'",
          'integration.request.header.Accept': "'application/json'",
        },
        requestTemplates: { 'application/json': '$input.body' },
        integrationResponses: INTEGRATION_RESPONSES,
      },
    });

    let authorizer: apigw.IAuthorizer | undefined;
    if (v.authorization === InferenceApiAuthorization.COGNITO) {
      authorizer = new apigw.CognitoUserPoolsAuthorizer(this, 'Authorizer', { cognitoUserPools: [props.userPool!] });
    }
    const resource = this.api.root.resourceForPath(v.resourcePath);
    this.method = resource.addMethod('POST', integration, {
      authorizationType: v.authorization === InferenceApiAuthorization.COGNITO ? apigw.AuthorizationType.COGNITO : apigw.AuthorizationType.IAM,
      authorizer,
      authorizationScopes: props.authorizationScopes,
      apiKeyRequired: v.requireApiKey,
      requestValidator: validator,
      requestModels: { 'application/json': this.requestModel },
      methodResponses: [...new Set(INTEGRATION_RESPONSES.map((r) => r.statusCode))].map((statusCode) => ({ statusCode })),
    });
    if (v.authorization === InferenceApiAuthorization.IAM) {
      acknowledge(this.method, [{ id: 'AwsSolutions-COG4', source: FindingSource.CDK_NAG }], IAM_AUTH_REASON);
    }

    if (v.requireApiKey) {
      this.usagePlan = this.api.addUsagePlan('UsagePlan', {
        description: `Per-client limits of ${this.node.path}`,
        throttle: { rateLimit: v.usagePlanRate, burstLimit: v.usagePlanBurst },
        quota: { limit: v.usagePlanQuota, period: apigw.Period.DAY },
        apiStages: [{ api: this.api, stage: this.stage }],
      });
      this.apiKey = this.api.addApiKey('ApiKey', { description: `First client key of ${this.node.path}` });
      this.usagePlan.addApiKey(this.apiKey);
    }

    if (!props.webAclArn) this.webAcl = this.createWebAcl(v);
    this.webAclArn = props.webAclArn ?? this.webAcl!.attrArn;
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', {
      resourceArn: this.stage.stageArn,
      webAclArn: this.webAclArn,
    });
    if (this.webAcl && this.wafLogGroup) this.logWebAcl(this.webAcl, this.wafLogGroup, wafLogGroupName);

    if (!cacheEnabled) {
      acknowledge(this.stage, ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack): Finding =>
        ({ id: `${pack}-APIGWCacheEnabledAndEncrypted`, source: FindingSource.CDK_NAG })), CACHE_REASON);
    }
    acknowledge(this.stage, ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack): Finding =>
      ({ id: `${pack}-APIGWSSLEnabled`, source: FindingSource.CDK_NAG })), CLIENT_CERT_REASON);

    // ------------------------------------------------------------ alarms
    if (props.alarmTopic) {
      this.alarmTopic = props.alarmTopic;
    } else {
      const topic = new sns.Topic(this, 'AlarmTopic', {
        displayName: `Alarms of ${this.node.path}`.slice(0, 100), // SNS CreateTopic: DisplayName at most 100 characters
        masterKey: this.monitoringEncryptionKey,
        enforceSSL: true,
      });
      topic.addToResourcePolicy(new iam.PolicyStatement({
        sid: 'AllowAlarmsOfThisAccountToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }));
      this.alarmTopic = topic;
    }
    this.createAlarms(v);
  }

  /**
   * Grants `execute-api:Invoke` on this API's POST method in its stage, and nothing else.
   * Needed with IAM authorization.
   *
   * @param grantee the principal that calls the API
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['execute-api:Invoke'],
      resourceArns: [this.method.methodArn],
    });
  }

  /** The URL a client POSTs to. */
  public get invokeUrl(): string {
    return this.stage.urlForPath(this.method.resource.path);
  }

  private validate(props: PrivateInferenceEndpointProps) {
    const int = (prop: string, value: number | undefined, fallback: number, min: number, max: number, fix?: string): number => {
      const n = value ?? fallback;
      if (isUnresolved(n)) return n;
      if (!Number.isInteger(n) || n < min || n > max) {
        invalidProp(this, prop, value, fix ?? `Give a whole number between ${min} and ${max}.`);
      }
      return n;
    };
    const positive = (prop: string, value: number | undefined, fallback: number): number => {
      const n = value ?? fallback;
      if (!isUnresolved(n) && !(n > 0 && Number.isFinite(n))) invalidProp(this, prop, value, 'Give a positive number of requests per second.');
      return n;
    };

    const endpointName = props.endpointName ?? Names.uniqueResourceName(this, { maxLength: 63, separator: '-' }).toLowerCase();
    if (!isUnresolved(endpointName) && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(endpointName)) {
      violated(this, 'endpointName', endpointName, CONSTRAINTS.endpointName, 'Use 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.');
    }

    const initialInstanceCount = int('initialInstanceCount', props.initialInstanceCount, 2, 1, 1000,
      'Give at least 1 instance (2 or more spread the endpoint across Availability Zones, Security Hub SageMaker.4).');
    const minInstanceCount = int('minInstanceCount', props.minInstanceCount, initialInstanceCount, 1, 1000, 'Give at least 1 instance.');
    const maxInstanceCount = int('maxInstanceCount', props.maxInstanceCount, Math.max(minInstanceCount * 2, initialInstanceCount), 1, 1000,
      'Give at least 1 instance.');
    if (!isUnresolved(minInstanceCount) && !isUnresolved(maxInstanceCount) && minInstanceCount > maxInstanceCount) {
      invalidProp(this, 'minInstanceCount', minInstanceCount, `The minimum must not exceed maxInstanceCount (${maxInstanceCount}).`);
    }
    if (!isUnresolved(initialInstanceCount) && !isUnresolved(maxInstanceCount) && !isUnresolved(minInstanceCount)
      && (initialInstanceCount < minInstanceCount || initialInstanceCount > maxInstanceCount)) {
      invalidProp(this, 'initialInstanceCount', initialInstanceCount, `Start between minInstanceCount (${minInstanceCount}) and maxInstanceCount (${maxInstanceCount}).`);
    }
    const targetInvocations = positive('targetInvocationsPerInstance', props.targetInvocationsPerInstance, 100);
    const samplingPercentage = int('dataCaptureSamplingPercentage', props.dataCaptureSamplingPercentage, 100, 0, 100,
      'Give a whole percentage between 0 and 100.');
    const capturePrefix = props.dataCapturePrefix ?? 'data-capture/';
    checkCapturePrefix(this, capturePrefix);
    checkModelDataKey(this, props.modelDataKey);
    const imageTagOrDigest = props.imageTagOrDigest ?? 'latest';
    if (!isUnresolved(imageTagOrDigest) && !/^([\w][\w.-]{0,127}|sha256:[0-9a-f]{64})$/.test(imageTagOrDigest)) {
      invalidProp(this, 'imageTagOrDigest', imageTagOrDigest, 'Give an image tag such as "1.4.2" or a digest such as "sha256:<64 hex digits>".');
    }
    const instanceType = props.instanceType ?? 'ml.m5.large';
    checkInstanceType(this, instanceType, true);

    const subnetIds = this.selectSubnets(props);

    const endpointType = props.endpointType ?? InferenceApiEndpointType.PRIVATE;
    const isPrivate = endpointType === InferenceApiEndpointType.PRIVATE;
    if (isPrivate && (props.apiVpcEndpoints === undefined || props.apiVpcEndpoints.length === 0)) {
      invalidProp(this, 'apiVpcEndpoints', props.apiVpcEndpoints,
        'A private API is reachable only through execute-api interface VPC endpoints: name at least one, or choose endpointType REGIONAL explicitly.');
    }
    if (!isPrivate && props.apiVpcEndpoints !== undefined) {
      invalidProp(this, 'apiVpcEndpoints', props.apiVpcEndpoints, 'VPC endpoints only apply to a PRIVATE API: remove them, or make the API private.');
    }

    if (props.domainName !== undefined || props.domainCertificate !== undefined) {
      if (isPrivate) {
        invalidProp(this, 'domainName', props.domainName, 'Custom domains are available for a REGIONAL API only: remove the domain, or choose endpointType REGIONAL.');
      }
      if (props.domainName === undefined) invalidProp(this, 'domainName', undefined, 'A certificate needs the domain name it is for: set `domainName`.');
      if (props.domainCertificate === undefined) invalidProp(this, 'domainCertificate', undefined, 'A custom domain needs an ACM certificate in the API\'s Region.');
      if (!isUnresolved(props.domainName) && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(props.domainName)) {
        invalidProp(this, 'domainName', props.domainName, 'Give a lower-case DNS name such as "inference.example.com".');
      }
    }
    const apiName = props.apiName ?? Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    if (!isUnresolved(apiName) && apiName.trim() === '') {
      invalidProp(this, 'apiName', apiName, 'Give a name unique among the REST APIs of the account and Region (API Gateway metrics are keyed by it).');
    }
    const s3PrefixListId = props.s3PrefixListId;
    if (s3PrefixListId !== undefined && !isUnresolved(s3PrefixListId) && !/^pl-[0-9a-f]{8,17}$/.test(s3PrefixListId)) {
      invalidProp(this, 's3PrefixListId', s3PrefixListId, 'Give the ID of the Region\'s S3 prefix list, such as "pl-63a5400a" (aws ec2 describe-managed-prefix-lists).');
    }
    const resourcePath = props.resourcePath ?? 'invocations';
    if (!isUnresolved(resourcePath) && !/^[a-zA-Z0-9._-]+(\/[a-zA-Z0-9._-]+)*$/.test(resourcePath)) {
      invalidProp(this, 'resourcePath', resourcePath, 'Give a relative path such as "invocations" or "v1/predict" (no leading slash, no braces).');
    }
    const stageName = props.stageName ?? 'prod';
    if (!isUnresolved(stageName) && !/^[a-zA-Z0-9_-]{1,128}$/.test(stageName)) {
      violated(this, 'stageName', stageName, CONSTRAINTS.stageName, 'Use 1 to 128 letters, digits, hyphens and underscores.');
    }

    const authorization = props.authorization ?? InferenceApiAuthorization.IAM;
    if (authorization === InferenceApiAuthorization.COGNITO && !props.userPool) {
      invalidProp(this, 'userPool', props.userPool, 'COGNITO authorization needs the user pool whose tokens it accepts.');
    }
    if (authorization !== InferenceApiAuthorization.COGNITO && props.userPool) {
      invalidProp(this, 'userPool', props.userPool.userPoolId, 'A user pool is only used with authorization COGNITO: set it, or remove the pool.');
    }
    if (authorization !== InferenceApiAuthorization.COGNITO && props.authorizationScopes) {
      invalidProp(this, 'authorizationScopes', props.authorizationScopes, 'Scopes are only used with authorization COGNITO.');
    }

    const rate = positive('throttlingRateLimit', props.throttlingRateLimit, 50);
    const burst = int('throttlingBurstLimit', props.throttlingBurstLimit, 100, 1, 5000);
    if (!isUnresolved(rate) && !isUnresolved(burst) && burst < rate) {
      invalidProp(this, 'throttlingBurstLimit', props.throttlingBurstLimit ?? burst, `The burst must be at least throttlingRateLimit (${rate}).`);
    }
    const requireApiKey = props.requireApiKey ?? false;
    if (!requireApiKey) {
      for (const [prop, value] of Object.entries({
        usagePlanRateLimit: props.usagePlanRateLimit,
        usagePlanBurstLimit: props.usagePlanBurstLimit,
        usagePlanDailyQuota: props.usagePlanDailyQuota,
      })) {
        if (value !== undefined) invalidProp(this, prop, value, 'Usage plan limits apply only with requireApiKey: true.');
      }
    }
    const usagePlanRate = positive('usagePlanRateLimit', props.usagePlanRateLimit, 10);
    const usagePlanBurst = int('usagePlanBurstLimit', props.usagePlanBurstLimit, 20, 1, 5000);
    if (!isUnresolved(usagePlanRate) && !isUnresolved(usagePlanBurst) && usagePlanBurst < usagePlanRate) {
      invalidProp(this, 'usagePlanBurstLimit', props.usagePlanBurstLimit ?? usagePlanBurst, `The burst must be at least usagePlanRateLimit (${usagePlanRate}).`);
    }
    const usagePlanQuota = int('usagePlanDailyQuota', props.usagePlanDailyQuota, 10_000, 1, 2_000_000_000);
    if (props.webAclArn !== undefined) {
      if (!isUnresolved(props.webAclArn) && !/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[\w-]{1,128}\/[a-f0-9-]+$/.test(props.webAclArn)) {
        violated(this, 'webAclArn', props.webAclArn, CONSTRAINTS.wafScope,
          'Give the ARN of a REGIONAL web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>); a CloudFront (global) web ACL cannot protect an API Gateway stage.');
      }
      for (const [prop, value] of Object.entries({ wafRateLimit: props.wafRateLimit, maxRequestBodyBytes: props.maxRequestBodyBytes })) {
        if (value !== undefined) invalidProp(this, prop, value, 'It configures the web ACL the construct creates; with `webAclArn` the existing ACL\'s rules apply: remove it.');
      }
    }
    const wafRateLimit = int('wafRateLimit', props.wafRateLimit, 1000, 10, 2_000_000_000,
      'AWS WAF accepts a rate-based limit between 10 and 2,000,000,000 requests per five minutes.');
    const maxBodyBytes = int('maxRequestBodyBytes', props.maxRequestBodyBytes, 8192, 1, 65_536,
      'AWS WAF inspects at most 64 KiB of an API Gateway request body: give 1 to 65536 bytes.');

    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_YEAR;
    if (logRetention !== logs.RetentionDays.INFINITE && logRetention < 365) {
      invalidProp(this, 'logRetention', logRetention, 'Keep logs for at least a year (logs.RetentionDays.ONE_YEAR or more).');
    }
    const apiLatency = this.positiveDuration('apiLatencyAlarmThreshold', props.apiLatencyAlarmThreshold ?? Duration.seconds(10));
    const modelLatency = this.positiveDuration('modelLatencyAlarmThreshold', props.modelLatencyAlarmThreshold ?? Duration.seconds(5));

    return {
      endpointName,
      initialInstanceCount,
      minInstanceCount,
      maxInstanceCount,
      targetInvocations,
      samplingPercentage,
      capturePrefix,
      imageTagOrDigest,
      instanceType,
      subnetIds,
      networkIsolation: props.enableNetworkIsolation ?? true,
      private: isPrivate,
      resourcePath,
      stageName,
      apiName,
      s3PrefixListId,
      autoScaling: props.enableAutoScaling ?? true,
      authorization,
      rate,
      burst,
      requireApiKey,
      usagePlanRate,
      usagePlanBurst,
      usagePlanQuota,
      wafRateLimit,
      maxBodyBytes,
      logRetention,
      apiLatency,
      modelLatency,
    };
  }

  /**
   * No compliance pack checks these SageMaker settings yet, so a user's opt-out is reported as a
   * construct warning, which reaches the validation report like any other finding.
   */
  private reportWeakenedDefaults(v: ReturnType<PrivateInferenceEndpoint['validate']>): void {
    const warn = (id: string, message: string) => Annotations.of(this).addWarningV2(`cdk-secure-ai:${id}`, message);
    if (!v.networkIsolation) {
      warn('modelNetworkIsolationDisabled', 'The model runs without network isolation (enableNetworkIsolation: false): its container can reach the network (Security Hub SageMaker.5).');
    }
    if (!isUnresolved(v.initialInstanceCount) && v.initialInstanceCount < 2) {
      warn('singleInstanceEndpoint', 'The endpoint starts with one instance (initialInstanceCount: 1): it is not spread across Availability Zones (Security Hub SageMaker.4).');
    }
    if (!isUnresolved(v.samplingPercentage) && v.samplingPercentage === 0) {
      warn('dataCaptureSampledAtZero', 'Data capture samples 0% of requests (dataCaptureSamplingPercentage: 0): no request or response is kept for monitoring or forensic review.');
    }
  }

  private positiveDuration(prop: string, value: Duration): Duration {
    if (!isUnresolved(value.toMilliseconds()) && value.toMilliseconds() <= 0) {
      invalidProp(this, prop, value, 'Give a positive duration, e.g. Duration.seconds(5).');
    }
    return value;
  }

  private logWebAcl(webAcl: wafv2.CfnWebACL, wafLogGroup: logs.LogGroup, wafLogGroupName: string): void {
    const stack = Stack.of(this);
    new wafv2.CfnLoggingConfiguration(this, 'WebAclLogging', {
      resourceArn: webAcl.attrArn,
      logDestinationConfigs: [stack.formatArn({
        service: 'logs',
        resource: 'log-group',
        resourceName: wafLogGroupName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      })],
      redactedFields: [
        { singleHeader: { Name: 'authorization' } },
        { singleHeader: { Name: 'x-api-key' } },
      ],
    }).node.addDependency(wafLogGroup);
  }

  private createScaling(v: ReturnType<PrivateInferenceEndpoint['validate']>): appscaling.ScalableTarget {
    const target = new appscaling.ScalableTarget(this, 'Scaling', {
      serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
      resourceId: `endpoint/${v.endpointName}/variant/${VARIANT_NAME}`,
      scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
      // The service-linked role Application Auto Scaling creates for SageMaker; without it CDK
      // would create a role with no permissions.
      role: iam.Role.fromRoleArn(this, 'ScalingServiceLinkedRole', Stack.of(this).formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName: 'aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint',
      }), { mutable: false }),
      minCapacity: v.minInstanceCount,
      maxCapacity: v.maxInstanceCount,
    });
    target.node.addDependency(this.endpoint);
    target.scaleToTrackMetric('InvocationsPerInstance', {
      predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
      targetValue: v.targetInvocations,
      scaleInCooldown: Duration.minutes(5),
      scaleOutCooldown: Duration.minutes(1),
    });
    return target;
  }

  private selectSubnets(props: PrivateInferenceEndpointProps): string[] {
    const selection = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    let selected: ec2.SelectedSubnets;
    try {
      selected = props.vpc.selectSubnets(selection);
    } catch (e) {
      return invalidProp(this, 'vpcSubnets', selection.subnetType ?? selection.subnetGroupName,
        `The selection matches no subnets of the VPC (${(e as Error).message}). Select the inference tier's private subnets.`);
    }
    if (selected.subnetIds.length > 16) {
      violated(this, 'vpcSubnets', selected.subnetIds, CONSTRAINTS.vpcSubnets, 'Select at most 16 subnets for the model.');
    }
    if (selected.subnetIds.length === 0) {
      invalidProp(this, 'vpcSubnets', selection.subnetType ?? selection.subnetGroupName, 'The selection matches no subnets: select the inference tier\'s private subnets.');
    }
    const publicIds = new Set(props.vpc.publicSubnets.map((s) => s.subnetId));
    if (selection.subnetType === ec2.SubnetType.PUBLIC || selected.subnets.some((s) => publicIds.has(s.subnetId))) {
      invalidProp(this, 'vpcSubnets', selected.subnetIds, 'The model must not run in public subnets: select private or isolated subnets.');
    }
    const zones = selected.subnets.map((s) => s.availabilityZone);
    if (!zones.some((z) => Token.isUnresolved(z)) && new Set(zones).size < 2) {
      invalidProp(this, 'vpcSubnets', selected.subnetIds, 'Select subnets in at least two Availability Zones so the endpoint\'s instances are spread across them.');
    }
    return selected.subnetIds;
  }

  private createMonitoringKey(): kms.Key {
    const key = createKey(this, 'MonitoringKey', {
      description: `Encrypts the logs and alarm topic of ${this.node.path}`,
      removalPolicy: this.removalPolicy,
    });
    allowLogsToUseKey(key);
    const stack = Stack.of(this);
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
    }));
    return key;
  }

  private executionStatements(props: PrivateInferenceEndpointProps, v: ReturnType<PrivateInferenceEndpoint['validate']>, captureKey: kms.IKey): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    const viaS3 = { StringEquals: { 'kms:ViaService': `s3.${stack.region}.amazonaws.com` } };
    const statements = [
      new iam.PolicyStatement({
        sid: 'PullThisImage',
        actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'],
        resources: [props.imageRepository.repositoryArn],
      }),
      new iam.PolicyStatement({
        sid: 'GetEcrAuthorizationToken',
        actions: ['ecr:GetAuthorizationToken'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'ReadThisModelArtifact',
        actions: ['s3:GetObject'],
        resources: [props.modelDataBucket.arnForObjects(props.modelDataKey)],
      }),
      new iam.PolicyStatement({
        sid: 'WriteThisEndpointsLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [`${this.endpointLogGroupArn(v.endpointName)}:log-stream:*`, this.endpointLogGroupArn(v.endpointName)],
      }),
      new iam.PolicyStatement({
        sid: 'WriteCapturedData',
        actions: ['s3:PutObject'],
        resources: [this.dataCaptureBucket.arnForObjects(`${v.capturePrefix}*`)],
      }),
      new iam.PolicyStatement({
        sid: 'EncryptCapturedDataThroughS3',
        actions: ['kms:GenerateDataKey', 'kms:Encrypt'],
        resources: [captureKey.keyArn],
        conditions: viaS3,
      }),
      new iam.PolicyStatement({
        sid: 'DescribeNetwork',
        actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'ManageModelNetworkInterfaces',
        actions: ['ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
        resources: [
          stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' }),
          ...v.subnetIds.map((subnetId) => stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: subnetId })),
          stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: this.securityGroup.securityGroupId }),
        ],
      }),
    ];
    const artifactKey = props.modelDataEncryptionKey ?? props.modelDataBucket.encryptionKey;
    if (!artifactKey && !Resource.isOwnedResource(props.modelDataBucket)) {
      Annotations.of(this).addWarningV2('cdk-secure-ai:modelDataKeyUnknown',
        'modelDataBucket is imported without its KMS key, so the execution role gets no kms:Decrypt for the artifact. If the bucket uses SSE-KMS, pass the key as modelDataEncryptionKey (or import the bucket with Bucket.fromBucketAttributes({ encryptionKey })), or the endpoint fails at deploy; for an SSE-S3 bucket this warning can be ignored.');
    }
    if (artifactKey) {
      statements.push(new iam.PolicyStatement({
        sid: 'DecryptModelArtifactThroughS3',
        actions: ['kms:Decrypt'],
        resources: [artifactKey.keyArn],
        conditions: viaS3,
      }));
    }
    if (props.imageRepositoryEncryptionKey) {
      statements.push(new iam.PolicyStatement({
        sid: 'DecryptImageThroughEcr',
        actions: ['kms:Decrypt'],
        resources: [props.imageRepositoryEncryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `ecr.${stack.region}.amazonaws.com` } },
      }));
    }
    return statements;
  }

  private endpointLogGroupArn(endpointName: string): string {
    return Stack.of(this).formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: `/aws/sagemaker/Endpoints/${endpointName}`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
  }

  private acknowledgeExecutionPolicy(v: ReturnType<PrivateInferenceEndpoint['validate']>): void {
    const resolve = (arn: string) => Stack.of(this).resolve(arn);
    const iam5 = (resource: unknown): Finding => ({ id: `AwsSolutions-IAM5[Resource::${nagResourceString(resource)}]`, source: FindingSource.CDK_NAG });
    acknowledge(this.executionPolicy, [iam5('*')], WILDCARD_REASON);
    acknowledge(this.executionPolicy, [
      iam5(resolve(`${this.endpointLogGroupArn(v.endpointName)}:log-stream:*`)),
      iam5(resolve(this.dataCaptureBucket.arnForObjects(`${v.capturePrefix}*`))),
      iam5(resolve(Stack.of(this).formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' }))),
    ], SCOPED_WILDCARD_REASON);
  }

  private resourcePolicy(props: PrivateInferenceEndpointProps, v: ReturnType<PrivateInferenceEndpoint['validate']>): iam.PolicyDocument {
    const stack = Stack.of(this);
    // The policy cannot name its own API (that would be a circular reference); it is attached to
    // this API only, so "any API of this account and Region" means this one.
    const anyMethod = stack.formatArn({ service: 'execute-api', resource: '*' });
    const policy = new iam.PolicyDocument();
    policy.addStatements(new iam.PolicyStatement({
      sid: v.authorization === InferenceApiAuthorization.IAM ? 'AllowSignedCallersOfThisAccount' : 'AllowCallersTheAuthorizerAccepts',
      principals: [v.authorization === InferenceApiAuthorization.IAM ? new iam.AccountPrincipal(stack.account) : new iam.AnyPrincipal()],
      actions: ['execute-api:Invoke'],
      resources: [anyMethod],
    }));
    if (v.private) {
      policy.addStatements(new iam.PolicyStatement({
        sid: 'DenyCallsNotThroughTheAllowedVpcEndpoints',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['execute-api:Invoke'],
        resources: [anyMethod],
        conditions: { StringNotEquals: { 'aws:SourceVpce': props.apiVpcEndpoints!.map((e) => e.vpcEndpointId) } },
      }));
    }
    return policy;
  }

  private createWebAcl(v: ReturnType<PrivateInferenceEndpoint['validate']>): wafv2.CfnWebACL {
    const name = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    checkWafName(this, name);
    const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
      cloudWatchMetricsEnabled: true,
      sampledRequestsEnabled: true,
      metricName,
    });
    type Overrides = wafv2.CfnWebACL.RuleActionOverrideProperty[];
    const managed = (ruleName: string, priority: number, ruleActionOverrides?: Overrides): wafv2.CfnWebACL.RuleProperty => ({
      name: ruleName,
      priority,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: ruleName, ruleActionOverrides } },
      visibilityConfig: visibility(ruleName),
    });
    const largeBodies = v.maxBodyBytes > 8192;
    return new wafv2.CfnWebACL(this, 'WebAcl', {
      name,
      scope: 'REGIONAL',
      description: `Protects the inference API of ${this.node.path}`,
      defaultAction: { allow: {} },
      visibilityConfig: visibility(name),
      associationConfig: largeBodies
        ? { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: inspectionLimit(v.maxBodyBytes) } } }
        : undefined,
      rules: [
        managed('AWSManagedRulesAmazonIpReputationList', 0),
        {
          name: RATE_RULE,
          priority: 1,
          action: { block: {} },
          statement: { rateBasedStatement: { limit: v.wafRateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
          visibilityConfig: visibility(RATE_RULE),
        },
        {
          name: 'RequestBodyTooLarge',
          priority: 2,
          action: { block: {} },
          statement: {
            sizeConstraintStatement: {
              fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
              comparisonOperator: 'GT',
              size: v.maxBodyBytes,
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          visibilityConfig: visibility('RequestBodyTooLarge'),
        },
        managed('AWSManagedRulesCommonRuleSet', 3,
          largeBodies ? [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] : undefined),
        managed('AWSManagedRulesKnownBadInputsRuleSet', 4),
      ],
    });
  }

  private createAlarms(v: ReturnType<PrivateInferenceEndpoint['validate']>): void {
    const stack = Stack.of(this);
    const period = Duration.minutes(5);
    const action = new cw_actions.SnsAction(this.alarmTopic);
    const alarm = (alarmId: string, description: string, metric: cloudwatch.IMetric, threshold: number, evaluationPeriods = 1) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        alarmDescription: `${description} (${this.node.path})`.slice(0, 1024), // PutMetricAlarm: AlarmDescription at most 1024 characters
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      this.alarms.push(created);
      return created;
    };
    alarm('Api5xxAlarm', 'More than 1% of API requests fail with a 5XX error',
      this.stage.metricServerError({ statistic: cloudwatch.Stats.AVERAGE, period }), 0.01);
    alarm('Api4xxAlarm', 'More than 10% of API requests fail with a 4XX error (bad input, denied or throttled callers)',
      this.stage.metricClientError({ statistic: cloudwatch.Stats.AVERAGE, period }), 0.1);
    alarm('ApiLatencyAlarm', `p99 API latency above ${v.apiLatency.toHumanString()}`,
      this.stage.metricLatency({ statistic: cloudwatch.Stats.p(99), period }), v.apiLatency.toMilliseconds(), 2);
    const webAcl = this.webAcl;
    if (webAcl) {
      const waf = (rule: string) => new cloudwatch.Metric({
        namespace: 'AWS/WAFV2',
        metricName: 'BlockedRequests',
        dimensionsMap: { WebACL: webAcl.name!, Region: stack.region, Rule: rule },
        statistic: cloudwatch.Stats.SUM,
        period,
      });
      alarm('ThrottledClientsAlarm', 'WAF rate-limited clients (more than 10 blocked requests in 5 minutes)', waf(RATE_RULE), 10);
      alarm('WafBlockedSpikeAlarm', 'Spike of requests blocked by WAF (more than 100 in 5 minutes)', waf('ALL'), 100);
    }
    const sagemakerMetric = (metricName: string, statistic: string) => new cloudwatch.Metric({
      namespace: 'AWS/SageMaker',
      metricName,
      dimensionsMap: { EndpointName: v.endpointName, VariantName: VARIANT_NAME },
      statistic,
      period,
    });
    alarm('ModelInvocationErrorsAlarm', 'The model answered with 5XX errors',
      sagemakerMetric('Invocation5XXErrors', cloudwatch.Stats.SUM), 0);
    alarm('ModelLatencyAlarm', `p99 model latency above ${v.modelLatency.toHumanString()}`,
      sagemakerMetric('ModelLatency', cloudwatch.Stats.p(99)), v.modelLatency.toMilliseconds() * 1000, 2); // microseconds
  }
}

const RATE_RULE = 'RateLimitPerClientIp';

const errorBody = (message: string) => ({ 'application/json': `{"message":"${message}","requestId":"$context.requestId"}` });
/**
 * What the caller sees for each InvokeEndpoint answer. For an AWS integration the selection
 * pattern is matched against the backend's HTTP status; the patterns do not overlap. SageMaker
 * Runtime API reference, InvokeEndpoint errors: ValidationError 400, ModelError 424 (the container
 * failed), ModelNotReadyException 429, InternalFailure 500, ServiceUnavailable 503,
 * InternalDependencyException 530; an integration role that may not invoke the endpoint gets 403.
 * Model and service failures are 5XX, so the API 5XX alarm sees them.
 */
const INTEGRATION_RESPONSES: apigw.IntegrationResponse[] = [
  { statusCode: '200' },
  { statusCode: '400', selectionPattern: '4(0[0-24-9]|1\\d|2[0-35-8]|[3-9]\\d)', responseTemplates: errorBody('The model rejected the request.') },
  { statusCode: '500', selectionPattern: '403', responseTemplates: errorBody('The API is not allowed to invoke the model.') },
  { statusCode: '502', selectionPattern: '424', responseTemplates: errorBody('The model failed to answer.') },
  { statusCode: '503', selectionPattern: '429|503', responseTemplates: errorBody('The model is not available now; retry later.') },
  { statusCode: '502', selectionPattern: '5(0[0-24-9]|[1-9]\\d)', responseTemplates: errorBody('The model service failed to answer.') },
];

const DEFAULT_REQUEST_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'InferenceRequest',
  type: apigw.JsonSchemaType.OBJECT,
  required: ['inputs'],
  properties: {
    inputs: { type: [apigw.JsonSchemaType.STRING, apigw.JsonSchemaType.ARRAY, apigw.JsonSchemaType.OBJECT] },
    parameters: { type: apigw.JsonSchemaType.OBJECT },
  },
  additionalProperties: false,
};

function inspectionLimit(bytes: number): string {
  for (const kb of [16, 32, 48, 64]) {
    if (bytes <= kb * 1024) return `KB_${kb}`;
  }
  return 'KB_64';
}

/** The resource string as cdk-nag writes it in an IAM5 finding ID (`<Logical.Arn>`, `<AWS::Region>`). */
function nagResourceString(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const r = resource as Record<string, unknown>;
  if (r['Fn::Join']) {
    const [sep, parts] = r['Fn::Join'] as [string, unknown[]];
    return parts.map(nagResourceString).join(sep);
  }
  if (r.Ref) return `<${r.Ref}>`;
  if (r['Fn::GetAtt']) return `<${(r['Fn::GetAtt'] as string[]).join('.')}>`;
  return JSON.stringify(resource);
}

const CACHE_REASON =
  'The stage cache is off on purpose: every inference POST must reach the model, and a cache would keep model inputs and outputs outside the endpoint. A cache turned on with `cacheEnabled` is encrypted and passes this rule.';
const CLIENT_CERT_REASON =
  'Stage client certificates authenticate API Gateway to HTTP backends; this API calls SageMaker through an AWS service integration signed with SigV4 by the integration role over TLS, where a client certificate is not used.';
const IAM_AUTH_REASON =
  'The method uses IAM (SigV4) authorization: only IAM principals allowed by grantInvoke (and, for a private API, only through the named VPC endpoints) can call it. A Cognito user-pool authorizer is the option for end-user callers (authorization: COGNITO).';
const WILDCARD_REASON =
  'ecr:GetAuthorizationToken and the ec2:Describe* calls SageMaker makes to attach the model to the VPC do not support resource-level permissions; they read no model data.';
const SCOPED_WILDCARD_REASON =
  'The wildcard covers only names created at run time under a resource of this construct: log streams of this endpoint\'s log group, captured-data objects under the capture prefix, and the network interfaces SageMaker creates in the given subnets.';

