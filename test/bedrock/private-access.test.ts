import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { AiServiceEndpoint, BedrockModel, GuardedBedrockAccess, NetworkStage, SegmentedAiVpc } from '../../lib';
import { createTestApp } from '../support/app';
import { expectCompliant } from '../support/compliance';
import { OTHER_ACCOUNT, PolicySimulator, REGION } from '../support/iam';

const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const FM = `arn:aws:bedrock:${REGION}::foundation-model/${HAIKU}`;

function build(checks = false) {
  const stack = new Stack(createTestApp({ checks }), 'Assistant');
  const network = new SegmentedAiVpc(stack, 'Net', {
    stage: NetworkStage.DEV,
    interfaceEndpoints: [AiServiceEndpoint.STS, AiServiceEndpoint.BEDROCK_RUNTIME, AiServiceEndpoint.BEDROCK_AGENT_RUNTIME],
  });
  const runtime = network.interfaceEndpoint(AiServiceEndpoint.BEDROCK_RUNTIME)!;
  const role = new iam.Role(stack, 'Application', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  const access = new GuardedBedrockAccess(stack, 'Access', {
    models: [BedrockModel.foundationModel(HAIKU)],
    requiredVpcEndpointIds: [runtime.vpcEndpointId],
  });
  access.grantInvoke(role);
  return { stack, network, runtime, role, access };
}

describe('Private Bedrock access through SegmentedAiVpc', () => {
  const { stack, runtime, role, access } = build();
  const template = Template.fromStack(stack);
  const sim = new PolicySimulator(stack);
  const endpointPolicy = sim.resolve((runtime.node.defaultChild as ec2.CfnVPCEndpoint).policyDocument
    ? stack.resolve((runtime.node.defaultChild as ec2.CfnVPCEndpoint).policyDocument) : undefined);
  const vpceId = sim.resolve(stack.resolve(runtime.vpcEndpointId));
  const withGuardrail = { 'bedrock:GuardrailIdentifier': `${sim.arnOf(access.guardrail)}:1` };

  test('the runtime and agent-runtime interface endpoints are in the endpoints tier with private DNS', () => {
    for (const service of ['bedrock-runtime', 'bedrock-agent-runtime']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, `.${service}`]] },
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
      });
    }
  });

  test.each([
    ['the granted role of this account, through the endpoint, with the guardrail', false, { ...withGuardrail }, 'Allowed'],
    ['the granted role without the guardrail, through the endpoint', false, {}, 'ExplicitlyDenied'],
    ['a principal of another account with its own full Bedrock permissions, through the endpoint', true, { ...withGuardrail }, 'ImplicitlyDenied'],
  ] as const)('%s', async (_name, outsider, context, expected) => {
    const p = outsider ? `arn:aws:iam::${OTHER_ACCOUNT}:role/Outsider` : role;
    expect(await sim.decide({
      principal: p,
      action: 'bedrock:InvokeModel',
      resource: FM,
      context: { ...context, 'aws:SourceVpce': vpceId },
      vpcEndpointPolicies: [endpointPolicy],
      identityPolicies: outsider ? [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'bedrock:*', Resource: '*' }] }] : undefined,
    })).toBe(expected);
  });

  test('the granted role is denied outside the endpoint (aws:SourceVpce)', async () => {
    expect(await sim.decide({ principal: role, action: 'bedrock:InvokeModel', resource: FM, context: withGuardrail })).toBe('ImplicitlyDenied');
  });

  test('compliant: zero unacknowledged findings across all checkers', () => {
    expectCompliant(build(true).stack);
  });
});
