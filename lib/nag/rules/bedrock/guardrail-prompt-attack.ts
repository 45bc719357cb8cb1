import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { isFalse, listOf, literal } from '../values';

const STRENGTHS = ['LOW', 'MEDIUM', 'HIGH'];

/** Bedrock guardrails filter prompt attacks on input. */
export const BedrockGuardrailPromptAttack: AiSecRule = defineRule({
  name: 'BedrockGuardrailPromptAttack',
  level: Level.ERROR,
  resourceTypes: ['AWS::Bedrock::Guardrail'],
  info: 'The Bedrock guardrail has no prompt-attack filter on input (a PROMPT_ATTACK content filter with InputStrength LOW, MEDIUM or HIGH, enabled, blocking).',
  rationale: 'Jailbreaks and prompt injection are the first attack on a model endpoint: without the prompt-attack filter, instructions hidden in user input or retrieved documents reach the model unchecked.',
  guide: 'Secure Model Endpoints ("Implement input validation to prevent injection attacks")',
  controls: ['no Security Hub or Control Tower control (Bedrock User Guide: "Detect prompt attacks with Amazon Bedrock Guardrails")'],
  judge: (s) => {
    const filters = listOf(s, s.r.props.ContentPolicyConfig?.FiltersConfig, 'ContentPolicyConfig.FiltersConfig');
    const attack = filters.filter((f) => literal(s, f?.Type, 'ContentPolicyConfig.FiltersConfig[].Type') === 'PROMPT_ATTACK');
    if (attack.length === 0) return fail('ContentPolicyConfig has no PROMPT_ATTACK filter');
    const why: string[] = [];
    for (const f of attack) {
      const strength = literal(s, f.InputStrength, 'PROMPT_ATTACK InputStrength');
      const enabled = literal(s, f.InputEnabled, 'PROMPT_ATTACK InputEnabled');
      const action = literal(s, f.InputAction, 'PROMPT_ATTACK InputAction') ?? 'BLOCK';
      if (!STRENGTHS.includes(String(strength))) why.push(`PROMPT_ATTACK InputStrength is ${strength ?? 'absent'}`);
      else if (isFalse(enabled)) why.push('PROMPT_ATTACK InputEnabled is false');
      else if (action !== 'BLOCK') why.push(`PROMPT_ATTACK InputAction is ${action}`);
      else return OK;
    }
    return fail(why.join('; '));
  },
});
