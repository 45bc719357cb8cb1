import { CfnResource } from 'aws-cdk-lib';
import { CfnAgent } from 'aws-cdk-lib/aws-bedrock';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isGiven, resolve } from '../resolve';

/** Bedrock agents run behind a guardrail. */
export const BedrockAgentGuardrail: AiSecRule = {
  name: 'BedrockAgentGuardrail',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnAgent.CFN_RESOURCE_TYPE_NAME],
  info: 'The Bedrock agent has no guardrail (GuardrailConfiguration.GuardrailIdentifier and GuardrailVersion).',
  rationale: 'An agent acts on tools and data with its own role: without a guardrail, a prompt attack or a leaking response goes through unfiltered, with the agent\'s permissions.',
  guide: 'Secure Model Endpoints ("Implement input validation to prevent injection attacks")',
  controls: ['no Security Hub or Control Tower control (Bedrock User Guide: "Implement safeguards for your agent with guardrails")'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnAgent)) return NagRuleCompliance.NOT_APPLICABLE;
    const config = resolve(node, node.guardrailConfiguration);
    const id = config?.GuardrailIdentifier ?? config?.guardrailIdentifier;
    const version = config?.GuardrailVersion ?? config?.guardrailVersion;
    return isGiven(id) && isGiven(version) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
