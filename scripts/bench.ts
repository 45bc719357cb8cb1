/**
 * Benchmark of the example app (the `cdk.json` app): what a user's pipeline pays to synthesize it
 * and what its stacks cost to keep deployed while idle.
 *
 *   npm run bench            # 5 interleaved rounds (stops early, after 3 rounds at least, past 3.5 minutes)
 *   npm run bench -- 9       # 9 rounds
 *
 * Measures, in one run and interleaved round by round (so machine load hits each alike), the
 * whole-process wall-clock time of:
 *  - the example app with every check (cdk-nag packs, AiSecurityChecks, cfn-guard, schema validation),
 *    run as cdk.json runs it (node + ts-node transpile-only, with cdk.json's context);
 *  - the same app with CloudFormation schema validation only (CDK_SECURE_AI_CHECKS=off: no plugins);
 *  - the same app without checks (CDK_SECURE_AI_CHECKS=off and CDK_VALIDATION=false: no schema
 *    validation either);
 *  - a baseline aws-cdk-lib app with the same resources, no library code and no checks
 *    (scripts/bench/baseline-app.ts: plain CfnResources generated from the synthesized templates).
 * It checks that all of them produce the same templates, then, for each stack of the cloud assembly
 * (found through manifest.json, Stages included): resources, template bytes, custom resources with
 * their documented reasons (scripts/bench/custom-resources.json) and the idle fixed monthly cost
 * (scripts/bench/cost.ts with the list prices of scripts/prices.json).
 *
 * Writes docs/benchmark.md (committed) and .bench/bench.json (raw samples). A benchmark, not a
 * test: it asserts only that the three apps synthesize the same templates.
 */
import * as assert from 'assert';
import { execSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CostEstimate, CostLine, estimateIdleMonthlyCost, PriceData } from './bench/cost';
import { assemblyStacks, CustomResourceReason, inventory, StackInventory, stageOf } from './bench/inventory';

const root = path.join(__dirname, '..');
const rounds = Number(process.argv[2] ?? 5);
const BUDGET_SECONDS = 210;
const MIN_ROUNDS = 3;
const work = path.join(root, '.bench');
fs.mkdirSync(work, { recursive: true });
const context = JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8')).context;
const prices: PriceData = JSON.parse(fs.readFileSync(path.join(__dirname, 'prices.json'), 'utf8'));
const reasons: CustomResourceReason[] = JSON.parse(fs.readFileSync(path.join(__dirname, 'bench/custom-resources.json'), 'utf8'));

interface Variant { readonly key: string; readonly name: string; readonly script: string; readonly env: Record<string, string> }
const outdir = (key: string) => path.join(work, `cdk.out-${key}`);
const variants: Variant[] = [
  { key: 'checks', name: 'example app, all checks', script: 'examples/app.ts', env: {} },
  { key: 'schemaonly', name: 'example app, schema validation only', script: 'examples/app.ts', env: { CDK_SECURE_AI_CHECKS: 'off' } },
  { key: 'nochecks', name: 'example app, no checks', script: 'examples/app.ts', env: { CDK_SECURE_AI_CHECKS: 'off', CDK_VALIDATION: 'false' } },
  { key: 'baseline', name: 'baseline (plain CfnResources), no checks', script: 'scripts/bench/baseline-app.ts', env: { CDK_VALIDATION: 'false', BENCH_BASELINE_FROM: outdir('nochecks') } },
];

function synth(v: Variant): number {
  fs.rmSync(outdir(v.key), { recursive: true, force: true });
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', v.script], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CDK_SECURE_AI_CHECKS: undefined, ...v.env, CDK_OUTDIR: outdir(v.key), CDK_CONTEXT_JSON: JSON.stringify(context) },
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${v.name} failed (exit ${result.status}):\n${result.stderr}`);
  return seconds;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// ---- timing ----
const loadBefore = os.loadavg();
const started = Date.now();
console.log('warm-up round (file-system caches, ts-node)...');
for (const v of variants) synth(v);
const samples: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v.key, []]));
let done = 0;
for (; done < rounds; done++) {
  if (done >= MIN_ROUNDS && (Date.now() - started) / 1000 > BUDGET_SECONDS) break;
  for (const v of variants) samples[v.key].push(synth(v));
  console.log(`round ${done + 1}/${rounds}: ${variants.map((v) => `${v.key} ${samples[v.key][done].toFixed(2)} s`).join(', ')}`);
}
const loadAfter = os.loadavg();
const timings = variants.map((v) => {
  const xs = samples[v.key];
  return { ...v, median: median(xs), min: Math.min(...xs), max: Math.max(...xs), samples: xs };
});
const t = Object.fromEntries(timings.map((x) => [x.key, x]));

// ---- same templates in every variant ----
const stacks = assemblyStacks(outdir('checks'));
for (const key of ['schemaonly', 'nochecks', 'baseline']) {
  const other = new Map(assemblyStacks(outdir(key)).map((s) => [s.id.replace(/[^A-Za-z0-9-]/g, '-'), s.templateFile]));
  for (const s of stacks) {
    const file = other.get(s.id.replace(/[^A-Za-z0-9-]/g, '-'));
    assert.ok(file, `${key}: no stack ${s.id}`);
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(file, 'utf8')).Resources, JSON.parse(fs.readFileSync(s.templateFile, 'utf8')).Resources, `${key}: ${s.id} differs`);
  }
}

// ---- per stack ----
interface StackReport extends StackInventory { readonly id: string; readonly stage: string; readonly cost: CostEstimate }
const texts = new Map(stacks.map((s) => [s.id, fs.readFileSync(s.templateFile, 'utf8')]));
const templates = new Map([...texts].map(([id, text]) => [id, JSON.parse(text)]));
// Account-wide services (Access Analyzer's unused access, Macie) count the roles, users and buckets
// of every stack of the stage: each stage is meant for its own account.
const stageTemplates = (stage: string) => stacks.filter((s) => stageOf(s.id) === stage).map((s) => templates.get(s.id));
const reports: StackReport[] = stacks.map((s) => {
  const text = texts.get(s.id)!;
  const template = templates.get(s.id);
  const stage = stageOf(s.id);
  const cost = estimateIdleMonthlyCost(template, prices, stageTemplates(stage));
  return { id: s.id, stage, ...inventory(template, Buffer.byteLength(text), reasons), cost };
});
const stages = [...new Set(reports.map((r) => r.stage))];

// ---- report ----
const usd = (x: number) => `$${x.toFixed(2)}`;
/** A unit price as published: no rounding of $0.115 to $0.12. */
const price = (x: number) => `$${x.toFixed(Math.max(2, (String(x).split('.')[1] ?? '').length))}`;
const sec = (x: number) => `${x.toFixed(2)} s`;
const version = (pkg: string) => JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [root] }), 'utf8')).version;
const git = (cmd: string) => {
  try { return execSync(`git ${cmd}`, { cwd: root, encoding: 'utf8' }).trim(); } catch { return '?'; }
};
const total = (f: (r: StackReport) => number) => reports.reduce((sum, r) => sum + f(r), 0);
const customCount = total((r) => r.customResources.length);
const undocumented = reports.flatMap((r) => r.customResources.filter((c) => !c.reason).map((c) => `${r.id}/${c.logicalId} (${c.type})`));
const documentedTypes = [...new Set(reports.flatMap((r) => r.customResources.map((c) => c.reason)).filter((x): x is CustomResourceReason => !!x))];
const notModelled = [...new Set(reports.flatMap((r) => r.cost.notModelled))].sort();
const unpriced = reports.flatMap((r) => r.cost.unpriced.map((u) => `${r.id}: ${u}`));
const cpus = os.cpus();
const byItem = [...reports.flatMap((r) => r.cost.lines).reduce((m, l) => {
  const prev = m.get(l.item);
  return m.set(l.item, prev ? { ...prev, quantity: prev.quantity + l.quantity, monthly: prev.monthly + l.monthly } : l);
}, new Map<string, CostLine>()).values()].sort((a, b) => b.monthly - a.monthly);

const md = [
  '# Benchmark',
  '',
  '<!-- Generated by `npm run bench` (scripts/bench.ts). Do not edit by hand: run it again. -->',
  '',
  'For each stack of the example app (the `cdk.json` app): resources, template size, custom resources and the idle fixed monthly cost; '
  + 'and what synthesizing it costs with and without the checks, against a plain aws-cdk-lib app with the same resources. '
  + 'Regenerate with `npm run bench` (`npm run bench -- 9` for 9 rounds; about 4 minutes on 2 busy cores at the default 5).',
  '',
  `Generated ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} at commit \`${git('rev-parse --short HEAD')}\`${git('status --porcelain -- lib examples scripts') ? ' (with uncommitted changes)' : ''}. `
  + 'Numbers depend on the machine and its load: compare runs on the same machine, and read the ratios rather than the seconds.',
  '',
  '## Machine',
  '',
  '| | |',
  '|---|---|',
  `| CPU | ${cpus.length} × ${cpus[0]?.model ?? '?'} (\`nproc\` ${cpus.length}) |`,
  `| Memory | ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB |`,
  `| OS | ${os.type()} ${os.release()} |`,
  `| Node.js | ${process.version} |`,
  `| aws-cdk-lib / cdk-nag | ${version('aws-cdk-lib')} / ${version('cdk-nag')} |`,
  `| Load average (1/5/15 min) | before ${loadBefore.map((x) => x.toFixed(2)).join(' / ')}, after ${loadAfter.map((x) => x.toFixed(2)).join(' / ')} |`,
  '',
  '## Synth time (whole process)',
  '',
  `Median of ${done} interleaved round${done === 1 ? '' : 's'} after one warm-up round; each run is a fresh \`node -r ts-node/register/transpile-only <app>\` `
  + 'process with the context of cdk.json, as `cdk synth` starts the app (the CLI\'s own start-up is not included).',
  '',
  '| App | Median | Min | Max | Ratio to baseline |',
  '|---|---:|---:|---:|---:|',
  ...timings.map((x) => `| ${x.name} | ${sec(x.median)} | ${sec(x.min)} | ${sec(x.max)} | ${(x.median / t.baseline.median).toFixed(1)}× |`),
  '',
  `- **The checks** cost ${sec(t.checks.median - t.nochecks.median)} per synth `
  + `(${(t.checks.median / t.nochecks.median).toFixed(1)}× the app without them): CDK's CloudFormation schema validation ${sec(t.schemaonly.median - t.nochecks.median)}, `
  + `the validation plugins of examples/compliance.ts (cdk-nag packs, AiSecurityChecks, cfn-guard Control Tower rules) ${sec(t.checks.median - t.schemaonly.median)}.`,
  `- **The library** (its constructs, with no checks) costs ${sec(t.nochecks.median - t.baseline.median)} over the baseline `
  + `(${(t.nochecks.median / t.baseline.median).toFixed(1)}×). This includes loading the aws-cdk-lib modules the constructs use (ec2, iam, kms, s3, sagemaker, ...), which the baseline never loads, `
  + 'and ts-node transpiling the library\'s TypeScript sources (a consumer of the published package loads compiled JavaScript).',
  '- **Schema validation only** means `CDK_SECURE_AI_CHECKS=off` (examples/compliance.ts registers no validation plugin); **no checks** adds `CDK_VALIDATION=false` (no CloudFormation schema validation either).',
  '- **The baseline** is not hand-written: scripts/bench/baseline-app.ts reads the example app\'s synthesized templates and declares one plain `CfnResource` per resource (same logical ID, type, properties, DependsOn, policies, metadata, outputs). '
  + 'A hand-written L1 app of the same resources would be thousands of lines to keep in step with the example app; the generated one is the cheapest way aws-cdk-lib can produce those templates, '
  + 'and the bench checks that every variant synthesizes the same Resources. It does not stage the custom resource\'s Lambda asset (the templates reference it by hash).',
  '',
  '## Stacks',
  '',
  `${reports.length} stacks, ${total((r) => r.resources)} resources, ${(total((r) => r.templateBytes) / 1024).toFixed(1)} KiB of templates, `
  + `${customCount} custom resource${customCount === 1 ? '' : 's'}${undocumented.length ? `, **${undocumented.length} without a written reason**` : ', each with a written reason'}, `
  + `idle fixed cost ${usd(total((r) => r.cost.monthly))} per month.`,
  '',
  '| Stack | Resources | Template bytes | Custom resources | Idle fixed cost / month |',
  '|---|---:|---:|---|---:|',
  ...reports.map((r) => `| ${r.id} | ${r.resources} | ${r.templateBytes.toLocaleString('en-US')} | ${r.customResources.length === 0 ? '0'
    : r.customResources.map((c) => `${c.type} (${c.backend === 'lambda' ? 'Lambda-backed' : c.backend})${c.reason ? '' : ' **no written reason**'}`).join(', ')} | ${usd(r.cost.monthly)} |`),
  `| **Total** | ${total((r) => r.resources)} | ${total((r) => r.templateBytes).toLocaleString('en-US')} | ${customCount} | ${usd(total((r) => r.cost.monthly))} |`,
  '',
  '### Custom resources',
  '',
  'Target: none without a written reason. Reasons are kept in scripts/bench/custom-resources.json; a test checks the library file still documents each one.',
  '',
  ...(documentedTypes.length === 0 && undocumented.length === 0 ? ['None.'] : [
    '| Type | Deployed by | Why CloudFormation alone cannot do it | Documented in |',
    '|---|---|---|---|',
    ...documentedTypes.map((r) => `| ${r.type} | ${r.construct} | ${r.reason} | ${r.documentedIn} |`),
    ...undocumented.map((u) => `| ${u} | ? | **no written reason** | |`),
  ]),
  '',
  '## Idle fixed monthly cost',
  '',
  `What the stacks bill per month while deployed with no traffic, no stored data and no requests, from the on-demand **list prices** of ${prices.region} in scripts/prices.json `
  + `(${prices.currency}, ${prices.hoursPerMonth} hours a month, no free tier, discount or tax; prices recorded on the date in the file — re-check them on the linked pages before relying on them). `
  + 'Usage (requests, GB processed, storage, log ingestion, KMS requests, the Lambda of a custom resource) is not included. '
  + 'IAM Access Analyzer\'s unused access analyzer and Amazon Macie bill for what the account holds: their quantities are the IAM roles and users, and the S3 buckets, '
  + 'of all the stacks of the stage (each stage is meant for its own account), a lower bound — the account\'s other roles and buckets (CDK bootstrap, service-linked roles, other applications) are billed too.',
  '',
  '| Stage (account) | Stacks | Idle fixed cost / month |',
  '|---|---:|---:|',
  ...stages.map((st) => `| ${st} | ${reports.filter((r) => r.stage === st).length} | ${usd(reports.filter((r) => r.stage === st).reduce((sum, r) => sum + r.cost.monthly, 0))} |`),
  '',
  '| Item | Quantity (all stacks) | Unit price | Per month |',
  '|---|---:|---:|---:|',
  ...byItem.map((l) => `| [${l.name}](${l.source}) | ${l.quantity} | ${price(l.unitPrice)}${l.hourly ? ' / h' : ' / month'} | ${usd(l.monthly)} |`),
  `| **Total** | | | ${usd(total((r) => r.cost.monthly))} |`,
  '',
  'By stack:',
  '',
  '| Stack | Item | Quantity | Per month |',
  '|---|---|---:|---:|',
  ...reports.flatMap((r) => r.cost.lines.map((l) => `| ${r.id} | ${l.name} | ${l.quantity} | ${usd(l.monthly)} |`)),
  '',
  ...(unpriced.length ? ['Not priced — resources that may bill while idle but that the data file cannot price, with the reason (not in the totals):', '', ...unpriced.map((u) => `- ${u}`), ''] : []),
  notModelled.length
    ? `Resource types the estimate does not model (in neither list of scripts/prices.json; not in the totals): ${notModelled.map((x) => `\`${x}\``).join(', ')}.`
    : 'Every resource type in the templates is either priced above, listed above as not priced, or listed in scripts/prices.json as having no idle fixed cost.',
  '',
  '### Unit prices (scripts/prices.json)',
  '',
  '| Item | Unit | List price | What it covers | Source | Recorded |',
  '|---|---|---:|---|---|---|',
  ...Object.values(prices.items).map((p) => `| ${p.name} | ${p.unit} | ${price(p.price)} | ${p.description} | ${p.source} | ${p.recorded} |`),
  ...Object.entries(prices.sageMakerHostingInstanceHour.prices).map(([type, p]) => `| SageMaker real-time inference ${type} | instance-hour | ${price(p)} | hosting instance of a real-time endpoint, billed while the endpoint exists | ${prices.sageMakerHostingInstanceHour.source} | ${prices.sageMakerHostingInstanceHour.recorded} |`),
  '',
].join('\n');

fs.mkdirSync(path.join(root, 'docs'), { recursive: true });
// The AiSecurityChecks section is measured by scripts/bench-nag.ts and written by hand between
// these markers: carry it over.
const benchFile = path.join(root, 'docs', 'benchmark.md');
const kept = fs.existsSync(benchFile) ? /<!-- aisec:begin -->[\s\S]*<!-- aisec:end -->\n/.exec(fs.readFileSync(benchFile, 'utf8'))?.[0] : undefined;
fs.writeFileSync(benchFile, kept ? `${md}\n${kept}` : md);
fs.writeFileSync(path.join(work, 'bench.json'), JSON.stringify({ date: new Date().toISOString(), timings, stacks: reports }, undefined, 2));
console.log(md);
