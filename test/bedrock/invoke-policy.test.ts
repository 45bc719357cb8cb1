import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { BedrockModel, GuardedBedrockAccess } from '../../lib';
import { createTestApp } from '../support/app';
import { ACCOUNT, Decision, OTHER_ACCOUNT, PolicySimulator, REGION } from '../support/iam';

// Sources: Bedrock User Guide "Enforce the use of specific guardrails in model inference requests"
// (bedrock:GuardrailIdentifier receives `<guardrail ARN>:<version>`), "Prerequisites for inference
// profiles" (the profile ARN in the source Region and the foundation model in each destination
// Region), and the Bedrock API reference (Converse needs bedrock:InvokeModel, ConverseStream
// bedrock:InvokeModelWithResponseStream: the simulator's data has no Converse action either).
const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
const SONNET = 'anthropic.claude-3-5-sonnet-20240620-v1:0';
const PROFILE_ID = `us.${SONNET}`;
const fm = (model: string, region = REGION) => `arn:aws:bedrock:${region}::foundation-model/${model}`;
const PROFILE = `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/${PROFILE_ID}`;

function build(requiredVpcEndpointIds?: string[]) {
  const stack = new Stack(createTestApp({ checks: false }), 'Assistant');
  const app = new iam.Role(stack, 'Application', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  const other = new iam.Role(stack, 'Ungranted', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  // A principal that also holds a broad Bedrock policy (as AmazonBedrockFullAccess would give).
  const broad = new iam.Role(stack, 'Broad', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  broad.addManagedPolicy(new iam.ManagedPolicy(stack, 'BroadBedrock', {
    statements: [new iam.PolicyStatement({ actions: ['bedrock:*'], resources: ['*'] })],
  }));
  const access = new GuardedBedrockAccess(stack, 'Access', {
    models: [
      BedrockModel.foundationModel(HAIKU),
      BedrockModel.crossRegionInferenceProfile({ profileId: PROFILE_ID, destinationRegions: ['us-east-1', 'us-east-2', 'us-west-2'] }),
    ],
    requiredVpcEndpointIds,
  });
  access.grantInvoke(app);
  access.grantInvoke(broad);
  const sim = new PolicySimulator(stack);
  const guardrail = sim.arnOf(access.guardrail);
  return { stack, sim, app, other, broad, access, guardrail, key: sim.arnOf(access.encryptionKey) };
}

describe('grantInvoke, decided by the IAM simulator', () => {
  const { sim, app, other, broad, guardrail, key } = build();
  const withGuardrail = { 'bedrock:GuardrailIdentifier': `${guardrail}:1` };

  test('the guardrail identifier the condition pins is this guardrail ARN and version 1', () => {
    expect(guardrail).toMatch(new RegExp(`^arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/[a-z0-9]+$`));
  });

  const cases: [string, string, string, Record<string, string>, Decision][] = [
    ['InvokeModel (and Converse) on the named model with the guardrail', 'bedrock:InvokeModel', fm(HAIKU), withGuardrail, 'Allowed'],
    ['InvokeModelWithResponseStream (and ConverseStream) with the guardrail', 'bedrock:InvokeModelWithResponseStream', fm(HAIKU), withGuardrail, 'Allowed'],
    ['the inference profile in the source Region with the guardrail', 'bedrock:InvokeModel', PROFILE, withGuardrail, 'Allowed'],
    ['the profile\'s model in destination us-west-2, through the profile', 'bedrock:InvokeModel', fm(SONNET, 'us-west-2'), { ...withGuardrail, 'bedrock:InferenceProfileArn': PROFILE }, 'Allowed'],
    ['the profile\'s model in destination us-east-2, streaming, through the profile', 'bedrock:InvokeModelWithResponseStream', fm(SONNET, 'us-east-2'), { ...withGuardrail, 'bedrock:InferenceProfileArn': PROFILE }, 'Allowed'],
    ['the named model without a guardrail', 'bedrock:InvokeModel', fm(HAIKU), {}, 'ExplicitlyDenied'],
    ['streaming without a guardrail', 'bedrock:InvokeModelWithResponseStream', fm(HAIKU), {}, 'ExplicitlyDenied'],
    ['the profile without a guardrail', 'bedrock:InvokeModel', PROFILE, {}, 'ExplicitlyDenied'],
    ['another guardrail', 'bedrock:InvokeModel', fm(HAIKU), { 'bedrock:GuardrailIdentifier': `arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/permissive:1` }, 'ExplicitlyDenied'],
    ['another version of this guardrail', 'bedrock:InvokeModel', fm(HAIKU), { 'bedrock:GuardrailIdentifier': `${guardrail}:2` }, 'ExplicitlyDenied'],
    ['this guardrail with no version (the editable DRAFT)', 'bedrock:InvokeModel', fm(HAIKU), { 'bedrock:GuardrailIdentifier': guardrail }, 'ExplicitlyDenied'],
    ['this guardrail\'s DRAFT named explicitly', 'bedrock:InvokeModel', fm(HAIKU), { 'bedrock:GuardrailIdentifier': `${guardrail}:DRAFT` }, 'ExplicitlyDenied'],
    ['a model that was not named, with the guardrail', 'bedrock:InvokeModel', fm('anthropic.claude-3-opus-20240229-v1:0'), withGuardrail, 'ImplicitlyDenied'],
    ['the named model in another Region', 'bedrock:InvokeModel', fm(HAIKU, 'us-west-2'), withGuardrail, 'ImplicitlyDenied'],
    ['the profile\'s model in a destination Region, called directly (not through the profile)', 'bedrock:InvokeModel', fm(SONNET, 'us-west-2'), withGuardrail, 'ImplicitlyDenied'],
    ['the profile\'s model in a Region that is not a destination', 'bedrock:InvokeModel', fm(SONNET, 'eu-west-1'), { ...withGuardrail, 'bedrock:InferenceProfileArn': PROFILE }, 'ImplicitlyDenied'],
    ['the profile\'s model through another profile', 'bedrock:InvokeModel', fm(SONNET, 'us-west-2'), { ...withGuardrail, 'bedrock:InferenceProfileArn': `arn:aws:bedrock:${REGION}:${ACCOUNT}:inference-profile/global.${SONNET}` }, 'ImplicitlyDenied'],
    ['the same profile ID in another account', 'bedrock:InvokeModel', `arn:aws:bedrock:${REGION}:${OTHER_ACCOUNT}:inference-profile/${PROFILE_ID}`, withGuardrail, 'ImplicitlyDenied'],
    ['the same profile ID in another source Region', 'bedrock:InvokeModel', `arn:aws:bedrock:us-west-2:${ACCOUNT}:inference-profile/${PROFILE_ID}`, withGuardrail, 'ImplicitlyDenied'],
  ];
  test.each(cases)('granted caller: %s', async (_name, action, resource, context, expected) => {
    expect(await sim.decide({ principal: app, action, resource, context })).toBe(expected);
  });

  test('a caller that was never granted is denied, even with the guardrail', async () => {
    expect(await sim.decide({ principal: other, action: 'bedrock:InvokeModel', resource: fm(HAIKU), context: withGuardrail })).toBe('ImplicitlyDenied');
  });

  test('a principal that also holds bedrock:* on * still cannot skip the guardrail', async () => {
    expect(await sim.decide({ principal: broad, action: 'bedrock:InvokeModel', resource: fm('anthropic.claude-3-opus-20240229-v1:0'), context: {} })).toBe('ExplicitlyDenied');
    expect(await sim.decide({ principal: broad, action: 'bedrock:InvokeModel', resource: fm(HAIKU), context: withGuardrail })).toBe('Allowed');
  });

  test('ApplyGuardrail on this guardrail only', async () => {
    expect(await sim.decide({ principal: app, action: 'bedrock:ApplyGuardrail', resource: guardrail })).toBe('Allowed');
    expect(await sim.decide({ principal: app, action: 'bedrock:ApplyGuardrail', resource: `arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/other` })).toBe('ImplicitlyDenied');
    expect(await sim.decide({ principal: other, action: 'bedrock:ApplyGuardrail', resource: guardrail })).toBe('ImplicitlyDenied');
  });

  test('the guardrail key decrypts through Bedrock only', async () => {
    const via = { 'kms:ViaService': `bedrock.${REGION}.amazonaws.com` };
    expect(await sim.decide({ principal: app, action: 'kms:Decrypt', resource: key, context: via })).toBe('Allowed');
    expect(await sim.decide({ principal: app, action: 'kms:Decrypt', resource: key })).toBe('ImplicitlyDenied');
    expect(await sim.decide({ principal: app, action: 'kms:Decrypt', resource: key, context: { 'kms:ViaService': `s3.${REGION}.amazonaws.com` } })).toBe('ImplicitlyDenied');
  });

  test('the simulator knows the condition keys for the invoke actions (none is ignored)', async () => {
    const result = await sim.simulate({ principal: app, action: 'bedrock:InvokeModel', resource: fm(SONNET, 'us-west-2'), context: { ...withGuardrail, 'bedrock:InferenceProfileArn': PROFILE } });
    expect(result.ignoredContextKeys.filter((k) => k.startsWith('bedrock:'))).toEqual([]);
  });
});

describe('grantInvoke with required VPC endpoints, decided by the IAM simulator', () => {
  const { sim, app, guardrail } = build(['vpce-0123456789abcdef0']);
  const withGuardrail = { 'bedrock:GuardrailIdentifier': `${guardrail}:1` };
  test.each([
    ['through the endpoint', { ...withGuardrail, 'aws:SourceVpce': 'vpce-0123456789abcdef0' }, 'Allowed'],
    ['through another endpoint', { ...withGuardrail, 'aws:SourceVpce': 'vpce-0fedcba9876543210' }, 'ImplicitlyDenied'],
    ['from the internet (no endpoint)', withGuardrail, 'ImplicitlyDenied'],
    ['through the endpoint without the guardrail', { 'aws:SourceVpce': 'vpce-0123456789abcdef0' }, 'ExplicitlyDenied'],
  ] as [string, Record<string, string>, Decision][])('%s', async (_name, context, expected) => {
    expect(await sim.decide({ principal: app, action: 'bedrock:InvokeModel', resource: fm(HAIKU), context })).toBe(expected);
  });
});
