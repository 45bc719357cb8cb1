import { Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { StageConfig } from './config';
import { LeastPrivilegeSageMakerRole, SageMakerWorkload, SecureModelRepository, SecureTrainingBucket, SegmentedAiVpc } from '../../lib';

/** Props of a stage's data stack. */
export interface DataStackProps extends StackProps {
  readonly config: StageConfig;
  readonly network: SegmentedAiVpc;
}

/**
 * What the stage's models are made of, and who may read it: the training data and model
 * artifacts bucket, the model image repository, and the SageMaker execution roles for training
 * and for inference. The roles live here because the repository policy names its pullers.
 *
 * Bucket layout: `datasets/<model>/` (input), `models/<model>/` (training output, the artifact
 * the endpoint serves).
 */
export class DataStack extends Stack {
  public readonly data: SecureTrainingBucket;
  public readonly images: SecureModelRepository;
  public readonly trainingRole: LeastPrivilegeSageMakerRole;
  public readonly inferenceRole: LeastPrivilegeSageMakerRole;
  /** The pipeline that launches training jobs (guarded by `grantCreateJobs`). */
  public readonly trainingPipelineRole: iam.Role;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, props);
    const { config, network } = props;
    const model = config.modelName;

    this.data = new SecureTrainingBucket(this, 'TrainingData', {
      objectLockMode: config.objectLock?.mode,
      objectLockRetention: config.objectLock?.retention,
      noncurrentVersionExpiration: config.noncurrentVersionExpiration,
      // Macie analyses the training data where the stage runs it (OperationsStack).
      allowMacieDiscovery: config.sensitiveDataDiscovery !== undefined,
    });

    this.images = new SecureModelRepository(this, 'ModelImages', {
      pushPrincipalArns: [config.imagePublisherArn],
      maxTaggedImages: config.maxTaggedImages,
      enableEnhancedScanning: config.enhancedImageScanning,
    });

    // Training: reads datasets, writes models, runs in the training tier, jobs named <model>-*.
    // Its job key is the bucket's key: jobs write their outputs with the job key
    // (OutputDataConfig.KmsKeyId, which grantCreateJobs requires), and the bucket denies
    // uploads under any other key.
    this.trainingRole = new LeastPrivilegeSageMakerRole(this, 'TrainingRole', {
      workloads: [SageMakerWorkload.TRAINING, SageMakerWorkload.PROCESSING],
      inputs: [{ bucket: this.data.bucket, prefixes: [`datasets/${model}/`] }],
      outputs: [{ bucket: this.data.bucket, prefixes: [`models/${model}/`] }],
      encryptionKey: this.data.encryptionKey,
      repositories: [this.images.repository],
      vpc: network.vpc,
      vpcSubnets: network.trainingSubnets,
      securityGroups: [network.trainingSecurityGroup],
      jobNamePrefix: `${model}-`,
    });

    // Inference: the endpoint's execution role; reads the model artifacts only. Its network,
    // log and capture permissions come from the PrivateInferenceEndpoint's execution policy.
    this.inferenceRole = new LeastPrivilegeSageMakerRole(this, 'InferenceRole', {
      workloads: [SageMakerWorkload.INFERENCE],
      inputs: [{ bucket: this.data.bucket, prefixes: [`models/${model}/`] }],
      encryptionKey: this.trainingRole.encryptionKey,
      repositories: [this.images.repository],
    });

    // The repository policy denies pulls to everyone it does not name: name both roles.
    this.images.grantPull(new iam.ArnPrincipal(this.trainingRole.role.roleArn));
    this.images.grantPull(new iam.ArnPrincipal(this.inferenceRole.role.roleArn));

    this.trainingPipelineRole = new iam.Role(this, 'TrainingPipelineRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: `Launches ${model} training and processing jobs in the training tier, with the job key, isolated`,
    });
    this.trainingRole.grantCreateJobs(this.trainingPipelineRole);
  }
}
