import { exec, execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { promisify } from 'util';
import * as ts from 'typescript';
import { NO_NAG_APP, V2_APP, v3App } from './consumer-apps';

const root = path.join(__dirname, '..', '..');
const tsc = require.resolve('typescript/bin/tsc');
const TSCONFIG = {
  compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node10', strict: true, skipLibCheck: true, outDir: 'out', ignoreDeprecations: '6.0', types: ['node'] },
  files: ['app.ts'],
};

const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-pack-'));
let packed: string | undefined;
/** Packs the library once for this file (dist/ must be current: `npm test` compiles with jsii first). */
function pack(): string {
  if (!packed) {
    const [result] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packDir], { cwd: root, encoding: 'utf8' }));
    packed = path.join(packDir, result.filename);
  }
  return packed;
}
afterAll(() => fs.rmSync(packDir, { recursive: true, force: true }));

/**
 * Runs app.ts of a consumer project: type-checked with tsc against the project's own
 * node_modules when `typeCheck` (slow: aws-cdk-lib's declarations), otherwise only transpiled.
 */
function typeCheckAndRun(app: string, env: NodeJS.ProcessEnv = {}, typeCheck = true): void {
  if (typeCheck) {
    execFileSync(process.execPath, [tsc, '-p', app], { cwd: app, encoding: 'utf8' });
  } else {
    const source = fs.readFileSync(path.join(app, 'app.ts'), 'utf8');
    fs.mkdirSync(path.join(app, 'out'), { recursive: true });
    fs.writeFileSync(path.join(app, 'out', 'app.js'), ts.transpileModule(source, { compilerOptions: TSCONFIG.compilerOptions as any }).outputText);
  }
  execFileSync(process.execPath, [path.join(app, 'out', 'app.js')], { cwd: app, env: { ...process.env, ...env }, encoding: 'utf8' });
}

/**
 * A consumer's view: the packed tarball, installed into a throwaway CDK app outside the
 * repository, type-checked and synthesized. Proves the published package works, not only the
 * source tree. aws-cdk-lib and constructs (peer dependencies) are linked from this repository's
 * install, so this part needs no network.
 */
describe('the packed library in a consumer app', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
  const app = path.join(work, 'app');

  beforeAll(() => {
    const tarball = pack();
    const modules = path.join(app, 'node_modules');
    fs.mkdirSync(path.join(modules, 'cdk-secure-ai'), { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', path.join(modules, 'cdk-secure-ai'), '--strip-components=1']);
    for (const peer of ['aws-cdk-lib', 'constructs', 'cdk-nag', '@types/node']) {
      fs.mkdirSync(path.dirname(path.join(modules, peer)), { recursive: true });
      fs.symlinkSync(path.join(root, 'node_modules', peer), path.join(modules, peer));
    }
    fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
    fs.writeFileSync(path.join(app, 'app.ts'), [
      "import { App, Stack } from 'aws-cdk-lib';",
      "import { LeastPrivilegeSageMakerRole, SageMakerWorkload, SecureTrainingBucket } from 'cdk-secure-ai';",
      'const app = new App();',
      "const stack = new Stack(app, 'Consumer');",
      "const data = new SecureTrainingBucket(stack, 'Data');",
      'new LeastPrivilegeSageMakerRole(stack, \'Training\', {',
      '  workloads: [SageMakerWorkload.TRAINING],',
      "  inputs: [{ bucket: data.bucket, prefixes: ['datasets/'] }],",
      "  outputs: [{ bucket: data.bucket, prefixes: ['models/'] }],",
      "  jobNamePrefix: 'consumer-',",
      '});',
      'app.synth();',
      '',
    ].join('\n'));
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG));
  }, 120_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('type-checks against the published declarations and synthesizes', () => {
    const outdir = path.join(work, 'cdk.out');
    typeCheckAndRun(app, { CDK_OUTDIR: outdir });
    const template = JSON.parse(fs.readFileSync(path.join(outdir, 'Consumer.template.json'), 'utf8'));
    const resources = Object.entries<any>(template.Resources);
    const types = resources.map(([, r]) => r.Type);
    expect(types).toEqual(expect.arrayContaining(['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::S3::BucketPolicy', 'AWS::IAM::Role', 'AWS::IAM::ManagedPolicy']));
    // the role reads the bucket of the other construct: GetObject under datasets/, PutObject under models/
    const bucketId = resources.find(([id, r]) => r.Type === 'AWS::S3::Bucket' && id.startsWith('DataBucket'))![0];
    const statements = resources.filter(([, r]) => r.Type === 'AWS::IAM::ManagedPolicy').flatMap(([, r]) => r.Properties.PolicyDocument.Statement);
    const onBucket = (prefix: string) => ({ 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucketId, 'Arn'] }, `/${prefix}*`]] });
    expect(statements).toEqual(expect.arrayContaining([
      expect.objectContaining({ Effect: 'Allow', Action: expect.arrayContaining(['s3:GetObject']), Resource: onBucket('datasets/') }),
      expect.objectContaining({ Effect: 'Allow', Action: expect.arrayContaining(['s3:PutObject']), Resource: onBucket('models/') }),
    ]));
  });
});

/**
 * The install matrix: the packed tarball installed with plain `npm install` (no
 * `--legacy-peer-deps`: a peer range that excludes the team's versions fails with ERESOLVE)
 * into throwaway apps at the minimum supported versions and at the newest, type-checked and
 * synthesized. Needs the npm registry; downloads go to a shared cache, so a second run installs
 * from it. The minimum versions here are the peer ranges' lower bounds in package.json.
 */
// Validations.of(x).acknowledge arrived in 2.252.0, but before 2.269.0 it rejects the finding-scoped
// IDs the library acknowledges (`AwsSolutions-IAM5[Resource::arn:...]`: "'::' is reserved") and
// synthesis of LeastPrivilegeSageMakerRole, AiSecurityMonitoring and PrivateInferenceEndpoint fails.
// (cdk-nag 3 itself needs 2.258.0.)
const MIN_CDK = '2.269.0';
const MIN_CDK_NAG3 = MIN_CDK;
const NEWEST_CDK = '2.276.0';
const MIN_CONSTRUCTS = '10.5.1';
const CELLS = {
  'minimum + cdk-nag 2': { deps: { 'aws-cdk-lib': MIN_CDK, 'constructs': MIN_CONSTRUCTS, 'cdk-nag': '2.37.3' }, app: V2_APP },
  'minimum + cdk-nag 3': { deps: { 'aws-cdk-lib': MIN_CDK_NAG3, 'constructs': MIN_CONSTRUCTS, 'cdk-nag': '3.0.2' }, app: v3App(false) },
  'minimum, no cdk-nag': { deps: { 'aws-cdk-lib': MIN_CDK, 'constructs': MIN_CONSTRUCTS }, app: NO_NAG_APP },
  'newest + cdk-nag 3 + cfn-guard': { deps: { 'aws-cdk-lib': NEWEST_CDK, 'constructs': '10.8.1', 'cdk-nag': '3.0.2', '@cdklabs/cdk-validator-cfnguard': '0.0.62' }, app: v3App(true) },
};
type Cell = keyof typeof CELLS;

describe('install matrix: the packed library at the minimum supported and the newest versions', () => {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-matrix-'));
  const cache = path.join(os.tmpdir(), 'cdk-secure-ai-npm-cache');
  const apps = {} as Record<Cell, string>;
  const installed = {} as Record<Cell, string[]>;
  const timings: string[] = [];

  beforeAll(async () => {
    const started = Date.now();
    const tarball = pack();
    // the installs run side by side: they wait on the network and the disk, not the CPU
    await Promise.all((Object.keys(CELLS) as Cell[]).map(async (cell, i) => {
      const app = path.join(work, `app${i}`);
      apps[cell] = app;
      fs.mkdirSync(app);
      fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({
        name: `consumer-${i}`,
        private: true,
        dependencies: { 'cdk-secure-ai': `file:${tarball}`, ...CELLS[cell].deps, '@types/node': '^20' },
      }));
      fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(TSCONFIG));
      fs.writeFileSync(path.join(app, 'app.ts'), CELLS[cell].app);
      const t = Date.now();
      await promisify(exec)('npm install --no-audit --no-fund --ignore-scripts --prefer-offline --loglevel=error', {
        cwd: app, env: { ...process.env, npm_config_cache: cache },
      });
      timings.push(`${cell}: install ${((Date.now() - t) / 1000).toFixed(1)} s`);
      const lock = JSON.parse(fs.readFileSync(path.join(app, 'package-lock.json'), 'utf8'));
      installed[cell] = Object.entries<any>(lock.packages)
        .filter(([p]) => /^node_modules\/(aws-cdk-lib|constructs|cdk-nag|@cdklabs\/cdk-validator-cfnguard)$/.test(p))
        .map(([p, v]) => `${p.replace('node_modules/', '')}@${v.version}`).sort();
    }));
    timings.push(`all installs ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 300_000);

  afterAll(() => {
    fs.rmSync(work, { recursive: true, force: true });
    process.stdout.write(`install matrix timings: ${timings.join('; ')}\n`);
  });

  // Type-checking against aws-cdk-lib's declarations takes most of a cell's time: it is done in
  // the cell where it proves most (the oldest aws-cdk-lib, no cdk-nag types available).
  const run = (cell: Cell) => {
    const t = Date.now();
    typeCheckAndRun(apps[cell], { CDK_OUTDIR: path.join(apps[cell], 'cdk.out') }, cell === 'minimum, no cdk-nag');
    timings.push(`${cell}: type-check + synth ${((Date.now() - t) / 1000).toFixed(1)} s`);
    return JSON.parse(fs.readFileSync(path.join(apps[cell], 'result.json'), 'utf8'));
  };

  test('npm installs exactly the versions of each cell (the peer ranges accept them)', () => {
    expect(installed).toEqual({
      'minimum + cdk-nag 2': [`aws-cdk-lib@${MIN_CDK}`, 'cdk-nag@2.37.3', `constructs@${MIN_CONSTRUCTS}`],
      'minimum + cdk-nag 3': [`aws-cdk-lib@${MIN_CDK_NAG3}`, 'cdk-nag@3.0.2', `constructs@${MIN_CONSTRUCTS}`],
      'minimum, no cdk-nag': [`aws-cdk-lib@${MIN_CDK}`, `constructs@${MIN_CONSTRUCTS}`],
      'newest + cdk-nag 3 + cfn-guard': ['@cdklabs/cdk-validator-cfnguard@0.0.62', `aws-cdk-lib@${NEWEST_CDK}`, 'cdk-nag@3.0.2', 'constructs@10.8.1'],
    });
  });

  test('cdk-nag 2: the Aspect form reports the AiSec findings; suppressions — the library\'s and the user\'s — are honoured; the opt-in rule runs where turned on', () => {
    const { wrongForm, messages, monitoringOff, monitoringOn } = run('minimum + cdk-nag 2');
    const errors = messages.filter((m: any) => m.level === 'error');
    const at = (pathEnd: string, rule: string) => errors.filter((m: any) => m.path.endsWith(pathEnd) && m.text.startsWith(`${rule}:`));
    // the pack finds a known violation: a repository without scan on push or tag immutability
    expect(at('/PlainRepository', 'AiSec-ECRScanOnPush')).toHaveLength(1);
    expect(at('/PlainRepository', 'AiSec-ECRTagImmutability')).toHaveLength(1);
    // each finding carries its own reason after the rule's info, as in the cdk-nag 3 report
    expect(at('/PlainRepository', 'AiSec-ECRScanOnPush')[0].text).toMatch(/^AiSec-ECRScanOnPush: The ECR repository does not scan images on push .*\. PlainRepository: ImageScanningConfiguration\.ScanOnPush is absent\s*$/);
    expect(at('/PlainRepository', 'AiSec-ECRTagImmutability')[0].text).toMatch(/ PlainRepository: ImageTagMutability is absent \(MUTABLE\)\s*$/);
    // ... and honours a cdk-nag 2 suppression of one of its rules (a warning otherwise)
    expect(messages.filter((m: any) => m.path.endsWith('/PlainRepository') && m.text.startsWith('AiSec-ECRLifecyclePolicy'))).toEqual([]);
    // AwsSolutions-S1 (no access logs) fires on a plain bucket but not on the library's access-log
    // bucket, whose acknowledgement the library writes as cdk-nag 2 suppression metadata
    expect(at('/PlainBucket/Resource', 'AwsSolutions-S1')).toHaveLength(1);
    expect(errors.filter((m: any) => m.path.startsWith('/Consumer/Data/') && m.text.startsWith('AwsSolutions-S1:'))).toEqual([]);
    // the library's constructs themselves pass the AiSec pack
    expect(errors.filter((m: any) => m.path.startsWith('/Consumer/Data/') && m.text.startsWith('AiSec-'))).toEqual([]);
    // the opt-in rule: off with the pack's defaults, one warning on the endpoint with requireModelMonitoring
    const optIn = (list: any[]) => list.filter((m: any) => m.text.startsWith('AiSec-SageMakerEndpointMonitoringSchedule'));
    expect(optIn(monitoringOff)).toEqual([]);
    expect(optIn(monitoringOn).map((m: any) => [m.level, m.path])).toEqual([['warning', '/MonitoringOn/Endpoint']]);
    expect(optIn(monitoringOn)[0].text).toMatch(/ Endpoint: Config captures inference data for this endpoint, but the app has no AWS::SageMaker::MonitoringSchedule\s*$/);
    // the cdk-nag 3 form says what to use instead
    expect(wrongForm).toMatch(/AiSecurityChecks is the rule pack for cdk-nag 3.*cdk-nag 2\.37\.3 is installed.*Aspects\.of\(app\)\.add\(new AiSecurityChecksV2\(\)\)/);
  });

  test('cdk-nag 3 at its minimum aws-cdk-lib: the validation plugin reports the AiSec findings', () => {
    const { wrongForm, synthError } = run('minimum + cdk-nag 3');
    expectV3Report(apps['minimum + cdk-nag 3'], synthError);
    expect(wrongForm).toMatch(/AiSecurityChecksV2 is the rule pack for cdk-nag 2.*cdk-nag 3\.0\.2 is installed.*Validations\.of\(app\)\.addPlugins\(new AiSecurityChecks\(app\)\)/);
  });

  test('no cdk-nag: the package loads, the constructs synthesize, the pack says what to install', () => {
    expect(fs.existsSync(path.join(apps['minimum, no cdk-nag'], 'node_modules', 'cdk-nag'))).toBe(false);
    const { missing, types } = run('minimum, no cdk-nag');
    expect(types).toEqual(expect.arrayContaining(['AWS::S3::Bucket', 'AWS::KMS::Key', 'AWS::IAM::Role', 'AWS::IAM::ManagedPolicy']));
    expect(missing).toMatch(/AiSecurityChecks needs cdk-nag, an optional peer dependency.*npm install --save-dev cdk-nag@\^3/);
  });

  test('newest: the validation plugin and the shipped ControlTowerGuardValidator report their findings', () => {
    const { synthError } = run('newest + cdk-nag 3 + cfn-guard');
    const report = expectV3Report(apps['newest + cdk-nag 3 + cfn-guard'], synthError);
    const guard = report.pluginReports.find((p: any) => pluginName(p) === 'cdk-validator-cfnguard');
    const guardFindings = flat(guard);
    expect(guardFindings.some((f: string) => /s3_bucket_logging_enabled_check Consumer\/PlainBucket/.test(f))).toBe(true);
    expect(guardFindings.filter((f: string) => / Consumer\/(Data|Training)\//.test(f))).toEqual([]);
  });
});

/** Reads the JSON validation report of a cdk-nag 3 cell and checks the AiSec findings in it. */
function expectV3Report(app: string, synthError: string): any {
  expect(synthError).toBe('');
  const outdir = path.join(app, 'cdk.out');
  const file = ['validation-report.json', 'policy-validation-report.json'].map((f) => path.join(outdir, f)).find((f) => fs.existsSync(f));
  expect(file).toBeDefined();
  const report = JSON.parse(fs.readFileSync(file!, 'utf8'));
  const aisec = report.pluginReports.find((p: any) => pluginName(p) === 'AiSec');
  const findings = flat(aisec);
  expect(findings).toEqual(expect.arrayContaining([expect.stringMatching(/^AiSec-ECRScanOnPush Consumer\/PlainRepository/), expect.stringMatching(/^AiSec-ECRTagImmutability Consumer\/PlainRepository/)]));
  expect(findings.filter((f: string) => / Consumer\/(Data|Training)\//.test(f))).toEqual([]);
  const solutions = report.pluginReports.find((p: any) => pluginName(p) === 'AwsSolutions');
  const solutionsFindings = flat(solutions);
  expect(solutionsFindings.filter((f: string) => /^AwsSolutions-S1 Consumer\/PlainBucket/.test(f)).length).toBeGreaterThan(0);
  // the library's acknowledgements are honoured, the role's finding-scoped ones
  // (AwsSolutions-IAM5[Resource::arn:...]) included
  expect(solutionsFindings.filter((f: string) => / Consumer\/(Data|Training)\//.test(f))).toEqual([]);
  return report;
}

function pluginName(report: any): string {
  return report.pluginName ?? report.summary?.pluginName;
}

/** A plugin report's violations as `<rule> <construct path>` (the report names constructs, not logical IDs). */
function flat(plugin: any): string[] {
  return (plugin?.violations ?? []).flatMap((v: any) => (v.violatingConstructs ?? []).map((c: any) => `${v.ruleName} ${c.constructPath}`));
}
