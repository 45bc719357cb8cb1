import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { buildApi, createApiAlarms, grantApiInvoke, validateApi } from './api-builder';
import { CONSTRAINTS, violated } from './constraints';
import { endpointArnOf } from './model-builder';
import { IInferenceEndpointTarget, InferenceMonitoringOptions, PrivateInferenceApiOptions } from './props';
import { alarmTopic, inferenceAlarms, monitoringKey, validateMonitoring } from './shared';
import { invalidProp, isUnresolved } from '../private/errors';

/** SageMaker endpoints made elsewhere, as targets of a PrivateInferenceApi. */
export class InferenceEndpointTarget {
  /**
   * An endpoint of the scope's account and Region, by name (for example one a pipeline or
   * another team deployed).
   *
   * @param scope any construct of the stack the API is in
   * @param endpointName the name of the SageMaker endpoint
   */
  public static fromEndpointName(scope: Construct, endpointName: string): IInferenceEndpointTarget {
    checkEndpointName(scope, 'endpointName', endpointName);
    return { endpointName, endpointArn: endpointArnOf(scope, endpointName) };
  }

  /**
   * An endpoint created in the same app by another construct (`Ref` of AWS::SageMaker::Endpoint is its ARN).
   *
   * @param endpoint the CloudFormation endpoint resource
   */
  public static fromCfnEndpoint(endpoint: sagemaker.CfnEndpoint): IInferenceEndpointTarget {
    return { endpointName: endpoint.attrEndpointName, endpointArn: endpoint.ref };
  }

  private constructor() {}
}

/** Properties of a PrivateInferenceApi. */
export interface PrivateInferenceApiProps extends PrivateInferenceApiOptions, InferenceMonitoringOptions {
  /**
   * The SageMaker endpoint the API invokes: a SecureModelEndpoint, or one from
   * `InferenceEndpointTarget.fromEndpointName` / `fromCfnEndpoint`. The integration role may
   * invoke this endpoint only.
   */
  readonly endpoint: IInferenceEndpointTarget;
}

/**
 * A private (or regional) API Gateway REST API in front of any SageMaker endpoint, secure by
 * default: a resource policy allowing only the named execute-api VPC endpoints; a POST method that
 * calls SageMaker `InvokeEndpoint` through a role that can invoke only that endpoint; IAM (or
 * Cognito) authorization, optional API keys with a usage plan; stage throttling; a request
 * validator with a JSON schema; a WAF web ACL with AWS managed rules, a per-IP rate rule and a
 * body-size rule, logged with the Authorization header redacted; JSON access logs, execution logs
 * without data, X-Ray; API and WAF alarms to an encrypted SNS topic.
 *
 * @example
 * const api = new PrivateInferenceApi(this, 'Api', {
 *   endpoint: InferenceEndpointTarget.fromEndpointName(this, 'sentiment-prod'),
 *   apiVpcEndpoints: [executeApiEndpoint],
 * });
 * api.grantInvoke(clientRole);
 */
export class PrivateInferenceApi extends Construct {
  /** Name of the SageMaker endpoint the API invokes. */
  public readonly endpointName: string;
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
  /** The topic that receives the alarms. */
  public readonly alarmTopic: sns.ITopic;
  /** Every alarm the construct creates. */
  public readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: PrivateInferenceApiProps) {
    super(scope, id);
    validateTarget(this, props.endpoint);
    const settings = validateApi(this, props);
    const { logRetention, removalPolicy } = validateMonitoring(this, props);
    const monitoring = { key: monitoringKey(this, props, removalPolicy), retention: logRetention, removalPolicy };
    this.monitoringEncryptionKey = monitoring.key;
    this.endpointName = props.endpoint.endpointName;

    const a = buildApi(this, props, settings, props.endpoint, monitoring);
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

    this.alarmTopic = alarmTopic(this, props, monitoring.key);
    createApiAlarms(this, settings, a, inferenceAlarms(this, this.alarmTopic, this.alarms));
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

/** The name of a SageMaker endpoint: the path segment of `InvokeEndpoint`. */
function checkEndpointName(scope: Construct, prop: string, name: string): void {
  if (!isUnresolved(name) && !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(name)) {
    violated(scope, prop, name, CONSTRAINTS.endpointName,
      'Give the endpoint\'s name (1 to 63 letters, digits and hyphens, as `aws sagemaker list-endpoints` shows it), not its ARN or URL.');
  }
}

/**
 * The target's name is the one the API calls and its ARN the one the integration role may invoke:
 * both must name the same endpoint, or every call is refused (403). SageMaker ARNs carry the name
 * in lower case (`arn:aws:sagemaker:<region>:<account>:endpoint/<name>`, SageMaker API Reference,
 * DescribeEndpoint: EndpointArn).
 */
function validateTarget(scope: Construct, target: IInferenceEndpointTarget | undefined): void {
  if (!target) {
    invalidProp(scope, 'endpoint', target, 'Give the SageMaker endpoint the API invokes: a SecureModelEndpoint, or InferenceEndpointTarget.fromEndpointName / fromCfnEndpoint.');
  }
  checkEndpointName(scope, 'endpoint.endpointName', target.endpointName);
  if (isUnresolved(target.endpointArn)) return;
  const match = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:endpoint\/(.+)$/.exec(target.endpointArn);
  if (!match) {
    invalidProp(scope, 'endpoint.endpointArn', target.endpointArn, 'Give the ARN of a SageMaker endpoint: arn:aws:sagemaker:<region>:<account>:endpoint/<name>.');
  }
  if (!isUnresolved(target.endpointName) && match[1].toLowerCase() !== target.endpointName.toLowerCase()) {
    invalidProp(scope, 'endpoint.endpointArn', target.endpointArn,
      `The ARN names another endpoint than endpointName "${target.endpointName}": the integration role could not invoke the endpoint the API calls.`);
  }
}
