import { CfnElement, CfnParameter, CfnResource, Stack } from 'aws-cdk-lib';

/**
 * Token resolution for the AiSec rules, the way cdk-nag's rules do it: values are resolved
 * against the stack; a reference (`Ref`, `Fn::GetAtt`, `Fn::ImportValue`...) to something that
 * exists counts as given (a `Ref` to a KMS key is a key); a value the rule must know exactly
 * and cannot resolve makes the rule throw, which cdk-nag reports as a violation.
 */
export function resolve(node: CfnResource, value: unknown): any {
  return Stack.of(node).resolve(value);
}

/** An already-resolved value that must be a primitive (string, number, boolean) or absent. */
export function leaf(value: unknown, what: string): string | number | boolean | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'object') {
    throw new Error(`${what} resolves to ${JSON.stringify(value)}, which the rule cannot evaluate: `
      + 'set a literal value, or acknowledge the finding after checking the value deployed');
  }
  return value as string | number | boolean;
}

/** Resolves `value` and requires a primitive (like `NagRules.resolveIfPrimitive`, with a clearer message). */
export function primitive(node: CfnResource, value: unknown, what: string): string | number | boolean | undefined {
  return leaf(resolve(node, value), what);
}

/** CloudFormation booleans: `true` or the string `"true"` (any case). */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/** CloudFormation booleans: `false` or the string `"false"` (any case). */
export function isFalse(value: unknown): boolean {
  return value === false || (typeof value === 'string' && value.toLowerCase() === 'false');
}

/**
 * Whether a resolved value is given: a non-empty literal, or a reference of any kind
 * (what it points to is the referenced resource's business, as in cdk-nag's rules).
 */
export function isGiven(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** An already-resolved list; a single intrinsic where a list is expected cannot be evaluated. */
export function list(value: unknown, what: string): any[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw new Error(`${what} resolves to ${JSON.stringify(value)}, which the rule cannot evaluate as a list: `
    + 'write the list literally, or acknowledge the finding after checking the value deployed');
}

/** Whether a resolved value is a CloudFormation intrinsic (`Ref`, `Fn::...`, `Condition`). */
export function isIntrinsic(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition');
}

/** The logical ID of `node`, as `NagRules.resolveResourceFromIntrinsic(node, node.ref)` gives it. */
export function logicalIdOf(node: CfnElement): string {
  return Stack.of(node).resolve(node.logicalId);
}

/** Whether a resolved value references a CloudFormation parameter of the stack (unknowable at synth). */
export function referencesParameter(node: CfnResource, value: unknown): string | undefined {
  const text = JSON.stringify(value);
  if (!text || !text.includes('"Ref"')) return undefined;
  for (const child of Stack.of(node).node.findAll()) {
    if (child instanceof CfnParameter && text.includes(`{"Ref":"${logicalIdOf(child)}"}`)) return logicalIdOf(child);
  }
  return undefined;
}

/** Every resource of one type in the stack of `node`. */
export function resourcesInStack<T extends CfnResource>(node: CfnResource, type: new (...args: any[]) => T): T[] {
  return Stack.of(node).node.findAll().filter((c): c is T => c instanceof type);
}
