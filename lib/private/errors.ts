import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The error every construct of the library throws for bad input.
 *
 * The message names the construct path, the prop, the value received and the fix,
 * so a user can act on it without reading the library's source. Exported so TypeScript and
 * JavaScript users can catch it by type (`e instanceof SecureAiValidationError`); in the other
 * jsii languages it arrives as the runtime's generic JavaScript error with the same message
 * (jsii cannot model a class that extends `Error`).
 *
 * @jsii ignore
 */
export class SecureAiValidationError extends Error {
  constructor(
    public readonly constructPath: string,
    public readonly prop: string,
    public readonly value: unknown,
    public readonly fix: string,
  ) {
    super(`[cdk-secure-ai] ${constructPath}: invalid \`${prop}\` (received ${describe(value)}). ${fix}`);
    this.name = 'SecureAiValidationError';
  }
}

/** Throws a SecureAiValidationError for `prop` of the construct at `scope`. */
export function invalidProp(scope: IConstruct, prop: string, value: unknown, fix: string): never {
  throw new SecureAiValidationError(scope.node.path, prop, value, fix);
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number') return Token.isUnresolved(value) ? 'a token' : String(value); // NaN stays NaN, not null
  if (typeof value === 'string' && Token.isUnresolved(value)) return `${JSON.stringify(value)} (a token)`;
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`;
  if (value && typeof (value as { toHumanString?: unknown }).toHumanString === 'function') {
    return (value as { toHumanString(): string }).toHumanString();
  }
  return String(value);
}

/** True when a value is a token that is only known at deployment: validation must skip it. */
export function isUnresolved(value: unknown): boolean {
  return Token.isUnresolved(value);
}
