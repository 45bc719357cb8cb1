type Json = any;

const OPERATORS: Record<string, (value: string, pattern: string) => boolean> = {
  StringEquals: (v, p) => v === p,
  StringLike: (v, p) => wildcard(p).test(v),
  ArnEquals: (v, p) => v === p,
  ArnLike: (v, p) => wildcard(p).test(v),
};

function wildcard(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
}

/**
 * The IAM simulator treats `kms:EncryptionContext:*` keys as not applicable and fails every
 * condition on them (checked: it lists them in ignoredContextKeys and denies). Services do send
 * an encryption context (CloudTrail: aws:cloudtrail:arn; CloudWatch Logs: aws:logs:arn), so the
 * path evaluator decides those conditions itself, by rule, before simulating: a statement whose
 * encryption-context conditions hold keeps its other conditions for the simulator; a statement
 * whose conditions fail (or use an operator not modelled here) cannot apply and is removed.
 */
export function applyEncryptionContext(policy: Json, context: Record<string, string | string[]>): Json {
  if (!policy?.Statement) return policy;
  const statements = (Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement]).flatMap((statement: Json) => {
    const condition = statement.Condition;
    if (!condition) return [statement];
    const kept: Json = {};
    for (const [operator, entries] of Object.entries<Json>(condition)) {
      const rest: Json = {};
      for (const [key, expected] of Object.entries<Json>(entries)) {
        if (!key.toLowerCase().startsWith('kms:encryptioncontext:')) {
          rest[key] = expected;
          continue;
        }
        const test = OPERATORS[operator.replace(/IfExists$/, '')];
        const actual = Object.entries(context).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
        if (actual === undefined) {
          if (operator.endsWith('IfExists')) continue;
          return [];
        }
        const patterns: string[] = Array.isArray(expected) ? expected : [expected];
        const values: string[] = Array.isArray(actual) ? actual : [actual];
        if (!test || !values.every((v) => patterns.some((p) => test(v, p)))) return [];
      }
      if (Object.keys(rest).length > 0) kept[operator] = rest;
    }
    const { Condition: _, ...unconditional } = statement;
    return [Object.keys(kept).length > 0 ? { ...statement, Condition: kept } : unconditional];
  });
  return { ...policy, Statement: statements };
}
