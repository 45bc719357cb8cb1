import { CfnResource } from 'aws-cdk-lib';
import { CfnGroup, CfnManagedPolicy, CfnPolicy, CfnRole, CfnUser } from 'aws-cdk-lib/aws-iam';
import { isIntrinsic, leaf, list, resolve } from '../resolve';

/** The resource types that carry identity policies. */
export const IDENTITY_POLICY_TYPES = [
  CfnPolicy.CFN_RESOURCE_TYPE_NAME,
  CfnManagedPolicy.CFN_RESOURCE_TYPE_NAME,
  CfnRole.CFN_RESOURCE_TYPE_NAME,
  CfnUser.CFN_RESOURCE_TYPE_NAME,
  CfnGroup.CFN_RESOURCE_TYPE_NAME,
];

/** One statement of a resolved policy document, normalized. */
export interface Statement {
  readonly allow: boolean;
  /** Action patterns; undefined when the statement uses NotAction. */
  readonly actions?: string[];
  readonly notActions?: string[];
  /** Resource patterns (JSON text for intrinsics); undefined when the statement uses NotResource. */
  readonly resources?: string[];
  /** `operator -> key -> value`, as written. */
  readonly condition: Record<string, Record<string, unknown>>;
  readonly principal: unknown;
}

/**
 * The identity-policy statements `node` carries: the document of an AWS::IAM::Policy or
 * ManagedPolicy, the inline policies of a role, user or group. Undefined for other types.
 */
export function identityStatements(node: CfnResource): Statement[] | undefined {
  if (node instanceof CfnPolicy || node instanceof CfnManagedPolicy) {
    return statementsOf(resolve(node, node.policyDocument), 'PolicyDocument');
  }
  if (node instanceof CfnRole || node instanceof CfnUser || node instanceof CfnGroup) {
    return list(resolve(node, node.policies), 'Policies')
      .flatMap((policy: any) => statementsOf(policy?.policyDocument ?? policy?.PolicyDocument, 'Policies[].PolicyDocument'));
  }
  return undefined;
}

/** The normalized statements of a resolved policy document. */
export function statementsOf(document: any, what: string): Statement[] {
  if (document === undefined) return [];
  const raw = isIntrinsic(document) ? list(document, what) : document.Statement;
  const statements: any[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return statements.map((s: any) => (isIntrinsic(s) ? list(s, `${what} Statement`) : s)).map((s: any) => ({
    allow: s.Effect === 'Allow',
    actions: s.Action === undefined ? undefined : strings(s.Action, `${what} Action`),
    notActions: s.NotAction === undefined ? undefined : strings(s.NotAction, `${what} NotAction`),
    resources: s.Resource === undefined ? undefined : asList(s.Resource).map((r) => (typeof r === 'string' ? r : JSON.stringify(r))),
    condition: s.Condition ?? {},
    principal: s.Principal,
  }));
}

/** Whether `statement` applies to `action` (IAM wildcards `*` and `?`, case-insensitive). */
export function coversAction(statement: Statement, action: string): boolean {
  if (statement.actions) return statement.actions.some((pattern) => matches(pattern, action));
  return !(statement.notActions ?? []).some((pattern) => matches(pattern, action));
}

/** Whether an IAM wildcard pattern matches a value, case-insensitively. */
export function matches(pattern: string, value: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(value);
}

/**
 * The condition keys (lower case) an Allow statement requires: the request must carry the key
 * with a matching value. Not counted, because they also match a request without the key:
 * `Null`, `...IfExists`, negated operators (`StringNotEquals`...) and `ForAllValues:` (true
 * for an absent key), unless the statement also has `Null: { key: false }`.
 */
export function requiredKeys(statement: Statement): string[] {
  const present = new Set(Object.entries(statement.condition.Null ?? {})
    .filter(([, value]) => String(value).toLowerCase() === 'false').map(([key]) => key.toLowerCase()));
  return Object.entries(statement.condition).flatMap(([operator, keys]) => Object.keys(keys ?? {})
    .map((key) => key.toLowerCase())
    .filter((key) => operator !== 'Null' && (present.has(key)
      || (!operator.endsWith('IfExists') && !operator.includes('Not') && !operator.startsWith('ForAllValues:')))));
}

/**
 * The condition keys (lower case) whose absence or wrong value a Deny statement denies:
 * keys under `Null: { key: true }`, or under a negated operator (`StringNotEquals`,
 * `ArnNotLike`...: true for an absent key) other than `ForAnyValue:` ones (false for an absent key).
 * Only a statement with a single condition counts: conditions are ANDed, so a Deny with two
 * (`Null: { a: true, b: true }`) denies only requests missing both.
 */
export function denyingKeys(statement: Statement): string[] {
  const entries = Object.values(statement.condition).reduce((n, keys) => n + Object.keys(keys ?? {}).length, 0);
  if (entries !== 1) return [];
  return Object.entries(statement.condition).flatMap(([operator, keys]) => Object.entries(keys ?? {})
    .filter(([, value]) => (operator === 'Null' ? String(value).toLowerCase() === 'true'
      : operator.includes('Not') && !operator.startsWith('ForAnyValue:')))
    .map(([key]) => key.toLowerCase()));
}

function strings(value: unknown, what: string): string[] {
  return asList(value).map((v) => String(leaf(v, what)));
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}
