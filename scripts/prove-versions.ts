/**
 * Proves the dependency versions the install matrix in `npm test` (test/package/consumer.test.ts)
 * does not try, without slowing `npm test` down: the newest cdk-nag 2 in the peer range, the
 * cfn-guard validator at the oldest aws-cdk-lib it works with (2.271.0) and its refusal of the
 * release before, and (for information only) the cdk-nag 2 release below the declared minimum. Each cell installs the packed package with plain
 * `npm install` into a throwaway app, synthesizes the same app the matrix uses, and checks the same
 * findings. Needs the npm registry and a compiled dist/ (`npx projen compile`).
 *
 * Run: `npx ts-node --transpile-only scripts/prove-versions.ts` (about 3 minutes). Prints one line
 * per cell and exits non-zero when a cell that must pass fails. `CELL=<text>` runs only the cells
 * whose name contains the text; `KEEP=1` keeps the throwaway apps for inspection.
 */
import { execFileSync, execSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import { V2_APP, v3App } from '../test/package/consumer-apps';

const root = path.join(__dirname, '..');
const cache = path.join(os.tmpdir(), 'cdk-secure-ai-npm-cache');
const MIN_CDK = '2.269.0';
const NEWEST_CDK = '2.276.0';
/** The oldest aws-cdk-lib ControlTowerGuardValidator accepts (lib/private/cdk-version.ts). */
const GUARD_MIN_CDK = '2.271.0';

interface Cell {
  readonly name: string;
  readonly deps: Record<string, string>;
  readonly app: string;
  readonly check: (app: string, result: any) => string[];
  /** Informational cells report their outcome but do not fail the run. */
  readonly informational?: boolean;
  readonly npmFlags?: string[];
  /** The app is expected to fail with this error (the cell passes when it does). */
  readonly expectError?: RegExp;
}

const CELLS: Cell[] = [
  {
    name: 'newest cdk-nag 2 (2.38.2) + newest aws-cdk-lib',
    deps: { 'aws-cdk-lib': NEWEST_CDK, 'constructs': '10.8.1', 'cdk-nag': '2.38.2' },
    app: V2_APP,
    check: (_app, result) => checkV2(result),
  },
  {
    // aws-cdk-lib 2.269.0 and 2.270.0 apply an acknowledgement of a cfn-guard rule to every resource
    // of the app: the library's acknowledgement of s3_bucket_logging_enabled_check on its access-log
    // bucket hid the same finding on the app's plain bucket. The validator refuses them, saying why.
    name: 'ControlTowerGuardValidator at aws-cdk-lib 2.270.0 is refused with a named error',
    deps: { 'aws-cdk-lib': '2.270.0', 'constructs': '10.5.1', 'cdk-nag': '3.0.2', '@cdklabs/cdk-validator-cfnguard': '0.0.62' },
    app: v3App(true),
    check: () => ['the app synthesized: the validator should have refused aws-cdk-lib 2.270.0'],
    expectError: /ControlTowerGuardValidator needs aws-cdk-lib 2\.271\.0 or later, but 2\.270\.0 is installed/,
  },
  {
    name: 'ControlTowerGuardValidator with cfn-guard validator 0.0.62 + cdk-nag 3.0.2 at its minimum aws-cdk-lib 2.271.0',
    deps: { 'aws-cdk-lib': GUARD_MIN_CDK, 'constructs': '10.5.1', 'cdk-nag': '3.0.2', '@cdklabs/cdk-validator-cfnguard': '0.0.62' },
    app: v3App(true),
    check: (app, result) => checkV3Guard(app, result),
  },
  {
    name: 'cdk-nag 2.36.54 (below the declared ^2.37.3, installed with --legacy-peer-deps)',
    deps: { 'aws-cdk-lib': MIN_CDK, 'constructs': '10.5.1', 'cdk-nag': '2.36.54' },
    app: V2_APP,
    check: (_app, result) => checkV2(result),
    informational: true,
    npmFlags: ['--legacy-peer-deps'],
  },
];

function checkV2(result: any): string[] {
  const problems: string[] = [];
  const errors = (result.messages as any[]).filter((m) => m.level === 'error');
  const at = (end: string, rule: string) => errors.filter((m) => m.path.endsWith(end) && m.text.startsWith(`${rule}:`));
  if (at('/PlainRepository', 'AiSec-ECRScanOnPush').length !== 1) problems.push('AiSec-ECRScanOnPush not reported on the plain repository');
  if (!/PlainRepository: ImageScanningConfiguration\.ScanOnPush is absent/.test(at('/PlainRepository', 'AiSec-ECRScanOnPush')[0]?.text ?? '')) problems.push('the finding lacks its per-resource reason');
  if (result.messages.some((m: any) => m.path.endsWith('/PlainRepository') && m.text.startsWith('AiSec-ECRLifecyclePolicy'))) problems.push('a user suppression was not honoured');
  if (at('/PlainBucket/Resource', 'AwsSolutions-S1').length !== 1) problems.push('AwsSolutions-S1 not reported on the plain bucket');
  if (errors.some((m) => m.path.startsWith('/Consumer/Data/') && /^(AwsSolutions-S1|AiSec-)/.test(m.text))) problems.push('a library acknowledgement was not honoured');
  if (!/AiSecurityChecks is the rule pack for cdk-nag 3/.test(result.wrongForm)) problems.push(`wrong-form error: ${result.wrongForm}`);
  return problems;
}

function checkV3Guard(app: string, result: any): string[] {
  if (result.synthError) return [`synthesis failed: ${result.synthError}`];
  const file = ['validation-report.json', 'policy-validation-report.json'].map((f) => path.join(app, 'cdk.out', f)).find((f) => fs.existsSync(f));
  if (!file) return ['no validation report'];
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  const flat = (name: string) => (report.pluginReports.find((p: any) => (p.pluginName ?? p.summary?.pluginName) === name)?.violations ?? [])
    .flatMap((v: any) => (v.violatingConstructs ?? []).map((c: any) => `${v.ruleName} ${c.constructPath}`));
  const problems: string[] = [];
  const aisec = flat('AiSec');
  const guard = flat('cdk-validator-cfnguard');
  if (!aisec.some((f: string) => /^AiSec-ECRScanOnPush Consumer\/PlainRepository/.test(f))) problems.push('AiSec finding missing');
  if (!guard.some((f: string) => /s3_bucket_logging_enabled_check Consumer\/PlainBucket/.test(f))) {
    const plugins = report.pluginReports.map((p: any) => `${p.pluginName ?? p.summary?.pluginName}: ${JSON.stringify(p.violations ?? []).slice(0, 300)}`);
    problems.push(`cfn-guard finding missing (report: ${plugins.join(' | ')})`);
  }
  const onLibrary = [...aisec, ...guard, ...flat('AwsSolutions')].filter((f: string) => / Consumer\/(Data|Training)\//.test(f));
  if (onLibrary.length > 0) problems.push(`findings on the library's constructs: ${onLibrary.join(', ')}`);
  if (!/AiSecurityChecksV2 is the rule pack for cdk-nag 2/.test(result.wrongForm)) problems.push(`wrong-form error: ${result.wrongForm}`);
  return problems;
}

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'prove-versions-'));
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' }));
  const tarball = path.join(work, packed.filename);
  let failed = false;
  const only = process.env.CELL; // run only the cells whose name contains this text
  CELLS.forEach((cell, i) => {
    if (only && !cell.name.includes(only)) return;
    const app = path.join(work, `app${i}`);
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: `prove-${i}`, private: true, dependencies: { 'cdk-secure-ai': `file:${tarball}`, ...cell.deps } }));
    let outcome: string;
    try {
      execSync(['npm install --no-audit --no-fund --ignore-scripts --prefer-offline --loglevel=error', ...(cell.npmFlags ?? [])].join(' '), { cwd: app, env: { ...process.env, npm_config_cache: cache }, stdio: 'pipe' });
      const lock = JSON.parse(fs.readFileSync(path.join(app, 'package-lock.json'), 'utf8'));
      const versions = Object.entries<any>(lock.packages)
        .filter(([p]) => /^node_modules\/(aws-cdk-lib|constructs|cdk-nag|@cdklabs\/cdk-validator-cfnguard)$/.test(p))
        .map(([p, v]) => `${p.replace('node_modules/', '')}@${v.version}`).sort().join(' ');
      const js = ts.transpileModule(cell.app, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText;
      fs.writeFileSync(path.join(app, 'app.js'), js);
      execFileSync(process.execPath, ['app.js'], { cwd: app, env: { ...process.env, CDK_OUTDIR: path.join(app, 'cdk.out') }, stdio: 'pipe' });
      const problems = cell.check(app, JSON.parse(fs.readFileSync(path.join(app, 'result.json'), 'utf8')));
      outcome = problems.length === 0 ? `PASS (${versions})` : `FAIL (${versions}): ${problems.join('; ')}`;
    } catch (e) {
      const output = String((e as any).stderr ?? (e as Error).message);
      outcome = cell.expectError?.test(output) ? `PASS (refused: ${cell.expectError.exec(output)![0]})`
        : `FAIL: ${output.split('\n').slice(0, 6).join(' ')}`;
    }
    if (outcome.startsWith('FAIL') && !cell.informational) failed = true;
    process.stdout.write(`${cell.informational ? '[info] ' : ''}${cell.name}: ${outcome}\n`);
  });
  if (process.env.KEEP) process.stdout.write(`apps kept in ${work}\n`);
  else fs.rmSync(work, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}

main();
