import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { surroundings, VPCE_ID, withApiGatewayAccount } from './fixture';
import { InferenceEndpointTarget, PrivateInferenceApi, SecureModelEndpoint } from '../../lib';
import { createTestApp } from '../support/app';
import { expectCompliant } from '../support/compliance';
import { ACCOUNT, PolicySimulator, REGION } from '../support/iam';

function newStack(checks?: boolean) {
  return new Stack(withApiGatewayAccount(createTestApp({ checks })), 'Inference', { env: { account: ACCOUNT, region: REGION } });
}

function modelStack(checks?: boolean) {
  const stack = newStack(checks);
  const s = surroundings(stack);
  const model = new SecureModelEndpoint(stack, 'Model', {
    vpc: s.vpc,
    imageRepository: s.imageRepository,
    modelDataBucket: s.artifacts.bucket,
    modelDataKey: 'models/sentiment/model.tar.gz',
  });
  return { stack, model, s };
}

function apiStack(checks?: boolean) {
  const stack = newStack(checks);
  const s = surroundings(stack);
  const api = new PrivateInferenceApi(stack, 'Front', {
    endpoint: InferenceEndpointTarget.fromEndpointName(stack, 'team-sentiment-prod'),
    apiVpcEndpoints: [s.apiVpcEndpoint],
  });
  return { stack, api };
}

describe('SecureModelEndpoint on its own', () => {
  const { stack, model } = modelStack();
  const template = Template.fromStack(stack);

  test('creates the SageMaker side and no API, WAF or API logs', () => {
    template.resourceCountIs('AWS::SageMaker::Model', 1);
    template.resourceCountIs('AWS::SageMaker::EndpointConfig', 1);
    template.resourceCountIs('AWS::SageMaker::Endpoint', 1);
    template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 1);
    template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::Logs::LogGroup', 1); // the endpoint's own
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: `/aws/sagemaker/Endpoints/${model.endpointName}`, RetentionInDays: 365 });
    expect(model.alarms.map((a) => a.node.id)).toEqual(['ModelInvocationErrorsAlarm', 'ModelLatencyAlarm']);
  });

  test('the endpoint configuration is encrypted with its key and captures requests and responses', () => {
    const json = template.toJSON();
    const keyId = stack.getLogicalId(model.encryptionKey.node.defaultChild as any);
    const [config] = Object.values(json.Resources).filter((r: any) => r.Type === 'AWS::SageMaker::EndpointConfig') as any[];
    expect(config.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    expect(config.Properties.DataCaptureConfig.EnableCapture).toBe(true);
  });

  test('passes every compliance pack', () => {
    expectCompliant(modelStack(true).stack);
  });

  describe('grantInvoke, decided by the IAM simulator', () => {
    const { stack: simStack, model: simModel } = modelStack(false);
    const caller = new iam.Role(simStack, 'Caller', { assumedBy: new iam.AccountRootPrincipal() });
    simModel.grantInvoke(caller);
    const sim = new PolicySimulator(simStack);
    const arn = (name: string) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${name}`;
    test.each<[string, string, string, string]>([
      ['invokes this endpoint', 'sagemaker:InvokeEndpoint', simModel.endpointName, 'Allowed'],
      ['invokes no other endpoint', 'sagemaker:InvokeEndpoint', 'other-model', 'ImplicitlyDenied'],
      ['cannot change this endpoint', 'sagemaker:UpdateEndpoint', simModel.endpointName, 'ImplicitlyDenied'],
    ])('the granted caller %s', async (_name, action, name, expected) => {
      expect(await sim.decide({ principal: caller, action, resource: arn(name) })).toBe(expected);
    });
  });
});

describe('PrivateInferenceApi in front of an endpoint referenced by name', () => {
  const { stack, api } = apiStack();
  const template = Template.fromStack(stack);

  test('creates the private API, WAF and logs, and no SageMaker resource', () => {
    template.resourceCountIs('AWS::SageMaker::Endpoint', 0);
    template.resourceCountIs('AWS::SageMaker::Model', 0);
    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: [VPCE_ID] } });
    template.resourceCountIs('AWS::WAFv2::WebACL', 1);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
    template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 1);
    template.resourceCountIs('AWS::Logs::LogGroup', 3); // access, WAF, execution
    expect(api.alarms.map((a) => a.node.id)).toEqual(['Api5xxAlarm', 'Api4xxAlarm', 'ApiLatencyAlarm', 'ThrottledClientsAlarm', 'WafBlockedSpikeAlarm']);
  });

  test('the method calls InvokeEndpoint of the named endpoint', () => {
    const [method] = Object.values(template.toJSON().Resources).filter((r: any) => r.Type === 'AWS::ApiGateway::Method') as any[];
    expect(JSON.stringify(method.Properties.Integration.Uri)).toContain('runtime.sagemaker:path/endpoints/team-sentiment-prod/invocations');
    expect(method.Properties.AuthorizationType).toBe('AWS_IAM');
  });

  test('passes every compliance pack', () => {
    expectCompliant(apiStack(true).stack);
  });

  describe('the integration role, decided by the IAM simulator', () => {
    const sim = new PolicySimulator(stack);
    const arn = (name: string) => `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${name}`;
    test.each<[string, string, string, string]>([
      ['invokes the named endpoint', 'sagemaker:InvokeEndpoint', arn('team-sentiment-prod'), 'Allowed'],
      ['invokes no other endpoint', 'sagemaker:InvokeEndpoint', arn('team-sentiment-dev'), 'ImplicitlyDenied'],
      ['invokes no endpoint of another account', 'sagemaker:InvokeEndpoint', `arn:aws:sagemaker:${REGION}:444455556666:endpoint/team-sentiment-prod`, 'ImplicitlyDenied'],
      ['cannot invoke the endpoint asynchronously', 'sagemaker:InvokeEndpointAsync', arn('team-sentiment-prod'), 'ImplicitlyDenied'],
      ['cannot change the endpoint', 'sagemaker:UpdateEndpoint', arn('team-sentiment-prod'), 'ImplicitlyDenied'],
    ])('%s', async (_name, action, resource, expected) => {
      expect(await sim.decide({ principal: api.integrationRole, action, resource })).toBe(expected);
    });
  });
});

describe('PrivateInferenceApi in front of an endpoint built by another construct', () => {
  test('the integration role may invoke that endpoint only: its ARN is the Ref of the endpoint resource', () => {
    const stack = newStack(false);
    const s = surroundings(stack);
    // An endpoint as another library would create it: plain CloudFormation resources.
    const foreign = new sagemaker.CfnEndpoint(stack, 'ForeignEndpoint', { endpointName: 'foreign-llm', endpointConfigName: 'foreign-llm-config' });
    const api = new PrivateInferenceApi(stack, 'Front', {
      endpoint: InferenceEndpointTarget.fromCfnEndpoint(foreign),
      apiVpcEndpoints: [s.apiVpcEndpoint],
    });
    const json = Template.fromStack(stack).toJSON();
    const policy = Object.values(json.Resources).find((r: any) => r.Type === 'AWS::IAM::ManagedPolicy'
      && JSON.stringify(r.Properties.PolicyDocument).includes('sagemaker:InvokeEndpoint')) as any;
    expect(policy.Properties.PolicyDocument.Statement[0].Resource).toEqual({ Ref: stack.getLogicalId(foreign) });
    expect(api.endpointName).toEqual(foreign.attrEndpointName);
  });

  test('a SecureModelEndpoint is a target: the API in front of it invokes that endpoint', () => {
    const { stack, model, s } = modelStack(false);
    const api = new PrivateInferenceApi(stack, 'Front', { endpoint: model, apiVpcEndpoints: [s.apiVpcEndpoint] });
    expect(api.endpointName).toBe(model.endpointName);
    const [method] = Object.values(Template.fromStack(stack).toJSON().Resources).filter((r: any) => r.Type === 'AWS::ApiGateway::Method') as any[];
    expect(JSON.stringify(method.Properties.Integration.Uri)).toContain(`path/endpoints/${model.endpointName}/invocations`);
  });
});
