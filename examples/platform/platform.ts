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
export function addPlatformStage(app: Construct, config: StageConfig): PlatformStage {
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

/** The whole reference platform: every stage of {@link STAGES}. */
export function addReferencePlatform(app: App, stages: StageConfig[] = STAGES): PlatformStage[] {
  return stages.map((config) => addPlatformStage(app, config));
}
