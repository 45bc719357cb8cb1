import { ArnFormat, Duration, Names, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { checkWafLogGroupName, checkWafName, CONSTRAINTS, violated } from './constraints';
import { IInferenceEndpointTarget, InferenceApiAuthorization, InferenceApiEndpointType, PrivateInferenceApiOptions } from './props';
import { describeDuration, monitoredLogGroup, Monitoring, numberChecks } from './shared';
import { acknowledge, Finding, FindingSource } from '../private/acknowledge';
import { AddAlarm } from '../private/alarms';
import { invalidProp, isUnresolved } from '../private/errors';
import { checkNumberRelation } from '../private/numbers';

/** The API props, validated, with their defaults. */
export type ApiSettings = ReturnType<typeof validateApi>;

/** What the API side adds to its scope. */
export interface ApiParts {
  readonly accessLogGroup: logs.LogGroup;
  readonly wafLogGroup?: logs.LogGroup;
  readonly executionLogGroup?: logs.LogGroup;
  readonly integrationRole: iam.Role;
  readonly api: apigw.RestApi;
  readonly stage: apigw.Stage;
  readonly method: apigw.Method;
  readonly requestModel: apigw.Model;
  readonly usagePlan?: apigw.UsagePlan;
  readonly apiKey?: apigw.IApiKey;
  readonly domain?: apigw.DomainName;
  readonly webAcl?: wafv2.CfnWebACL;
  readonly webAclArn: string;
}

/** Validates the API props, errors naming the prop. */
export function validateApi(scope: Construct, props: PrivateInferenceApiOptions) {
  const { int, positive, positiveDuration } = numberChecks(scope);
  const endpointType = props.endpointType ?? InferenceApiEndpointType.PRIVATE;
  const isPrivate = endpointType === InferenceApiEndpointType.PRIVATE;
  if (isPrivate && (props.apiVpcEndpoints === undefined || props.apiVpcEndpoints.length === 0)) {
    invalidProp(scope, 'apiVpcEndpoints', props.apiVpcEndpoints,
      'A private API is reachable only through execute-api interface VPC endpoints: name at least one, or choose endpointType REGIONAL explicitly.');
  }
  if (!isPrivate && props.apiVpcEndpoints !== undefined) {
    invalidProp(scope, 'apiVpcEndpoints', props.apiVpcEndpoints, 'VPC endpoints only apply to a PRIVATE API: remove them, or make the API private.');
  }

  if (props.domainName !== undefined || props.domainCertificate !== undefined) {
    if (isPrivate) {
      invalidProp(scope, 'domainName', props.domainName, 'Custom domains are available for a REGIONAL API only: remove the domain, or choose endpointType REGIONAL.');
    }
    if (props.domainName === undefined) invalidProp(scope, 'domainName', undefined, 'A certificate needs the domain name it is for: set `domainName`.');
    if (props.domainCertificate === undefined) invalidProp(scope, 'domainCertificate', undefined, 'A custom domain needs an ACM certificate in the API\'s Region.');
    if (!isUnresolved(props.domainName) && !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(props.domainName)) {
      invalidProp(scope, 'domainName', props.domainName, 'Give a lower-case DNS name such as "inference.example.com".');
    }
  }
  const apiName = props.apiName ?? Names.uniqueResourceName(scope, { maxLength: 128, separator: '-' });
  if (!isUnresolved(apiName) && apiName.trim() === '') {
    invalidProp(scope, 'apiName', apiName, 'Give a name unique among the REST APIs of the account and Region (API Gateway metrics are keyed by it).');
  }
  const resourcePath = props.resourcePath ?? 'invocations';
  if (!isUnresolved(resourcePath) && !/^[a-zA-Z0-9._-]+(\/[a-zA-Z0-9._-]+)*$/.test(resourcePath)) {
    invalidProp(scope, 'resourcePath', resourcePath, 'Give a relative path such as "invocations" or "v1/predict" (no leading slash, no braces).');
  }
  const stageName = props.stageName ?? 'prod';
  if (!isUnresolved(stageName) && !/^[a-zA-Z0-9_-]{1,128}$/.test(stageName)) {
    violated(scope, 'stageName', stageName, CONSTRAINTS.stageName, 'Use 1 to 128 letters, digits, hyphens and underscores.');
  }

  const authorization = props.authorization ?? InferenceApiAuthorization.IAM;
  if (authorization === InferenceApiAuthorization.COGNITO && !props.userPool) {
    invalidProp(scope, 'userPool', props.userPool, 'COGNITO authorization needs the user pool whose tokens it accepts.');
  }
  if (authorization !== InferenceApiAuthorization.COGNITO && props.userPool) {
    invalidProp(scope, 'userPool', props.userPool.userPoolId, 'A user pool is only used with authorization COGNITO: set it, or remove the pool.');
  }
  if (authorization !== InferenceApiAuthorization.COGNITO && props.authorizationScopes) {
    invalidProp(scope, 'authorizationScopes', props.authorizationScopes, 'Scopes are only used with authorization COGNITO.');
  }

  const rate = positive('throttlingRateLimit', props.throttlingRateLimit, 50);
  const burst = int('throttlingBurstLimit', props.throttlingBurstLimit, 100, 1, 5000);
  checkNumberRelation(scope, 'throttlingBurstLimit', [burst, rate], ([b, r]) => (b < r ? `The burst must be at least throttlingRateLimit (${r}).` : undefined));
  const requireApiKey = props.requireApiKey ?? false;
  if (!requireApiKey) {
    for (const [prop, value] of Object.entries({
      usagePlanRateLimit: props.usagePlanRateLimit,
      usagePlanBurstLimit: props.usagePlanBurstLimit,
      usagePlanDailyQuota: props.usagePlanDailyQuota,
    })) {
      if (value !== undefined) invalidProp(scope, prop, value, 'Usage plan limits apply only with requireApiKey: true.');
    }
  }
  const usagePlanRate = positive('usagePlanRateLimit', props.usagePlanRateLimit, 10);
  const usagePlanBurst = int('usagePlanBurstLimit', props.usagePlanBurstLimit, 20, 1, 5000);
  checkNumberRelation(scope, 'usagePlanBurstLimit', [usagePlanBurst, usagePlanRate],
    ([b, r]) => (b < r ? `The burst must be at least usagePlanRateLimit (${r}).` : undefined));
  const usagePlanQuota = int('usagePlanDailyQuota', props.usagePlanDailyQuota, 10_000, 1, 2_000_000_000);
  if (props.webAclArn !== undefined) {
    if (!isUnresolved(props.webAclArn) && !/^arn:aws[a-z-]*:wafv2:[a-z0-9-]+:\d{12}:regional\/webacl\/[\w-]{1,128}\/[a-f0-9-]+$/.test(props.webAclArn)) {
      violated(scope, 'webAclArn', props.webAclArn, CONSTRAINTS.wafScope,
        'Give the ARN of a REGIONAL web ACL (arn:aws:wafv2:<region>:<account>:regional/webacl/<name>/<id>); a CloudFront (global) web ACL cannot protect an API Gateway stage.');
    }
    for (const [prop, value] of Object.entries({ wafRateLimit: props.wafRateLimit, maxRequestBodyBytes: props.maxRequestBodyBytes })) {
      if (value !== undefined) invalidProp(scope, prop, value, 'It configures the web ACL the construct creates; with `webAclArn` the existing ACL\'s rules apply: remove it.');
    }
  }
  const wafRateLimit = int('wafRateLimit', props.wafRateLimit, 1000, 10, 2_000_000_000,
    'AWS WAF accepts a rate-based limit between 10 and 2,000,000,000 requests per five minutes.');
  const maxBodyBytes = int('maxRequestBodyBytes', props.maxRequestBodyBytes, 8192, 1, 65_536,
    'AWS WAF inspects at most 64 KiB of an API Gateway request body: give 1 to 65536 bytes.');
  const apiLatency = positiveDuration('apiLatencyAlarmThreshold', props.apiLatencyAlarmThreshold ?? Duration.seconds(10));

  return {
    private: isPrivate,
    resourcePath,
    stageName,
    apiName,
    authorization,
    rate,
    burst,
    requireApiKey,
    usagePlanRate,
    usagePlanBurst,
    usagePlanQuota,
    wafRateLimit,
    maxBodyBytes,
    apiLatency,
  };
}

/**
 * Adds the front door of `target` to `scope`: access, WAF and execution log groups, the
 * integration role, the REST API with its method, validator and usage plan, and the web ACL.
 */
export function buildApi(scope: Construct, props: PrivateInferenceApiOptions, v: ApiSettings, target: IInferenceEndpointTarget,
  m: Monitoring): ApiParts {
  const accessLogGroup = monitoredLogGroup(scope, m, 'AccessLogs', 'API access', undefined);
  const wafLogGroupName = `aws-waf-logs-${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}`;
  let wafLogGroup: logs.LogGroup | undefined;
  if (!props.webAclArn) {
    checkWafLogGroupName(scope, wafLogGroupName);
    wafLogGroup = monitoredLogGroup(scope, m, 'WafLogs', 'WAF', wafLogGroupName);
  }

  const integrationRole = new iam.Role(scope, 'IntegrationRole', {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    description: `Lets API Gateway invoke the SageMaker endpoint of ${scope.node.path}, and nothing else`,
  });
  new iam.ManagedPolicy(scope, 'IntegrationPolicy', {
    description: `Invoke the SageMaker endpoint of ${scope.node.path} only`,
    roles: [integrationRole],
    statements: [new iam.PolicyStatement({
      sid: 'InvokeThisEndpointOnly',
      actions: ['sagemaker:InvokeEndpoint'],
      resources: [target.endpointArn],
    })],
  });

  const cacheEnabled = props.cacheEnabled ?? false;
  const api = new apigw.RestApi(scope, 'Api', {
    restApiName: v.apiName,
    description: `Inference API of ${scope.node.path}`,
    endpointConfiguration: v.private
      ? { types: [apigw.EndpointType.PRIVATE], vpcEndpoints: props.apiVpcEndpoints }
      : { types: [apigw.EndpointType.REGIONAL] },
    policy: resourcePolicy(scope, props, v),
    disableExecuteApiEndpoint: props.domainName !== undefined ? true : undefined,
    cloudWatchRole: props.createApiGatewayAccountRole ?? false,
    cloudWatchRoleRemovalPolicy: props.createApiGatewayAccountRole ? m.removalPolicy : undefined,
    apiKeySourceType: v.requireApiKey ? apigw.ApiKeySourceType.HEADER : undefined,
    deployOptions: {
      stageName: v.stageName,
      throttlingRateLimit: v.rate,
      throttlingBurstLimit: v.burst,
      loggingLevel: apigw.MethodLoggingLevel.INFO,
      dataTraceEnabled: false,
      metricsEnabled: true,
      tracingEnabled: true,
      accessLogDestination: new apigw.LogGroupLogDestination(accessLogGroup),
      accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields(),
      cacheClusterEnabled: cacheEnabled,
      cachingEnabled: cacheEnabled,
      cacheDataEncrypted: true,
    },
  });
  const stage = api.deploymentStage;
  let executionLogGroup: logs.LogGroup | undefined;
  if (props.createExecutionLogGroup ?? true) {
    // The group API Gateway writes execution logs to; created here first, so the service finds it
    // instead of creating an unencrypted, never-expiring one outside the stack.
    executionLogGroup = monitoredLogGroup(scope, m, 'ExecutionLogs', 'API Gateway execution',
      `API-Gateway-Execution-Logs_${api.restApiId}/${v.stageName}`);
    stage.node.addDependency(executionLogGroup);
  }
  let domain: apigw.DomainName | undefined;
  if (props.domainName && props.domainCertificate) {
    domain = api.addDomainName('Domain', {
      domainName: props.domainName,
      certificate: props.domainCertificate,
      endpointType: apigw.EndpointType.REGIONAL,
      securityPolicy: apigw.SecurityPolicy.TLS_1_2,
    });
  }

  const requestModel = api.addModel('RequestModel', {
    contentType: 'application/json',
    description: 'The request body an inference call must send',
    schema: props.requestSchema ?? DEFAULT_REQUEST_SCHEMA,
  });
  const validator = api.addRequestValidator('BodyValidator', {
    validateRequestBody: true,
    validateRequestParameters: true,
  });

  const integration = new apigw.AwsIntegration({
    service: 'runtime.sagemaker',
    path: `endpoints/${target.endpointName}/invocations`,
    integrationHttpMethod: 'POST',
    options: {
      credentialsRole: integrationRole,
      passthroughBehavior: apigw.PassthroughBehavior.NEVER,
      requestParameters: {
        'integration.request.header.Content-Type': "'application/json'",
        'integration.request.header.Accept': "'application/json'",
      },
      requestTemplates: { 'application/json': '$input.body' },
      integrationResponses: INTEGRATION_RESPONSES,
    },
  });

  let authorizer: apigw.IAuthorizer | undefined;
  if (v.authorization === InferenceApiAuthorization.COGNITO) {
    authorizer = new apigw.CognitoUserPoolsAuthorizer(scope, 'Authorizer', { cognitoUserPools: [props.userPool!] });
  }
  const resource = api.root.resourceForPath(v.resourcePath);
  const method = resource.addMethod('POST', integration, {
    authorizationType: v.authorization === InferenceApiAuthorization.COGNITO ? apigw.AuthorizationType.COGNITO : apigw.AuthorizationType.IAM,
    authorizer,
    authorizationScopes: props.authorizationScopes,
    apiKeyRequired: v.requireApiKey,
    requestValidator: validator,
    requestModels: { 'application/json': requestModel },
    methodResponses: [...new Set(INTEGRATION_RESPONSES.map((r) => r.statusCode))].map((statusCode) => ({ statusCode })),
  });
  if (v.authorization === InferenceApiAuthorization.IAM) {
    acknowledge(method, [{ id: 'AwsSolutions-COG4', source: FindingSource.CDK_NAG }], IAM_AUTH_REASON);
  }

  let usagePlan: apigw.UsagePlan | undefined;
  let apiKey: apigw.IApiKey | undefined;
  if (v.requireApiKey) {
    usagePlan = api.addUsagePlan('UsagePlan', {
      description: `Per-client limits of ${scope.node.path}`,
      throttle: { rateLimit: v.usagePlanRate, burstLimit: v.usagePlanBurst },
      quota: { limit: v.usagePlanQuota, period: apigw.Period.DAY },
      apiStages: [{ api, stage }],
    });
    apiKey = api.addApiKey('ApiKey', { description: `First client key of ${scope.node.path}` });
    usagePlan.addApiKey(apiKey);
  }

  const webAcl = props.webAclArn ? undefined : createWebAcl(scope, v);
  const webAclArn = props.webAclArn ?? webAcl!.attrArn;
  new wafv2.CfnWebACLAssociation(scope, 'WebAclAssociation', {
    resourceArn: stage.stageArn,
    webAclArn,
  });
  if (webAcl && wafLogGroup) logWebAcl(scope, webAcl, wafLogGroup, wafLogGroupName);

  if (!cacheEnabled) {
    acknowledge(stage, ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack): Finding =>
      ({ id: `${pack}-APIGWCacheEnabledAndEncrypted`, source: FindingSource.CDK_NAG })), CACHE_REASON);
  }
  acknowledge(stage, ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack): Finding =>
    ({ id: `${pack}-APIGWSSLEnabled`, source: FindingSource.CDK_NAG })), CLIENT_CERT_REASON);

  return {
    accessLogGroup,
    wafLogGroup,
    executionLogGroup,
    integrationRole,
    api,
    stage,
    method,
    requestModel,
    usagePlan,
    apiKey,
    domain,
    webAcl,
    webAclArn,
  };
}

/** The API alarms: 5XX and 4XX rates, p99 latency, and with a created web ACL, rate-limited and blocked requests. */
export function createApiAlarms(scope: Construct, v: ApiSettings, parts: ApiParts, alarm: AddAlarm): void {
  const period = Duration.minutes(5);
  alarm('Api5xxAlarm', 'More than 1% of API requests fail with a 5XX error',
    parts.stage.metricServerError({ statistic: cloudwatch.Stats.AVERAGE, period }), 0.01);
  alarm('Api4xxAlarm', 'More than 10% of API requests fail with a 4XX error (bad input, denied or throttled callers)',
    parts.stage.metricClientError({ statistic: cloudwatch.Stats.AVERAGE, period }), 0.1);
  alarm('ApiLatencyAlarm', `p99 API latency above ${describeDuration(v.apiLatency)}`,
    parts.stage.metricLatency({ statistic: cloudwatch.Stats.p(99), period }), v.apiLatency.toMilliseconds(), 2);
  const webAcl = parts.webAcl;
  if (webAcl) {
    const waf = (rule: string) => new cloudwatch.Metric({
      namespace: 'AWS/WAFV2',
      metricName: 'BlockedRequests',
      dimensionsMap: { WebACL: webAcl.name!, Region: Stack.of(scope).region, Rule: rule },
      statistic: cloudwatch.Stats.SUM,
      period,
    });
    alarm('ThrottledClientsAlarm', 'WAF rate-limited clients (more than 10 blocked requests in 5 minutes)', waf(RATE_RULE), 10);
    alarm('WafBlockedSpikeAlarm', 'Spike of requests blocked by WAF (more than 100 in 5 minutes)', waf('ALL'), 100);
  }
}

/** Grants `execute-api:Invoke` on `method` in its stage, and nothing else. */
export function grantApiInvoke(grantee: iam.IGrantable, method: apigw.Method): iam.Grant {
  return iam.Grant.addToPrincipal({
    grantee,
    actions: ['execute-api:Invoke'],
    resourceArns: [method.methodArn],
  });
}

function resourcePolicy(scope: Construct, props: PrivateInferenceApiOptions, v: ApiSettings): iam.PolicyDocument {
  const stack = Stack.of(scope);
  // The policy cannot name its own API (that would be a circular reference); it is attached to
  // this API only, so "any API of this account and Region" means this one.
  const anyMethod = stack.formatArn({ service: 'execute-api', resource: '*' });
  const policy = new iam.PolicyDocument();
  policy.addStatements(new iam.PolicyStatement({
    sid: v.authorization === InferenceApiAuthorization.IAM ? 'AllowSignedCallersOfThisAccount' : 'AllowCallersTheAuthorizerAccepts',
    principals: [v.authorization === InferenceApiAuthorization.IAM ? new iam.AccountPrincipal(stack.account) : new iam.AnyPrincipal()],
    actions: ['execute-api:Invoke'],
    resources: [anyMethod],
  }));
  if (v.private) {
    policy.addStatements(new iam.PolicyStatement({
      sid: 'DenyCallsNotThroughTheAllowedVpcEndpoints',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['execute-api:Invoke'],
      resources: [anyMethod],
      conditions: { StringNotEquals: { 'aws:SourceVpce': props.apiVpcEndpoints!.map((e) => e.vpcEndpointId) } },
    }));
  }
  return policy;
}

function createWebAcl(scope: Construct, v: ApiSettings): wafv2.CfnWebACL {
  const name = Names.uniqueResourceName(scope, { maxLength: 128, separator: '-' });
  checkWafName(scope, name);
  const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
    cloudWatchMetricsEnabled: true,
    sampledRequestsEnabled: true,
    metricName,
  });
  type Overrides = wafv2.CfnWebACL.RuleActionOverrideProperty[];
  const managed = (ruleName: string, priority: number, ruleActionOverrides?: Overrides): wafv2.CfnWebACL.RuleProperty => ({
    name: ruleName,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: ruleName, ruleActionOverrides } },
    visibilityConfig: visibility(ruleName),
  });
  const largeBodies = v.maxBodyBytes > 8192;
  return new wafv2.CfnWebACL(scope, 'WebAcl', {
    name,
    scope: 'REGIONAL',
    description: `Protects the inference API of ${scope.node.path}`,
    defaultAction: { allow: {} },
    visibilityConfig: visibility(name),
    associationConfig: largeBodies
      ? { requestBody: { API_GATEWAY: { defaultSizeInspectionLimit: inspectionLimit(v.maxBodyBytes) } } }
      : undefined,
    rules: [
      managed('AWSManagedRulesAmazonIpReputationList', 0),
      {
        name: RATE_RULE,
        priority: 1,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: v.wafRateLimit, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
        visibilityConfig: visibility(RATE_RULE),
      },
      {
        name: 'RequestBodyTooLarge',
        priority: 2,
        action: { block: {} },
        statement: {
          sizeConstraintStatement: {
            fieldToMatch: { body: { oversizeHandling: 'MATCH' } },
            comparisonOperator: 'GT',
            size: v.maxBodyBytes,
            textTransformations: [{ priority: 0, type: 'NONE' }],
          },
        },
        visibilityConfig: visibility('RequestBodyTooLarge'),
      },
      managed('AWSManagedRulesCommonRuleSet', 3,
        largeBodies ? [{ name: 'SizeRestrictions_BODY', actionToUse: { count: {} } }] : undefined),
      managed('AWSManagedRulesKnownBadInputsRuleSet', 4),
    ],
  });
}

function logWebAcl(scope: Construct, webAcl: wafv2.CfnWebACL, wafLogGroup: logs.LogGroup, wafLogGroupName: string): void {
  const stack = Stack.of(scope);
  new wafv2.CfnLoggingConfiguration(scope, 'WebAclLogging', {
    resourceArn: webAcl.attrArn,
    logDestinationConfigs: [stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: wafLogGroupName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    })],
    redactedFields: [
      { singleHeader: { Name: 'authorization' } },
      { singleHeader: { Name: 'x-api-key' } },
    ],
  }).node.addDependency(wafLogGroup);
}

const RATE_RULE = 'RateLimitPerClientIp';

const errorBody = (message: string) => ({ 'application/json': `{"message":"${message}","requestId":"$context.requestId"}` });
/**
 * What the caller sees for each InvokeEndpoint answer. For an AWS integration the selection
 * pattern is matched against the backend's HTTP status; the patterns do not overlap. SageMaker
 * Runtime API reference, InvokeEndpoint errors: ValidationError 400, ModelError 424 (the container
 * failed), ModelNotReadyException 429, InternalFailure 500, ServiceUnavailable 503,
 * InternalDependencyException 530; an integration role that may not invoke the endpoint gets 403.
 * Model and service failures are 5XX, so the API 5XX alarm sees them.
 */
const INTEGRATION_RESPONSES: apigw.IntegrationResponse[] = [
  { statusCode: '200' },
  { statusCode: '400', selectionPattern: '4(0[0-24-9]|1\\d|2[0-35-8]|[3-9]\\d)', responseTemplates: errorBody('The model rejected the request.') },
  { statusCode: '500', selectionPattern: '403', responseTemplates: errorBody('The API is not allowed to invoke the model.') },
  { statusCode: '502', selectionPattern: '424', responseTemplates: errorBody('The model failed to answer.') },
  { statusCode: '503', selectionPattern: '429|503', responseTemplates: errorBody('The model is not available now; retry later.') },
  { statusCode: '502', selectionPattern: '5(0[0-24-9]|[1-9]\\d)', responseTemplates: errorBody('The model service failed to answer.') },
];

const DEFAULT_REQUEST_SCHEMA: apigw.JsonSchema = {
  schema: apigw.JsonSchemaVersion.DRAFT4,
  title: 'InferenceRequest',
  type: apigw.JsonSchemaType.OBJECT,
  required: ['inputs'],
  properties: {
    inputs: { type: [apigw.JsonSchemaType.STRING, apigw.JsonSchemaType.ARRAY, apigw.JsonSchemaType.OBJECT] },
    parameters: { type: apigw.JsonSchemaType.OBJECT },
  },
  additionalProperties: false,
};

function inspectionLimit(bytes: number): string {
  for (const kb of [16, 32, 48, 64]) {
    if (bytes <= kb * 1024) return `KB_${kb}`;
  }
  return 'KB_64';
}

const CACHE_REASON =
  'The stage cache is off on purpose: every inference POST must reach the model, and a cache would keep model inputs and outputs outside the endpoint. A cache turned on with `cacheEnabled` is encrypted and passes this rule.';
const CLIENT_CERT_REASON =
  'Stage client certificates authenticate API Gateway to HTTP backends; this API calls SageMaker through an AWS service integration signed with SigV4 by the integration role over TLS, where a client certificate is not used.';
const IAM_AUTH_REASON =
  'The method uses IAM (SigV4) authorization: only IAM principals allowed by grantInvoke (and, for a private API, only through the named VPC endpoints) can call it. A Cognito user-pool authorizer is the option for end-user callers (authorization: COGNITO).';
