import { IConstruct } from 'constructs';
import { invalidProp } from './errors';

/** A documented deploy-time constraint: its ID in docs/deploy-constraints/, what it says, where it is documented. */
export interface DeployConstraint {
  readonly id: string;
  readonly rule: string;
  readonly source: string;
}

/** Throws a SecureAiValidationError for `prop` that names the constraint and its source. */
export function violates(scope: IConstruct, prop: string, value: unknown, constraint: DeployConstraint, fix: string): never {
  invalidProp(scope, prop, value, `${fix} [${constraint.id}: ${constraint.rule} — ${constraint.source}]`);
}

/** The message of a late (synthesis-time) violation, naming the constraint and its source. */
export function violationMessage(constraint: DeployConstraint, detail: string): string {
  return `[cdk-secure-ai] ${detail} [${constraint.id}: ${constraint.rule} — ${constraint.source}]`;
}

/** Declares a named set of constraints, keeping the names typed. */
export function constraints<T extends Record<string, DeployConstraint>>(set: T): T {
  return set;
}
