/**
 * Synth-time benchmark of the example app: what a user's pipeline pays for `npx cdk synth`.
 *
 *   npm run bench            # 5 runs of each measurement
 *   npm run bench -- 9       # 9 runs
 *
 * Reports the median, min and max wall-clock time of:
 *  - `cdk synth` through the CLI (the README's main job, every check on);
 *  - the app process alone (no CLI), every check on;
 *  - the app process with CDK's CloudFormation schema validation off (CDK_VALIDATION=false),
 *    which shows what schema validation costs.
 * Results are printed and written to .bench/synth.json. This is a benchmark, not a test: it
 * asserts nothing and is never part of `npm test`.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const root = path.join(__dirname, '..');
const runs = Number(process.argv[2] ?? 5);

interface Measurement { readonly name: string; readonly command: string[]; readonly env?: Record<string, string> }

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-'));
const measurements: Measurement[] = [
  { name: 'cdk synth (CLI, all checks)', command: ['npx', 'cdk', 'synth', '-q', '--output', outdir] },
  { name: 'app process (all checks)', command: ['node', '-r', 'ts-node/register/transpile-only', 'examples/app.ts'], env: { CDK_OUTDIR: outdir } },
  { name: 'app process (no schema validation)', command: ['node', '-r', 'ts-node/register/transpile-only', 'examples/app.ts'], env: { CDK_OUTDIR: outdir, CDK_VALIDATION: 'false' } },
];

function time(m: Measurement): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(m.command[0], m.command.slice(1), { cwd: root, env: { ...process.env, ...m.env }, stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`${m.name} failed (exit ${result.status}):\n${result.stderr}`);
  return seconds;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const results = measurements.map((m) => {
  time(m); // warm-up: file-system caches, npx resolution
  const samples = Array.from({ length: runs }, () => time(m));
  return { name: m.name, runs, median: median(samples), min: Math.min(...samples), max: Math.max(...samples), samples };
});

console.log(`Synth benchmark (${runs} runs each, ${os.cpus().length} cores, node ${process.version})`);
for (const r of results) {
  console.log(`  ${r.name.padEnd(38)} median ${r.median.toFixed(2)} s  (min ${r.min.toFixed(2)}, max ${r.max.toFixed(2)})`);
}
fs.mkdirSync(path.join(root, '.bench'), { recursive: true });
fs.writeFileSync(path.join(root, '.bench', 'synth.json'), JSON.stringify({ date: new Date().toISOString(), results }, undefined, 2));
fs.rmSync(outdir, { recursive: true, force: true });
