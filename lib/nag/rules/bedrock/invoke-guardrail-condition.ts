import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { coversInvoke, deniesOtherGuardrails, IDENTITY_TYPES, identityDocuments, requiresGuardrail } from './statements';
import { AiSecRule } from '../../rule';

/** Bedrock invoke permissions require a guardrail (`bedrock:GuardrailIdentifier`). */
export const IAMBedrockInvokeGuardrailCondition: AiSecRule = {
  name: 'IAMBedrockInvokeGuardrailCondition',
  level: NagMessageLevel.WARN,
  resourceTypes: IDENTITY_TYPES,
  info: 'An identity policy allows Bedrock inference without requiring a guardrail: no bedrock:GuardrailIdentifier condition on the Allow, and no Deny of other guardrail identifiers in the same policy.',
  rationale: 'A guardrail the caller chooses to pass is a guardrail the caller can leave out: only a condition on bedrock:GuardrailIdentifier makes a call without it (or with a weaker one) fail.',
  guide: 'Secure Model Endpoints ("Implement input validation to prevent injection attacks")',
  controls: ['no Security Hub or Control Tower control (Bedrock User Guide: "Enforce the use of specific guardrails in model inference requests")'],
  check: (node: CfnResource) => {
    const documents = identityDocuments(node);
    if (!documents) return NagRuleCompliance.NOT_APPLICABLE;
    const unguarded = documents.some((statements) => !statements.some(deniesOtherGuardrails)
      && statements.some((s) => s.allow && coversInvoke(s) && !requiresGuardrail(s)));
    return unguarded ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
