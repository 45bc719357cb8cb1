import * as path from 'path';
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { OTHER_VPCE_ID, surroundings, VPCE_ID, withApiGatewayAccount } from './fixture';
import {
  IInferenceEndpointTarget,
  InferenceApiAuthorization,
  InferenceApiEndpointType,
  InferenceEndpointTarget,
  PrivateInferenceApi,
  PrivateInferenceApiProps,
  SecureModelEndpoint,
} from '../../lib';
import { createKey } from '../../lib/private/kms';
import { allowLogsToUseKey } from '../../lib/private/logs';
import { createTestApp } from '../support/app';
import { findViolations } from '../support/compliance';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, ANONYMOUS, OTHER_ACCOUNT, PolicySimulator, REGION } from '../support/iam';
import { snapshotOf } from '../support/snapshot';

/** A Hugging Face endpoint as another construct library synthesizes it (see the template's Description). */
const FOREIGN_TEMPLATE = path.join(__dirname, '..', 'fixtures', 'huggingface-endpoint.template.json');
const FOREIGN_ENDPOINT_ID = 'mistralaiMistral7BInstructv03endpoint';
const NAMED_ENDPOINT = 'team-sentiment-prod';
const endpointArn = (name: string, account = ACCOUNT) => `arn:aws:sagemaker:${REGION}:${account}:endpoint/${name}`;
const env = { account: ACCOUNT, region: REGION };

type PropsFn = (stack: Stack) => Partial<PrivateInferenceApiProps>;

function vpcEndpoint(stack: Stack): ec2.IInterfaceVpcEndpoint {
  return ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'ExecuteApiEndpoint', { vpcEndpointId: VPCE_ID, port: 443 });
}

/**
 * One app, with every compliance check registered, holds one stack per option set. It is
 * synthesized once: the template assertions, the snapshots, the compliance report and the IAM
 * simulator all read that synthesis.
 */
const app = withApiGatewayAccount(createTestApp());
function apiStack(name: string, target: (stack: Stack) => IInferenceEndpointTarget, props: PropsFn = () => ({})) {
  const stack = new Stack(app, name, { env });
  const api = new PrivateInferenceApi(stack, 'Front', { endpoint: target(stack), apiVpcEndpoints: [vpcEndpoint(stack)], ...props(stack) });
  return { stack, api };
}
const byName = (stack: Stack) => InferenceEndpointTarget.fromEndpointName(stack, NAMED_ENDPOINT);
const userPool = (stack: Stack) => cognito.UserPool.fromUserPoolId(stack, 'Pool', 'us-east-1_abcdefghi');

// (a) the defaults, in front of an endpoint referenced by name
const named = apiStack('Named', byName);
const caller = new iam.Role(named.stack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
named.api.grantInvoke(caller);

// (b) in front of the endpoint of a template made by another library, included as it is
const foreignStack = new Stack(app, 'Foreign', { env });
const huggingFace = new cfninc.CfnInclude(foreignStack, 'HuggingFace', { templateFile: FOREIGN_TEMPLATE });
const foreignEndpoint = huggingFace.getResource(FOREIGN_ENDPOINT_ID) as sagemaker.CfnEndpoint;
// another endpoint of the same account, which the API's role must not reach
new sagemaker.CfnEndpoint(foreignStack, 'OtherEndpoint', { endpointName: 'other-llm', endpointConfigName: 'other-llm-config' });
const foreignApi = new PrivateInferenceApi(foreignStack, 'Front', {
  endpoint: InferenceEndpointTarget.fromCfnEndpoint(foreignEndpoint),
  apiVpcEndpoints: [vpcEndpoint(foreignStack)],
});

// (c) in front of a SecureModelEndpoint of the same stack (the composition a user writes)
const composedStack = new Stack(app, 'Composed', { env });
const composed = surroundings(composedStack);
const model = new SecureModelEndpoint(composedStack, 'Model', {
  vpc: composed.vpc, imageRepository: composed.imageRepository, modelDataBucket: composed.artifacts.bucket, modelDataKey: 'models/sentiment/model.tar.gz',
});
const composedApi = new PrivateInferenceApi(composedStack, 'Front', { endpoint: model, apiVpcEndpoints: [composed.apiVpcEndpoint] });

// the other option sets
const optionSets = {
  'regional API with a custom domain': apiStack('RegionalDomain', byName, (s) => ({
    endpointType: InferenceApiEndpointType.REGIONAL,
    apiVpcEndpoints: undefined,
    domainName: 'inference.example.com',
    domainCertificate: acm.Certificate.fromCertificateArn(s, 'Cert', `arn:aws:acm:${REGION}:${ACCOUNT}:certificate/11111111-2222-3333-4444-555555555555`),
  })),
  'Cognito authorization with API keys and a usage plan': apiStack('CognitoKeys', byName, (s) => ({
    authorization: InferenceApiAuthorization.COGNITO,
    userPool: userPool(s),
    authorizationScopes: ['inference/invoke'],
    requireApiKey: true,
    usagePlanRateLimit: 5,
    usagePlanBurstLimit: 10,
    usagePlanDailyQuota: 500,
  })),
  'an existing web ACL': apiStack('ExistingAcl', byName, () => ({
    webAclArn: `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/org-baseline/a1b2c3d4-5678-90ab-cdef-111111111111`,
  })),
  'large bodies, cache on, own key and topic, custom limits and schema': apiStack('Tuned', byName, (s) => {
    const key = createKey(s, 'MonitoringKey', { description: 'monitoring', removalPolicy: RemovalPolicy.RETAIN });
    allowLogsToUseKey(key);
    return {
      maxRequestBodyBytes: 40_000,
      cacheEnabled: true,
      wafRateLimit: 10,
      throttlingRateLimit: 5,
      throttlingBurstLimit: 5,
      resourcePath: 'v1/predict',
      stageName: 'live',
      requestSchema: { type: apigw.JsonSchemaType.OBJECT, required: ['text'], properties: { text: { type: apigw.JsonSchemaType.STRING, maxLength: 4000 } } },
      logRetention: logs.RetentionDays.TWO_YEARS,
      apiLatencyAlarmThreshold: Duration.seconds(3),
      monitoringEncryptionKey: key,
      alarmTopic: new sns.Topic(s, 'Alarms', { masterKey: key, enforceSSL: true }),
    };
  }),
};

describe('PrivateInferenceApi in front of an endpoint referenced by name (defaults)', () => {
  const { stack, api } = named;
  const template = Template.fromStack(stack);
  const json = template.toJSON();
  const idOf = (construct: any) => stack.getLogicalId(construct.node.defaultChild ?? construct);

  test('creates the private API, its WAF and logs, and no SageMaker resource', () => {
    template.resourceCountIs('AWS::SageMaker::Endpoint', 0);
    template.resourceCountIs('AWS::SageMaker::Model', 0);
    expect(json.Resources[idOf(api.api)].Properties.EndpointConfiguration).toEqual({ Types: ['PRIVATE'], VpcEndpointIds: [VPCE_ID] });
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup')).sort())
      .toEqual([idOf(api.accessLogGroup), idOf(api.wafLogGroup), idOf(api.executionLogGroup)].sort());
    expect(api.alarms.map((a) => a.node.id)).toEqual(['Api5xxAlarm', 'Api4xxAlarm', 'ApiLatencyAlarm', 'ThrottledClientsAlarm', 'WafBlockedSpikeAlarm']);
  });

  test('the POST method calls InvokeEndpoint of the named endpoint through the integration role, with IAM authorization', () => {
    const method = json.Resources[idOf(api.method)].Properties;
    expect(method.HttpMethod).toBe('POST');
    expect(method.AuthorizationType).toBe('AWS_IAM');
    expect(method.Integration).toEqual(expect.objectContaining({
      Type: 'AWS',
      Uri: `arn:aws:apigateway:${REGION}:runtime.sagemaker:path/endpoints/${NAMED_ENDPOINT}/invocations`,
      Credentials: { 'Fn::GetAtt': [idOf(api.integrationRole), 'Arn'] },
      PassthroughBehavior: 'NEVER',
    }));
    expect(api.endpointName).toBe(NAMED_ENDPOINT);
  });

  test('logs, topic and keys: KMS-encrypted, kept a year, retained', () => {
    for (const group of Object.values<any>(template.findResources('AWS::Logs::LogGroup'))) {
      expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [idOf(api.monitoringEncryptionKey), 'Arn'] });
      expect(group.Properties.RetentionInDays).toBe(365);
      expect(group.DeletionPolicy).toBe('Retain');
    }
    expect(json.Resources[idOf(api.alarmTopic)].Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [idOf(api.monitoringEncryptionKey), 'Arn'] });
    for (const key of Object.values<any>(template.findResources('AWS::KMS::Key'))) {
      expect(key.Properties.EnableKeyRotation).toBe(true);
      expect(key.DeletionPolicy).toBe('Retain');
    }
  });

  test('matches the snapshot', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });

  test('has no unacknowledged finding in any check (the test\'s caller role aside)', () => {
    expect(findViolations(api, { onlyUnder: true })).toEqual([]);
  });

  describe('decided by the IAM simulator', () => {
    const sim = new PolicySimulator(stack);
    const methodArn = (stage: string, verb: string, resource: string) => `arn:aws:execute-api:${REGION}:${ACCOUNT}:${idOf(api.api)}/${stage}/${verb}/${resource}`;
    const viaVpce = { 'aws:SourceVpce': VPCE_ID };

    test.each<[string, string, string, string]>([
      ['invokes the named endpoint', 'sagemaker:InvokeEndpoint', endpointArn(NAMED_ENDPOINT), 'Allowed'],
      ['invokes no other endpoint', 'sagemaker:InvokeEndpoint', endpointArn('team-sentiment-dev'), 'ImplicitlyDenied'],
      ['invokes no endpoint whose name only starts like it', 'sagemaker:InvokeEndpoint', endpointArn(`${NAMED_ENDPOINT}-shadow`), 'ImplicitlyDenied'],
      ['invokes no endpoint of that name in another account', 'sagemaker:InvokeEndpoint', endpointArn(NAMED_ENDPOINT, OTHER_ACCOUNT), 'ImplicitlyDenied'],
      ['cannot invoke the endpoint asynchronously', 'sagemaker:InvokeEndpointAsync', endpointArn(NAMED_ENDPOINT), 'ImplicitlyDenied'],
      ['cannot invoke it with a response stream', 'sagemaker:InvokeEndpointWithResponseStream', endpointArn(NAMED_ENDPOINT), 'ImplicitlyDenied'],
      ['cannot change the endpoint', 'sagemaker:UpdateEndpoint', endpointArn(NAMED_ENDPOINT), 'ImplicitlyDenied'],
    ])('the integration role %s', async (_name, action, resource, expected) => {
      expect(await sim.decide({ principal: api.integrationRole, action, resource })).toBe(expected);
    });

    test.each<[string, iam.IRole | string, string, Record<string, string>, string]>([
      ['the granted caller, through the allowed VPC endpoint', caller, methodArn('prod', 'POST', 'invocations'), viaVpce, 'Allowed'],
      ['the granted caller, through another VPC endpoint', caller, methodArn('prod', 'POST', 'invocations'), { 'aws:SourceVpce': OTHER_VPCE_ID }, 'ExplicitlyDenied'],
      ['the granted caller, not through a VPC endpoint', caller, methodArn('prod', 'POST', 'invocations'), {}, 'ExplicitlyDenied'],
      ['the granted caller, another method', caller, methodArn('prod', 'GET', 'invocations'), viaVpce, 'ImplicitlyDenied'],
      ['the granted caller, another stage', caller, methodArn('test', 'POST', 'invocations'), viaVpce, 'ImplicitlyDenied'],
      ['an ungranted role of the account', `arn:aws:iam::${ACCOUNT}:role/Stranger`, methodArn('prod', 'POST', 'invocations'), viaVpce, 'ImplicitlyDenied'],
      ['a role of another account', `arn:aws:iam::${OTHER_ACCOUNT}:role/Caller`, methodArn('prod', 'POST', 'invocations'), viaVpce, 'ImplicitlyDenied'],
      ['an unsigned caller', ANONYMOUS, methodArn('prod', 'POST', 'invocations'), viaVpce, 'ImplicitlyDenied'],
    ])('API: %s', async (_name, principal, resource, context, expected) => {
      expect(await sim.decide({ principal, action: 'execute-api:Invoke', resource, context })).toBe(expected);
    });
  });
});

describe('PrivateInferenceApi in front of an endpoint made by another library (CfnInclude of its template)', () => {
  const stack = foreignStack;
  const template = Template.fromStack(stack);
  const json = template.toJSON();
  const idOf = (construct: any) => stack.getLogicalId(construct.node.defaultChild ?? construct);
  const policyOf = () => Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'))
    .find((p) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: idOf(foreignApi.integrationRole) }]));

  test('the included endpoint keeps its logical ID and its properties', () => {
    expect(json.Resources[FOREIGN_ENDPOINT_ID]).toEqual(expect.objectContaining({
      Type: 'AWS::SageMaker::Endpoint',
      Properties: expect.objectContaining({ EndpointConfigName: { 'Fn::GetAtt': ['EndpointConfig', 'EndpointConfigName'] } }),
    }));
  });

  test('the method calls the included endpoint by its name (Fn::GetAtt EndpointName), the role may invoke it by its ARN (Ref)', () => {
    const method = json.Resources[idOf(foreignApi.method)].Properties;
    expect(JSON.stringify(method.Integration.Uri)).toContain(JSON.stringify({ 'Fn::GetAtt': [FOREIGN_ENDPOINT_ID, 'EndpointName'] }));
    // AWS::SageMaker::Endpoint return values: Ref is the ARN, Fn::GetAtt EndpointName the name
    expect(policyOf().Properties.PolicyDocument.Statement).toEqual([expect.objectContaining({
      Action: 'sagemaker:InvokeEndpoint', Effect: 'Allow', Resource: { Ref: FOREIGN_ENDPOINT_ID },
    })]);
  });

  test('matches the snapshot', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });

  test('the API adds no unacknowledged finding; the included endpoint\'s own weaknesses are still reported', () => {
    expect(findViolations(foreignApi, { onlyUnder: true })).toEqual([]);
    // the checks did run over the included template: its model has no VPC, one instance, its role full access
    const foreign = findViolations(stack, { onlyUnder: true }).map((v) => `${v.rule} ${v.constructPath}`);
    expect(foreign).toEqual(expect.arrayContaining([
      expect.stringMatching(/^AiSec-SageMakerModelVpcConfig Foreign\/HuggingFace\/mistralaiMistral7BInstructv03model/),
      expect.stringMatching(/^AiSec-SageMakerEndpointConfigMultiInstance Foreign\/HuggingFace\/EndpointConfig/),
      expect.stringMatching(/^AwsSolutions-IAM4\[Policy::arn:<AWS::Partition>:iam::aws:policy\/AmazonSageMakerFullAccess\] Foreign\/HuggingFace\/MistralRole/),
    ]));
  });

  describe('the integration role, decided by the IAM simulator', () => {
    const sim = new PolicySimulator(stack);
    // The included endpoint has no EndpointName: CloudFormation names it; the simulator names
    // such a resource after its logical ID, and its ARN carries the name in lower case.
    const included = endpointArn(FOREIGN_ENDPOINT_ID.toLowerCase());

    test('the simulator resolves the Ref of the included endpoint to that ARN', () => {
      expect(sim.resolve({ Ref: FOREIGN_ENDPOINT_ID })).toBe(included);
      expect(sim.resolve({ 'Fn::GetAtt': [FOREIGN_ENDPOINT_ID, 'EndpointName'] })).toBe(FOREIGN_ENDPOINT_ID);
    });

    test.each<[string, string, string, string]>([
      ['invokes the included endpoint', 'sagemaker:InvokeEndpoint', included, 'Allowed'],
      ['invokes no other endpoint of the stack', 'sagemaker:InvokeEndpoint', endpointArn('other-llm'), 'ImplicitlyDenied'],
      ['invokes no endpoint of that name in another account', 'sagemaker:InvokeEndpoint', endpointArn(FOREIGN_ENDPOINT_ID.toLowerCase(), OTHER_ACCOUNT), 'ImplicitlyDenied'],
      ['cannot invoke the included endpoint asynchronously', 'sagemaker:InvokeEndpointAsync', included, 'ImplicitlyDenied'],
      ['cannot delete the included endpoint', 'sagemaker:DeleteEndpoint', included, 'ImplicitlyDenied'],
    ])('%s', async (_name, action, resource, expected) => {
      expect(await sim.decide({ principal: foreignApi.integrationRole, action, resource })).toBe(expected);
    });
  });
});

describe('PrivateInferenceApi in front of a SecureModelEndpoint', () => {
  test('calls that endpoint, and its role may invoke that endpoint only (IAM simulator)', async () => {
    const template = Template.fromStack(composedStack);
    const methodId = composedStack.getLogicalId(composedApi.method.node.defaultChild as apigw.CfnMethod);
    expect(template.toJSON().Resources[methodId].Properties.Integration.Uri)
      .toBe(`arn:aws:apigateway:${REGION}:runtime.sagemaker:path/endpoints/${model.endpointName}/invocations`);
    const sim = new PolicySimulator(composedStack);
    expect(await sim.decide({ principal: composedApi.integrationRole, action: 'sagemaker:InvokeEndpoint', resource: endpointArn(model.endpointName) })).toBe('Allowed');
    expect(await sim.decide({ principal: composedApi.integrationRole, action: 'sagemaker:InvokeEndpoint', resource: endpointArn('other-model') })).toBe('ImplicitlyDenied');
  });

  test('model and API together have no unacknowledged finding in any check', () => {
    expect(findViolations(composedStack, { onlyUnder: true })).toEqual([]);
  });
});

describe('PrivateInferenceApi options: no unacknowledged finding in any check', () => {
  test.each(Object.entries(optionSets))('%s', (_name, { stack }) => {
    expect(findViolations(stack, { onlyUnder: true })).toEqual([]);
  });

  test('the account-settings stack of the app is clean too', () => {
    expect(findViolations(app.node.findChild('AccountSettings'), { onlyUnder: true })).toEqual([]);
  });

  test('what the option sets change is in the templates', () => {
    const resources = (stack: Stack) => Object.values<any>(Template.fromStack(stack).toJSON().Resources);
    const of = (stack: Stack, type: string) => resources(stack).filter((r) => r.Type === type).map((r) => r.Properties);

    const regional = optionSets['regional API with a custom domain'].stack;
    expect(of(regional, 'AWS::ApiGateway::RestApi')[0]).toEqual(expect.objectContaining({ EndpointConfiguration: { Types: ['REGIONAL'] }, DisableExecuteApiEndpoint: true }));
    expect(of(regional, 'AWS::ApiGateway::DomainName')[0]).toEqual(expect.objectContaining({ DomainName: 'inference.example.com', SecurityPolicy: 'TLS_1_2' }));

    const cognitoKeys = optionSets['Cognito authorization with API keys and a usage plan'].stack;
    expect(of(cognitoKeys, 'AWS::ApiGateway::Method').find((m) => m.HttpMethod === 'POST'))
      .toEqual(expect.objectContaining({ AuthorizationType: 'COGNITO_USER_POOLS', AuthorizationScopes: ['inference/invoke'], ApiKeyRequired: true }));
    expect(of(cognitoKeys, 'AWS::ApiGateway::UsagePlan')[0]).toEqual(expect.objectContaining({ Throttle: { RateLimit: 5, BurstLimit: 10 }, Quota: { Limit: 500, Period: 'DAY' } }));

    const existingAcl = optionSets['an existing web ACL'];
    expect(of(existingAcl.stack, 'AWS::WAFv2::WebACL')).toEqual([]);
    expect(of(existingAcl.stack, 'AWS::WAFv2::WebACLAssociation')[0].WebACLArn).toBe(existingAcl.api.webAclArn);
    expect(existingAcl.api.alarms.map((a) => a.node.id)).toEqual(['Api5xxAlarm', 'Api4xxAlarm', 'ApiLatencyAlarm']);

    const tuned = optionSets['large bodies, cache on, own key and topic, custom limits and schema'];
    expect(of(tuned.stack, 'AWS::WAFv2::WebACL')[0].AssociationConfig).toEqual({ RequestBody: { API_GATEWAY: { DefaultSizeInspectionLimit: 'KB_48' } } });
    expect(of(tuned.stack, 'AWS::ApiGateway::Stage')[0]).toEqual(expect.objectContaining({ StageName: 'live', CacheClusterEnabled: true }));
    expect(of(tuned.stack, 'AWS::SNS::Topic')).toHaveLength(1);
    expect(of(tuned.stack, 'AWS::KMS::Key')).toHaveLength(1);
    expect(tuned.api.method.resource.path).toBe('/v1/predict');
  });
});

describe('PrivateInferenceApi rejects bad input, naming the prop', () => {
  const build = (props: PropsFn, target: (stack: Stack) => IInferenceEndpointTarget = byName) => () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad', { env });
    new PrivateInferenceApi(stack, 'Front', { endpoint: target(stack), apiVpcEndpoints: [vpcEndpoint(stack)], ...props(stack) });
  };

  test.each<[string, PropsFn, RegExp]>([
    ['endpoint', () => ({ endpoint: undefined as any }), /`endpoint` \(received undefined\)/],
    ['endpoint.endpointName', () => ({ endpoint: { endpointName: 'team_sentiment', endpointArn: endpointArn('team_sentiment') } }), /`endpoint.endpointName` \(received "team_sentiment"\).*SM-ENDPOINT-NAME/],
    ['endpoint.endpointArn', () => ({ endpoint: { endpointName: 'sentiment', endpointArn: 'sentiment' } }), /`endpoint.endpointArn` \(received "sentiment"\)/],
    ['endpoint.endpointArn', () => ({ endpoint: { endpointName: 'sentiment', endpointArn: endpointArn('sentiment-dev') } }), /`endpoint.endpointArn`.*names another endpoint than endpointName "sentiment"/],
    ['apiVpcEndpoints', () => ({ apiVpcEndpoints: undefined }), /`apiVpcEndpoints` \(received undefined\).*private API/],
    ['apiVpcEndpoints', () => ({ apiVpcEndpoints: [] }), /`apiVpcEndpoints` \(received \[\]\)/],
    ['apiVpcEndpoints', () => ({ endpointType: InferenceApiEndpointType.REGIONAL }), /`apiVpcEndpoints`.*only apply to a PRIVATE API/],
    ['userPool', () => ({ authorization: InferenceApiAuthorization.COGNITO }), /`userPool` \(received undefined\)/],
    ['userPool', (s) => ({ userPool: userPool(s) }), /`userPool`.*only used with authorization COGNITO/],
    ['authorizationScopes', () => ({ authorizationScopes: ['a/b'] }), /`authorizationScopes`/],
    ['throttlingRateLimit', () => ({ throttlingRateLimit: 0 }), /`throttlingRateLimit` \(received 0\)/],
    ['throttlingBurstLimit', () => ({ throttlingRateLimit: 100, throttlingBurstLimit: 50 }), /`throttlingBurstLimit` \(received 50\).*at least throttlingRateLimit \(100\)/],
    ['usagePlanRateLimit', () => ({ usagePlanRateLimit: 5 }), /`usagePlanRateLimit`.*requireApiKey/],
    ['usagePlanBurstLimit', () => ({ requireApiKey: true, usagePlanRateLimit: 10, usagePlanBurstLimit: 5 }), /`usagePlanBurstLimit` \(received 5\)/],
    ['wafRateLimit', () => ({ wafRateLimit: 5 }), /`wafRateLimit` \(received 5\).*between 10 and 2,000,000,000/],
    ['maxRequestBodyBytes', () => ({ maxRequestBodyBytes: 70_000 }), /`maxRequestBodyBytes` \(received 70000\)/],
    ['webAclArn', () => ({ webAclArn: `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/webacl/edge/a1b2c3d4` }), /`webAclArn`.*REGIONAL web ACL.*WAF-SCOPE/],
    ['wafRateLimit', () => ({ webAclArn: `arn:aws:wafv2:us-east-1:${ACCOUNT}:regional/webacl/org/a1b2c3d4`, wafRateLimit: 100 }), /`wafRateLimit`.*with `webAclArn`/],
    ['domainName', () => ({ domainName: 'inference.example.com' }), /`domainName` \(received "inference.example.com"\).*REGIONAL API only/],
    ['domainCertificate', () => ({ endpointType: InferenceApiEndpointType.REGIONAL, apiVpcEndpoints: undefined, domainName: 'inference.example.com' }), /`domainCertificate` \(received undefined\)/],
    ['resourcePath', () => ({ resourcePath: '/invocations' }), /`resourcePath` \(received "\/invocations"\)/],
    ['stageName', () => ({ stageName: 'prod 1' }), /`stageName`.*APIGW-STAGE-NAME/],
    ['apiName', () => ({ apiName: '  ' }), /`apiName`/],
    ['logRetention', () => ({ logRetention: logs.RetentionDays.ONE_MONTH }), /`logRetention` \(received 30\)/],
    ['apiLatencyAlarmThreshold', () => ({ apiLatencyAlarmThreshold: Duration.seconds(0) }), /`apiLatencyAlarmThreshold`/],
  ])('%s', (_prop, props, message) => {
    expectInvalidProp(build(props), 'Bad/Front', message);
  });

  test.each<[string, RegExp]>([
    [`arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/sentiment`, /`endpointName` \(received "arn:aws:sagemaker:.*"\).*not its ARN/],
    ['sentiment_prod', /`endpointName` \(received "sentiment_prod"\).*SM-ENDPOINT-NAME/],
    ['a'.repeat(64), /`endpointName`/],
  ])('InferenceEndpointTarget.fromEndpointName rejects %s', (name, message) => {
    expectInvalidProp(() => InferenceEndpointTarget.fromEndpointName(new Stack(createTestApp({ checks: false }), 'Bad'), name), 'Bad', message);
  });
});
