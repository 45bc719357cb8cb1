import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { buildApi, createApiAlarms, grantApiInvoke, validateApi } from './api-builder';
import { buildModel, createModelAlarms, reportWeakenedDefaults, validateModel } from './model-builder';
import { addModelMonitors } from './model-monitoring';
import { InferenceMonitoringOptions, PrivateInferenceApiOptions, SecureModelEndpointOptions } from './props';
import { alarmTopic, inferenceAlarms, monitoringKey, validateMonitoring } from './shared';
import { ModelDataQualityMonitor } from '../monitoring/model-data-quality-monitor';
import { ModelQualityMonitor } from '../monitoring/model-quality-monitor';
import { SecureTrainingBucket } from '../storage/secure-training-bucket';

/**
 * Properties of a PrivateInferenceEndpoint: those of a SecureModelEndpoint and of a
 * PrivateInferenceApi. The model location, the VPC and, for a private API, the VPC endpoints are
 * required; every other property has a secure default.
 */
export interface PrivateInferenceEndpointProps extends SecureModelEndpointOptions, PrivateInferenceApiOptions, InferenceMonitoringOptions {}

/**
 * A SageMaker model served behind a private API Gateway REST API, secure by default.
 *
 * Model side: a model from an ECR image and an S3 artifact, network-isolated in the given
 * subnets with its own security group; an endpoint configuration encrypted with a
 * customer-managed key, two instances by default, data capture of requests and responses to an
 * encrypted retained bucket; target-tracking autoscaling; an execution role that can read only
 * this model's artifact and image and write only its logs and captured data.
 *
 * API side: a private REST API (resource policy: only the named execute-api VPC endpoints) whose
 * POST method calls SageMaker `InvokeEndpoint` directly through a role that can invoke only this
 * endpoint; IAM (or Cognito) authorization, optional API keys with a usage plan; stage
 * throttling; a request validator with a JSON schema; a WAF web ACL with AWS managed rules,
 * a per-IP rate rule and a body-size rule, logged with the Authorization header redacted;
 * JSON access logs, execution logs without data, X-Ray; alarms to an encrypted SNS topic.
 *
 * @example
 * const endpoint = new PrivateInferenceEndpoint(this, 'Inference', {
 *   vpc, imageRepository, modelDataBucket: artifacts.bucket, modelDataKey: 'models/model.tar.gz',
 *   apiVpcEndpoints: [executeApiEndpoint],
 * });
 * endpoint.grantInvoke(clientRole);
 */
export class PrivateInferenceEndpoint extends Construct {
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
  /** The REST API. */
  public readonly api: apigw.RestApi;
  /** The API stage. */
  public readonly stage: apigw.Stage;
  /** The POST method that invokes the model. */
  public readonly method: apigw.Method;
  /** The role API Gateway uses to call `InvokeEndpoint`. */
  public readonly integrationRole: iam.Role;
  /** The request body model (JSON schema). */
  public readonly requestModel: apigw.Model;
  /** The usage plan, with `requireApiKey`. */
  public readonly usagePlan?: apigw.UsagePlan;
  /** The API key of the usage plan, with `requireApiKey`. */
  public readonly apiKey?: apigw.IApiKey;
  /** The custom domain, with `domainName`. */
  public readonly domain?: apigw.DomainName;
  /** The WAF web ACL the construct created for the stage (undefined with `webAclArn`). */
  public readonly webAcl?: wafv2.CfnWebACL;
  /** ARN of the web ACL associated with the stage (created, or `webAclArn`). */
  public readonly webAclArn: string;
  /** The key of the log groups and of the created alarm topic. */
  public readonly monitoringEncryptionKey: kms.IKey;
  /** The log group of the API access logs (JSON). */
  public readonly accessLogGroup: logs.LogGroup;
  /** API Gateway's execution log group, unless `createExecutionLogGroup` is false. */
  public readonly executionLogGroup?: logs.LogGroup;
  /** The log group of the WAF logs (undefined with `webAclArn`). */
  public readonly wafLogGroup?: logs.LogGroup;
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

  constructor(scope: Construct, id: string, props: PrivateInferenceEndpointProps) {
    super(scope, id);
    // The SageMaker side and the API are added to this construct itself (not to child constructs),
    // so every resource keeps the construct path, and so the logical ID, it has always had.
    const model = validateModel(this, props);
    const front = validateApi(this, props);
    const { logRetention, removalPolicy } = validateMonitoring(this, props);
    reportWeakenedDefaults(this, model);

    const built = buildModel(this, props, model, removalPolicy,
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

    const a = buildApi(this, props, front, { endpointName: m.endpointName, endpointArn: m.endpointArn }, built.monitoring);
    this.accessLogGroup = a.accessLogGroup;
    this.wafLogGroup = a.wafLogGroup;
    this.executionLogGroup = a.executionLogGroup;
    this.integrationRole = a.integrationRole;
    this.api = a.api;
    this.stage = a.stage;
    this.method = a.method;
    this.requestModel = a.requestModel;
    this.usagePlan = a.usagePlan;
    this.apiKey = a.apiKey;
    this.domain = a.domain;
    this.webAcl = a.webAcl;
    this.webAclArn = a.webAclArn;

    this.alarmTopic = alarmTopic(this, props, built.monitoring.key);
    const alarm = inferenceAlarms(this, this.alarmTopic, this.alarms);
    createApiAlarms(this, front, a, alarm);
    const monitors = addModelMonitors(this, props, m, model.capturePrefix, this.alarmTopic, built.monitoring.key);
    this.dataQualityMonitor = monitors.dataQuality;
    this.modelQualityMonitor = monitors.modelQuality;
    createModelAlarms(model, alarm);
  }

  /**
   * Grants `execute-api:Invoke` on this API's POST method in its stage, and nothing else.
   * Needed with IAM authorization.
   *
   * @param grantee the principal that calls the API
   */
  public grantInvoke(grantee: iam.IGrantable): iam.Grant {
    return grantApiInvoke(grantee, this.method);
  }

  /** The URL a client POSTs to. */
  public get invokeUrl(): string {
    return this.stage.urlForPath(this.method.resource.path);
  }
}
