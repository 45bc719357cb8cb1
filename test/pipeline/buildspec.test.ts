import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnWaitConditionHandle, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { projectBuild, ProjectBuild, runBuildspec, tempDir, writeStub } from './buildspec-runner';
import { pipelineFixture } from './fixture';
import { ModelImageBuild } from '../../lib';

type Json = any;

/**
 * The shell commands of the synthesized buildspecs, run here with bash against stub tools.
 * Each stub logs its invocation, so the tests see what ran and in which order.
 */

function projects(stack: Stack): [string, Json][] {
  return Object.entries<Json>(Template.fromStack(stack).toJSON().Resources).filter(([, r]) => r.Type === 'AWS::CodeBuild::Project');
}

describe('synth step', () => {
  const { stack } = pipelineFixture({}, { checks: false });
  const [, synthProject] = projects(stack).find(([id]) => id.includes('Synth'))!;
  const build: ProjectBuild = projectBuild(synthProject);
  const root = tempDir('synth-step-');
  const stubs = path.join(root, 'bin');
  const reports = path.join(root, 'reports');

  beforeAll(() => {
    fs.mkdirSync(stubs);
    fs.mkdirSync(reports);
    // Real validation reports, written by CDK with a cdk-nag pack registered.
    for (const [name, addResources] of [['clean', () => undefined], ['violation', (s: Stack) => new sns.Topic(s, 'Topic')]] as const) {
      const outdir = path.join(root, `assembly-${name}`);
      const app = new App({ outdir, context: { [cxapi.FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false } });
      Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
      const s = new Stack(app, 'Checked');
      s.templateOptions.description = 'checked';
      // one resource no check reports, so the template is valid whatever else the environment adds
      new CfnWaitConditionHandle(s, 'Placeholder');
      addResources(s);
      app.synth();
      fs.copyFileSync(path.join(outdir, cxapi.VALIDATION_REPORT_FILE), path.join(reports, `${name}.json`));
    }
    // A warning-only report: the real violation, reported as a warning.
    const warning = JSON.parse(fs.readFileSync(path.join(reports, 'violation.json'), 'utf8'));
    for (const p of warning.pluginReports) for (const v of p.violations) v.severity = 'warning';
    fs.writeFileSync(path.join(reports, 'warning.json'), JSON.stringify(warning));
    writeStub(stubs, 'npm', 'exit 0');
    // `npx cdk synth`: writes the assembly's validation report (if any), prints a summary on stderr.
    writeStub(stubs, 'npx', [
      'mkdir -p cdk.out',
      'if [ -n "${STUB_REPORT:-}" ]; then cp "$STUB_REPORT" cdk.out/validation-report.json; fi',
      'echo "Synthesis summary: 1 stack, checks AwsSolutions" >&2',
      'exit "${STUB_SYNTH_EXIT:-0}"',
    ].join('\n'));
  });

  const run = (env: Record<string, string>) => {
    const workdir = fs.mkdtempSync(path.join(root, 'run-'));
    return runBuildspec(build, { stubDir: stubs, workdir, env });
  };

  test('the reports are real: the clean one lists no violation, the other one SNS3', () => {
    expect(JSON.parse(fs.readFileSync(path.join(reports, 'clean.json'), 'utf8')).pluginReports).toEqual([]);
    const violation = JSON.parse(fs.readFileSync(path.join(reports, 'violation.json'), 'utf8'));
    expect(violation.pluginReports[0].violations[0].ruleName).toBe('AwsSolutions-SNS3');
  });

  test('passes on a clean report and keeps the report and the synthesis output', () => {
    const result = run({ STUB_REPORT: path.join(reports, 'clean.json') });
    expect(result.stderr).not.toMatch(/command failed/);
    expect(result.status).toBe(0);
    expect(result.calls).toEqual(['npm ci', 'npx cdk synth']);
    expect(fs.readFileSync(path.join(result.workdir, 'synth-reports', 'validation-report.json'), 'utf8'))
      .toBe(fs.readFileSync(path.join(reports, 'clean.json'), 'utf8'));
    for (const file of ['synth-reports/synthesis-output.txt', 'cdk.out/synthesis-output.txt']) {
      expect(fs.readFileSync(path.join(result.workdir, file), 'utf8')).toContain('Synthesis summary');
    }
  });

  test('fails on an unacknowledged finding, even when synthesis itself exited 0', () => {
    const result = run({ STUB_REPORT: path.join(reports, 'violation.json') });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('AwsSolutions: AwsSolutions-SNS3 (error)');
  });

  test('fails on a warning', () => {
    const result = run({ STUB_REPORT: path.join(reports, 'warning.json') });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('AwsSolutions-SNS3 (warning)');
  });

  test('fails without a validation report', () => {
    const result = run({});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('no validation ran');
  });

  test('fails when synthesis fails, although its output goes through tee (pipefail)', () => {
    const result = run({ STUB_REPORT: path.join(reports, 'clean.json'), STUB_SYNTH_EXIT: '1' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/build command failed/);
  });

  test('the switches that turn the checks off are unset before synthesis', () => {
    writeStub(stubs, 'npx', [
      'mkdir -p cdk.out',
      'if [ -n "${CDK_SECURE_AI_CHECKS:-}${CDK_VALIDATION:-}" ]; then exit 3; fi',
      'cp "$STUB_REPORT" cdk.out/validation-report.json',
    ].join('\n'));
    const result = run({ STUB_REPORT: path.join(reports, 'clean.json'), CDK_SECURE_AI_CHECKS: 'off', CDK_VALIDATION: 'false' });
    expect(result.status).toBe(0);
  });
});

describe('model image step', () => {
  const { stack } = pipelineFixture({}, { checks: false, everyOption: true });
  const [, imageProject] = projects(stack).find(([, p]) => p.Properties.Environment.PrivilegedMode === true)!;
  const build = projectBuild(imageProject);
  const root = tempDir('image-step-');
  const stubs = path.join(root, 'bin');
  const tarball = path.join(root, 'trivy.tar.gz');
  let tarballSha256 = '';
  const DIGEST = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
  const REPOSITORY_URI = '111122223333.dkr.ecr.us-east-1.amazonaws.com/sentiment';

  beforeAll(() => {
    fs.mkdirSync(stubs);
    // The "release": a tarball holding a stub trivy that reports findings when told to.
    const release = path.join(root, 'release');
    fs.mkdirSync(release);
    fs.copyFileSync(path.join(__dirname, 'stubs', 'trivy'), path.join(release, 'trivy'));
    fs.chmodSync(path.join(release, 'trivy'), 0o755);
    execFileSync('tar', ['-czf', tarball, '-C', release, 'trivy']);
    tarballSha256 = createHash('sha256').update(fs.readFileSync(tarball)).digest('hex');
    writeStub(stubs, 'curl', 'prev=""; for a in "$@"; do if [ "$prev" = -o ]; then cp "$STUB_TARBALL" "$a"; fi; prev="$a"; done');
    writeStub(stubs, 'docker', 'if [ "$1" = login ]; then cat > /dev/null; fi; exit "${STUB_DOCKER_EXIT:-0}"');
    writeStub(stubs, 'aws', [
      'case "$1 $2" in',
      '  "s3 cp") args=("$@"); n=${#args[@]}; d="$STUB_S3/${args[n-1]#s3://}"; mkdir -p "$d"; cp -r "${args[n-2]}"/. "$d";;',
      '  "ecr get-login-password") echo token;;',
      '  "ecr describe-images") echo "${STUB_DIGEST}";;',
      '  *) exit 2;;',
      'esac',
    ].join('\n'));
    writeStub(stubs, 'notation', 'exit "${STUB_NOTATION_EXIT:-0}"');
  });

  const run = (env: Record<string, string> = {}) => {
    const workdir = fs.mkdtempSync(path.join(root, 'run-'));
    const s3 = path.join(workdir, '..', `s3-${path.basename(workdir)}`);
    const result = runBuildspec(build, {
      stubDir: stubs,
      workdir,
      env: {
        // Token-valued project variables, as CloudFormation would resolve them:
        REPOSITORY_URI,
        REPOSITORY_NAME: 'sentiment',
        REPORT_BUCKET: 'evidence-bucket',
        // CodeBuild sets the source commit; /usr/local/bin is not writable here:
        CODEBUILD_RESOLVED_SOURCE_VERSION: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
        TOOLS_DIR: path.join(workdir, 'tools'),
        TRIVY_SHA256: tarballSha256, // the stub release's checksum (the pinned one is tested below)
        STUB_TARBALL: tarball,
        STUB_S3: s3,
        STUB_DIGEST: DIGEST,
        ...env,
      },
    });
    return { ...result, s3: path.join(s3, 'evidence-bucket', 'sentiment', '4b825dc642cb6eb9a060e54bf8d69288fbee4904') };
  };
  const tools = (calls: string[]) => calls.map((c) => c.split(' ').slice(0, 2).join(' '));

  test('clean: scans, keeps the SBOM and reports, pushes by tag, signs the digest', () => {
    const result = run();
    expect(result.stderr).not.toMatch(/command failed/);
    expect(result.status).toBe(0);
    expect(tools(result.calls)).toEqual([
      'curl -sSfL', 'trivy --version',
      'trivy fs', 'docker build', 'trivy image', 'trivy image', 'aws s3',
      'aws ecr', 'docker login', 'docker push', 'aws ecr', 'notation sign',
    ]);
    const call = (prefix: string) => result.calls.find((c) => c.startsWith(prefix))!;
    expect(call('curl')).toContain('https://github.com/aquasecurity/trivy/releases/download/v0.68.2/trivy_0.68.2_Linux-64bit.tar.gz');
    expect(call('trivy fs')).toContain('--severity CRITICAL,HIGH,MEDIUM');
    expect(call('trivy fs')).not.toContain('--ignore-unfixed'); // failOnUnfixed: true in this fixture
    expect(call('trivy fs')).toMatch(/ model\/sentiment$/);
    expect(call('docker push')).toBe(`docker push ${REPOSITORY_URI}:4b825dc642cb6eb9a060e54bf8d69288fbee4904`);
    expect(call('notation sign')).toContain(`--id arn:aws:signer:us-east-1:111122223333:/signing-profiles/ModelImages ${REPOSITORY_URI}@${DIGEST}`);
    expect(JSON.parse(fs.readFileSync(path.join(result.s3, 'sbom.cdx.json'), 'utf8')).bomFormat).toBe('CycloneDX');
    expect(fs.readdirSync(result.s3).sort()).toEqual(['dependencies.json', 'image-scan.json', 'sbom.cdx.json']);
    expect(result.stdout).toContain(`pushed ${REPOSITORY_URI}@${DIGEST}`);
  });

  test('an image finding fails the build before anything is pushed; the reports are kept', () => {
    const result = run({ STUB_IMAGE_FINDING: '1' });
    expect(result.status).not.toBe(0);
    expect(result.calls.some((c) => c.startsWith('docker push'))).toBe(false);
    expect(result.calls.some((c) => c.startsWith('notation'))).toBe(false);
    expect(fs.readFileSync(path.join(result.s3, 'image-scan.json'), 'utf8')).toContain('CVE-2024-0001');
    expect(fs.existsSync(path.join(result.s3, 'sbom.cdx.json'))).toBe(true);
  });

  test('a dependency finding in the build context fails the build before anything is pushed', () => {
    const result = run({ STUB_FS_FINDING: '1' });
    expect(result.status).not.toBe(0);
    expect(result.calls.some((c) => c.startsWith('docker push'))).toBe(false);
    expect(fs.readFileSync(path.join(result.s3, 'dependencies.json'), 'utf8')).toContain('CVE-2024-0001');
  });

  test('a download that does not match the pinned checksum is refused before Trivy runs', () => {
    // The checksum the template pins (the real release's) does not match the stub release.
    expect(build.variables.TRIVY_SHA256).toBe(ModelImageBuild.DEFAULT_TRIVY_SHA256);
    const result = run({ TRIVY_SHA256: build.variables.TRIVY_SHA256 });
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/FAILED/);
    expect(tools(result.calls)).toEqual(['curl -sSfL']);
    expect(fs.existsSync(path.join(result.workdir, 'tools', 'trivy'))).toBe(false);
  });

  test('only fixable findings fail by default (--ignore-unfixed)', () => {
    const result = run({ IGNORE_UNFIXED: 'true' });
    expect(result.status).toBe(0);
    expect(result.calls.find((c) => c.startsWith('trivy image'))).toContain('--ignore-unfixed');
  });

  test('a failed signature fails the build', () => {
    const result = run({ STUB_NOTATION_EXIT: '1' });
    expect(result.status).toBe(1);
  });

  test('no digest read back fails the build (nothing is signed)', () => {
    const result = run({ STUB_DIGEST: 'None' });
    expect(result.status).not.toBe(0);
    expect(result.calls.some((c) => c.startsWith('notation'))).toBe(false);
  });

  test('no source commit, no image', () => {
    const result = run({ CODEBUILD_RESOLVED_SOURCE_VERSION: '' });
    expect(result.status).not.toBe(0);
    expect(result.calls.some((c) => c.startsWith('docker build'))).toBe(false);
  });
});
