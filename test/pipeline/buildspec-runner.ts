import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

type Json = any;

/** The buildspec and plain environment variables of a CodeBuild project of a synthesized template. */
export interface ProjectBuild {
  readonly buildspec: Json;
  /** Project environment variables whose value is a plain string (tokens are left out: give them in `env`). */
  readonly variables: Record<string, string>;
}

export function projectBuild(project: Json): ProjectBuild {
  const buildspec = JSON.parse(project.Properties.Source.BuildSpec);
  const variables: Record<string, string> = {};
  for (const v of project.Properties.Environment.EnvironmentVariables ?? []) {
    if (typeof v.Value === 'string') variables[v.Name] = v.Value;
  }
  for (const [name, value] of Object.entries<Json>(buildspec.env?.variables ?? {})) {
    if (typeof value === 'string') variables[name] = value;
  }
  return { buildspec, variables };
}

export interface RunResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** One line per stub invocation: `<tool> <args...>`. */
  readonly calls: string[];
  /** The source directory the commands ran in. */
  readonly workdir: string;
  /** $HOME of the run: a sibling of the source directory, as /root is in CodeBuild. */
  readonly home: string;
}

const PHASES = ['install', 'pre_build', 'build', 'post_build'];

/**
 * Runs the commands of a buildspec as CodeBuild does in buildspec version 0.2: in one bash
 * process (`env.shell: bash`), phase after phase, stopping at the first command that exits
 * non-zero (CodeBuild user guide, "Shells and commands in build environments"). Tools come from
 * `stubDir` first, then /usr/bin and /bin, and node.
 */
export function runBuildspec(build: ProjectBuild, options: { stubDir: string; workdir: string; env?: Record<string, string> }): RunResult {
  expect(build.buildspec.version).toBe('0.2');
  expect(build.buildspec.env?.shell).toBe('bash');
  const lines = ['cd "$WORKDIR"'];
  for (const phase of PHASES) {
    for (const command of build.buildspec.phases?.[phase]?.commands ?? []) {
      lines.push(command);
      lines.push(`__rc=$?; if [ $__rc -ne 0 ]; then echo "[buildspec] ${phase} command failed with exit code $__rc" >&2; exit $__rc; fi`);
    }
  }
  const script = path.join(options.workdir, '..', `buildspec-${path.basename(options.workdir)}.sh`);
  fs.writeFileSync(script, `${lines.join('\n')}\n`);
  const calls = path.join(options.workdir, '..', `calls-${path.basename(options.workdir)}.log`);
  fs.writeFileSync(calls, '');
  // Not the source directory: in CodeBuild $HOME is /root, the source is under /codebuild/output.
  const home = path.join(options.workdir, '..', `home-${path.basename(options.workdir)}`);
  fs.mkdirSync(home, { recursive: true });
  const result = spawnSync('/bin/bash', [script], {
    encoding: 'utf8',
    env: {
      PATH: [options.stubDir, path.dirname(process.execPath), '/usr/bin', '/bin'].join(':'),
      HOME: home,
      WORKDIR: options.workdir,
      STUB_CALLS: calls,
      ...build.variables,
      ...options.env,
    },
    timeout: 30_000,
  });
  return {
    status: result.status ?? -1,
    stdout: result.stdout,
    stderr: result.stderr,
    calls: fs.readFileSync(calls, 'utf8').split('\n').filter((l) => l !== ''),
    workdir: options.workdir,
    home,
  };
}

/** The files and directories under `dir`, relative to it, sorted ([] for an empty or missing directory). */
export function listTree(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const name = rel === '' ? entry.name : `${rel}/${entry.name}`;
      found.push(name);
      if (entry.isDirectory()) walk(name);
    }
  };
  walk('');
  return found.sort();
}

/** A fresh directory under the OS temp dir. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** Writes an executable bash stub that logs its invocation to $STUB_CALLS, then runs `body`. */
export function writeStub(dir: string, name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/bash\necho "${name} $*" >> "$STUB_CALLS"\n${body}\n`, { mode: 0o755 });
  return file;
}
