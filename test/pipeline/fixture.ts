import * as path from 'path';
import { App, CfnOutput, RemovalPolicy, Stack, Stage, StageProps } from 'aws-cdk-lib';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as s3assets from 'aws-cdk-lib/aws-s3-assets';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ModelImageBuild, SecureDeliveryPipeline, SecureDeliveryPipelineProps, SecureModelRepository, SecureTrainingBucket } from '../../lib';
import { MODEL_IMAGES_CONTEXT_KEY } from '../../lib/pipeline/commands';
import { createKey } from '../../lib/private/kms';
import { createTestApp } from '../support/app';

export const TOOLING = '111122223333'; // the simulator's ACCOUNT: the pipeline's own account
export const DEV = '222222222222';
export const TEST = '333333333333';
export const PROD = '444444444444';
export const REGION = 'us-east-1';
export const CONNECTION_ARN = `arn:aws:codeconnections:${REGION}:${TOOLING}:connection/0a1b2c3d-4e5f-6789-abcd-ef0123456789`;
export const SIGNING_PROFILE_ARN = `arn:aws:signer:${REGION}:${TOOLING}:/signing-profiles/ModelImages`;
/** Checksums the fixture pins for the AWS Signer plugin and root certificate (stand-ins: the tests serve stub files). */
export const SIGNER_PLUGIN_SHA256 = 'a'.repeat(64);
export const SIGNER_ROOT_CERTIFICATE_SHA256 = 'b'.repeat(64);
export const IMAGE_ID = 'SentimentImage';

/** A small application stage: one stack with one bucket (and the model image it deploys, by digest). */
export class WorkloadStage extends Stage {
  constructor(scope: Construct, id: string, props: StageProps & { withAsset?: boolean; imageId?: string }) {
    super(scope, id, props);
    const stack = new Stack(this, 'Workload');
    new SecureTrainingBucket(stack, 'Data');
    // What a SageMaker model's container image would be given: the image the pipeline promoted, by digest.
    if (props.imageId) new CfnOutput(stack, 'ModelImage', { value: ModelImageBuild.promotedImage(stack, props.imageId).imageUri });
    // A file asset: the pipeline publishes it with its asset role into each stage account.
    if (props.withAsset) new s3assets.Asset(stack, 'Model', { path: path.join(__dirname, 'stubs') });
  }
}

export interface PipelineFixture {
  readonly app: App;
  readonly stack: Stack;
  readonly pipeline: SecureDeliveryPipeline;
  readonly image?: ModelImageBuild;
  readonly repository?: SecureModelRepository;
}

export interface FixtureOptions {
  /** Register the compliance checks. @default true */
  readonly checks?: boolean;
  /** Add to this app instead of a new one. */
  readonly app?: App;
  /** Stack ID and prefix of the stage IDs. @default 'Delivery' */
  readonly id?: string;
  /** Every option: CodeCommit source, own alert topic, a signed model image. */
  readonly everyOption?: boolean;
  /** Context of the new app. */
  readonly context?: Record<string, unknown>;
  /** The model image's Docker build context (with `everyOption`). @default 'model/sentiment' */
  readonly imageContext?: string;
}

/** The context the synth step writes for the fixture's image (as `image.json` of a clean image build would give it). */
export const PROMOTED_IMAGE_CONTEXT = {
  [MODEL_IMAGES_CONTEXT_KEY]: {
    [IMAGE_ID]: { repositoryUri: `${TOOLING}.dkr.ecr.${REGION}.amazonaws.com/sentiment`, tag: '4b825dc642cb6eb9a060e54bf8d69288fbee4904', digest: `sha256:${'9f'.repeat(32)}` },
  },
};

/** A pipeline stack in the tooling account with dev, test and prod stages. */
export function pipelineFixture(props: Partial<SecureDeliveryPipelineProps> = {}, options: FixtureOptions = {}): PipelineFixture {
  const app = options.app ?? createTestApp({ checks: options.checks, context: options.context });
  const id = options.id ?? 'Delivery';
  const stack = new Stack(app, id, { env: { account: TOOLING, region: REGION } });
  const sourceProps: Partial<SecureDeliveryPipelineProps> = options.everyOption
    ? {
      codeCommitRepository: codecommit.Repository.fromRepositoryName(stack, 'Repo', 'ml-platform'),
      alertTopic: new sns.Topic(stack, 'Alerts', { enforceSSL: true, masterKey: createKey(stack, 'AlertsKey', { description: 'alerts', removalPolicy: RemovalPolicy.DESTROY }) }),
      branch: 'release',
      installCommands: ['npm ci --ignore-scripts'],
      synthCommand: 'npx cdk synth --app "node dist/app.js"',
      pipelineName: 'ml-platform-delivery',
    }
    : { repository: 'example-org/ml-platform', connectionArn: CONNECTION_ARN };
  const pipeline = new SecureDeliveryPipeline(stack, 'Pipeline', { ...sourceProps, ...props });
  let image: ModelImageBuild | undefined;
  let repository: SecureModelRepository | undefined;
  if (options.everyOption) {
    repository = new SecureModelRepository(stack, 'Images', { repositoryName: 'sentiment' });
    image = pipeline.addModelImage(IMAGE_ID, {
      repository,
      context: options.imageContext ?? 'model/sentiment',
      failOnSeverities: ['CRITICAL', 'HIGH', 'MEDIUM'],
      failOnUnfixed: true,
      signingProfileArn: SIGNING_PROFILE_ARN,
      signerPluginSha256: SIGNER_PLUGIN_SHA256,
      signerRootCertificateSha256: SIGNER_ROOT_CERTIFICATE_SHA256,
    });
  }
  const prefix = id === 'Delivery' ? '' : id;
  const withAsset = options.everyOption;
  const imageId = options.everyOption ? IMAGE_ID : undefined;
  pipeline.addStage(new WorkloadStage(app, `${prefix}Dev`, { env: { account: DEV, region: REGION }, withAsset, imageId }));
  pipeline.addStage(new WorkloadStage(app, `${prefix}Test`, { env: { account: TEST, region: REGION }, withAsset, imageId }));
  pipeline.addProductionStage(new WorkloadStage(app, `${prefix}Prod`, { env: { account: PROD, region: REGION }, withAsset, imageId }));
  return { app, stack, pipeline, image, repository };
}
