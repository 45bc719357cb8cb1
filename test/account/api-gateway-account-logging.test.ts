import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ApiGatewayAccountLogging } from '../../lib';
import { createTestApp } from '../support/app';
import { expectCompliant } from '../support/compliance';
import { acknowledgementsIn, expectListedInReadme } from '../support/docs';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, OTHER_ACCOUNT, PolicySimulator, REGION } from '../support/iam';

type Json = any;

describe('ApiGatewayAccountLogging', () => {
  const stack = new Stack(createTestApp(), 'Account');
  const logging = new ApiGatewayAccountLogging(stack, 'ApiGatewayLogging');
  const template = Template.fromStack(stack);

  test('creates the account setting naming the role, after the role has its permissions', () => {
    const accounts = Object.values<Json>(template.findResources('AWS::ApiGateway::Account'));
    expect(accounts).toHaveLength(1);
    expect(accounts[0].Properties.CloudWatchRoleArn).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(logging.role.node.defaultChild as any), 'Arn'] });
    expect(accounts[0].DependsOn).toContain(stack.getLogicalId(logging.policy.node.defaultChild as any));
  });

  test('role, policy and setting are retained (deleting the role would stop logging of every API of the account)', () => {
    for (const type of ['AWS::IAM::Role', 'AWS::IAM::ManagedPolicy', 'AWS::ApiGateway::Account']) {
      for (const resource of Object.values<Json>(template.findResources(type))) {
        expect({ type, policy: resource.DeletionPolicy }).toEqual({ type, policy: 'Retain' });
        expect({ type, policy: resource.UpdateReplacePolicy }).toEqual({ type, policy: 'Retain' });
      }
    }
  });

  test('no AWS managed policy, no inline policy: passes every check with only the narrow acknowledgements', () => {
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
    expect(Object.values<Json>(template.findResources('AWS::IAM::Role'))[0].Properties.ManagedPolicyArns).toBeUndefined(); // no AWS managed policy
    expect(Object.values<Json>(template.findResources('AWS::IAM::ManagedPolicy'))[0].Properties.Roles).toEqual([{ Ref: stack.getLogicalId(logging.role.node.defaultChild as any) }]);
    expectCompliant(stack);
  });

  test('every acknowledgement is listed in the README with its reason', () => {
    expectListedInReadme(acknowledgementsIn(stack));
  });

  describe('decided by the IAM simulator', () => {
    const sim = new PolicySimulator(stack);
    const role = logging.role;
    const roleArn = sim.arnOf(role);
    const group = (account: string, region: string, name: string) => `arn:aws:logs:${region}:${account}:log-group:${name}`;
    const execGroup = 'API-Gateway-Execution-Logs_a1b2c3d4e5/prod';

    test.each<[string, string, string, string]>([
      ['creates the execution log group of a stage', 'logs:CreateLogGroup', group(ACCOUNT, REGION, execGroup), 'Allowed'],
      ['creates a log stream', 'logs:CreateLogStream', `${group(ACCOUNT, REGION, execGroup)}:log-stream:0123abcd`, 'Allowed'],
      ['writes execution log events', 'logs:PutLogEvents', `${group(ACCOUNT, REGION, execGroup)}:log-stream:0123abcd`, 'Allowed'],
      ['writes access log events to a named group', 'logs:PutLogEvents', `${group(ACCOUNT, REGION, 'sentiment-api-access')}:log-stream:x`, 'Allowed'],
      ['cannot write to another account\'s log group', 'logs:PutLogEvents', `${group(OTHER_ACCOUNT, REGION, execGroup)}:log-stream:x`, 'ImplicitlyDenied'],
      ['cannot write in another Region', 'logs:PutLogEvents', `${group(ACCOUNT, 'eu-west-1', execGroup)}:log-stream:x`, 'ImplicitlyDenied'],
      ['cannot delete log groups', 'logs:DeleteLogGroup', group(ACCOUNT, REGION, execGroup), 'ImplicitlyDenied'],
      ['cannot change retention', 'logs:PutRetentionPolicy', group(ACCOUNT, REGION, execGroup), 'ImplicitlyDenied'],
    ])('the role %s', async (_name, action, resource, expected) => {
      expect(await sim.decide({ principal: role, action, resource })).toBe(expected);
    });

    test.each([
      ['API Gateway assumes the role', 'apigateway.amazonaws.com', 'Allowed'],
      ['another service cannot', 'lambda.amazonaws.com', 'ImplicitlyDenied'],
      ['a principal of another account cannot', `arn:aws:iam::${OTHER_ACCOUNT}:role/Attacker`, 'ImplicitlyDenied'],
    ])('trust: %s', async (_name, principal, expected) => {
      expect(await sim.decide({ principal, action: 'sts:AssumeRole', resource: roleArn, identityPolicies: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }] })).toBe(expected);
    });
  });

  test('removalPolicy DESTROY is honoured on all three resources', () => {
    const s = new Stack(createTestApp({ checks: false }), 'Destroy');
    new ApiGatewayAccountLogging(s, 'ApiGatewayLogging', { removalPolicy: RemovalPolicy.DESTROY });
    const t = Template.fromStack(s);
    for (const type of ['AWS::IAM::Role', 'AWS::IAM::ManagedPolicy', 'AWS::ApiGateway::Account']) {
      expect(Object.values<Json>(t.findResources(type))[0].DeletionPolicy).toBe('Delete');
    }
  });

  test('inStack finds it', () => {
    expect(ApiGatewayAccountLogging.inStack(stack)).toBe(logging);
    expect(ApiGatewayAccountLogging.inStack(new Stack(createTestApp({ checks: false }), 'Empty'))).toBeUndefined();
  });
});

describe('ApiGatewayAccountLogging is one per account and Region', () => {
  test('a second one in the same stack is refused', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Twice');
    new ApiGatewayAccountLogging(stack, 'First');
    expectInvalidProp(() => new ApiGatewayAccountLogging(stack, 'Second'), 'Twice/Second', /`scope` \(received "Twice\/First"\).*one CloudWatch Logs role setting per account and Region/);
  });

  test('a second one in another stack of the same account and Region is refused', () => {
    const app = createTestApp({ checks: false });
    new ApiGatewayAccountLogging(new Stack(app, 'A', { env: { account: ACCOUNT, region: REGION } }), 'Logging');
    expectInvalidProp(() => new ApiGatewayAccountLogging(new Stack(app, 'B', { env: { account: ACCOUNT, region: REGION } }), 'Logging'), 'B/Logging', /`scope` \(received "A\/Logging"\)/);
  });

  test('other accounts or Regions each get their own', () => {
    const app = createTestApp({ checks: false });
    new ApiGatewayAccountLogging(new Stack(app, 'A', { env: { account: ACCOUNT, region: REGION } }), 'Logging');
    expect(() => new ApiGatewayAccountLogging(new Stack(app, 'B', { env: { account: OTHER_ACCOUNT, region: REGION } }), 'Logging')).not.toThrow();
    expect(() => new ApiGatewayAccountLogging(new Stack(app, 'C', { env: { account: ACCOUNT, region: 'eu-west-1' } }), 'Logging')).not.toThrow();
  });
});
