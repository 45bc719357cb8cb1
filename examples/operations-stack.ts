import { Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { AiSecurityMonitoring, SecureModelRepository, SecureTrainingBucket } from '../lib';

/**
 * Operations for one AI/ML account: the images training and inference run, and the audit trail,
 * alarms and incident-response topic that watch the account.
 */
export class OperationsStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const account = Stack.of(this).account;

    new SecureModelRepository(this, 'InferenceImages', {
      pushPrincipalArns: [`arn:${this.partition}:iam::${account}:role/ImagePipeline`],
      pullPrincipalArns: [`arn:${this.partition}:iam::${account}:role/SageMakerExecution`],
      maxTaggedImages: 30,
      untaggedImageExpiration: Duration.days(7),
    });

    const trainingData = new SecureTrainingBucket(this, 'TrainingData');
    new AiSecurityMonitoring(this, 'Security', {
      trainingBuckets: [trainingData.bucket],
      guardDutySeverityThreshold: 7,
    });
  }
}
