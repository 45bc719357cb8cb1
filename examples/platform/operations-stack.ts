import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { StageConfig } from './config';
import { AiSecurityMonitoring, SecureTrainingBucket } from '../../lib';

/** Props of a stage's operations stack. */
export interface OperationsStackProps extends StackProps {
  readonly config: StageConfig;
  readonly trainingData: SecureTrainingBucket;
}

/**
 * The stage account's audit trail (with data events on the training data), the alarms an
 * incident responder needs, and the one alert topic every alarm of the stage goes to.
 */
export class OperationsStack extends Stack {
  public readonly monitoring: AiSecurityMonitoring;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    this.monitoring = new AiSecurityMonitoring(this, 'Security', {
      trainingBuckets: [props.trainingData.bucket],
      logRetention: props.config.logRetention,
      guardDutySeverityThreshold: props.config.guardDutySeverityThreshold,
      trailObjectLockMode: props.config.trailObjectLock?.mode,
      trailObjectLockRetention: props.config.trailObjectLock?.retention,
    });
  }
}
