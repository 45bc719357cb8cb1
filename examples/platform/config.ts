import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { GuardrailFilterStrength, MacieFindingSeverity, MonitoringFrequency, NetworkStage, ObjectLockMode } from '../../lib';

/**
 * Everything that differs between the stages of the reference platform. The stacks read this
 * object and nothing else: a new stage is a new entry in {@link STAGES}, not new code.
 *
 * Each stage is meant for its own AWS account (one CloudTrail trail, one GuardDuty / Security Hub
 * hand-off and one API Gateway logging role per account); the stacks are environment-agnostic
 * so the app synthesizes without credentials.
 */
export interface StageConfig {
  /** Stage name, the middle part of every stack name (`SecureAi-<name>-Network`). */
  readonly name: string;
  /** The network stage: picks the VPC's CIDR block, so the stages never overlap. */
  readonly networkStage: NetworkStage;
  /** Name of the model the stage trains and serves; prefixes jobs, artifacts and the endpoint. */
  readonly modelName: string;
  /** Image tag the endpoint serves (tags are immutable in the repository). */
  readonly modelVersion: string;
  /** SageMaker instance type of the endpoint. */
  readonly endpointInstanceType: string;
  /** Instances the endpoint starts with and scales between. */
  readonly endpointInstances: { readonly initial: number; readonly max: number };
  /** Share of inference requests captured for monitoring and forensics (0-100). */
  readonly dataCaptureSamplingPercentage: number;
  /** API stage throttling: steady requests per second and burst. */
  readonly apiThrottling: { readonly rate: number; readonly burst: number };
  /** Object Lock default retention of training data and model artifacts; none when absent. */
  readonly objectLock?: { readonly mode: ObjectLockMode; readonly retention: Duration };
  /**
   * Object Lock default retention of the audit trail's log files; none when absent (the trail
   * bucket then has Object Lock enabled but locks nothing).
   */
  readonly trailObjectLock?: { readonly mode: ObjectLockMode; readonly retention: Duration };
  /** How long overwritten or deleted object versions are kept. */
  readonly noncurrentVersionExpiration: Duration;
  /** Retention of every log group (flow logs, trail, API, WAF, endpoint); at least a year. */
  readonly logRetention: logs.RetentionDays;
  /** Tagged images kept in the model repository. */
  readonly maxTaggedImages: number;
  /** Continuous (Amazon Inspector) image scanning, account-wide; costs per image. */
  readonly enhancedImageScanning: boolean;
  /** GuardDuty findings at or above this severity are sent to the alert topic. */
  readonly guardDutySeverityThreshold: number;
  /** The CI role (in the tooling account) that builds, scans and pushes images. */
  readonly imagePublisherArn: string;
  /**
   * Amazon Bedrock foundation models the stage's application may call (through GuardedBedrockAccess),
   * and the strength of the guardrail's content filters; no Bedrock access when absent.
   */
  readonly bedrock?: { readonly models: string[]; readonly contentFilterStrength: GuardrailFilterStrength };
  /**
   * IAM Access Analyzer for the stage account (AccessAnalysis): an external-access and an
   * unused-access analyzer with this tracking period in days, active findings paged; none when absent.
   */
  readonly accessAnalysis?: { readonly unusedAccessAge: number };
  /**
   * Amazon Macie for the training data (SensitiveDataDiscovery): findings of this severity or more
   * paged, Macie enabled in the stage account when `enableMacie` (leave it false where an
   * organization's Macie administrator enables it), and the training-data key lets Macie decrypt
   * (SecureTrainingBucket `allowMacieDiscovery`); none when absent.
   */
  readonly sensitiveDataDiscovery?: { readonly enableMacie: boolean; readonly severityThreshold: MacieFindingSeverity };
  /**
   * SageMaker Model Monitor data-quality monitoring of the endpoint's captured data
   * (`dataQualityMonitoring`, a ModelDataQualityMonitor) at this frequency, against the baseline
   * under `baselines/<model>/<version>/` of the capture bucket; violations and failed executions
   * paged; none when absent.
   */
  readonly modelMonitoring?: { readonly frequency: MonitoringFrequency };
}

/** The three stages of the reference platform. */
export const STAGES: StageConfig[] = [
  {
    name: 'Dev',
    networkStage: NetworkStage.DEV,
    modelName: 'sentiment',
    modelVersion: '1.3.0-rc.2',
    endpointInstanceType: 'ml.m5.large',
    endpointInstances: { initial: 2, max: 2 },
    dataCaptureSamplingPercentage: 100,
    apiThrottling: { rate: 10, burst: 20 },
    noncurrentVersionExpiration: Duration.days(30),
    logRetention: logs.RetentionDays.ONE_YEAR,
    maxTaggedImages: 20,
    enhancedImageScanning: false,
    guardDutySeverityThreshold: 7,
    bedrock: { models: ['anthropic.claude-3-haiku-20240307-v1:0'], contentFilterStrength: GuardrailFilterStrength.MEDIUM },
    imagePublisherArn: 'arn:aws:iam::111111111111:role/ImagePipeline',
  },
  {
    name: 'Test',
    networkStage: NetworkStage.TEST,
    modelName: 'sentiment',
    modelVersion: '1.2.0',
    endpointInstanceType: 'ml.m5.large',
    endpointInstances: { initial: 2, max: 3 },
    dataCaptureSamplingPercentage: 50,
    apiThrottling: { rate: 20, burst: 40 },
    objectLock: { mode: ObjectLockMode.GOVERNANCE, retention: Duration.days(30) },
    trailObjectLock: { mode: ObjectLockMode.GOVERNANCE, retention: Duration.days(90) },
    noncurrentVersionExpiration: Duration.days(90),
    logRetention: logs.RetentionDays.ONE_YEAR,
    maxTaggedImages: 30,
    enhancedImageScanning: false,
    guardDutySeverityThreshold: 5,
    accessAnalysis: { unusedAccessAge: 90 },
    sensitiveDataDiscovery: { enableMacie: true, severityThreshold: MacieFindingSeverity.HIGH },
    modelMonitoring: { frequency: MonitoringFrequency.DAILY },
    bedrock: { models: ['anthropic.claude-3-haiku-20240307-v1:0'], contentFilterStrength: GuardrailFilterStrength.HIGH },
    imagePublisherArn: 'arn:aws:iam::111111111111:role/ImagePipeline',
  },
  {
    name: 'Prod',
    networkStage: NetworkStage.PROD,
    modelName: 'sentiment',
    modelVersion: '1.2.0',
    endpointInstanceType: 'ml.m5.xlarge',
    endpointInstances: { initial: 3, max: 6 },
    dataCaptureSamplingPercentage: 20,
    apiThrottling: { rate: 100, burst: 200 },
    objectLock: { mode: ObjectLockMode.COMPLIANCE, retention: Duration.days(365) },
    trailObjectLock: { mode: ObjectLockMode.COMPLIANCE, retention: Duration.days(365) },
    noncurrentVersionExpiration: Duration.days(365),
    logRetention: logs.RetentionDays.TWO_YEARS,
    maxTaggedImages: 50,
    enhancedImageScanning: true,
    guardDutySeverityThreshold: 4,
    accessAnalysis: { unusedAccessAge: 60 },
    sensitiveDataDiscovery: { enableMacie: true, severityThreshold: MacieFindingSeverity.MEDIUM },
    modelMonitoring: { frequency: MonitoringFrequency.HOURLY },
    bedrock: { models: ['anthropic.claude-3-haiku-20240307-v1:0'], contentFilterStrength: GuardrailFilterStrength.HIGH },
    imagePublisherArn: 'arn:aws:iam::111111111111:role/ImagePipeline',
  },
];
