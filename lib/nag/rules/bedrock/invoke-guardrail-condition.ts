import { coversInvoke, deniesOtherGuardrails, requiresGuardrail } from './statements';
import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { IDENTITY_POLICY_TYPES, identityStatements } from '../iam/policy';

/** Bedrock invoke permissions require a guardrail (`bedrock:GuardrailIdentifier`). */
export const IAMBedrockInvokeGuardrailCondition: AiSecRule = defineRule({
  name: 'IAMBedrockInvokeGuardrailCondition',
  level: Level.WARN,
  resourceTypes: IDENTITY_POLICY_TYPES,
  info: 'An identity policy allows Bedrock inference without requiring a guardrail: no bedrock:GuardrailIdentifier condition on the Allow, and no Deny of other guardrail identifiers in the same policy.',
  rationale: 'A guardrail the caller chooses to pass is a guardrail the caller can leave out: only a condition on bedrock:GuardrailIdentifier makes a call without it (or with a weaker one) fail.',
  guide: 'Secure Model Endpoints ("Implement input validation to prevent injection attacks")',
  controls: ['no Security Hub or Control Tower control (Bedrock User Guide: "Enforce the use of specific guardrails in model inference requests")'],
  judge: (s) => {
    const statements = identityStatements(s);
    if (!statements) return NA;
    if (statements.some(deniesOtherGuardrails)) return OK;
    const unguarded = statements.filter((st) => st.allow && coversInvoke(st) && !requiresGuardrail(st));
    return unguarded.length === 0 ? OK
      : fail(`allows ${unguarded.flatMap((st) => st.actions ?? ['NotAction']).join(', ')} with no bedrock:GuardrailIdentifier condition`);
  },
});
