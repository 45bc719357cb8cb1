import { CfnCondition, CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { fixtureStack, outcome } from './support';
import { BedrockModel, GuardedBedrockAccess } from '../../../lib';
import { BedrockAgentGuardrail } from '../../../lib/nag/rules/bedrock/agent-guardrail';
import { BedrockCustomerManagedKey } from '../../../lib/nag/rules/bedrock/customer-managed-key';
import { BedrockGuardrailPromptAttack } from '../../../lib/nag/rules/bedrock/guardrail-prompt-attack';
import { IAMBedrockInvokeGuardrailCondition } from '../../../lib/nag/rules/bedrock/invoke-guardrail-condition';
import { IAMBedrockInvokeNamedModels } from '../../../lib/nag/rules/bedrock/invoke-named-models';

const GUARDRAIL = 'arn:aws:bedrock:eu-west-1:111111111111:guardrail/abc123def456:1';

function guardrail(stack: Stack, filters: bedrock.CfnGuardrail.ContentFilterConfigProperty[], kmsKeyArn?: string) {
  return new bedrock.CfnGuardrail(stack, 'Guardrail', {
    name: 'g',
    blockedInputMessaging: 'no',
    blockedOutputsMessaging: 'no',
    kmsKeyArn,
    contentPolicyConfig: { filtersConfig: filters },
  });
}

describe('AiSec-BedrockGuardrailPromptAttack', () => {
  const rule = BedrockGuardrailPromptAttack;
  const attack = (inputStrength: string, extra: Partial<bedrock.CfnGuardrail.ContentFilterConfigProperty> = {}) =>
    ({ type: 'PROMPT_ATTACK', inputStrength, outputStrength: 'NONE', ...extra });
  test('a HIGH prompt-attack input filter is compliant', () => expect(outcome(rule, guardrail(fixtureStack(), [attack('HIGH')]))).toBe('COMPLIANT'));
  test('a LOW one is compliant (present and blocking)', () => expect(outcome(rule, guardrail(fixtureStack(), [attack('LOW')]))).toBe('COMPLIANT'));
  test('no prompt-attack filter is non-compliant', () => {
    expect(outcome(rule, guardrail(fixtureStack(), [{ type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' }]))).toBe('NON_COMPLIANT');
  });
  test('strength NONE is non-compliant', () => expect(outcome(rule, guardrail(fixtureStack(), [attack('NONE')]))).toBe('NON_COMPLIANT'));
  test('a disabled input filter is non-compliant', () => expect(outcome(rule, guardrail(fixtureStack(), [attack('HIGH', { inputEnabled: false })]))).toBe('NON_COMPLIANT'));
  test('a detect-only (action NONE) input filter is non-compliant', () => expect(outcome(rule, guardrail(fixtureStack(), [attack('HIGH', { inputAction: 'NONE' })]))).toBe('NON_COMPLIANT'));
  test('no content policy at all is non-compliant', () => {
    const stack = fixtureStack();
    expect(outcome(rule, new bedrock.CfnGuardrail(stack, 'G', { name: 'g', blockedInputMessaging: 'no', blockedOutputsMessaging: 'no' }))).toBe('NON_COMPLIANT');
  });
  test('the guardrail of GuardedBedrockAccess is compliant', () => {
    const access = new GuardedBedrockAccess(fixtureStack(), 'Access', { models: [BedrockModel.foundationModel('amazon.titan-text-express-v1')] });
    expect(outcome(rule, access.guardrail)).toBe('COMPLIANT');
  });
});

describe('AiSec-BedrockCustomerManagedKey', () => {
  const rule = BedrockCustomerManagedKey;
  test('a guardrail with a key reference is compliant', () => {
    const stack = fixtureStack();
    expect(outcome(rule, guardrail(stack, [], new kms.Key(stack, 'K', { enableKeyRotation: true }).keyArn))).toBe('COMPLIANT');
  });
  test('a guardrail without a key is non-compliant', () => expect(outcome(rule, guardrail(fixtureStack(), []))).toBe('NON_COMPLIANT'));
  test('an agent with and without a key', () => {
    const stack = fixtureStack();
    expect(outcome(rule, new bedrock.CfnAgent(stack, 'A', { agentName: 'a', customerEncryptionKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' }))).toBe('COMPLIANT');
    expect(outcome(rule, new bedrock.CfnAgent(stack, 'B', { agentName: 'b' }))).toBe('NON_COMPLIANT');
  });
  test('a flow with and without a key', () => {
    const stack = fixtureStack();
    const role = 'arn:aws:iam::111111111111:role/flow';
    expect(outcome(rule, new bedrock.CfnFlow(stack, 'F', { name: 'f', executionRoleArn: role, customerEncryptionKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' }))).toBe('COMPLIANT');
    expect(outcome(rule, new bedrock.CfnFlow(stack, 'G', { name: 'g', executionRoleArn: role }))).toBe('NON_COMPLIANT');
  });
  test('a data source with and without a key', () => {
    const stack = fixtureStack();
    const config = { type: 'S3', s3Configuration: { bucketArn: 'arn:aws:s3:::docs' } };
    expect(outcome(rule, new bedrock.CfnDataSource(stack, 'D', { name: 'd', knowledgeBaseId: 'KB12345678', dataSourceConfiguration: config, serverSideEncryptionConfiguration: { kmsKeyArn: 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab' } }))).toBe('COMPLIANT');
    expect(outcome(rule, new bedrock.CfnDataSource(stack, 'E', { name: 'e', knowledgeBaseId: 'KB12345678', dataSourceConfiguration: config }))).toBe('NON_COMPLIANT');
    expect(outcome(rule, new bedrock.CfnDataSource(stack, 'F', { name: 'f', knowledgeBaseId: 'KB12345678', dataSourceConfiguration: config, serverSideEncryptionConfiguration: {} }))).toBe('NON_COMPLIANT');
  });
});

describe('AiSec-BedrockAgentGuardrail', () => {
  const rule = BedrockAgentGuardrail;
  test('an agent with a guardrail and version is compliant', () => {
    expect(outcome(rule, new bedrock.CfnAgent(fixtureStack(), 'A', { agentName: 'a', guardrailConfiguration: { guardrailIdentifier: 'abc123def456', guardrailVersion: '1' } }))).toBe('COMPLIANT');
  });
  test('an agent without a guardrail is non-compliant', () => expect(outcome(rule, new bedrock.CfnAgent(fixtureStack(), 'A', { agentName: 'a' }))).toBe('NON_COMPLIANT'));
  test('an agent with a guardrail but no version is non-compliant', () => {
    expect(outcome(rule, new bedrock.CfnAgent(fixtureStack(), 'A', { agentName: 'a', guardrailConfiguration: { guardrailIdentifier: 'abc123def456' } }))).toBe('NON_COMPLIANT');
  });
});

function policy(statements: iam.PolicyStatement[]) {
  const stack = fixtureStack();
  return new iam.CfnManagedPolicy(stack, 'P', { policyDocument: new iam.PolicyDocument({ statements }) });
}
const invoke = (resources: string[], conditions?: Record<string, unknown>) =>
  new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], resources, conditions });
const NAMED = 'arn:aws:bedrock:eu-west-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0';

describe('AiSec-IAMBedrockInvokeNamedModels', () => {
  const rule = IAMBedrockInvokeNamedModels;
  test('a named foundation model is compliant', () => expect(outcome(rule, policy([invoke([NAMED])]))).toBe('COMPLIANT'));
  test('a named inference profile is compliant', () => {
    expect(outcome(rule, policy([invoke(['arn:aws:bedrock:eu-west-1:111111111111:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0'])]))).toBe('COMPLIANT');
  });
  test.each([
    ['`*`', ['*']],
    ['`foundation-model/*`', ['arn:aws:bedrock:*::foundation-model/*']],
    ['every model of a provider\'s catalogue by `*` after the Region', ['arn:aws:bedrock:us-east-1::*']],
    ['`inference-profile/*`', ['arn:aws:bedrock:eu-west-1:111111111111:inference-profile/*']],
  ])('%s is non-compliant', (_name, resources) => expect(outcome(rule, policy([invoke(resources)]))).toBe('NON_COMPLIANT'));
  test('bedrock:* on * is non-compliant', () => {
    expect(outcome(rule, policy([new iam.PolicyStatement({ actions: ['bedrock:*'], resources: ['*'] })]))).toBe('NON_COMPLIANT');
  });
  test('InvokeModelWithResponseStream via bedrock:Invoke* is covered', () => {
    expect(outcome(rule, policy([new iam.PolicyStatement({ actions: ['bedrock:Invoke*'], resources: ['arn:aws:bedrock:*::foundation-model/*'] })]))).toBe('NON_COMPLIANT');
  });
  test('a NotResource statement is non-compliant', () => {
    expect(outcome(rule, policy([new iam.PolicyStatement({ actions: ['bedrock:InvokeModel'], notResources: [NAMED] })]))).toBe('NON_COMPLIANT');
  });
  test('a Deny on * is compliant (it grants nothing)', () => {
    expect(outcome(rule, policy([invoke([NAMED]), new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['bedrock:InvokeModel'], resources: ['*'] })]))).toBe('COMPLIANT');
  });
  test('other services on * are not this rule\'s business', () => {
    expect(outcome(rule, policy([new iam.PolicyStatement({ actions: ['bedrock:ListFoundationModels'], resources: ['*'] })]))).toBe('COMPLIANT');
  });
  test('an inline role policy is checked too', () => {
    const stack = fixtureStack();
    const role = new iam.CfnRole(stack, 'R', {
      assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
      policies: [{ policyName: 'p', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'bedrock:InvokeModel', Resource: '*' }] } }],
    });
    expect(outcome(rule, role)).toBe('NON_COMPLIANT');
  });
  test('the grant of GuardedBedrockAccess is compliant', () => {
    const stack = fixtureStack();
    const role = new iam.Role(stack, 'App', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    const granted = new GuardedBedrockAccess(stack, 'Access', {
      models: [BedrockModel.crossRegionInferenceProfile({ profileId: 'eu.anthropic.claude-3-haiku-20240307-v1:0', destinationRegions: ['eu-west-1', 'eu-central-1'] })],
    }).grantInvoke(role);
    expect(outcome(rule, granted.node.defaultChild as iam.CfnManagedPolicy)).toBe('COMPLIANT');
  });
});

describe('AiSec-IAMBedrockInvokeGuardrailCondition (warning)', () => {
  const rule = IAMBedrockInvokeGuardrailCondition;
  test('an Allow with StringEquals bedrock:GuardrailIdentifier is compliant', () => {
    expect(outcome(rule, policy([invoke([NAMED], { StringEquals: { 'bedrock:GuardrailIdentifier': GUARDRAIL } })]))).toBe('COMPLIANT');
  });
  test('an Allow without it is non-compliant', () => expect(outcome(rule, policy([invoke([NAMED])]))).toBe('NON_COMPLIANT'));
  test('an IfExists condition does not count (a call without a guardrail passes it)', () => {
    expect(outcome(rule, policy([invoke([NAMED], { StringEqualsIfExists: { 'bedrock:GuardrailIdentifier': GUARDRAIL } })]))).toBe('NON_COMPLIANT');
  });
  test('a negated condition on the Allow does not count', () => {
    expect(outcome(rule, policy([invoke([NAMED], { StringNotEquals: { 'bedrock:GuardrailIdentifier': GUARDRAIL } })]))).toBe('NON_COMPLIANT');
  });
  test('an Allow without it plus a Deny of every other guardrail in the same policy is compliant', () => {
    expect(outcome(rule, policy([
      invoke([NAMED]),
      new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'], resources: ['*'], conditions: { StringNotEquals: { 'bedrock:GuardrailIdentifier': GUARDRAIL } } }),
    ]))).toBe('COMPLIANT');
  });
  test('a Deny with a second condition does not count (it denies less)', () => {
    expect(outcome(rule, policy([
      invoke([NAMED]),
      new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['bedrock:InvokeModel'], resources: ['*'], conditions: { StringNotEquals: { 'bedrock:GuardrailIdentifier': GUARDRAIL, 'aws:SourceVpce': 'vpce-1' } } }),
    ]))).toBe('NON_COMPLIANT');
  });
  test('a policy that allows no inference is compliant', () => {
    expect(outcome(rule, policy([new iam.PolicyStatement({ actions: ['bedrock:ApplyGuardrail'], resources: [GUARDRAIL.replace(/:1$/, '')] })]))).toBe('COMPLIANT');
  });
  test('a guardrail identifier from a parameter still counts as a condition', () => {
    const stack = fixtureStack();
    const id = new CfnParameter(stack, 'Guardrail').valueAsString;
    const p = new iam.CfnManagedPolicy(stack, 'P', { policyDocument: new iam.PolicyDocument({ statements: [invoke([NAMED], { StringEquals: { 'bedrock:GuardrailIdentifier': id } })] }) });
    expect(outcome(rule, p)).toBe('COMPLIANT');
  });
});

describe('Bedrock rules judge the template that deploys', () => {
  const rule = BedrockGuardrailPromptAttack;
  test('an escape-hatch override that adds the prompt-attack filter is compliant', () => {
    const hate = { type: 'HATE', inputStrength: 'HIGH', outputStrength: 'HIGH' };
    expect(outcome(rule, guardrail(fixtureStack(), [hate]))).toBe('NON_COMPLIANT');
    const g = guardrail(fixtureStack(), [hate]);
    g.addPropertyOverride('ContentPolicyConfig.FiltersConfig.1', { Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE' });
    expect(outcome(rule, g)).toBe('COMPLIANT');
  });
  test('a plain CfnResource guardrail without the filter is judged (non-compliant)', () => {
    const stack = fixtureStack();
    const g = new CfnResource(stack, 'Plain', {
      type: 'AWS::Bedrock::Guardrail',
      properties: { Name: 'g', BlockedInputMessaging: 'no', BlockedOutputsMessaging: 'no', ContentPolicyConfig: { FiltersConfig: [{ Type: 'HATE', InputStrength: 'HIGH', OutputStrength: 'HIGH' }] } },
    });
    expect(outcome(rule, g)).toBe('NON_COMPLIANT');
    expect(outcome(BedrockCustomerManagedKey, g)).toBe('NON_COMPLIANT');
  });
  test('Fn::If: compliant only when every branch is', () => {
    const withBranches = (otherStrength: string) => {
      const stack = fixtureStack();
      const prod = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(new CfnParameter(stack, 'Stage').valueAsString, 'prod') });
      const g = guardrail(stack, []);
      g.addPropertyOverride('ContentPolicyConfig.FiltersConfig', Fn.conditionIf(prod.logicalId,
        [{ Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE' }],
        [{ Type: 'PROMPT_ATTACK', InputStrength: otherStrength, OutputStrength: 'NONE' }]));
      return g;
    };
    expect(outcome(rule, withBranches('NONE'))).toBe('NON_COMPLIANT');
    expect(outcome(rule, withBranches('LOW'))).toBe('COMPLIANT');
  });
  test('an identity policy in a plain CfnResource allowing every model is non-compliant', () => {
    const stack = fixtureStack();
    const p = new CfnResource(stack, 'PlainPolicy', {
      type: 'AWS::IAM::ManagedPolicy',
      properties: { PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['bedrock:InvokeModel'], Resource: ['arn:aws:bedrock:*::foundation-model/*'] }] } },
    });
    expect(outcome(IAMBedrockInvokeNamedModels, p)).toBe('NON_COMPLIANT');
  });
});
