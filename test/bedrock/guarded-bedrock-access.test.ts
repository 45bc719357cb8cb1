import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  BedrockModel, GuardedBedrockAccess, GuardedBedrockAccessProps, GuardrailFilterStrength, PiiEntityType, SensitiveInformationAction,
} from '../../lib';
import { createTestApp } from '../support/app';
import { expectCompliant, findViolations } from '../support/compliance';
import { snapshotOf } from '../support/snapshot';

export const HAIKU = 'anthropic.claude-3-haiku-20240307-v1:0';
export const SONNET_PROFILE = 'us.anthropic.claude-3-5-sonnet-20240620-v1:0';
export const MODELS = [
  BedrockModel.foundationModel(HAIKU),
  BedrockModel.crossRegionInferenceProfile({ profileId: SONNET_PROFILE, destinationRegions: ['us-east-1', 'us-east-2', 'us-west-2'] }),
];

export function accessStack(props: Partial<GuardedBedrockAccessProps> = {}, options: { checks?: boolean } = {}) {
  const stack = new Stack(createTestApp(options), 'Assistant');
  const role = new iam.Role(stack, 'Application', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  const access = new GuardedBedrockAccess(stack, 'Access', { models: MODELS, ...props });
  access.grantInvoke(role);
  return { stack, access, role };
}

function guardrailOf(template: Template): any {
  return Object.values<any>(template.findResources('AWS::Bedrock::Guardrail'))[0].Properties;
}

describe('GuardedBedrockAccess defaults', () => {
  const { stack, access } = accessStack({}, { checks: false });
  const template = Template.fromStack(stack);
  const guardrail = guardrailOf(template);
  const filters = guardrail.ContentPolicyConfig.FiltersConfig;

  test('the prompt-attack filter is on input at HIGH, and NONE on output as the service requires', () => {
    expect(filters).toContainEqual({ Type: 'PROMPT_ATTACK', InputStrength: 'HIGH', OutputStrength: 'NONE' });
  });

  test('every harmful-content category is filtered at HIGH both ways', () => {
    for (const type of ['SEXUAL', 'VIOLENCE', 'HATE', 'INSULTS', 'MISCONDUCT']) {
      expect(filters).toContainEqual({ Type: type, InputStrength: 'HIGH', OutputStrength: 'HIGH' });
    }
    expect(filters).toHaveLength(6);
  });

  test('credentials and payment data are blocked, contact details masked; the profanity list is on', () => {
    const pii = guardrail.SensitiveInformationPolicyConfig.PiiEntitiesConfig;
    for (const type of ['AWS_ACCESS_KEY', 'AWS_SECRET_KEY', 'PASSWORD', 'CREDIT_DEBIT_CARD_NUMBER', 'US_SOCIAL_SECURITY_NUMBER']) {
      expect(pii).toContainEqual({ Type: type, Action: 'BLOCK' });
    }
    for (const type of ['EMAIL', 'PHONE', 'NAME']) expect(pii).toContainEqual({ Type: type, Action: 'ANONYMIZE' });
    expect(guardrail.WordPolicyConfig.ManagedWordListsConfig).toEqual([{ Type: 'PROFANITY' }]);
  });

  test('the guardrail is encrypted with the created key, rotated and retained', () => {
    const keyId = stack.getLogicalId(access.encryptionKey.node.defaultChild as kms.CfnKey);
    expect(guardrail.KmsKeyArn).toEqual({ 'Fn::GetAtt': [keyId, 'Arn'] });
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true, PendingWindowInDays: 30 }, DeletionPolicy: 'Retain' });
  });

  test('blocked messages are set; a version of the guardrail is published', () => {
    expect(guardrail.BlockedInputMessaging).toBe('This request was blocked by the content policy.');
    expect(guardrail.BlockedOutputsMessaging).toBe('The response was blocked by the content policy.');
    const guardrailId = stack.getLogicalId(access.guardrail);
    template.hasResourceProperties('AWS::Bedrock::GuardrailVersion', { GuardrailIdentifier: { 'Fn::GetAtt': [guardrailId, 'GuardrailId'] } });
  });

  test('the grant is a customer-managed policy, not an inline one (IAMNoInlinePolicy)', () => {
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.resourceCountIs('AWS::IAM::ManagedPolicy', 1);
  });

  test('no alarm and no account-wide enforcement unless asked', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    template.resourceCountIs('AWS::Bedrock::EnforcedGuardrailConfiguration', 0);
  });

  test('snapshot', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });
});

describe('GuardedBedrockAccess guardrail versions', () => {
  const versionDescription = (props: Partial<GuardedBedrockAccessProps>) => {
    const template = Template.fromStack(accessStack(props, { checks: false }).stack);
    return Object.values<any>(template.findResources('AWS::Bedrock::GuardrailVersion'))[0].Properties.Description;
  };

  test('a changed configuration replaces the version resource (a new immutable version); the same one does not', () => {
    expect(versionDescription({})).toBe(versionDescription({}));
    expect(versionDescription({ contentFilterStrength: GuardrailFilterStrength.MEDIUM })).not.toBe(versionDescription({}));
    expect(versionDescription({ deniedWords: ['internal-codename'] })).not.toBe(versionDescription({}));
  });
});

describe('GuardedBedrockAccess options', () => {
  const topicArn = 'arn:aws:sns:us-east-1:111122223333:alerts';
  const full = (stack: Stack): Partial<GuardedBedrockAccessProps> => ({
    guardrailName: 'assistant-guardrail',
    contentFilterStrength: GuardrailFilterStrength.MEDIUM,
    piiFilters: [{ type: PiiEntityType.AWS_SECRET_KEY, action: SensitiveInformationAction.BLOCK }],
    deniedTopics: [{ name: 'Investment advice', definition: 'Recommendations about buying or selling securities.', examples: ['Which stock should I buy?'] }],
    deniedWords: ['project-nightjar'],
    sensitiveInformationRegexes: [{ name: 'EmployeeId', pattern: 'EMP-[0-9]{6}', action: SensitiveInformationAction.ANONYMIZE }],
    contextualGrounding: { groundingThreshold: 0.8, relevanceThreshold: 0.5 },
    blockedInputMessage: 'Blocked.',
    blockedOutputMessage: 'Withheld.',
    requiredVpcEndpointIds: ['vpce-0123456789abcdef0'],
    alertTopic: sns.Topic.fromTopicArn(stack, 'Alerts', topicArn),
    enforceInAccount: true,
  });

  test('every option is rendered', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Assistant');
    const access = new GuardedBedrockAccess(stack, 'Access', { models: MODELS, ...full(stack) });
    const template = Template.fromStack(stack);
    const guardrail = guardrailOf(template);
    expect(guardrail.Name).toBe('assistant-guardrail');
    expect(guardrail.ContentPolicyConfig.FiltersConfig).toContainEqual({ Type: 'HATE', InputStrength: 'MEDIUM', OutputStrength: 'MEDIUM' });
    expect(guardrail.TopicPolicyConfig.TopicsConfig).toEqual([{ Name: 'Investment advice', Definition: 'Recommendations about buying or selling securities.', Examples: ['Which stock should I buy?'], Type: 'DENY' }]);
    expect(guardrail.WordPolicyConfig.WordsConfig).toEqual([{ Text: 'project-nightjar' }]);
    expect(guardrail.SensitiveInformationPolicyConfig.RegexesConfig).toEqual([{ Name: 'EmployeeId', Pattern: 'EMP-[0-9]{6}', Action: 'ANONYMIZE' }]);
    expect(guardrail.ContextualGroundingPolicyConfig.FiltersConfig).toEqual([{ Type: 'GROUNDING', Threshold: 0.8 }, { Type: 'RELEVANCE', Threshold: 0.5 }]);
    template.hasResourceProperties('AWS::Bedrock::EnforcedGuardrailConfiguration', {
      GuardrailIdentifier: { 'Fn::GetAtt': [stack.getLogicalId(access.guardrail), 'GuardrailArn'] },
      GuardrailVersion: { 'Fn::GetAtt': [stack.getLogicalId(access.guardrailVersion), 'Version'] },
    });
  });

  test('alarms watch the documented Bedrock metrics and notify the topic', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Assistant');
    const topic = sns.Topic.fromTopicArn(stack, 'Alerts', topicArn);
    const access = new GuardedBedrockAccess(stack, 'Access', { models: MODELS, alertTopic: topic, interventionAlarmThreshold: 5 });
    const template = Template.fromStack(stack);
    for (const modelId of [HAIKU, SONNET_PROFILE]) {
      for (const metric of ['InvocationThrottles', 'InvocationClientErrors', 'InvocationServerErrors']) {
        template.hasResourceProperties('AWS::CloudWatch::Alarm', {
          Namespace: 'AWS/Bedrock', MetricName: metric, Dimensions: [{ Name: 'ModelId', Value: modelId }], AlarmActions: [topicArn],
        });
      }
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Bedrock/Guardrails',
      MetricName: 'InvocationsIntervened',
      Threshold: 5,
      Dimensions: [
        { Name: 'GuardrailArn', Value: { 'Fn::GetAtt': [stack.getLogicalId(access.guardrail), 'GuardrailArn'] } },
        { Name: 'GuardrailVersion', Value: { 'Fn::GetAtt': [stack.getLogicalId(access.guardrailVersion), 'Version'] } },
      ],
      AlarmActions: [topicArn],
    });
    expect(access.alarms).toHaveLength(7);
  });

  test('defaults are compliant: zero unacknowledged findings across all checkers', () => {
    const { stack } = accessStack();
    expectCompliant(stack);
  });

  test('every option set is compliant', () => {
    const stack = new Stack(createTestApp(), 'Assistant');
    const role = new iam.Role(stack, 'Application', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    new GuardedBedrockAccess(stack, 'Access', { models: MODELS, ...full(stack) }).grantInvoke(role);
    expectCompliant(stack);
  });

  test('a guardrail whose prompt-attack filter is switched off is still reported (AiSec-BedrockGuardrailPromptAttack)', () => {
    const { stack, access } = accessStack({ promptAttackStrength: GuardrailFilterStrength.NONE });
    const findings = findViolations(stack).map((v) => `${v.rule} ${v.constructPath}`);
    expect(findings).toEqual([`AiSec-BedrockGuardrailPromptAttack ${access.guardrail.node.path}`]);
  });

  test('a key you pass is used, and no key is created', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Assistant');
    const key = new kms.Key(stack, 'Mine', { enableKeyRotation: true });
    new GuardedBedrockAccess(stack, 'Access', { models: MODELS, encryptionKey: key });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    expect(guardrailOf(template).KmsKeyArn).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(key.node.defaultChild as kms.CfnKey), 'Arn'] });
  });
});
