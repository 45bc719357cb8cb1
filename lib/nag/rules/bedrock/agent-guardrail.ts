import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { isGiven } from '../values';

/** Bedrock agents run behind a guardrail. */
export const BedrockAgentGuardrail: AiSecRule = defineRule({
  name: 'BedrockAgentGuardrail',
  level: Level.ERROR,
  resourceTypes: ['AWS::Bedrock::Agent'],
  info: 'The Bedrock agent has no guardrail (GuardrailConfiguration.GuardrailIdentifier and GuardrailVersion).',
  rationale: 'An agent acts on tools and data with its own role: without a guardrail, a prompt attack or a leaking response goes through unfiltered, with the agent\'s permissions.',
  guide: 'Secure Model Endpoints ("Implement input validation to prevent injection attacks")',
  controls: ['no Security Hub or Control Tower control (Bedrock User Guide: "Implement safeguards for your agent with guardrails")'],
  judge: (s) => {
    const config = s.r.props.GuardrailConfiguration;
    if (!isGiven(config?.GuardrailIdentifier)) return fail('GuardrailConfiguration.GuardrailIdentifier is absent');
    if (!isGiven(config?.GuardrailVersion)) return fail('GuardrailConfiguration.GuardrailVersion is absent');
    return OK;
  },
});
