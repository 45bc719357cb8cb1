import { Stack } from 'aws-cdk-lib';
import { AppIndex, Rendered } from './render';

/**
 * Thrown by a rule that needs to know a value the template leaves open (a parameter, an
 * import, a pseudo parameter): the pack reports the resource with "cannot evaluate: ...".
 */
export class CannotEvaluate extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CannotEvaluate';
  }
}

/** What a rule is looking at: the rendered resource and the app it belongs to. */
export interface Subject {
  readonly r: Rendered;
  readonly index: AppIndex;
}

/** A property by path (`'DataCaptureConfig.KmsKeyId'`), or undefined. */
export function prop(value: any, path: string): any {
  return path.split('.').reduce((v, key) => (v === undefined || v === null ? undefined : v[key]), value);
}

/** Whether a resolved value is a CloudFormation intrinsic (`Ref`, `Fn::...`, `Condition`). */
export function isIntrinsic(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::') || keys[0] === 'Condition');
}

/** Why an intrinsic cannot be known at synth: names the parameter, import or pseudo parameter. */
export function unknowable(s: Subject, value: unknown, what: string): CannotEvaluate {
  const ref = (value as any)?.Ref;
  if (typeof ref === 'string' && ref in s.index.parameters(s.r.stack)) {
    return new CannotEvaluate(`${s.r.logicalId}: cannot evaluate ${what}: value comes from parameter ${ref}`);
  }
  if (typeof ref === 'string' && ref.startsWith('AWS::')) {
    return new CannotEvaluate(`${s.r.logicalId}: cannot evaluate ${what}: value comes from the pseudo parameter ${ref}`);
  }
  const imported = (value as any)?.['Fn::ImportValue'];
  if (imported !== undefined) {
    return new CannotEvaluate(`${s.r.logicalId}: cannot evaluate ${what}: value is imported (${JSON.stringify(imported)}) from outside the app`);
  }
  const parameter = Object.keys(s.index.parameters(s.r.stack)).find((p) => JSON.stringify(value).includes(`{"Ref":"${p}"}`));
  const source = parameter ? `, built from parameter ${parameter}` : '';
  return new CannotEvaluate(`${s.r.logicalId}: cannot evaluate ${what}: value is ${JSON.stringify(value).slice(0, 120)}${source}`);
}

/**
 * A value that must be a literal primitive (string, number, boolean) or absent. A one-element
 * list counts as its element. An intrinsic is resolved when it points to an export of the app;
 * otherwise the rule cannot evaluate it.
 */
export function literal(s: Subject, value: unknown, what: string): string | number | boolean | undefined {
  if (value === null || value === undefined) return undefined;
  if (Array.isArray(value) && value.length === 1) return literal(s, value[0], what);
  if (typeof value !== 'object') return value as string | number | boolean;
  const imported = (value as any)['Fn::ImportValue'];
  if (typeof imported === 'string') {
    const exported = s.index.exportNamed(imported);
    if (exported && (exported.value === null || typeof exported.value !== 'object')) return exported.value as any;
  }
  throw unknowable(s, value, what);
}

/** A value that must be a list (or absent); an intrinsic in its place cannot be evaluated. */
export function listOf(s: Subject, value: unknown, what: string): any[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw unknowable(s, value, what);
}

/** CloudFormation booleans: `true` or the string `"true"` (any case). */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/** CloudFormation booleans: `false` or the string `"false"` (any case). */
export function isFalse(value: unknown): boolean {
  return value === false || (typeof value === 'string' && value.toLowerCase() === 'false');
}

/** Whether a value is given: a non-empty literal, or a reference of any kind. */
export function isGiven(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** A stable key for a stack in flattened text. */
function stackKey(stack: Stack): string {
  return stack.node.path;
}

/** The marker `flatten` writes for a reference to `r` (`«Stack#LogicalId»`, or `«Stack#LogicalId.Attr»`). */
export function markerOf(r: Rendered): string {
  return `«${stackKey(r.stack)}#${r.logicalId}`;
}

/** Whether flattened text references `r` (by Ref or Fn::GetAtt, in any stack of the app). */
export function mentions(text: string, r: Rendered): boolean {
  const marker = markerOf(r);
  return text.includes(`${marker}»`) || text.includes(`${marker}.`);
}

const PSEUDO: Record<string, string> = { 'AWS::URLSuffix': 'amazonaws.com', 'AWS::Partition': 'aws' };

/**
 * A value as text with references made comparable across stacks: `Ref`/`Fn::GetAtt` become
 * `«Stack#LogicalId»` / `«Stack#LogicalId.Attr»`, `Fn::ImportValue` of an export of the app
 * becomes the exported value (flattened in the exporting stack), `Fn::Join` and `Fn::Sub` are
 * expanded, `${AWS::URLSuffix}` and `${AWS::Partition}` take their commercial-partition values.
 */
export function flatten(index: AppIndex, stack: Stack, value: unknown, depth = 0): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'object') return String(value);
  if (depth > 20) return JSON.stringify(value);
  const next = (v: unknown, s: Stack = stack) => flatten(index, s, v, depth + 1);
  if (Array.isArray(value)) return value.map((v) => next(v)).join(',');
  const v = value as any;
  if (typeof v.Ref === 'string') return PSEUDO[v.Ref] ?? (v.Ref.startsWith('AWS::') ? `«${v.Ref}»` : `«${stackKey(stack)}#${v.Ref}»`);
  if (Array.isArray(v['Fn::GetAtt'])) return `«${stackKey(stack)}#${v['Fn::GetAtt'][0]}.${v['Fn::GetAtt'][1]}»`;
  if (typeof v['Fn::GetAtt'] === 'string') return `«${stackKey(stack)}#${v['Fn::GetAtt']}»`;
  if (v['Fn::ImportValue'] !== undefined) {
    const name = next(v['Fn::ImportValue']);
    const exported = index.exportNamed(name);
    return exported ? next(exported.value, exported.stack) : `«import:${name}»`;
  }
  if (Array.isArray(v['Fn::Join'])) {
    const [separator, parts] = v['Fn::Join'];
    return Array.isArray(parts) ? parts.map((p: unknown) => next(p)).join(separator) : next(parts);
  }
  if (v['Fn::Sub'] !== undefined) {
    const [template, variables] = Array.isArray(v['Fn::Sub']) ? v['Fn::Sub'] : [v['Fn::Sub'], {}];
    return String(template).replace(/\$\{([^}!][^}]*)\}/g, (_, name: string) => {
      if (variables?.[name] !== undefined) return next(variables[name]);
      if (PSEUDO[name]) return PSEUDO[name];
      return name.startsWith('AWS::') ? `«${name}»` : `«${stackKey(stack)}#${name}»`;
    });
  }
  if (isIntrinsic(value)) return JSON.stringify(value);
  return `{${Object.entries(v).map(([key, inner]) => `${key}:${next(inner)}`).join(',')}}`;
}

/**
 * The resource of the app a value points to: `Ref`, `Fn::GetAtt`, `Fn::Sub: "${X}"` in the same
 * stack, or `Fn::ImportValue` of an export of another stack. Undefined for literals and
 * references to something outside the app.
 */
export function targetOf(index: AppIndex, stack: Stack, value: unknown, depth = 0): Rendered | undefined {
  if (value === null || typeof value !== 'object' || depth > 10) return undefined;
  const v = value as any;
  if (typeof v.Ref === 'string') return index.byLogicalId(stack, v.Ref);
  if (Array.isArray(v['Fn::GetAtt'])) return index.byLogicalId(stack, String(v['Fn::GetAtt'][0]));
  if (typeof v['Fn::GetAtt'] === 'string') return index.byLogicalId(stack, v['Fn::GetAtt'].split('.')[0]);
  if (typeof v['Fn::Sub'] === 'string') {
    const only = /^\$\{([^}.!]+)(\.[^}]+)?\}$/.exec(v['Fn::Sub']);
    return only ? index.byLogicalId(stack, only[1]) : undefined;
  }
  if (v['Fn::ImportValue'] !== undefined) {
    const exported = index.exportNamed(flatten(index, stack, v['Fn::ImportValue']));
    return exported ? targetOf(index, exported.stack, exported.value, depth + 1) : undefined;
  }
  return undefined;
}

/** `value` as a list (a single value becomes a one-element list; absent, an empty one). */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
