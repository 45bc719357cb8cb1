import { Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { IConstruct } from 'constructs';
import { invalidProp, isUnresolved, SecureAiValidationError } from './errors';
import { checkNumber } from './validate';

/**
 * The library's numeric props, checked through `checkNumber` whatever form they come in:
 * - a literal is checked at construction;
 * - a `Lazy.number` is resolved and checked at synthesis, with the same message;
 * - a value known only at deployment (a parameter, a resource attribute) is left to CloudFormation,
 *   unless `synthOnly` says why the construct needs the number itself (it is then refused at
 *   synthesis, naming the prop);
 * - anything that is not a number (a string from JavaScript or another jsii language, `null`,
 *   `NaN`) is refused at once, reported by its type.
 */
export interface NumberRule {
  /** A whole number. */
  readonly integer?: boolean;
  /** Smallest value allowed. */
  readonly min?: number;
  /** Largest value allowed. */
  readonly max?: number;
  /** Strictly greater than zero (for rates). */
  readonly positive?: boolean;
  /** The fix printed when the value is out of range. */
  readonly fix?: string;
  /** Why the value must be known at synthesis (it is rendered into a document the construct builds). */
  readonly synthOnly?: string;
}

/** Checks one numeric prop against `rule` (see NumberRule). */
export function checkNumberProp(scope: IConstruct, prop: string, value: number | undefined, rule: NumberRule): void {
  checkNumber(scope, prop, value, (n) => problemWith(n, rule));
  if (value === undefined || !rule.synthOnly || !isUnresolved(value)) return;
  scope.node.addValidation({
    validate: () => {
      const resolved = Stack.of(scope).resolve(value);
      if (typeof resolved !== 'number') {
        throw new SecureAiValidationError(scope.node.path, prop, resolved,
          `Give a number known at synthesis (a literal or a Lazy.number), not a value known only at deployment: ${rule.synthOnly}`);
      }
      return [];
    },
  });
}

/**
 * Checks a relation between numeric props — a burst of at least the rate, minimum ≤ initial ≤
 * maximum instances — reported on `prop`, the first of `values`:
 * - all literals: checked at construction;
 * - any of them a token that resolves to a number at synthesis (`Lazy.number`), the others literals
 *   or such tokens: checked at synthesis with the resolved values, with the same message;
 * - any of them known only at deployment (a `CfnParameter`, a resource attribute): the relation is
 *   NOT checked — CloudFormation and the service see the values, the construct never does. Each
 *   value's own range is still checked by `checkNumberProp`.
 * Call it after the single-prop checks: a value that is not a number is theirs to refuse.
 *
 * @param values the value of `prop` first, then the values it is compared with
 * @param check returns what is wrong with the resolved values (the fix to print), or undefined
 */
export function checkNumberRelation(scope: IConstruct, prop: string, values: number[], check: (resolved: number[]) => string | undefined): void {
  if (!values.some((v) => isUnresolved(v))) {
    const problem = check(values);
    if (problem) invalidProp(scope, prop, values[0], problem);
    return;
  }
  scope.node.addValidation({
    validate: () => {
      const resolved: unknown[] = values.map((v) => Stack.of(scope).resolve(v));
      if (!resolved.every((r): r is number => typeof r === 'number')) return []; // known only at deployment
      const problem = check(resolved);
      if (problem) throw new SecureAiValidationError(scope.node.path, prop, resolved[0], problem);
      return [];
    },
  });
}

function problemWith(n: number, rule: NumberRule): string | undefined {
  const range = rule.fix ?? describe(rule);
  if (!Number.isFinite(n)) return range;
  if (rule.integer && !Number.isInteger(n)) return range;
  if (rule.positive && !(n > 0)) return range;
  if (rule.min !== undefined && n < rule.min) return range;
  if (rule.max !== undefined && n > rule.max) return range;
  return undefined;
}

function describe(rule: NumberRule): string {
  const what = rule.integer ? 'a whole number' : rule.positive ? 'a positive number' : 'a number';
  if (rule.min !== undefined && rule.max !== undefined) return `Give ${what} between ${rule.min} and ${rule.max}.`;
  if (rule.min !== undefined) return `Give ${what}, at least ${rule.min}.`;
  if (rule.max !== undefined) return `Give ${what}, at most ${rule.max}.`;
  return `Give ${what}.`;
}

/** CloudWatch Logs retention values of at least one year (CloudWatchLogGroupRetentionPeriod), `INFINITE` excluded. */
export const RETENTION_OF_A_YEAR_OR_MORE: number[] = Object.values(logs.RetentionDays)
  .filter((v): v is number => typeof v === 'number' && v >= 365 && v !== logs.RetentionDays.INFINITE)
  .sort((a, b) => a - b);

/**
 * Checks a log retention prop: one of the values CloudWatch Logs accepts (`logs.RetentionDays`,
 * PutRetentionPolicy `retentionInDays`), of at least a year; `INFINITE` only where `allowInfinite`.
 * A Lazy value is checked at synthesis; a value known only at deployment is left to CloudFormation.
 */
export function checkRetention(scope: IConstruct, prop: string, value: logs.RetentionDays | undefined,
  options: { allowInfinite?: boolean } = {}): void {
  const allowed = options.allowInfinite ? [...RETENTION_OF_A_YEAR_OR_MORE, logs.RetentionDays.INFINITE] : RETENTION_OF_A_YEAR_OR_MORE;
  checkNumber(scope, prop, value, (n) => (allowed.includes(n) ? undefined
    : `Give one of the CloudWatch Logs retention values of at least a year (logs.RetentionDays), in days: ${allowed.join(', ')}${options.allowInfinite ? ' (9999: never expire)' : ''}.`));
}

/**
 * Refuses a number prop that the construct computes with at construction (a subnet layout, say):
 * a token, `Lazy.number` included, has no value yet, so it is refused with `why`; a value that is
 * not a number is named by its type. The range is the caller's to check.
 */
export function requireLiteralNumber(scope: IConstruct, prop: string, value: number | undefined, why: string): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    invalidProp(scope, prop, value, `Give a number${typeof value === 'number' ? '' : `, not a ${value === null ? 'null' : typeof value}`}.`);
  }
  if (isUnresolved(value)) invalidProp(scope, prop, 'a token', `Give a literal number, not a token (Lazy.number or a deploy-time value): ${why}`);
}
