import { Subject, flatten, isIntrinsic, listOf, literal, asList, targetOf } from '../values';

/** The resource types that carry identity policies. */
export const IDENTITY_POLICY_TYPES = ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'];

/** One statement of a resolved policy document, normalized. */
export interface Statement {
  readonly allow: boolean;
  /** Action patterns; undefined when the statement uses NotAction. */
  readonly actions?: string[];
  readonly notActions?: string[];
  /** Resource patterns, flattened (see `flatten`); undefined when the statement uses NotResource. */
  readonly resources?: string[];
  /** `operator -> key -> value`, as written. */
  readonly condition: Record<string, Record<string, unknown>>;
  /** The principal, flattened to text (service principals written with `Fn::Sub`/`Fn::Join` included). */
  readonly principal: string;
}

/**
 * The identity-policy statements of a rendered resource: the document of an AWS::IAM::Policy
 * or ManagedPolicy, the inline policies of a role, user or group. Undefined for other types.
 */
export function identityStatements(s: Subject): Statement[] | undefined {
  const { r } = s;
  if (r.type === 'AWS::IAM::Policy' || r.type === 'AWS::IAM::ManagedPolicy') {
    return statementsOf(s, r.props.PolicyDocument, 'PolicyDocument');
  }
  if (r.type === 'AWS::IAM::Role' || r.type === 'AWS::IAM::User' || r.type === 'AWS::IAM::Group') {
    return listOf(s, r.props.Policies, 'Policies')
      .flatMap((policy: any) => statementsOf(s, policy?.PolicyDocument, 'Policies[].PolicyDocument'));
  }
  return undefined;
}

/**
 * The statements that apply to a role: its inline policies, the AWS::IAM::Policy resources of
 * the app attached to it (`Roles`), and the customer-managed policies of the app it names in
 * `ManagedPolicyArns` or that name it in their `Roles`.
 */
export function roleStatements(s: Subject): { statements: Statement[]; sources: string[] } {
  const own = identityStatements(s) ?? [];
  const sources = own.length > 0 ? [`${s.r.logicalId} (inline)`] : [];
  const statements = [...own];
  const attached = [...s.index.ofType('AWS::IAM::Policy'), ...s.index.ofType('AWS::IAM::ManagedPolicy')]
    .filter((p) => asList(p.props.Roles).some((role) => targetOf(s.index, p.stack, role)?.node === s.r.node));
  const named = asList(s.r.props.ManagedPolicyArns).map((arn) => targetOf(s.index, s.r.stack, arn))
    .filter((p) => p?.type === 'AWS::IAM::ManagedPolicy');
  for (const policy of new Set([...attached, ...named])) {
    if (!policy) continue;
    statements.push(...statementsOf({ r: policy, index: s.index }, policy.props.PolicyDocument, `${policy.logicalId} PolicyDocument`));
    sources.push(policy.logicalId);
  }
  return { statements, sources };
}

/** The normalized statements of a resolved policy document. */
export function statementsOf(s: Subject, document: any, what: string): Statement[] {
  if (document === undefined) return [];
  const raw = isIntrinsic(document) ? listOf(s, document, what) : document.Statement;
  const statements: any[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return statements.map((st: any) => (isIntrinsic(st) ? listOf(s, st, `${what} Statement`) : st)).map((st: any) => ({
    allow: st.Effect === 'Allow',
    actions: st.Action === undefined ? undefined : strings(s, st.Action, `${what} Action`),
    notActions: st.NotAction === undefined ? undefined : strings(s, st.NotAction, `${what} NotAction`),
    resources: st.Resource === undefined ? undefined : asList(st.Resource).map((res) => flatten(s.index, s.r.stack, res)),
    condition: st.Condition ?? {},
    principal: flatten(s.index, s.r.stack, st.Principal),
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
 * Whether a statement's resources include every resource of a kind: `*`, or an ARN whose
 * resource part is only a wildcard (`arn:aws:iam::123456789012:role/*`, `...:endpoint/*`).
 */
export function everyResource(statement: Statement, resourceType?: string): boolean {
  if (statement.resources === undefined) return true;
  return statement.resources.some((res) => res === '*' || /^arn:[^:]*:[^:]*:[^:]*:[^:]*:\*$/.test(res)
    || (resourceType !== undefined && new RegExp(`:${resourceType}/\\*$`, 'i').test(res)));
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
 * keys under `Null: { key: true }`; under a negated operator (`StringNotEquals`,
 * `ArnNotLikeIfExists`...: true for an absent key) other than `ForAnyValue:` ones (false for an
 * absent key); or under `BoolIfExists: { key: false }` (true when the key is absent or false).
 * Only a statement with a single condition counts: conditions are ANDed, so a Deny with two
 * (`Null: { a: true, b: true }`) denies only requests missing both.
 */
export function denyingKeys(statement: Statement): string[] {
  const entries = Object.values(statement.condition).reduce((n, keys) => n + Object.keys(keys ?? {}).length, 0);
  if (entries !== 1) return [];
  return Object.entries(statement.condition).flatMap(([operator, keys]) => Object.entries(keys ?? {})
    .filter(([, value]) => {
      const values = asList(value).map((v) => String(v).toLowerCase());
      if (operator === 'Null') return values.length === 1 && values[0] === 'true';
      if (operator === 'BoolIfExists') return values.length === 1 && values[0] === 'false';
      return operator.includes('Not') && !operator.startsWith('ForAnyValue:');
    })
    .map(([key]) => key.toLowerCase()));
}

function strings(s: Subject, value: unknown, what: string): string[] {
  return asList(value).map((v) => String(literal(s, v, what)));
}
