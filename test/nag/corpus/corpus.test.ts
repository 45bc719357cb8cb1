/**
 * The labelled corpus: CloudFormation templates as third-party constructs and people write
 * them (cases/*.json), each with the AiSec findings it must get, fixed in the case file before
 * the rules run. Every case is loaded with `cloudformation-include` into an app of its own
 * (one stack per template), the pack runs over the app, and the findings are compared with the
 * labels: precision and recall per rule and overall must be at least 95 %. Every false
 * positive and false negative is printed.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { AiSecurityChecks, AiSecurityChecksProps } from '../../../lib';

interface Case {
  readonly name: string;
  readonly origin: string;
  readonly kind: 'secure' | 'insecure' | 'odd';
  readonly description: string;
  /** The props the pack runs with on this case (opt-in rules); the pack's defaults when absent. */
  readonly pack?: AiSecurityChecksProps;
  /** Stack name -> template. */
  readonly templates: Record<string, any>;
  /** `Stack/LogicalId` -> the rule IDs (without `AiSec-`) the resource must be reported for. */
  readonly expected: Record<string, string[]>;
}

const DIR = path.join(__dirname, 'cases');
const CASES: Case[] = fs.readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(DIR, f), 'utf-8')));
const RULE_IDS = AiSecurityChecks.rules().map((r) => r.id.replace(/^AiSec-/, ''));
const THRESHOLD = 0.95;

/** `case|Stack/LogicalId|Rule[finding]` for every finding the pack reports on a case. */
function run(c: Case, tmp: string): Set<string> {
  const app = new App();
  const paths = new Map<string, string>();
  for (const [stackName, template] of Object.entries(c.templates)) {
    const file = path.join(tmp, `${c.name}-${stackName}.json`);
    fs.writeFileSync(file, JSON.stringify(template));
    const stack = new Stack(app, stackName, { env: { account: '111111111111', region: 'eu-west-1' } });
    const included = new cfninc.CfnInclude(stack, 'Template', { templateFile: file });
    for (const logicalId of Object.keys(template.Resources ?? {})) {
      paths.set(included.getResource(logicalId).node.path, `${stackName}/${logicalId}`);
    }
  }
  const found = new Set<string>();
  for (const violation of new AiSecurityChecks(undefined, c.pack).validateScope(app).violations) {
    for (const resource of violation.violatingResources) {
      const key = paths.get(resource.constructPath ?? '') ?? resource.constructPath;
      found.add(`${c.name}|${key}|${violation.ruleName.replace(/^AiSec-/, '')}`);
    }
  }
  return found;
}

describe('labelled corpus', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aisec-corpus-'));
  const expected = new Set<string>();
  const reported = new Set<string>();

  beforeAll(() => {
    for (const c of CASES) {
      for (const [key, rules] of Object.entries(c.expected)) for (const rule of rules) expected.add(`${c.name}|${key}|${rule}`);
      for (const finding of run(c, tmp)) reported.add(finding);
    }
  });

  test('the corpus has at least 60 cases, unique names, the three kinds, and labels that name real rules and resources', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(new Set(CASES.map((c) => c.kind))).toEqual(new Set(['secure', 'insecure', 'odd']));
    for (const c of CASES) {
      for (const [key, rules] of Object.entries(c.expected)) {
        const [stackName, logicalId] = key.split('/');
        expect(c.templates[stackName]?.Resources?.[logicalId]).toBeDefined();
        for (const rule of rules) expect(RULE_IDS).toContain(rule.replace(/\[.*$/, ''));
      }
    }
  });

  test('every rule of the pack has at least one positive case', () => {
    const labelled = new Set([...expected].map((e) => e.split('|')[2].replace(/\[.*$/, '')));
    expect(RULE_IDS.filter((id) => !labelled.has(id))).toEqual([]);
  });

  test(`precision and recall per rule and overall are at least ${THRESHOLD * 100} %`, () => {
    const result = score(expected, reported);
    // eslint-disable-next-line no-console
    console.log([`corpus: ${CASES.length} cases, ${expected.size} labelled findings, ${reported.size} reported`, ...result.lines].join('\n'));
    expect(result.failing).toEqual([]);
  });

  test('canary: the score fails when a rule misses its findings or reports one too many', () => {
    const missing = new Set([...reported].filter((f) => !f.includes('|S3MinimumTls12')));
    expect(score(expected, missing).failing).toEqual(['S3MinimumTls12']);
    // one finding in ten missed pulls overall recall below the threshold
    const tenthMissing = new Set([...reported].filter((_, i) => i % 10 !== 0));
    expect(score(expected, tenthMissing).failing).toContain('overall recall');
    const extra = new Set([...reported, 'cdk-bucket-minimum-tls|Main/Bucket|S3MinimumTls12']);
    expect(score(expected, extra).failing).toEqual(['S3MinimumTls12']);
    expect(score(expected, extra).lines).toContain('FALSE POSITIVE cdk-bucket-minimum-tls|Main/Bucket|S3MinimumTls12');
  });
});

/** Precision and recall per rule and overall; `failing` names what is below the threshold. */
function score(expected: Set<string>, reported: Set<string>): { failing: string[]; lines: string[] } {
  const falsePositives = [...reported].filter((f) => !expected.has(f)).sort();
  const falseNegatives = [...expected].filter((f) => !reported.has(f)).sort();
  const base = (f: string) => f.split('|')[2].replace(/\[.*$/, '');
  const stats = RULE_IDS.map((rule) => {
    const tp = [...reported].filter((f) => expected.has(f) && base(f) === rule).length;
    const fp = falsePositives.filter((f) => base(f) === rule).length;
    const fn = falseNegatives.filter((f) => base(f) === rule).length;
    return { rule, tp, fp, fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) };
  });
  const tp = stats.reduce((n, s) => n + s.tp, 0);
  const precision = tp + falsePositives.length === 0 ? 1 : tp / (tp + falsePositives.length);
  const recall = tp + falseNegatives.length === 0 ? 1 : tp / (tp + falseNegatives.length);
  const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
  const failing = [
    ...stats.filter((s) => s.precision < THRESHOLD || s.recall < THRESHOLD).map((s) => s.rule),
    ...(precision < THRESHOLD ? ['overall precision'] : []),
    ...(recall < THRESHOLD ? ['overall recall'] : []),
  ];
  const lines = [
    `overall: precision ${percent(precision)}, recall ${percent(recall)}`,
    ...stats.map((s) => `${s.rule}: TP ${s.tp} FP ${s.fp} FN ${s.fn}, precision ${percent(s.precision)}, recall ${percent(s.recall)}`),
    ...falsePositives.map((f) => `FALSE POSITIVE ${f}`),
    ...falseNegatives.map((f) => `FALSE NEGATIVE ${f}`),
  ];
  return { failing, lines };
}
