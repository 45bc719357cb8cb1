import { Duration } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { invalidProp, isUnresolved } from './errors';

/**
 * Checks that a duration is a whole number of days within [min, max].
 * Returns the number of days, or undefined when the duration is a token.
 */
export function wholeDays(scope: IConstruct, prop: string, value: Duration, min: number, max: number): number | undefined {
  if (isUnresolved(value.toSeconds())) return undefined;
  const seconds = value.toSeconds();
  if (seconds % 86_400 !== 0) {
    invalidProp(scope, prop, value, `Give a whole number of days, e.g. Duration.days(${Math.max(min, Math.round(seconds / 86_400))}).`);
  }
  const days = seconds / 86_400;
  if (days < min || days > max) {
    invalidProp(scope, prop, value, `Give between ${min} and ${max} days.`);
  }
  return days;
}

/** Checks that an optional list, when given, is not empty and has no empty entries. */
export function nonEmptyList(scope: IConstruct, prop: string, value: string[] | undefined, fix: string): void {
  if (value === undefined) return;
  if (value.length === 0) invalidProp(scope, prop, value, fix);
  for (const item of value) {
    if (!isUnresolved(item) && item.trim() === '') invalidProp(scope, prop, value, `Entries must not be empty. ${fix}`);
  }
}
