import { Duration, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidProp, isUnresolved, SecureAiValidationError } from './errors';

/**
 * Checks a number prop, whatever form it comes in:
 * - a literal number is checked now;
 * - a token that resolves to a number at synthesis (`Lazy.number`) is checked at synthesis
 *   (`node.addValidation`), with the same message;
 * - a token known only at deployment (a parameter, a resource attribute) is left to CloudFormation;
 * - anything else (a string from JavaScript or another jsii language, `NaN`) is an error naming the prop.
 *
 * @param check returns what is wrong with a number (the fix to print), or undefined when it is fine
 */
export function checkNumber(scope: IConstruct, prop: string, value: number | undefined, check: (n: number) => string | undefined): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    invalidProp(scope, prop, value, `Give a number${typeof value === 'number' ? '' : `, not a ${value === null ? 'null' : typeof value}`}.`);
  }
  if (!isUnresolved(value)) {
    const problem = check(value);
    if (problem) invalidProp(scope, prop, value, problem);
    return;
  }
  scope.node.addValidation({
    validate: () => {
      const resolved = Stack.of(scope).resolve(value);
      if (typeof resolved !== 'number') return []; // known only at deployment
      const problem = check(resolved);
      if (problem) throw new SecureAiValidationError(scope.node.path, prop, resolved, problem);
      return [];
    },
  });
}

/**
 * Checks that a duration is a whole number of days within [min, max] and returns the number of
 * days. A duration from a token (`Duration.days(Lazy.number(...))`) is checked at synthesis and
 * its days returned as a token; a token duration in another unit cannot be converted to days.
 */
export function wholeDays(scope: IConstruct, prop: string, value: Duration, min: number, max: number): number {
  const range = `Give between ${min} and ${max} days.`;
  if (hasTokenAmount(value)) {
    if (value.unitLabel() !== 'days') {
      invalidProp(scope, prop, value, `A duration from a token must be given in days, Duration.days(<token>), not Duration.${value.unitLabel()}(<token>): it cannot be converted.`);
    }
    const days = value.toDays();
    checkNumber(scope, prop, days, (d) => (!Number.isInteger(d) ? 'Give a whole number of days.' : d < min || d > max ? range : undefined));
    return days;
  }
  const seconds = value.toSeconds();
  if (seconds % 86_400 !== 0) {
    invalidProp(scope, prop, value, `Give a whole number of days, e.g. Duration.days(${Math.max(min, Math.round(seconds / 86_400))}).`);
  }
  const days = seconds / 86_400;
  if (days < min || days > max) invalidProp(scope, prop, value, range);
  return days;
}

/** Whether a duration's amount is a token (its unit is then fixed: it cannot be converted). */
function hasTokenAmount(value: Duration): boolean {
  try {
    return isUnresolved(value.toSeconds());
  } catch {
    return true; // CDK refuses to convert a token duration to another unit
  }
}

/** Checks that an optional list, when given, is not empty and has no empty entries. */
export function nonEmptyList(scope: IConstruct, prop: string, value: string[] | undefined, fix: string): void {
  if (value === undefined) return;
  if (value.length === 0) invalidProp(scope, prop, value, fix);
  for (const item of value) {
    if (!isUnresolved(item) && item.trim() === '') invalidProp(scope, prop, value, `Entries must not be empty. ${fix}`);
  }
}
