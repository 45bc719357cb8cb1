import { CfnResource, Stack } from 'aws-cdk-lib';
import { CfnGroup, CfnManagedPolicy, CfnPolicy, CfnRole, CfnUser } from 'aws-cdk-lib/aws-iam';

/** The resource types that carry identity policies. */
export const IDENTITY_TYPES = [
  CfnPolicy.CFN_RESOURCE_TYPE_NAME, CfnManagedPolicy.CFN_RESOURCE_TYPE_NAME, CfnRole.CFN_RESOURCE_TYPE_NAME,
  CfnUser.CFN_RESOURCE_TYPE_NAME, CfnGroup.CFN_RESOURCE_TYPE_NAME,
];

/** The actions of the four Bedrock inference APIs (Converse and ConverseStream are authorized as these). */
export const INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'];

/** A statement of one identity-policy document, resolved. */
export interface BedrockStatement {
  readonly allow: boolean;
  readonly actions?: string[];
  readonly notActions?: string[];
  /** Resource patterns; a CloudFormation reference counts as a named resource. */
  readonly resources?: string[];
  readonly notResource: boolean;
  readonly condition: Record<string, Record<string, unknown>>;
}

/**
 * The identity-policy documents `node` carries (one list of statements per document), or
 * undefined for other resource types.
 */
export function identityDocuments(node: CfnResource): BedrockStatement[][] | undefined {
  const stack = Stack.of(node);
  if (node instanceof CfnPolicy || node instanceof CfnManagedPolicy) return [statementsOf(stack.resolve(node.policyDocument))];
  if (node instanceof CfnRole || node instanceof CfnUser || node instanceof CfnGroup) {
    const policies = stack.resolve(node.policies);
    return (Array.isArray(policies) ? policies : []).map((p: any) => statementsOf(p?.PolicyDocument ?? p?.policyDocument));
  }
  return undefined;
}

function statementsOf(document: any): BedrockStatement[] {
  const raw = document?.Statement;
  const list: any[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  const strings = (v: unknown) => (v === undefined ? undefined : (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'string' ? x : JSON.stringify(x))));
  return list.map((s) => ({
    allow: s?.Effect === 'Allow',
    actions: strings(s?.Action),
    notActions: strings(s?.NotAction),
    resources: strings(s?.Resource),
    notResource: s?.NotResource !== undefined,
    condition: s?.Condition ?? {},
  }));
}

/** Whether an IAM wildcard pattern matches a value, case-insensitively. */
export function wildcardMatches(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(value);
}

/** Whether the statement applies to an invoke action. */
export function coversInvoke(s: BedrockStatement): boolean {
  if (s.actions) return s.actions.some((a) => INVOKE_ACTIONS.some((i) => wildcardMatches(a, i)));
  return !INVOKE_ACTIONS.every((i) => (s.notActions ?? []).some((a) => wildcardMatches(a, i)));
}

/** Whether the statement requires `bedrock:GuardrailIdentifier` with a value (not IfExists, not negated, not Null). */
export function requiresGuardrail(s: BedrockStatement): boolean {
  return Object.entries(s.condition).some(([operator, keys]) => operator !== 'Null' && !operator.endsWith('IfExists')
    && !operator.includes('Not') && !operator.startsWith('ForAllValues:')
    && Object.keys(keys ?? {}).some((k) => k.toLowerCase() === 'bedrock:guardrailidentifier'));
}

/** Whether a Deny statement denies the invoke actions when `bedrock:GuardrailIdentifier` is absent or another value. */
export function deniesOtherGuardrails(s: BedrockStatement): boolean {
  if (s.allow || !coversInvoke(s)) return false;
  const entries = Object.entries(s.condition).flatMap(([operator, keys]) => Object.keys(keys ?? {}).map((k) => [operator, k.toLowerCase()]));
  return entries.length === 1 && entries[0][1] === 'bedrock:guardrailidentifier'
    && entries[0][0].includes('Not') && !entries[0][0].startsWith('ForAnyValue:');
}
