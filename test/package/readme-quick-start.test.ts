import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as ts from 'typescript';
import { ComplianceReport, complianceReport } from '../support/compliance';

const README = path.join(__dirname, '..', '..', 'README.md');

/** The first ```ts block after a heading of README.md. */
function codeAfter(heading: string): string {
  const text = fs.readFileSync(README, 'utf8');
  const at = text.indexOf(`\n${heading}\n`);
  if (at < 0) throw new Error(`README.md has no heading "${heading}"`);
  const block = /```ts\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block) throw new Error(`no ts code block after "${heading}"`);
  return block[1];
}

/**
 * Pastes `quickStart` and the README's pipeline checks into one app, synthesizes it the way a
 * `cdk init` app would and returns the validation report. `cdk-secure-ai` resolves to this
 * repository's lib/.
 */
function runWithReadmeChecks(quickStart: string): ComplianceReport {
  const checks = codeAfter('### Running the same checks in your pipeline').replace(/^declare const app: App;.*$/m, '');
  expect(checks).toContain('new ControlTowerGuardValidator()');
  expect(quickStart).toContain('const app = new App()');
  const source = `${quickStart}\n${checks}\nexport { app };\n`;
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'readme-'));
  // a `cdk init` app's cdk.json holds the recommended feature flags; this repository's cdk.json has them
  const flags = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')).context;
  const context = {
    ...flags,
    '@aws-cdk/core:failSynthOnValidationErrors': false, // read the report instead
    '@aws-cdk/core:validationReportJson': true,
    '@aws-cdk/core:validateAgainstDefaultRules': true, // as the README asks for in cdk.json
  };
  const saved = { ...process.env };
  process.env.CDK_OUTDIR = outdir;
  process.env.CDK_CONTEXT_JSON = JSON.stringify(context);
  try {
    const exports: { app?: App } = {};
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the README names the package; this repository resolves it to lib/
    const localRequire = (id: string) => require(id === 'cdk-secure-ai' ? '../../lib' : id);
    new Function('exports', 'require', js)(exports, localRequire);
    const app = exports.app!;
    expect(app).toBeInstanceOf(App);
    return complianceReport(app.node.children[0]); // any construct of the app
  } finally {
    process.env = saved;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** The README's quick start, pasted into an app together with the README's pipeline checks. */
test('the README quick start passes the README pipeline checks with zero findings', () => {
  const report = runWithReadmeChecks(codeAfter('## Quick start for an existing app'));
  expect(report.violations).toEqual([]);
  // the checks ran: the acknowledged findings of the library's constructs are in the report
  expect(report.acknowledged.length).toBeGreaterThan(0);
});

/**
 * Canary: the same harness, given the quick start made non-compliant (a grant from aws-cdk-lib that
 * writes an inline policy onto a role of the app), reports the findings — so the zero above is
 * the checks' verdict, not a harness that cannot see anything.
 */
test('canary: the quick start with an inline-policy grant added is reported by the same checks', () => {
  const quickStart = codeAfter('## Quick start for an existing app');
  const nonCompliant = [
    "import * as iam from 'aws-cdk-lib/aws-iam';",
    quickStart,
    "const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });",
    'data.bucket.grantRead(reader);                                 // inline DefaultPolicy, wildcard actions',
  ].join('\n');
  const report = runWithReadmeChecks(nonCompliant);
  const onReader = report.violations.filter((v) => v.constructPath.startsWith('MlTraining/Reader/'));
  const rules = [...new Set(onReader.map((v) => v.rule))];
  // the inline policy (HIPAA / NIST / PCI IAMNoInlinePolicy) and its wildcards (AwsSolutions-IAM5)
  expect(rules).toEqual(expect.arrayContaining([
    'HIPAA.Security-IAMNoInlinePolicy',
    'NIST.800.53.R5-IAMNoInlinePolicy',
    'PCI.DSS.321-IAMNoInlinePolicy',
  ]));
  expect(rules.some((r) => r.startsWith('AwsSolutions-IAM5'))).toBe(true);
  // and nothing else of the quick start changed: every finding is on the added role
  expect(report.violations.filter((v) => !v.constructPath.startsWith('MlTraining/Reader/'))).toEqual([]);
});
