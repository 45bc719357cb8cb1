import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** The outcome of `npx cdk synth -q` of the example app. */
export interface ExampleSynth {
  /** The CLI's exit status. */
  readonly status: number | null;
  /** What it wrote on stderr (the synthesis summary, or why it failed). */
  readonly stderr: string;
  /** The cloud assembly directory. */
  readonly outdir: string;
}

const ROOT = path.join(__dirname, '..', '..');

/**
 * `npx cdk synth -q` of the example app (the README's main job: every check, through the CLI and
 * cdk.json), run once per Jest run and shared by the test files that read its output: it is the
 * most expensive synthesis of the suite. The first caller synthesizes; a caller in another worker
 * at the same time waits for it. Outside a Jest run with the global setup (a single file run with
 * another configuration), each call synthesizes on its own.
 */
export async function synthesizeExampleApp(): Promise<ExampleSynth> {
  const runDir = process.env.CDK_SECURE_AI_TEST_RUN_DIR;
  if (!runDir) return synth(fs.mkdtempSync(path.join(os.tmpdir(), 'synth-')));
  const dir = path.join(runDir, 'example-synth');
  const result = path.join(dir, 'result.json');
  try {
    fs.mkdirSync(dir); // atomic: exactly one caller per run gets here first
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    while (!fs.existsSync(result)) await new Promise((resolve) => setTimeout(resolve, 500));
    return JSON.parse(fs.readFileSync(result, 'utf8'));
  }
  const outcome = synth(path.join(dir, 'cdk.out'));
  fs.writeFileSync(`${result}.tmp`, JSON.stringify(outcome));
  fs.renameSync(`${result}.tmp`, result);
  return outcome;
}

function synth(outdir: string): ExampleSynth {
  const run = spawnSync('npx', ['cdk', 'synth', '-q', '--output', outdir], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, stderr: run.stderr, outdir };
}
