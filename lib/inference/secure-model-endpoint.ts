import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { buildModel, createModelAlarms, reportWeakenedDefaults, validateModel } from './model-builder';
import { addModelMonitors } from './model-monitoring';
import { IInferenceEndpointTarget, InferenceMonitoringOptions, SecureModelEndpointOptions } from './props';
import { alarmTopic, inferenceAlarms, monitoringKey, validateMonitoring } from './shared';
import { ModelDataQualityMonitor } from '../monitoring/model-data-quality-monitor';
import { ModelQualityMonitor } from '../monitoring/model-quality-monitor';
import { SecureTrainingBucket } from '../storage/secure-training-bucket';

/**
 * Properties of a SecureModelEndpoint. The model location and the VPC are required; every other
 * property has a secure default.
 */
export interface SecureModelEndpointProps extends SecureModelEndpointOptions, InferenceMonitoringOptions {}

/**
 * A SageMaker model served by a real-time endpoint in the VPC, secure by default, without an API
 * in front: callers inside the VPC invoke it through the SageMaker Runtime interface endpoint
 * (`grantInvoke`), or a PrivateInferenceApi fronts it.
 *
 * A model from an ECR image and an S3 artifact, network-isolated in the given subnets with its own
 * security group (HTTPS egress only); an endpoint configuration encrypted with a customer-managed
 * key, two instances by default, data capture of requests and responses to an encrypted retained
 * bucket; target-tracking autoscaling; an execution role that can read only this model's artifact
 * and image and write only its logs and captured data; the endpoint's log group (KMS-encrypted,
 * retained a year); model error and latency alarms to an encrypted SNS topic.
 *
 * @example
 * const model = new SecureModelEndpoint(this, 'Model', {
 *   vpc, imageRepository, modelDataBucket: artifacts.bucket, modelDataKey: 'models/model.tar.gz',
 * });
 * model.grantInvoke(serviceRole);
 */
export class SecureModelEndpoint extends Construct implements IInferenceEndpointTarget {
  /** The SageMaker model. */
  public readonly model: sagemaker.CfnModel;
  /** The endpoint configuration. */
  public readonly endpointConfig: sagemaker.CfnEndpointConfig;
  /** The SageMaker endpoint. */
  public readonly endpoint: sagemaker.CfnEndpoint;
  /** Name of the SageMaker endpoint. */
  public readonly endpointName: string;
  /** ARN of the SageMaker endpoint. */
  public readonly endpointArn: string;
  /** The role SageMaker assumes for the model. */
  public readonly executionRole: iam.IRole;
  /** The managed policy attached to the execution role. */
  public readonly executionPolicy: iam.ManagedPolicy;
  /** The security group of the model's network interfaces. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The key of the endpoint's volumes and of data capture. */
  public readonly encryptionKey: kms.IKey;
  /** The bucket that receives captured requests and responses. */
  public readonly dataCaptureBucket: s3.IBucket;
  /** The created capture bucket construct, when the construct created one. */
  public readonly secureDataCaptureBucket?: SecureTrainingBucket;
  /** The autoscaling target of the production variant, unless `enableAutoScaling` is false. */
  public readonly scalableTarget?: appscaling.ScalableTarget;
  /** The key of the endpoint log group and of the created alarm topic. */
  public readonly monitoringEncryptionKey: kms.IKey;
  /** The log group the SageMaker endpoint writes to. */
  public readonly endpointLogGroup: logs.LogGroup;
  /** The topic that receives the alarms. */
  public readonly alarmTopic: sns.ITopic;
  /** Every alarm the construct creates. */
  public readonly alarms: cloudwatch.Alarm[] = [];
  /** The Model Monitor data-quality monitor, with `dataQualityMonitoring`. */
  public readonly dataQualityMonitor?: ModelDataQualityMonitor;
  /** The Model Monitor model-quality monitor, with `modelQualityMonitoring`. */
  public readonly modelQualityMonitor?: ModelQualityMonitor;

  constructor(scope: Construct, id: string, props: SecureModelEndpointProps) {
    super(scope, id);
    const settings = validateModel(this, props);
    const { logRetention, removalPolicy } = validateMonitoring(this, props);
    reportWeakenedDefaults(this, settings);

    const built = buildModel(this, props, settings, removalPolicy,
      () => ({ key: monitoringKey(this, props, removalPolicy), retention: logRetention, removalPolicy }));
    const m = built.parts;
    this.endpointName = m.endpointName;
    this.endpointArn = m.endpointArn;
    this.encryptionKey = m.encryptionKey;
    this.monitoringEncryptionKey = built.monitoring.key;
    this.endpointLogGroup = m.endpointLogGroup;
    this.dataCaptureBucket = m.dataCaptureBucket;
    this.secureDataCaptureBucket = m.secureDataCaptureBucket;
    this.securityGroup = m.securityGroup;
    this.executionPolicy = m.executionPolicy;
    this.executionRole = m.executionRole;
    this.model = m.model;
    this.endpointConfig = m.endpointConfig;
    this.endpoint = m.endpoint;
    this.scalableTarget = m.scalableTarget;

    this.alarmTopic = alarmTopic(this, props, built.monitoring.key);
    const monitors = addModelMonitors(this, props, m, settings.capturePrefix, this.alarmTopic, built.monitoring.key);
    this.dataQualityMonitor = monitors.dataQuality;
    this.modelQualityMonitor = monitors.modelQuality;
    createModelAlarms(settings, inferenceAlarms(this, this.alarmTopic, this.alarms));
  }

  /**
   * Grants `sagemaker:InvokeEndpoint` on this endpoint, and nothing else, for callers inside the
   * VPC (through the SageMaker Runtime interface endpoint).
   *
   * @param grantee the principal that invokes the endpoint
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return iam.Grant.addToPrincipal({
      grantee,
      actions: ['sagemaker:InvokeEndpoint'],
      resourceArns: [this.endpointArn],
    });
  }
}
