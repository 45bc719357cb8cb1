import { Stack, StackProps } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
import { StageConfig } from './config';
import { AccessAnalysis, AiSecurityMonitoring, SecureTrainingBucket, SensitiveDataDiscovery } from '../../lib';

/** Props of a stage's operations stack. */
export interface OperationsStackProps extends StackProps {
  readonly config: StageConfig;
  readonly trainingData: SecureTrainingBucket;
  /**
   * The model image repository: the CI role of the tooling account pushes to it by design, so the
   * external-access finding about that grant is archived rather than paged.
   */
  readonly imageRepository: ecr.IRepository;
}

/**
 * The stage account's audit trail (with data events on the training data), the alarms an
 * incident responder needs, and the one alert topic every alarm of the stage goes to; where the
 * stage configures them, IAM Access Analyzer and Amazon Macie, whose findings go to that topic.
 */
export class OperationsStack extends Stack {
  public readonly monitoring: AiSecurityMonitoring;
  /** The stage's IAM Access Analyzer analyzers and findings rule, when configured. */
  public readonly accessAnalysis?: AccessAnalysis;
  /** The stage's Macie session and findings rule, when configured. */
  public readonly sensitiveData?: SensitiveDataDiscovery;

  constructor(scope: Construct, id: string, props: OperationsStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.monitoring = new AiSecurityMonitoring(this, 'Security', {
      trainingBuckets: [props.trainingData.bucket],
      logRetention: config.logRetention,
      guardDutySeverityThreshold: config.guardDutySeverityThreshold,
      trailObjectLockMode: config.trailObjectLock?.mode,
      trailObjectLockRetention: config.trailObjectLock?.retention,
    });
    const alerting = { topic: this.monitoring.topic, deadLetterQueue: this.monitoring.deadLetterQueue };
    // The model monitor's alert rules live in the inference stack, which references this topic:
    // the topic policy admits this account's rules (the inference stack cannot add to it).
    if (config.modelMonitoring) this.monitoring.allowEventRulesOfThisAccount();

    if (config.accessAnalysis) {
      // The CI role of the tooling account pushes images by design: archive the external-access
      // finding of that grant. `principal.AWS` of a finding is the account ID or the ARN the policy
      // names (IAM user guide, "IAM Access Analyzer filter keys"): `contains` the account ID matches
      // both. arn:aws:iam::<account>:role/<name>: the account is the fifth field.
      const publisherAccount = config.imagePublisherArn.split(':')[4];
      this.accessAnalysis = new AccessAnalysis(this, 'AccessAnalysis', {
        ...alerting,
        unusedAccessAge: config.accessAnalysis.unusedAccessAge,
        archiveRules: [{
          ruleName: 'image-publisher-pushes-model-images',
          filters: [
            { property: 'resource', eq: [props.imageRepository.repositoryArn] },
            { property: 'principal.AWS', contains: [publisherAccount] },
          ],
        }],
      });
    }
    if (config.sensitiveDataDiscovery) {
      this.sensitiveData = new SensitiveDataDiscovery(this, 'SensitiveData', {
        ...alerting,
        enableMacie: config.sensitiveDataDiscovery.enableMacie,
        severityThreshold: config.sensitiveDataDiscovery.severityThreshold,
      });
    }
  }
}
