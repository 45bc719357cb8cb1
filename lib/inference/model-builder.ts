import { Annotations, ArnFormat, Duration, IResolveContext, Names, RemovalPolicy, Resource, Stack, Token } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { Construct } from 'constructs';
import { checkCapturePrefix, checkInstanceType, checkLogGroupName, checkModelDataKey, CONSTRAINTS, violated } from './constraints';
import { SecureModelEndpointOptions } from './props';
import { describeDuration, monitoredLogGroup, Monitoring, numberChecks } from './shared';
import { acknowledge, Finding, FindingSource } from '../private/acknowledge';
import { AddAlarm } from '../private/alarms';
import { invalidProp, isUnresolved } from '../private/errors';
import { createKey } from '../private/kms';
import { nagName } from '../private/nag-names';
import { checkNumberRelation } from '../private/numbers';
import { SecureTrainingBucket } from '../storage/secure-training-bucket';

/** Name of the one production variant. */
export const VARIANT_NAME = 'AllTraffic';

/** The SageMaker-side props, validated, with their defaults. */
export type ModelSettings = ReturnType<typeof validateModel>;

/** What the SageMaker side adds to its scope. */
export interface ModelParts {
  readonly endpointName: string;
  readonly endpointArn: string;
  readonly encryptionKey: kms.IKey;
  readonly endpointLogGroup: logs.LogGroup;
  readonly dataCaptureBucket: s3.IBucket;
  readonly secureDataCaptureBucket?: SecureTrainingBucket;
  readonly securityGroup: ec2.SecurityGroup;
  readonly executionPolicy: iam.ManagedPolicy;
  readonly executionRole: iam.IRole;
  readonly model: sagemaker.CfnModel;
  readonly endpointConfig: sagemaker.CfnEndpointConfig;
  readonly endpoint: sagemaker.CfnEndpoint;
  readonly scalableTarget?: appscaling.ScalableTarget;
}

/** ARN of a SageMaker endpoint of the scope's account and Region (SageMaker ARNs are lower case). */
export function endpointArnOf(scope: Construct, endpointName: string): string {
  return Stack.of(scope).formatArn({
    service: 'sagemaker',
    resource: 'endpoint',
    resourceName: Token.isUnresolved(endpointName) ? endpointName : endpointName.toLowerCase(),
  });
}

/** Validates the SageMaker-side props, errors naming the prop. */
export function validateModel(scope: Construct, props: SecureModelEndpointOptions) {
  const { int, positive, positiveDuration } = numberChecks(scope);
  const endpointName = props.endpointName ?? Names.uniqueResourceName(scope, { maxLength: 63, separator: '-' }).toLowerCase();
  if (!isUnresolved(endpointName) && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(endpointName)) {
    violated(scope, 'endpointName', endpointName, CONSTRAINTS.endpointName, 'Use 1 to 63 letters, digits and hyphens, starting and ending with a letter or digit.');
  }

  const initialInstanceCount = int('initialInstanceCount', props.initialInstanceCount, 2, 1, 1000,
    'Give at least 1 instance (2 or more spread the endpoint across Availability Zones, Security Hub SageMaker.4).');
  const minInstanceCount = int('minInstanceCount', props.minInstanceCount, initialInstanceCount, 1, 1000, 'Give at least 1 instance.');
  if (props.maxInstanceCount === undefined && (isUnresolved(minInstanceCount) || isUnresolved(initialInstanceCount))) {
    invalidProp(scope, 'maxInstanceCount', undefined, 'Give maxInstanceCount when minInstanceCount or initialInstanceCount is a token: its default is computed from them.');
  }
  const maxInstanceCount = int('maxInstanceCount', props.maxInstanceCount, Math.max(minInstanceCount * 2, initialInstanceCount), 1, 1000,
    'Give at least 1 instance.');
  checkNumberRelation(scope, 'minInstanceCount', [minInstanceCount, maxInstanceCount],
    ([min, max]) => (min > max ? `The minimum must not exceed maxInstanceCount (${max}).` : undefined));
  checkNumberRelation(scope, 'initialInstanceCount', [initialInstanceCount, minInstanceCount, maxInstanceCount],
    ([initial, min, max]) => (initial < min || initial > max ? `Start between minInstanceCount (${min}) and maxInstanceCount (${max}).` : undefined));
  const targetInvocations = positive('targetInvocationsPerInstance', props.targetInvocationsPerInstance, 100);
  const samplingPercentage = int('dataCaptureSamplingPercentage', props.dataCaptureSamplingPercentage, 100, 0, 100,
    'Give a whole percentage between 0 and 100.');
  const capturePrefix = props.dataCapturePrefix ?? 'data-capture/';
  checkCapturePrefix(scope, capturePrefix);
  checkModelDataKey(scope, props.modelDataKey);
  const imageTagOrDigest = props.imageTagOrDigest ?? 'latest';
  if (!isUnresolved(imageTagOrDigest) && !/^([\w][\w.-]{0,127}|sha256:[0-9a-f]{64})$/.test(imageTagOrDigest)) {
    invalidProp(scope, 'imageTagOrDigest', imageTagOrDigest, 'Give an image tag such as "1.4.2" or a digest such as "sha256:<64 hex digits>".');
  }
  const instanceType = props.instanceType ?? 'ml.m5.large';
  checkInstanceType(scope, instanceType, true);

  const subnetIds = selectSubnets(scope, props);

  const s3PrefixListId = props.s3PrefixListId;
  if (s3PrefixListId !== undefined && !isUnresolved(s3PrefixListId) && !/^pl-[0-9a-f]{8,17}$/.test(s3PrefixListId)) {
    invalidProp(scope, 's3PrefixListId', s3PrefixListId, 'Give the ID of the Region\'s S3 prefix list, such as "pl-63a5400a" (aws ec2 describe-managed-prefix-lists).');
  }
  const modelLatency = positiveDuration('modelLatencyAlarmThreshold', props.modelLatencyAlarmThreshold ?? Duration.seconds(5));

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
    s3PrefixListId,
    autoScaling: props.enableAutoScaling ?? true,
    modelLatency,
  };
}

/**
 * No compliance pack checks these SageMaker settings yet, so a user's opt-out is reported as a
 * construct warning, which reaches the validation report like any other finding.
 */
export function reportWeakenedDefaults(scope: Construct, v: ModelSettings): void {
  const warn = (id: string, message: string) => Annotations.of(scope).addWarningV2(`cdk-secure-ai:${id}`, message);
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

/**
 * Adds the SageMaker side to `scope`: key, endpoint log group, capture bucket, security group,
 * execution role and policy, model, endpoint configuration, endpoint and autoscaling.
 * `createMonitoringKey` is called after the endpoint key is created.
 */
export function buildModel(scope: Construct, props: SecureModelEndpointOptions, v: ModelSettings, removalPolicy: RemovalPolicy,
  createMonitoring: () => Monitoring): { parts: ModelParts; monitoring: Monitoring } {
  const encryptionKey = props.encryptionKey ?? createKey(scope, 'Key', {
    description: `Encrypts the SageMaker endpoint volumes and captured data of ${scope.node.path}`,
    removalPolicy,
  });
  const monitoring = createMonitoring();
  checkLogGroupName(scope, 'endpointName', `/aws/sagemaker/Endpoints/${v.endpointName}`);
  const endpointLogGroup = monitoredLogGroup(scope, monitoring, 'EndpointLogs', 'SageMaker endpoint', `/aws/sagemaker/Endpoints/${v.endpointName}`);
  return { monitoring, parts: buildModelResources(scope, props, v, removalPolicy, encryptionKey, endpointLogGroup) };
}

function buildModelResources(scope: Construct, props: SecureModelEndpointOptions, v: ModelSettings, removalPolicy: RemovalPolicy,
  encryptionKey: kms.IKey, endpointLogGroup: logs.LogGroup): ModelParts {
  let dataCaptureBucket: s3.IBucket;
  let secureDataCaptureBucket: SecureTrainingBucket | undefined;
  if (props.dataCaptureBucket) {
    dataCaptureBucket = props.dataCaptureBucket;
  } else {
    secureDataCaptureBucket = new SecureTrainingBucket(scope, 'DataCapture', { encryptionKey, removalPolicy });
    dataCaptureBucket = secureDataCaptureBucket.bucket;
  }
  const captureKey = props.dataCaptureEncryptionKey ?? (props.dataCaptureBucket ? props.dataCaptureBucket.encryptionKey : encryptionKey);
  if (!captureKey) {
    invalidProp(scope, 'dataCaptureEncryptionKey', undefined,
      'Captured requests and responses must be encrypted with a customer-managed key: pass the KMS key of `dataCaptureBucket`.');
  }

  const securityGroup = new ec2.SecurityGroup(scope, 'SecurityGroup', {
    vpc: props.vpc,
    description: `Network interfaces of the SageMaker model ${scope.node.path}`,
    allowAllOutbound: false,
  });
  // SageMaker pulls the image (ECR, CloudWatch Logs: interface endpoints in the VPC) and reads the
  // artifact and writes captured data (S3: the gateway endpoint, S3's public ranges) through these
  // network interfaces.
  if (v.s3PrefixListId) {
    securityGroup.addEgressRule(ec2.Peer.ipv4(vpcCidrOf(scope, props.vpc)), ec2.Port.tcp(443), 'HTTPS to VPC endpoints in this VPC');
    securityGroup.addEgressRule(ec2.Peer.prefixList(v.s3PrefixListId), ec2.Port.tcp(443), 'HTTPS to S3 through the gateway endpoint');
  } else {
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443),
      'HTTPS: in isolated subnets only the VPC endpoints and the S3 gateway endpoint are routed');
  }

  const executionPolicy = new iam.ManagedPolicy(scope, 'ExecutionPolicy', {
    description: `Lets SageMaker run the model of ${scope.node.path}: its image, its artifact, its logs, its captured data`,
    statements: executionStatements(scope, props, v, captureKey, dataCaptureBucket, securityGroup),
  });
  const executionRole = props.executionRole ?? new iam.Role(scope, 'ExecutionRole', {
    // confused-deputy guard: only SageMaker acting for this account may assume the role
    assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com').withConditions({
      StringEquals: { 'aws:SourceAccount': Stack.of(scope).account },
    }),
    description: `SageMaker execution role of ${scope.node.path}`,
  });
  executionPolicy.attachToRole(executionRole);
  acknowledgeExecutionPolicy(scope, executionPolicy, v, dataCaptureBucket);

  const image = props.imageRepository.repositoryUriForTagOrDigest(v.imageTagOrDigest);
  const model = new sagemaker.CfnModel(scope, 'Model', {
    executionRoleArn: executionRole.roleArn,
    enableNetworkIsolation: v.networkIsolation,
    primaryContainer: {
      image,
      modelDataUrl: `s3://${props.modelDataBucket.bucketName}/${props.modelDataKey}`,
    },
    vpcConfig: {
      subnets: v.subnetIds,
      securityGroupIds: [securityGroup.securityGroupId],
    },
  });
  model.node.addDependency(executionPolicy);

  const endpointConfig = new sagemaker.CfnEndpointConfig(scope, 'EndpointConfig', {
    kmsKeyId: encryptionKey.keyArn,
    productionVariants: [{
      variantName: VARIANT_NAME,
      modelName: model.attrModelName,
      initialInstanceCount: v.initialInstanceCount,
      instanceType: v.instanceType,
      initialVariantWeight: 1,
    }],
    dataCaptureConfig: {
      enableCapture: true,
      initialSamplingPercentage: v.samplingPercentage,
      destinationS3Uri: `s3://${dataCaptureBucket.bucketName}/${v.capturePrefix}`,
      kmsKeyId: captureKey.keyArn,
      captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
      captureContentTypeHeader: { jsonContentTypes: ['application/json'] },
    },
  });

  const endpoint = new sagemaker.CfnEndpoint(scope, 'Endpoint', {
    endpointName: v.endpointName,
    endpointConfigName: endpointConfig.attrEndpointConfigName,
  });
  endpoint.node.addDependency(executionPolicy, endpointLogGroup);

  const scalableTarget = v.autoScaling ? createScaling(scope, v, endpoint) : undefined;
  return {
    endpointName: v.endpointName,
    endpointArn: endpointArnOf(scope, v.endpointName),
    encryptionKey,
    endpointLogGroup,
    dataCaptureBucket,
    secureDataCaptureBucket,
    securityGroup,
    executionPolicy,
    executionRole,
    model,
    endpointConfig,
    endpoint,
    scalableTarget,
  };
}

/** The model alarms: 5XX errors of the model and its p99 latency. */
export function createModelAlarms(v: ModelSettings, alarm: AddAlarm): void {
  const period = Duration.minutes(5);
  const sagemakerMetric = (metricName: string, statistic: string) => new cloudwatch.Metric({
    namespace: 'AWS/SageMaker',
    metricName,
    dimensionsMap: { EndpointName: v.endpointName, VariantName: VARIANT_NAME },
    statistic,
    period,
  });
  alarm('ModelInvocationErrorsAlarm', 'The model answered with 5XX errors',
    sagemakerMetric('Invocation5XXErrors', cloudwatch.Stats.SUM), 0);
  alarm('ModelLatencyAlarm', `p99 model latency above ${describeDuration(v.modelLatency)}`,
    sagemakerMetric('ModelLatency', cloudwatch.Stats.p(99)), microseconds(v.modelLatency), 2);
}

/** ModelLatency is in microseconds; a Lazy duration is converted when it resolves. */
function microseconds(value: Duration): number {
  const ms = value.toMilliseconds();
  if (!isUnresolved(ms)) return ms * 1000;
  return Token.asNumber({ creationStack: [], resolve: (context: IResolveContext) => (context.resolve(ms) as number) * 1000, toString: () => 'ModelLatencyMicroseconds' });
}

function createScaling(scope: Construct, v: ModelSettings, endpoint: sagemaker.CfnEndpoint): appscaling.ScalableTarget {
  const target = new appscaling.ScalableTarget(scope, 'Scaling', {
    serviceNamespace: appscaling.ServiceNamespace.SAGEMAKER,
    resourceId: `endpoint/${v.endpointName}/variant/${VARIANT_NAME}`,
    scalableDimension: 'sagemaker:variant:DesiredInstanceCount',
    // The service-linked role Application Auto Scaling creates for SageMaker; without it CDK
    // would create a role with no permissions.
    role: iam.Role.fromRoleArn(scope, 'ScalingServiceLinkedRole', Stack.of(scope).formatArn({
      service: 'iam',
      region: '',
      resource: 'role',
      resourceName: 'aws-service-role/sagemaker.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_SageMakerEndpoint',
    }), { mutable: false }),
    minCapacity: v.minInstanceCount,
    maxCapacity: v.maxInstanceCount,
  });
  target.node.addDependency(endpoint);
  target.scaleToTrackMetric('InvocationsPerInstance', {
    predefinedMetric: appscaling.PredefinedMetric.SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
    targetValue: v.targetInvocations,
    scaleInCooldown: Duration.minutes(5),
    scaleOutCooldown: Duration.minutes(1),
  });
  return target;
}

function selectSubnets(scope: Construct, props: SecureModelEndpointOptions): string[] {
  const selection = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  let selected: ec2.SelectedSubnets;
  try {
    selected = props.vpc.selectSubnets(selection);
  } catch (e) {
    return invalidProp(scope, 'vpcSubnets', selection.subnetType ?? selection.subnetGroupName,
      `The selection matches no subnets of the VPC (${(e as Error).message}). Select the inference tier's private subnets.`);
  }
  if (selected.subnetIds.length > 16) {
    violated(scope, 'vpcSubnets', selected.subnetIds, CONSTRAINTS.vpcSubnets, 'Select at most 16 subnets for the model.');
  }
  if (selected.subnetIds.length === 0) {
    invalidProp(scope, 'vpcSubnets', selection.subnetType ?? selection.subnetGroupName, 'The selection matches no subnets: select the inference tier\'s private subnets.');
  }
  const publicIds = new Set(props.vpc.publicSubnets.map((s) => s.subnetId));
  if (selection.subnetType === ec2.SubnetType.PUBLIC || selected.subnets.some((s) => publicIds.has(s.subnetId))) {
    invalidProp(scope, 'vpcSubnets', selected.subnetIds, 'The model must not run in public subnets: select private or isolated subnets.');
  }
  const zones = selected.subnets.map((s) => s.availabilityZone);
  if (!zones.some((z) => Token.isUnresolved(z)) && new Set(zones).size < 2) {
    invalidProp(scope, 'vpcSubnets', selected.subnetIds, 'Select subnets in at least two Availability Zones so the endpoint\'s instances are spread across them.');
  }
  return selected.subnetIds;
}

function endpointLogGroupArn(scope: Construct, endpointName: string): string {
  return Stack.of(scope).formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: `/aws/sagemaker/Endpoints/${endpointName}`,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

function executionStatements(scope: Construct, props: SecureModelEndpointOptions, v: ModelSettings, captureKey: kms.IKey,
  dataCaptureBucket: s3.IBucket, securityGroup: ec2.SecurityGroup): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
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
      resources: [`${endpointLogGroupArn(scope, v.endpointName)}:log-stream:*`, endpointLogGroupArn(scope, v.endpointName)],
    }),
    new iam.PolicyStatement({
      sid: 'WriteCapturedData',
      actions: ['s3:PutObject'],
      resources: [dataCaptureBucket.arnForObjects(`${v.capturePrefix}*`)],
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
        stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: securityGroup.securityGroupId }),
      ],
    }),
  ];
  const artifactKey = props.modelDataEncryptionKey ?? props.modelDataBucket.encryptionKey;
  if (!artifactKey && !Resource.isOwnedResource(props.modelDataBucket)) {
    Annotations.of(scope).addWarningV2('cdk-secure-ai:modelDataKeyUnknown',
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

function acknowledgeExecutionPolicy(scope: Construct, executionPolicy: iam.ManagedPolicy, v: ModelSettings, dataCaptureBucket: s3.IBucket): void {
  const resolve = (arn: string) => Stack.of(scope).resolve(arn);
  const iam5 = (resource: unknown): Finding => ({ id: `AwsSolutions-IAM5[Resource::${nagName(resource)}]`, source: FindingSource.CDK_NAG });
  acknowledge(executionPolicy, [iam5('*')], WILDCARD_REASON);
  acknowledge(executionPolicy, [
    iam5(resolve(`${endpointLogGroupArn(scope, v.endpointName)}:log-stream:*`)),
    iam5(resolve(dataCaptureBucket.arnForObjects(`${v.capturePrefix}*`))),
    iam5(resolve(Stack.of(scope).formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' }))),
  ], SCOPED_WILDCARD_REASON);
}

const WILDCARD_REASON =
  'ecr:GetAuthorizationToken and the ec2:Describe* calls SageMaker makes to attach the model to the VPC do not support resource-level permissions; they read no model data.';
const SCOPED_WILDCARD_REASON =
  'The wildcard covers only names created at run time under a resource of this construct: log streams of this endpoint\'s log group, captured-data objects under the capture prefix, and the network interfaces SageMaker creates in the given subnets.';

/** The VPC's CIDR block; an imported VPC without one fails naming the construct and the prop. */
function vpcCidrOf(scope: Construct, vpc: ec2.IVpc): string {
  try {
    return vpc.vpcCidrBlock;
  } catch {
    return invalidProp(scope, 'vpc', vpc.vpcId,
      'With `s3PrefixListId` the model\'s HTTPS egress is limited to the VPC CIDR and S3: import the VPC with its CIDR (`ec2.Vpc.fromVpcAttributes({ ..., vpcCidrBlock })`), or leave `s3PrefixListId` unset.');
  }
}
