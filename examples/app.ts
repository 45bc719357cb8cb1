import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { NetworkStage, ObjectLockMode, SecureTrainingBucket } from '../lib';
import { addComplianceChecks } from './compliance';
import { IdentityStack } from './identity-stack';
import { InferenceStack } from './inference-stack';
import { NetworkStack, TrainingWorkloadStack } from './network-stack';
import { OperationsStack } from './operations-stack';

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
new IdentityStack(app, 'CdkSecureAi-Identity');
new OperationsStack(app, 'CdkSecureAi-Operations');
const devNetwork = new NetworkStack(app, 'CdkSecureAi-Network-Dev', { stage: NetworkStage.DEV });
new NetworkStack(app, 'CdkSecureAi-Network-Prod', { stage: NetworkStage.PROD });
new TrainingWorkloadStack(app, 'CdkSecureAi-TrainingWorkload-Dev', { network: devNetwork.network });
new InferenceStack(app, 'CdkSecureAi-Inference');
app.synth();
