import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as ts from 'typescript';
import { complianceReport } from '../support/compliance';

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
 * The README's quick start, pasted into an app together with the README's pipeline checks,
 * synthesizes with zero findings. Both blocks are read from README.md, so the test follows the
 * README. `cdk-secure-ai` resolves to this repository's lib/.
 */
test('the README quick start passes the README pipeline checks with zero findings', () => {
  const quickStart = codeAfter('## Quick start for an existing app');
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
    const report = complianceReport(app.node.children[0]); // any construct of the app
    expect(report.violations).toEqual([]);
    // the checks ran: the acknowledged findings of the library's constructs are in the report
    expect(report.acknowledged.length).toBeGreaterThan(0);
  } finally {
    process.env = saved;
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
