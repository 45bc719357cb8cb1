import { App, Tags } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { StageConfig, STAGES } from './config';
import { DataStack } from './data-stack';
import { InferenceStack } from './inference-stack';
import { NetworkStack } from './network-stack';
import { OperationsStack } from './operations-stack';

/** The stacks of one stage, in deployment order. */
export interface PlatformStage {
  readonly network: NetworkStack;
  readonly data: DataStack;
  readonly operations: OperationsStack;
  readonly inference: InferenceStack;
}

/**
 * One stage of the reference platform: four stacks named `SecureAi-<stage>-<part>`, wired with
 * references inside the stage only (nothing crosses stages). Stack and construct IDs are API:
 * renaming one replaces the stateful resources in it (test/examples/stateful-resources.test.ts).
 *
 * @param app the app, or a CDK `Stage` (a stage of a delivery pipeline, examples/pipeline.ts)
 */
export function addPlatformStage(app: Construct, stageConfig: StageConfig): PlatformStage {
  const config = withoutModelMonitoringWhenOff(app, stageConfig);
  const prefix = `SecureAi-${config.name}`;
  const description = (what: string) => `cdk-secure-ai reference platform, ${config.name}: ${what}`;
  const network = new NetworkStack(app, `${prefix}-Network`, {
    config,
    description: description('segmented VPC and interface endpoints'),
  });
  const data = new DataStack(app, `${prefix}-Data`, {
    config,
    network: network.network,
    description: description('training data, model images, SageMaker execution roles'),
  });
  const operations = new OperationsStack(app, `${prefix}-Operations`, {
    config,
    trainingData: data.data,
    imageRepository: data.images.repository,
    description: description('audit trail, security alarms, alert topic; Access Analyzer and Macie where configured'),
  });
  const inference = new InferenceStack(app, `${prefix}-Inference`, {
    config,
    network,
    data,
    alarmTopic: operations.monitoring.topic,
    description: description('private inference endpoint and API'),
  });
  // The API stage logs through the account's API Gateway CloudWatch Logs role, set in the
  // network stack: deploy that first even if no reference would order them.
  inference.addStackDependency(network, 'the API Gateway account logging setting must exist before an API stage logs');
  for (const stack of [network, data, operations, inference]) {
    Tags.of(stack).add('Application', 'cdk-secure-ai-reference');
  }
  return { network, data, operations, inference };
}

/**
 * SageMaker Model Monitor is no longer open to new customers (SageMaker developer guide, "Amazon
 * SageMaker Model Monitor availability change"): in an account that has not used it, the
 * monitoring schedule may be refused and the inference stack rolled back. Deploying there, turn
 * the stages' monitors off with `-c cdk-secure-ai:modelMonitoring=false`.
 */
export const MODEL_MONITORING_CONTEXT = 'cdk-secure-ai:modelMonitoring';

function withoutModelMonitoringWhenOff(scope: Construct, config: StageConfig): StageConfig {
  const value = scope.node.tryGetContext(MODEL_MONITORING_CONTEXT);
  if (value === undefined || value === true || value === 'true') return config;
  if (value !== false && value !== 'false') {
    throw new Error(`Context ${MODEL_MONITORING_CONTEXT} is "true" or "false", got ${JSON.stringify(value)}.`);
  }
  return { ...config, modelMonitoring: undefined };
}

/** The whole reference platform: every stage of {@link STAGES}. */
export function addReferencePlatform(app: App, stages: StageConfig[] = STAGES): PlatformStage[] {
  return stages.map((config) => addPlatformStage(app, config));
}
