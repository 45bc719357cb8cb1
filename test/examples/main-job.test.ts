import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthesizeExampleApp } from '../support/example-synth';

/**
 * The README's main job, `npx cdk synth`, run as a user runs it: through the CLI, with cdk.json.
 */
describe('cdk synth (the main job)', () => {
  const root = path.join(__dirname, '..', '..');
  const synth = (...args: string[]) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'synth-'));
    const result = spawnSync('npx', ['cdk', 'synth', '-q', '--output', outdir, ...args], { cwd: root, encoding: 'utf8' });
    return { ...result, outdir };
  };

  test('synthesizes the example app and leaves templates and the validation report in the output', async () => {
    const { status, stderr, outdir } = await synthesizeExampleApp();
    expect({ status, stderr: status === 0 ? '' : stderr }).toEqual({ status: 0, stderr: '' });
    expect(stderr).toContain('=== Synthesis summary ===');
    const files = fs.readdirSync(outdir);
    expect(files.filter((f) => f.endsWith('.template.json')).length).toBeGreaterThan(0);
    const report = JSON.parse(fs.readFileSync(path.join(outdir, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports.flatMap((r: { violations: unknown[] }) => r.violations)).toEqual([]);

    // ...and ends with the reviewer's summary, whose counts agree with what was written
    const templates = files.filter((f) => f.endsWith('.template.json'));
    const resources = templates.reduce((n, f) => n + Object.keys(JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')).Resources).length, 0);
    const summary = stderr.slice(stderr.indexOf('=== Synthesis summary ==='));
    expect(summary).toContain(`Stacks:           ${templates.length}\n`);
    expect(summary).toContain(`Resources:        ${resources}\n`);
    expect(summary).toContain('Checks run:       8 (AwsSolutions, HIPAA.Security, NIST.800.53.R5, PCI.DSS.321, Serverless, AiSec, cdk-validator-cfnguard, CloudFormation Validate)');
    expect(summary).toContain('Violations:       0\n');
    expect(summary).toMatch(/Acknowledgements: \d+ on \d+ resources, for \d+ reasons:/);
  });

  test('fails on an unacknowledged violation and names it', () => {
    const { status, stdout, stderr } = synth('--app', 'node -r ts-node/register/transpile-only test/fixtures/non-compliant-app.ts');
    expect(status).not.toBe(0);
    const output = `${stdout}\n${stderr}`;
    expect(output).toMatch(/AwsSolutions-S1|server access logs disabled/);
    expect(output).toContain('NonCompliant/PlainBucket/Resource');
  });
});
