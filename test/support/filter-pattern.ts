/**
 * A small evaluator of CloudWatch Logs JSON metric filter patterns, for tests: does the JSON log
 * event (a CloudTrail record, say) match `pattern`?
 *
 * Supported (the subset the library writes, per the CloudWatch Logs user guide "Filter pattern
 * syntax for metric filters", JSON log events): `{ term }` where a term is
 * `$.a.b = value` or `$.a.b != value`, combined with `&&`, `||` and parentheses; a value is a
 * "quoted" or bare string, in which `*` matches any characters. A field that is absent never
 * equals a value.
 *
 * Stricter than CloudWatch: mixing `&&` and `||` without parentheses, numeric comparisons,
 * `IS NULL`/`EXISTS`, array indexes and anything else throw, so a test cannot pass on a pattern
 * the evaluator does not understand.
 */
export function matchesFilterPattern(pattern: string, event: unknown): boolean {
  const parser = new Parser(pattern);
  return parser.parse()(event);
}

type Predicate = (event: unknown) => boolean;

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  parse(): Predicate {
    this.expect('{');
    const predicate = this.expression();
    this.expect('}');
    this.skipSpace();
    if (this.pos !== this.text.length) this.fail('text after the closing brace');
    return predicate;
  }

  private expression(): Predicate {
    const operands = [this.operand()];
    let operator: string | undefined;
    for (;;) {
      this.skipSpace();
      const next = this.text.startsWith('&&', this.pos) ? '&&' : this.text.startsWith('||', this.pos) ? '||' : undefined;
      if (!next) break;
      if (operator && operator !== next) this.fail('&& and || mixed without parentheses');
      operator = next;
      this.pos += 2;
      operands.push(this.operand());
    }
    if (operands.length === 1) return operands[0];
    return operator === '&&' ? (e) => operands.every((p) => p(e)) : (e) => operands.some((p) => p(e));
  }

  private operand(): Predicate {
    this.skipSpace();
    if (this.text[this.pos] === '(') {
      this.pos++;
      const inner = this.expression();
      this.expect(')');
      return inner;
    }
    return this.term();
  }

  private term(): Predicate {
    this.skipSpace();
    const selector = /^\$((?:\.[A-Za-z0-9_-]+)+)/.exec(this.text.slice(this.pos));
    if (!selector) this.fail('a term must start with a $.field selector');
    this.pos += selector[0].length;
    const path = selector[1].slice(1).split('.');
    this.skipSpace();
    const op = this.text.startsWith('!=', this.pos) ? '!=' : this.text[this.pos] === '=' ? '=' : undefined;
    if (!op) this.fail('only = and != are supported');
    this.pos += op.length;
    this.skipSpace();
    const value = this.value();
    const regex = new RegExp(`^${value.split('*').map(escapeRegExp).join('.*')}$`, 's');
    return (event) => {
      const field = lookup(event, path);
      const equal = typeof field === 'string' || typeof field === 'number' || typeof field === 'boolean' ? regex.test(String(field)) : false;
      return op === '=' ? equal : field !== undefined && !equal;
    };
  }

  private value(): string {
    if (this.text[this.pos] === '"') {
      const end = this.text.indexOf('"', this.pos + 1);
      if (end < 0) this.fail('unterminated string');
      const v = this.text.slice(this.pos + 1, end);
      this.pos = end + 1;
      return v;
    }
    const bare = /^[A-Za-z0-9_.:*\/-]+/.exec(this.text.slice(this.pos));
    if (!bare) this.fail('expected a value');
    this.pos += bare[0].length;
    return bare[0];
  }

  private expect(char: string): void {
    this.skipSpace();
    if (this.text[this.pos] !== char) this.fail(`expected "${char}"`);
    this.pos++;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private fail(message: string): never {
    throw new Error(`filter pattern: ${message} at ${this.pos} in ${JSON.stringify(this.text)}`);
  }
}

function lookup(event: unknown, path: string[]): unknown {
  let node: unknown = event;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || Array.isArray(node)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
