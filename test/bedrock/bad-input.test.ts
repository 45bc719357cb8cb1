import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import {
  BedrockModel, GuardedBedrockAccess, GuardedBedrockAccessProps, GuardrailFilterStrength, PiiEntityType, SensitiveInformationAction,
} from '../../lib';
import { createTestApp } from '../support/app';
import { expectInvalidProp } from '../support/errors';

const MODEL = BedrockModel.foundationModel('anthropic.claude-3-haiku-20240307-v1:0');

function build(props: Partial<GuardedBedrockAccessProps>) {
  const stack = new Stack(createTestApp({ checks: false }), 'Assistant');
  return new GuardedBedrockAccess(stack, 'Access', { models: [MODEL], ...props } as GuardedBedrockAccessProps);
}

// Limits: CloudFormation AWS::Bedrock::Guardrail resource reference and the CreateGuardrail API reference.
const cases: [string, Partial<GuardedBedrockAccessProps>, RegExp][] = [
  ['no model', { models: [] }, /`models`/],
  ['a model ARN instead of an ID', { models: [BedrockModel.foundationModel('arn:aws:bedrock:us-east-1::foundation-model/x.y')] }, /`models`.*no ARN, no wildcard/],
  ['a wildcard model', { models: [BedrockModel.foundationModel('anthropic.*')] }, /`models`/],
  ['the same model twice', { models: [MODEL, MODEL] }, /`models`.*once/],
  ['a profile without destination Regions', { models: [BedrockModel.crossRegionInferenceProfile({ profileId: 'us.anthropic.claude-3-haiku-20240307-v1:0', destinationRegions: [] })] }, /`models`.*destination Regions/],
  ['a profile with a bad Region', { models: [BedrockModel.crossRegionInferenceProfile({ profileId: 'us.anthropic.claude-3-haiku-20240307-v1:0', destinationRegions: ['us-east'] })] }, /`models`.*us-east/],
  ['a Global wildcard mixed with Regions', { models: [BedrockModel.crossRegionInferenceProfile({ profileId: 'global.anthropic.claude-3-haiku-20240307-v1:0', destinationRegions: ['*', 'us-east-1'] })] }, /`models`.*stands alone/],
  ['a profile with an unknown prefix and no model ID', { models: [BedrockModel.crossRegionInferenceProfile({ profileId: 'xx.anthropic.claude-3-haiku-20240307-v1:0', destinationRegions: ['us-east-1'] })] }, /`models`.*foundationModelId/],
  ['a name with a space', { guardrailName: 'my guardrail' }, /`guardrailName`/],
  ['a name of 51 characters', { guardrailName: 'a'.repeat(51) }, /`guardrailName`.*1 to 50/],
  ['a description of 201 characters', { description: 'd'.repeat(201) }, /`description`.*1 to 200/],
  ['an empty blocked-input message', { blockedInputMessage: '' }, /`blockedInputMessage`.*1 to 500/],
  ['a blocked-output message of 501 characters', { blockedOutputMessage: 'm'.repeat(501) }, /`blockedOutputMessage`.*1 to 500/],
  ['an unknown strength', { contentFilterStrength: 'EXTREME' as GuardrailFilterStrength }, /`contentFilterStrength`/],
  ['an unknown prompt-attack strength', { promptAttackStrength: 'MAX' as GuardrailFilterStrength }, /`promptAttackStrength`/],
  ['an unknown PII type', { piiFilters: [{ type: 'SHOE_SIZE' as PiiEntityType, action: SensitiveInformationAction.BLOCK }] }, /`piiFilters`/],
  ['a PII type twice', { piiFilters: [{ type: PiiEntityType.EMAIL, action: SensitiveInformationAction.BLOCK }, { type: PiiEntityType.EMAIL, action: SensitiveInformationAction.ANONYMIZE }] }, /`piiFilters`.*once/],
  ['an unknown PII action', { piiFilters: [{ type: PiiEntityType.EMAIL, action: 'LOG' as SensitiveInformationAction }] }, /`piiFilters`/],
  ['31 denied topics', { deniedTopics: Array.from({ length: 31 }, (_, i) => ({ name: `t${i}`, definition: 'd' })) }, /`deniedTopics`.*at most 30/],
  ['a topic name with a slash', { deniedTopics: [{ name: 'a/b', definition: 'd' }] }, /`deniedTopics.name`/],
  ['a topic definition of 201 characters', { deniedTopics: [{ name: 'a', definition: 'd'.repeat(201) }] }, /`deniedTopics.definition`/],
  ['six topic examples', { deniedTopics: [{ name: 'a', definition: 'd', examples: ['1', '2', '3', '4', '5', '6'] }] }, /`deniedTopics.examples`.*at most 5/],
  ['a denied word of 101 characters', { deniedWords: ['w'.repeat(101)] }, /`deniedWords`/],
  ['11 regexes', { sensitiveInformationRegexes: Array.from({ length: 11 }, (_, i) => ({ name: `r${i}`, pattern: 'x', action: SensitiveInformationAction.BLOCK })) }, /`sensitiveInformationRegexes`.*at most 10/],
  ['a regex pattern of 501 characters', { sensitiveInformationRegexes: [{ name: 'r', pattern: 'x'.repeat(501), action: SensitiveInformationAction.BLOCK }] }, /`sensitiveInformationRegexes.pattern`/],
  ['a grounding threshold of 1', { contextualGrounding: { groundingThreshold: 1 } }, /`contextualGrounding.groundingThreshold`.*0 to 0.99/],
  ['a negative relevance threshold', { contextualGrounding: { relevanceThreshold: -0.1 } }, /`contextualGrounding.relevanceThreshold`/],
  ['contextual grounding with no threshold', { contextualGrounding: {} }, /`contextualGrounding`/],
  ['a VPC endpoint ID that is not one', { requiredVpcEndpointIds: ['vpc-123'] }, /`requiredVpcEndpointIds`/],
  ['an empty VPC endpoint list', { requiredVpcEndpointIds: [] }, /`requiredVpcEndpointIds`/],
  ['an intervention threshold of 0', { interventionAlarmThreshold: 0 }, /`interventionAlarmThreshold`/],
];

describe('GuardedBedrockAccess bad input', () => {
  test.each(cases)('%s', (_name, props, message) => {
    expectInvalidProp(() => build(props), 'Assistant/Access', message);
  });

  test('granting the same principal twice', () => {
    const access = build({});
    const role = new iam.Role(Stack.of(access), 'App', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    access.grantInvoke(role);
    expectInvalidProp(() => access.grantInvoke(role), 'Assistant/Access', /`grantee`.*already/);
  });

  test('granting something that cannot hold a managed policy', () => {
    const access = build({});
    expectInvalidProp(() => access.grantInvoke(new iam.ServicePrincipal('lambda.amazonaws.com')), 'Assistant/Access', /`grantee`/);
  });
});
