import { CfnResource } from 'aws-cdk-lib';
import { CfnGuardrail } from 'aws-cdk-lib/aws-bedrock';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { resolve } from '../resolve';

const STRENGTHS = ['LOW', 'MEDIUM', 'HIGH'];

/** Bedrock guardrails filter prompt attacks on input. */
export const BedrockGuardrailPromptAttack: AiSecRule = {
  name: 'BedrockGuardrailPromptAttack',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnGuardrail.CFN_RESOURCE_TYPE_NAME],
  info: 'The Bedrock guardrail has no prompt-attack filter on input (a PROMPT_ATTACK content filter with InputStrength LOW, MEDIUM or HIGH, enabled, blocking).',
  rationale: 'Jailbreaks and prompt injection are the first attack on a model endpoint: without the prompt-attack filter, instructions hidden in user input or retrieved documents reach the model unchecked.',
  guide: 'Secure Model Endpoints ("Implement input validation to prevent injection attacks")',
  controls: ['no Security Hub or Control Tower control (Bedrock User Guide: "Detect prompt attacks with Amazon Bedrock Guardrails")'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnGuardrail)) return NagRuleCompliance.NOT_APPLICABLE;
    const policy = resolve(node, node.contentPolicyConfig);
    const filters: any[] = Array.isArray(policy?.FiltersConfig ?? policy?.filtersConfig) ? (policy.FiltersConfig ?? policy.filtersConfig) : [];
    const on = filters.some((f) => (f?.Type ?? f?.type) === 'PROMPT_ATTACK'
      && STRENGTHS.includes(f?.InputStrength ?? f?.inputStrength)
      && String(f?.InputEnabled ?? f?.inputEnabled ?? true).toLowerCase() !== 'false'
      && (f?.InputAction ?? f?.inputAction ?? 'BLOCK') === 'BLOCK');
    return on ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
