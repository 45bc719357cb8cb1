/**
 * A small evaluator of EventBridge event patterns, for tests: does `event` match `pattern`?
 *
 * Supported (the subset the library writes, per the EventBridge user guide "Event patterns"):
 * - nested objects; leaves are arrays of matchers, any of which may match;
 * - exact values (string, number, boolean, null); numbers compare numerically;
 * - `{ prefix }`, `{ suffix }`, `{ 'equals-ignore-case' }`, `{ 'anything-but': value | [values] }`,
 *   `{ exists: true | false }`, `{ numeric: [op, n (, op, n)] }` with `<`, `<=`, `=`, `>=`, `>`;
 * - `$or: [pattern, ...]` at any object level;
 * - an array in the event matches when any of its elements matches.
 *
 * Differences from EventBridge, all stricter: an array of objects matches a nested pattern only
 * when one element matches all of its fields. Anything else (an unknown operator, a leaf that is
 * not an array) throws, so a test cannot pass on a pattern the evaluator does not understand.
 */
export function matchesEventPattern(pattern: unknown, event: unknown): boolean {
  if (!isObject(pattern)) throw new Error(`an event pattern must be an object, got ${JSON.stringify(pattern)}`);
  return matchObject(pattern, event);
}

type Json = unknown;

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function matchObject(pattern: Record<string, Json>, event: Json): boolean {
  if (Array.isArray(event)) return event.some((element) => matchObject(pattern, element));
  const fields = isObject(event) ? event : undefined;
  for (const [key, sub] of Object.entries(pattern)) {
    if (key === '$or') {
      if (!Array.isArray(sub) || sub.length < 2) throw new Error(`$or takes an array of at least two patterns, got ${JSON.stringify(sub)}`);
      if (!sub.some((alternative) => {
        if (!isObject(alternative)) throw new Error(`$or alternatives must be objects, got ${JSON.stringify(alternative)}`);
        return matchObject(alternative, event);
      })) return false;
      continue;
    }
    const present = fields !== undefined && Object.prototype.hasOwnProperty.call(fields, key);
    const value = present ? fields![key] : undefined;
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub, present, value)) return false;
    } else if (isObject(sub)) {
      if (!present) return false;
      if (!matchObject(sub, value)) return false;
    } else {
      throw new Error(`pattern field "${key}" must be an array of matchers or an object, got ${JSON.stringify(sub)}`);
    }
  }
  return true;
}

function matchLeaf(matchers: Json[], present: boolean, value: Json): boolean {
  if (matchers.length === 0) throw new Error('an empty matcher array matches nothing: EventBridge rejects it');
  const values: Json[] = Array.isArray(value) ? value : [value];
  return matchers.some((matcher) => {
    if (isObject(matcher) && 'exists' in matcher) {
      if (typeof matcher.exists !== 'boolean' || Object.keys(matcher).length !== 1) throw new Error(`bad exists matcher ${JSON.stringify(matcher)}`);
      return matcher.exists === present;
    }
    if (!present) return false;
    return values.some((v) => matchValue(matcher, v));
  });
}

function matchValue(matcher: Json, value: Json): boolean {
  if (!isObject(matcher)) {
    if (typeof matcher === 'number') return typeof value === 'number' && value === matcher;
    return matcher === value;
  }
  const keys = Object.keys(matcher);
  if (keys.length !== 1) throw new Error(`a matcher object has exactly one operator, got ${JSON.stringify(matcher)}`);
  const [op] = keys;
  const arg = matcher[op];
  switch (op) {
    case 'prefix': return typeof value === 'string' && typeof arg === 'string' && value.startsWith(arg);
    case 'suffix': return typeof value === 'string' && typeof arg === 'string' && value.endsWith(arg);
    case 'equals-ignore-case': return typeof value === 'string' && typeof arg === 'string' && value.toLowerCase() === arg.toLowerCase();
    case 'anything-but': {
      if (isObject(arg)) return !matchValue(arg, value);
      const excluded = Array.isArray(arg) ? arg : [arg];
      return !excluded.some((x) => matchValue(x, value));
    }
    case 'numeric': return matchNumeric(arg, value);
    default: throw new Error(`unsupported matcher operator "${op}" in ${JSON.stringify(matcher)}`);
  }
}

const COMPARATORS: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '=': (a, b) => a === b,
  '>=': (a, b) => a >= b,
  '>': (a, b) => a > b,
};

function matchNumeric(arg: Json, value: Json): boolean {
  if (!Array.isArray(arg) || (arg.length !== 2 && arg.length !== 4)) throw new Error(`numeric takes [op, n] or [op, n, op, n], got ${JSON.stringify(arg)}`);
  const conditions: [string, number][] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const [op, bound] = [arg[i], arg[i + 1]];
    if (typeof op !== 'string' || !COMPARATORS[op] || typeof bound !== 'number') throw new Error(`bad numeric condition ${JSON.stringify([op, bound])}`);
    conditions.push([op, bound]);
  }
  if (typeof value !== 'number') return false; // EventBridge matches numeric only against JSON numbers
  return conditions.every(([op, bound]) => COMPARATORS[op](value, bound));
}
