import { Annotations, ArnFormat, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { invalidProp } from '../private/errors';
import { createLogGroup } from '../private/logs';
import { nagName } from '../private/nag-names';
import { checkRetention } from '../private/numbers';
import { SecureTrainingBucket } from '../storage/secure-training-bucket';

/** Properties of BedrockInvocationLogging. */
export interface BedrockInvocationLoggingProps {
  /**
   * Customer-managed KMS key of the invocation log group. A key you pass must let CloudWatch Logs
   * of this account and Region use it.
   *
   * @default - a new customer-managed key with annual rotation, retained
   */
  readonly encryptionKey?: kms.IKey;

  /**
   * Retention of the invocation log group: a `logs.RetentionDays` value of at least a year
   * (`INFINITE` keeps the logs forever, which the CloudWatchLogGroupRetentionPeriod rules report).
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly retention?: logs.RetentionDays;

  /**
   * Bucket for payloads larger than 100 KB and binary data (images, documents), which CloudWatch
   * Logs cannot hold. Its policy gets a statement that lets only Bedrock of this account and
   * Region write under `largePayloadPrefix`, and its key one that lets Bedrock encrypt there.
   * A bucket restricted to VPC endpoints (`allowedVpcEndpointIds`) refuses Bedrock's writes.
   *
   * @default - large payloads are not delivered
   * @deprecated Use `largePayloadS3Bucket` and `largePayloadEncryptionKey`, which take any bucket
   * and key (for a SecureTrainingBucket, its `bucket` and `encryptionKey`); the result is the same.
   */
  readonly largePayloadBucket?: SecureTrainingBucket;

  /**
   * Bucket for payloads larger than 100 KB and binary data (images, documents), which CloudWatch
   * Logs cannot hold: any S3 bucket encrypted with `largePayloadEncryptionKey` (SSE-KMS), for
   * example the `bucket` of a SecureTrainingBucket or one made elsewhere. Its policy gets a
   * statement that lets only Bedrock of this account and Region write under `largePayloadPrefix`;
   * the policy of an imported bucket cannot be changed, so the construct then warns
   * (`cdk-secure-ai:largePayloadBucketPolicy`) quoting the statement to add. A bucket restricted
   * to VPC endpoints refuses Bedrock's writes.
   *
   * @default - large payloads are not delivered
   */
  readonly largePayloadS3Bucket?: s3.IBucket;

  /**
   * KMS key that encrypts `largePayloadS3Bucket`. Its policy gets a statement that lets only
   * Bedrock of this account and Region encrypt with it; for an imported key the construct warns
   * (`cdk-secure-ai:largePayloadKeyPolicy`) quoting the statement to add.
   *
   * @default - the `encryptionKey` of `largePayloadS3Bucket`; a bucket whose key is unknown is rejected
   */
  readonly largePayloadEncryptionKey?: kms.IKey;

  /**
   * Key prefix of the large payloads, without a leading or trailing slash.
   *
   * @default 'bedrock-invocations'
   */
  readonly largePayloadPrefix?: string;

  /**
   * What happens to the log group and a created key when they leave the stack. The logging
   * configuration itself is deleted with the construct.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

const REGISTRY = new WeakMap<IConstruct, Set<string>>();

/**
 * Amazon Bedrock model-invocation logging for the account and Region: every Converse,
 * ConverseStream, InvokeModel and InvokeModelWithResponseStream call, with its prompt and
 * response, to a KMS-encrypted log group kept at least a year.
 *
 * ACCOUNT-WIDE and the one custom resource of the Bedrock constructs: the logging configuration
 * belongs to the account and Region and CloudFormation has no resource for it, so an
 * `AwsCustomResource` calls `PutModelInvocationLoggingConfiguration` on create and update and
 * `DeleteModelInvocationLoggingConfiguration` on delete. Deploy one per account and Region (the
 * construct refuses a second one in the same app and environment); it replaces any configuration
 * set by hand.
 */
export class BedrockInvocationLogging extends Construct {
  /** The log group that receives the invocation logs. */
  public readonly logGroup: logs.LogGroup;
  /** The key of the log group. */
  public readonly encryptionKey: kms.IKey;
  /** The role Bedrock assumes to write the logs. */
  public readonly deliveryRole: iam.Role;
  /** The custom resource that writes the account's logging configuration. */
  public readonly configuration: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: BedrockInvocationLoggingProps = {}) {
    super(scope, id);
    const stack = Stack.of(this);
    const envKey = `${Token.isUnresolved(stack.account) ? '*' : stack.account}/${Token.isUnresolved(stack.region) ? '*' : stack.region}`;
    const root = this.node.root;
    const seen = REGISTRY.get(root) ?? new Set<string>();
    if (seen.has(envKey)) {
      invalidProp(this, 'scope', this.node.path, 'Model-invocation logging is one configuration per account and Region: this app already deploys one for this environment. Keep a single BedrockInvocationLogging.');
    }
    seen.add(envKey);
    REGISTRY.set(root, seen);

    const prefix = props.largePayloadPrefix ?? 'bedrock-invocations';
    if (!Token.isUnresolved(prefix) && !/^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*$/.test(prefix)) {
      invalidProp(this, 'largePayloadPrefix', prefix, 'Give a key prefix such as `bedrock-invocations`, without leading or trailing slashes.');
    }
    const payloads = largePayloadDestination(this, props);
    if (props.largePayloadPrefix !== undefined && !payloads) {
      invalidProp(this, 'largePayloadPrefix', prefix, 'A prefix needs `largePayloadS3Bucket` (or the deprecated `largePayloadBucket`).');
    }
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    checkRetention(this, 'retention', props.retention, { allowInfinite: true });
    const { logGroup, key } = createLogGroup(this, 'LogGroup', {
      encryptionKey: props.encryptionKey,
      retention: props.retention,
      removalPolicy,
      purpose: 'Bedrock model-invocation',
    });
    this.logGroup = logGroup;
    this.encryptionKey = key;

    // Confused-deputy protection: only Bedrock acting for this account and Region
    // (Bedrock User Guide, "Monitor model invocation using CloudWatch Logs and Amazon S3").
    const bedrockOfThisAccount = {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:bedrock:${stack.region}:${stack.account}:*` },
    };
    this.deliveryRole = new iam.Role(this, 'DeliveryRole', {
      assumedBy: new iam.ServicePrincipal('bedrock.amazonaws.com').withConditions(bedrockOfThisAccount),
      description: `Lets Bedrock write the model-invocation logs of ${this.node.path}`,
    });
    this.deliveryRole.addManagedPolicy(new iam.ManagedPolicy(this, 'DeliveryPolicy', {
      description: `Writes Bedrock model-invocation logs to the log group of ${this.node.path}`,
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [streamsOf(logGroup)],
      })],
    }));

    const bucket = payloads?.bucket;
    if (payloads) {
      const write = new iam.PolicyStatement({
        sid: 'AllowBedrockInvocationLogsOfThisAccount',
        principals: [new iam.ServicePrincipal('bedrock.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [payloads.bucket.arnForObjects(`${prefix}/AWSLogs/${stack.account}/BedrockModelInvocationLogs/*`)],
        conditions: bedrockOfThisAccount,
      });
      if (!payloads.bucket.addToResourcePolicy(write).statementAdded) this.warnPolicy('largePayloadBucketPolicy', 'bucket policy of largePayloadS3Bucket', write);
      const encrypt = new iam.PolicyStatement({
        sid: 'AllowBedrockToEncryptInvocationLogs',
        principals: [new iam.ServicePrincipal('bedrock.amazonaws.com')],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: bedrockOfThisAccount,
      });
      if (!payloads.key.addToResourcePolicy(encrypt).statementAdded) this.warnPolicy('largePayloadKeyPolicy', 'key policy of largePayloadEncryptionKey', encrypt);
    }

    const loggingConfig = {
      cloudWatchConfig: {
        logGroupName: logGroup.logGroupName,
        roleArn: this.deliveryRole.roleArn,
        ...(bucket ? { largeDataDeliveryS3Config: { bucketName: bucket.bucketName, keyPrefix: prefix } } : {}),
      },
      textDataDeliveryEnabled: true,
      imageDataDeliveryEnabled: true,
      embeddingDataDeliveryEnabled: true,
    };
    const put: cr.AwsSdkCall = {
      service: 'Bedrock',
      action: 'PutModelInvocationLoggingConfiguration',
      parameters: { loggingConfig },
      physicalResourceId: cr.PhysicalResourceId.of(`bedrock-invocation-logging-${stack.region}`),
    };
    const handlerRole = new iam.Role(this, 'ConfigurationRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Writes the Bedrock model-invocation logging configuration of ${this.node.path}`,
    });
    const { logGroup: handlerLogs } = createLogGroup(this, 'ConfigurationLogs', {
      encryptionKey: key,
      removalPolicy,
      purpose: 'Bedrock logging configuration',
    });
    const handlerPolicy = new iam.ManagedPolicy(this, 'ConfigurationPolicy', {
      description: `Writes the Bedrock model-invocation logging configuration of ${this.node.path}`,
      roles: [handlerRole],
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteTheLoggingConfiguration',
          // These actions have no resource type: the Service Authorization Reference requires `*`.
          actions: ['bedrock:PutModelInvocationLoggingConfiguration', 'bedrock:DeleteModelInvocationLoggingConfiguration'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'PassTheDeliveryRoleToBedrock',
          actions: ['iam:PassRole'],
          resources: [this.deliveryRole.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'bedrock.amazonaws.com' } },
        }),
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [streamsOf(handlerLogs)],
        }),
      ],
    });
    acknowledge(handlerPolicy, [{ id: 'AwsSolutions-IAM5[Resource::*]', source: FindingSource.CDK_NAG }],
      'bedrock:PutModelInvocationLoggingConfiguration and DeleteModelInvocationLoggingConfiguration have no resource type in the Service Authorization Reference: the account-level configuration can only be named as `*`.');

    this.configuration = new cr.AwsCustomResource(this, 'Configuration', {
      resourceType: 'Custom::BedrockInvocationLogging',
      onCreate: put,
      onUpdate: put,
      onDelete: { service: 'Bedrock', action: 'DeleteModelInvocationLoggingConfiguration' },
      role: handlerRole,
      logGroup: handlerLogs,
      installLatestAwsSdk: false,
      memorySize: 256,
    });
    this.configuration.node.addDependency(handlerPolicy, this.deliveryRole);
    const streams = 'Bedrock and Lambda name the log streams they create; the statement is limited to the streams of this one log group, and to creating streams and putting events.';
    // The finding names the resource as the stack renders it: with a concrete environment the
    // account, Region and partition are literals, not references.
    const iam5 = (group: logs.ILogGroup) => ({ id: `AwsSolutions-IAM5[Resource::${nagName(stack.resolve(streamsOf(group)))}]`, source: FindingSource.CDK_NAG });
    acknowledge(this.node.findChild('DeliveryPolicy'), [iam5(logGroup)], streams);
    acknowledge(handlerPolicy, [iam5(handlerLogs)], streams);
    this.hardenHandler();
  }

  /** Warns that a policy the construct cannot change (an imported bucket or key) needs `statement`. */
  private warnPolicy(id: string, where: string, statement: iam.PolicyStatement): void {
    Annotations.of(this).addWarningV2(`cdk-secure-ai:${id}`,
      `The ${where} is imported and cannot be changed here: add this statement to it, or Bedrock cannot deliver large payloads: ${JSON.stringify(Stack.of(this).resolve(statement.toStatementJson()))}`);
  }

  /**
   * The provider function of AwsCustomResource (one per stack): limited to one concurrent run,
   * and the findings that do not fit a function CloudFormation runs only during deployments are
   * acknowledged on it, with their reasons.
   */
  private hardenHandler(): void {
    const fn = Stack.of(this).node.tryFindChild(`AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`) as lambda.Function | undefined;
    const cfn = fn?.node.defaultChild as lambda.CfnFunction | undefined;
    if (!fn || !cfn) throw new Error(`${this.node.path}: the AwsCustomResource provider function was not found`);
    cfn.reservedConcurrentExecutions = 1;
    const deployOnly = 'This is the provider function of the AwsCustomResource that writes the account\'s Bedrock model-invocation logging configuration (CloudFormation has no resource for it). It runs only when CloudFormation creates, updates or deletes that resource, calls only the Bedrock control-plane API, and CloudFormation reports a failed run as a failed deployment';
    acknowledge(fn, [
      ...['HIPAA.Security', 'NIST.800.53.R5', 'Serverless'].map((pack) => ({ id: `${pack}-LambdaDLQ`, source: FindingSource.CDK_NAG })),
    ], `${deployOnly}, so a dead-letter queue would hold nothing a responder needs.`);
    acknowledge(fn, [
      ...['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}-LambdaInsideVPC`, source: FindingSource.CDK_NAG })),
      { id: 'lambda_inside_vpc_check', source: FindingSource.CFN_GUARD },
    ], `${deployOnly}; it reaches no resource inside a VPC.`);
    acknowledge(fn, [{ id: 'Serverless-LambdaTracing', source: FindingSource.CDK_NAG }],
      `${deployOnly}; its one API call is recorded by CloudTrail, and tracing would need X-Ray write permissions on \`*\`.`);
  }
}

/** The large-payload bucket and its key, from the new props or the deprecated `largePayloadBucket`. */
function largePayloadDestination(scope: IConstruct, props: BedrockInvocationLoggingProps): { bucket: s3.IBucket; key: kms.IKey } | undefined {
  if (props.largePayloadBucket && (props.largePayloadS3Bucket || props.largePayloadEncryptionKey)) {
    invalidProp(scope, 'largePayloadBucket', props.largePayloadBucket.node.path,
      'Give either `largePayloadS3Bucket` (with `largePayloadEncryptionKey`) or the deprecated `largePayloadBucket`, not both.');
  }
  if (props.largePayloadBucket) return { bucket: props.largePayloadBucket.bucket, key: props.largePayloadBucket.encryptionKey };
  if (!props.largePayloadS3Bucket) {
    if (props.largePayloadEncryptionKey) {
      invalidProp(scope, 'largePayloadEncryptionKey', props.largePayloadEncryptionKey.keyArn, 'A key is only used with `largePayloadS3Bucket`: give the bucket it encrypts, or remove the key.');
    }
    return undefined;
  }
  const key = props.largePayloadEncryptionKey ?? props.largePayloadS3Bucket.encryptionKey;
  if (!key) {
    invalidProp(scope, 'largePayloadEncryptionKey', undefined,
      'Invocation payloads hold prompts and responses: encrypt the bucket with a customer-managed key and pass it (the bucket object does not know its key).');
  }
  return { bucket: props.largePayloadS3Bucket, key };
}

/** The ARN of every log stream of `logGroup`. */
function streamsOf(logGroup: logs.ILogGroup): string {
  return Stack.of(logGroup).formatArn({
    service: 'logs', resource: 'log-group', resourceName: `${logGroup.logGroupName}:log-stream:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}
