import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ObjectLockMode, SecureTrainingBucket } from '../lib';
import { addComplianceChecks } from './compliance';
import { InferenceStack } from './inference-stack';

/** Training data and model artifacts for one team: two SecureTrainingBuckets. */
export class TrainingDataStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    new SecureTrainingBucket(this, 'TrainingData');
    new SecureTrainingBucket(this, 'ModelArtifacts', {
      objectLockMode: ObjectLockMode.GOVERNANCE,
      objectLockRetention: Duration.days(30),
    });
  }
}

const app = new App();
addComplianceChecks(app);
new TrainingDataStack(app, 'CdkSecureAi-TrainingData');
new InferenceStack(app, 'CdkSecureAi-Inference');
app.synth();
