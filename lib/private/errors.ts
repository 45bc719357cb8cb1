import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * The error every construct of the library throws for bad input.
 *
 * The message names the construct path, the prop, the value received and the fix,
 * so a user can act on it without reading the library's source.
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
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
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
