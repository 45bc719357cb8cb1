import type { Statement } from '../iam/policy';

/** The actions of the four Bedrock inference APIs (Converse and ConverseStream are authorized as these). */
export const INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/** Whether an IAM wildcard pattern matches a value, case-insensitively. */
export function wildcardMatches(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(value);
}

/** Whether the statement applies to an invoke action. */
export function coversInvoke(s: Statement): boolean {
  if (s.actions) return s.actions.some((a) => INVOKE_ACTIONS.some((i) => wildcardMatches(a, i)));
  return !INVOKE_ACTIONS.every((i) => (s.notActions ?? []).some((a) => wildcardMatches(a, i)));
}

/** Whether the statement requires `bedrock:GuardrailIdentifier` with a value (not IfExists, not negated, not Null). */
export function requiresGuardrail(s: Statement): boolean {
  return Object.entries(s.condition).some(([operator, keys]) => operator !== 'Null' && !operator.endsWith('IfExists')
    && !operator.includes('Not') && !operator.startsWith('ForAllValues:')
    && Object.keys(keys ?? {}).some((k) => k.toLowerCase() === 'bedrock:guardrailidentifier'));
}

/** Whether a Deny statement denies the invoke actions when `bedrock:GuardrailIdentifier` is absent or another value. */
export function deniesOtherGuardrails(s: Statement): boolean {
  if (s.allow || !coversInvoke(s)) return false;
  const entries = Object.entries(s.condition).flatMap(([operator, keys]) => Object.keys(keys ?? {}).map((k) => [operator, k.toLowerCase()]));
  return entries.length === 1 && entries[0][1] === 'bedrock:guardrailidentifier'
    && entries[0][0].includes('Not') && !entries[0][0].startsWith('ForAnyValue:');
}
