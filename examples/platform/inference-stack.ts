import { Annotations, Names, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { StageConfig } from './config';
import { DataStack } from './data-stack';
import { NetworkStack } from './network-stack';
import { BedrockModel, GuardedBedrockAccess, PrivateInferenceEndpoint } from '../../lib';

/** Props of a stage's inference stack. */
export interface InferenceStackProps extends StackProps {
  readonly config: StageConfig;
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly alarmTopic: sns.ITopic;
}

/**
 * The stage's model served privately: a PrivateInferenceEndpoint in the inference tier, pulling
 * its image from the stage's repository and its artifact from the training bucket, reachable only
 * through the stage's execute-api VPC endpoint, alarming to the stage's one alert topic; and the
 * role of the application that calls it.
 */
export class InferenceStack extends Stack {
  public readonly endpoint: PrivateInferenceEndpoint;
  public readonly clientRole: iam.Role;
  /** The stage's Bedrock models behind its guardrail, when the stage configures them. */
  public readonly bedrock?: GuardedBedrockAccess;

  constructor(scope: Construct, id: string, props: InferenceStackProps) {
    super(scope, id, props);
    const { config, network, data } = props;
    const model = config.modelName;

    this.endpoint = new PrivateInferenceEndpoint(this, 'Endpoint', {
      imageRepository: data.images.repository,
      imageRepositoryEncryptionKey: data.images.encryptionKey,
      imageTagOrDigest: config.modelVersion,
      modelDataBucket: data.data.bucket,
      modelDataKey: `models/${model}/${config.modelVersion}/model.tar.gz`,
      executionRole: data.inferenceRole.role,
      vpc: network.network.vpc,
      vpcSubnets: network.network.inferenceSubnets,
      apiVpcEndpoints: [network.executeApiEndpoint],
      instanceType: config.endpointInstanceType,
      initialInstanceCount: config.endpointInstances.initial,
      maxInstanceCount: config.endpointInstances.max,
      dataCaptureSamplingPercentage: config.dataCaptureSamplingPercentage,
      throttlingRateLimit: config.apiThrottling.rate,
      throttlingBurstLimit: config.apiThrottling.burst,
      logRetention: config.logRetention,
      alarmTopic: props.alarmTopic,
      dataQualityMonitoring: config.modelMonitoring && {
        frequency: config.modelMonitoring.frequency,
        baselineStatisticsKey: `baselines/${model}/${config.modelVersion}/statistics.json`,
        baselineConstraintsKey: `baselines/${model}/${config.modelVersion}/constraints.json`,
      },
    });
    if (this.endpoint.dataQualityMonitor) {
      // The alert topic is the operations stack's: its policy admits this account's EventBridge
      // rules (AiSecurityMonitoring.allowEventRulesOfThisAccount, called for the same stages).
      Annotations.of(this.endpoint.dataQualityMonitor).acknowledgeWarning(
        `cdk-secure-ai:model-monitor-alert-policy:${Names.uniqueId(props.alarmTopic)}`,
        'The operations stack\'s topic policy allows EventBridge rules of this account and Region to publish (AiSecurityMonitoring.allowEventRulesOfThisAccount).');
    }

    // The application that calls the model may invoke this API method and nothing else, in a
    // customer-managed policy (HIPAA/NIST/PCI IAMNoInlinePolicy; `grantInvoke` writes an inline one).
    this.clientRole = new iam.Role(this, 'ClientRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: `Calls the ${model} inference API`,
    });
    new iam.ManagedPolicy(this, 'InvokePolicy', {
      description: `Invoke the POST method of the ${model} inference API, nothing else`,
      roles: [this.clientRole],
      statements: [new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [this.endpoint.method.methodArn] })],
    });

    // The same application may call the stage's Bedrock models, only with the stage's guardrail.
    if (config.bedrock) {
      this.bedrock = new GuardedBedrockAccess(this, 'Bedrock', {
        models: config.bedrock.models.map((modelId) => BedrockModel.foundationModel(modelId)),
        contentFilterStrength: config.bedrock.contentFilterStrength,
        alertTopic: props.alarmTopic,
      });
      this.bedrock.grantInvoke(this.clientRole);
    }
  }
}
