import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { App, CfnWaitConditionHandle, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks } from 'cdk-nag';
import { listTree, projectBuild, ProjectBuild, runBuildspec, tempDir, writeStub } from './buildspec-runner';
import { IMAGE_ID, pipelineFixture, SIGNING_PROFILE_ARN } from './fixture';
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

/**
 * The model image step, the verification before each stage and the synth step's hand-over of the
 * digest, run against stub tools that keep the registry's state in a directory: images pushed by
 * tag (immutable: a second push of a tag fails as ECR fails it, ImageTagAlreadyExistsException)
 * and the signatures made.
 */
describe('model image step', () => {
  const { stack } = pipelineFixture({}, { checks: false, everyOption: true });
  const all = projects(stack);
  const [, imageProject] = all.find(([, p]) => p.Properties.Environment.PrivilegedMode === true)!;
  const build = projectBuild(imageProject);
  const verifyBuild = (stage: string) => projectBuild(all.find(([id]) => id.includes(`Verify${IMAGE_ID}${stage}`))![1]);
  const synthBuild = projectBuild(all.find(([id]) => id.includes('Synth'))![1]);
  const root = tempDir('image-step-');
  const stubs = path.join(root, 'bin');
  const files: Record<string, string> = {};
  const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  const DIGEST = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
  const REPOSITORY_URI = '111122223333.dkr.ecr.us-east-1.amazonaws.com/sentiment';
  const COMMIT = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

  beforeAll(() => {
    fs.mkdirSync(stubs);
    // The "releases": tarballs holding stub trivy and notation, a plugin zip, a root certificate.
    for (const tool of ['trivy', 'notation']) {
      const release = path.join(root, `release-${tool}`);
      fs.mkdirSync(release);
      fs.copyFileSync(path.join(__dirname, 'stubs', tool), path.join(release, tool));
      fs.chmodSync(path.join(release, tool), 0o755);
      files[tool] = path.join(root, `${tool}.tar.gz`);
      execFileSync('tar', ['-czf', files[tool], '-C', release, tool]);
    }
    files.plugin = path.join(root, 'plugin.zip');
    fs.writeFileSync(files.plugin, 'stub plugin zip');
    files.cert = path.join(root, 'root.cert');
    fs.writeFileSync(files.cert, 'stub root certificate');
    // curl serves the file named by -o (by its base name); the stub URLs are checked in the clean run.
    writeStub(stubs, 'curl', [
      'out=""; prev=""; for a in "$@"; do if [ "$prev" = -o ]; then out="$a"; fi; prev="$a"; done',
      'case "${out##*/}" in trivy.tar.gz) src="$STUB_TRIVY";; notation.tar.gz) src="$STUB_NOTATION";; *.zip) src="$STUB_PLUGIN";; *.cert) src="$STUB_CERT";; *) exit 22;; esac',
      'cp "$src" "$out"',
    ].join('\n'));
    // docker: push fails for a tag the registry holds (tag immutability), pull needs the image.
    writeStub(stubs, 'docker', [
      'case "$1" in',
      '  login) cat > /dev/null;;',
      // build: what Docker would send as the build context (the last argument) is listed first.
      '  build) (cd "${!#}" && find . -mindepth 1 | sed "s|^\\./||" | LC_ALL=C sort) > "$STUB_CONTEXT_LISTING" || exit 1; exit "${STUB_DOCKER_EXIT:-0}";;',
      '  pull) [ -n "$(grep -rlx "${2##*@}" "$STUB_REGISTRY/tags" 2>/dev/null)" ] || exit 1;;',
      '  push) tag="${2##*:}"; if [ -f "$STUB_REGISTRY/tags/$tag" ]; then echo "tag invalid: The image tag \'$tag\' already exists in the repository and cannot be overwritten because the repository is immutable. (ImageTagAlreadyExistsException)" >&2; exit 1; fi',
      '        mkdir -p "$STUB_REGISTRY/tags"; echo "$STUB_DIGEST" > "$STUB_REGISTRY/tags/$tag";;',
      'esac',
    ].join('\n'));
    writeStub(stubs, 'aws', [
      'not_found() { echo "An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {$1} does not exist" >&2; exit 254; }',
      'case "$1 $2" in',
      '  "s3 cp") args=("$@"); n=${#args[@]}; d="$STUB_S3/${args[n-1]#s3://}"; mkdir -p "$d"; cp -r "${args[n-2]}"/. "$d";;',
      '  "ecr get-login-password") echo token;;',
      '  "ecr describe-images")',
      '    if [ -n "${STUB_DESCRIBE_ERROR:-}" ]; then echo "$STUB_DESCRIBE_ERROR" >&2; exit 254; fi',
      '    id=""; for a in "$@"; do case "$a" in imageTag=*|imageDigest=*) id="$a";; esac; done',
      '    case "$id" in',
      '      imageTag=*) f="$STUB_REGISTRY/tags/${id#imageTag=}"; [ -f "$f" ] && cat "$f" || not_found "$id";;',
      '      imageDigest=*) grep -rqx "${id#imageDigest=}" "$STUB_REGISTRY/tags" 2>/dev/null && echo "${id#imageDigest=}" || not_found "$id";;',
      '    esac;;',
      '  *) exit 2;;',
      'esac',
    ].join('\n'));
  });

  /** The source of the fixture's image: its build context, `model/sentiment`. */
  const FIXTURE_SOURCE = { 'model/sentiment/Dockerfile': 'FROM scratch\n', 'model/sentiment/requirements.txt': 'numpy==2.1.0\n' };
  const FIXTURE_TREE = ['model', 'model/sentiment', 'model/sentiment/Dockerfile', 'model/sentiment/requirements.txt'];
  /** A fresh registry (no image, no signature) unless one is given. */
  const newRegistry = () => fs.mkdtempSync(path.join(root, 'registry-'));
  /**
   * Runs a buildspec in a fresh source directory holding `source` (path: content). Tools and
   * temporary files go to siblings of it, as in CodeBuild (/usr/local/bin, /tmp).
   */
  const run = (env: Record<string, string> = {}, registry = newRegistry(), projectBuildToRun = build,
    source: Record<string, string> = FIXTURE_SOURCE) => {
    const workdir = fs.mkdtempSync(path.join(root, 'run-'));
    for (const [file, content] of Object.entries(source)) {
      fs.mkdirSync(path.dirname(path.join(workdir, file)), { recursive: true });
      fs.writeFileSync(path.join(workdir, file), content);
    }
    const sibling = (kind: string) => path.join(workdir, '..', `${kind}-${path.basename(workdir)}`);
    const s3 = sibling('s3');
    const toolsDir = sibling('tools');
    const tmpDir = sibling('tmp');
    fs.mkdirSync(tmpDir);
    const contextListing = sibling('context');
    const result = runBuildspec(projectBuildToRun, {
      stubDir: stubs,
      workdir,
      env: {
        // Token-valued project variables, as CloudFormation would resolve them:
        REPOSITORY_URI,
        REPOSITORY_NAME: 'sentiment',
        REPORT_BUCKET: 'evidence-bucket',
        // CodeBuild sets the source commit; /usr/local/bin is not writable here:
        CODEBUILD_RESOLVED_SOURCE_VERSION: COMMIT,
        TOOLS_DIR: toolsDir,
        TMPDIR: tmpDir,
        STUB_CONTEXT_LISTING: contextListing,
        // the stub releases' checksums (the pinned ones are tested below)
        TRIVY_SHA256: sha(files.trivy),
        NOTATION_SHA256: sha(files.notation),
        SIGNER_PLUGIN_SHA256: sha(files.plugin),
        SIGNER_ROOT_CERTIFICATE_SHA256: sha(files.cert),
        STUB_TRIVY: files.trivy,
        STUB_NOTATION: files.notation,
        STUB_PLUGIN: files.plugin,
        STUB_CERT: files.cert,
        STUB_S3: s3,
        STUB_REGISTRY: registry,
        STUB_DIGEST: DIGEST,
        ...env,
      },
    });
    return {
      ...result,
      registry,
      toolsDir,
      s3: path.join(s3, 'evidence-bucket', 'sentiment', COMMIT),
      /** The build context as `docker build` received it (undefined: no build ran). */
      contextAtBuild: fs.existsSync(contextListing) ? fs.readFileSync(contextListing, 'utf8').split('\n').filter((l) => l !== '') : undefined,
    };
  };
  // The two sides of a shell pipe (`aws ecr get-login-password | docker login ...`) start together
  // and log in either order: the pipe's pair is reported in a fixed order.
  const tools = (calls: string[]) => {
    const ordered = [...calls];
    for (let i = 0; i + 1 < ordered.length; i++) {
      if (/^(docker|notation) login /.test(ordered[i]) && ordered[i + 1].startsWith('aws ecr get-login-password')) {
        [ordered[i], ordered[i + 1]] = [ordered[i + 1], ordered[i]];
      }
    }
    return ordered.map((c) => c.split(' ').slice(0, 2).join(' '));
  };
  const pushes = (calls: string[]) => calls.filter((c) => c.startsWith('docker push'));
  const install = ['curl -sSfL', 'trivy --version', 'curl -sSfL', 'curl -sSfL', 'notation plugin', 'curl -sSfL', 'notation cert', 'notation policy', 'notation version'];

  test('clean: scans, keeps the SBOM and reports, pushes by tag, signs and verifies the digest, hands it on', () => {
    const result = run();
    expect(result.stderr).not.toMatch(/command failed/);
    expect(result.status).toBe(0);
    expect(tools(result.calls)).toEqual([
      ...install,
      'aws ecr', 'docker login', 'aws ecr',
      'trivy fs', 'docker build', 'trivy image', 'trivy image', 'aws s3',
      'docker push', 'aws ecr', 'notation sign', 'notation verify',
    ]);
    const call = (prefix: string) => result.calls.find((c) => c.startsWith(prefix))!;
    const downloads = result.calls.filter((c) => c.startsWith('curl'));
    expect(downloads[0]).toContain('https://github.com/aquasecurity/trivy/releases/download/v0.68.2/trivy_0.68.2_Linux-64bit.tar.gz');
    expect(downloads[1]).toContain('https://github.com/notaryproject/notation/releases/download/v1.3.2/notation_1.3.2_linux_amd64.tar.gz');
    expect(downloads[2]).toContain(ModelImageBuild.DEFAULT_SIGNER_PLUGIN_URL);
    expect(downloads[3]).toContain(ModelImageBuild.DEFAULT_SIGNER_ROOT_CERTIFICATE_URL);
    expect(call('notation cert')).toMatch(/^notation cert add --type signingAuthority --store aws-signer-ts \S+\/aws-signer-notation-root\.cert$/);
    expect(fs.readFileSync(path.join(result.home, '.config/notation/truststore/x509/signingAuthority/aws-signer-ts/aws-signer-notation-root.cert'), 'utf8'))
      .toBe('stub root certificate');
    expect(call('trivy fs')).toContain('--severity CRITICAL,HIGH,MEDIUM');
    expect(call('trivy fs')).not.toContain('--ignore-unfixed'); // failOnUnfixed: true in this fixture
    expect(call('trivy fs')).toMatch(/ model\/sentiment$/);
    expect(pushes(result.calls)).toEqual([`docker push ${REPOSITORY_URI}:${COMMIT}`]);
    expect(call('notation sign')).toContain(`--id ${SIGNING_PROFILE_ARN} ${REPOSITORY_URI}@${DIGEST}`);
    expect(JSON.parse(fs.readFileSync(path.join(result.s3, 'sbom.cdx.json'), 'utf8')).bomFormat).toBe('CycloneDX');
    expect(fs.readdirSync(result.s3).sort()).toEqual(['dependencies.json', 'image-scan.json', 'sbom.cdx.json']);
    expect(result.stdout).toContain(`pushed ${REPOSITORY_URI}@${DIGEST}`);
    // The trust policy (as Notation imported it) trusts the profile only, for this repository only.
    const policy = JSON.parse(fs.readFileSync(path.join(result.home, '.config/notation/trustpolicy.oci.json'), 'utf8'));
    expect(policy.trustPolicies).toEqual([{
      name: 'model-image',
      registryScopes: [REPOSITORY_URI],
      signatureVerification: { level: 'strict' },
      trustStores: ['signingAuthority:aws-signer-ts'],
      trustedIdentities: [SIGNING_PROFILE_ARN],
    }]);
    // What the synth step receives.
    expect(JSON.parse(fs.readFileSync(path.join(result.workdir, 'model-image', 'image.json'), 'utf8')))
      .toEqual({ repositoryUri: REPOSITORY_URI, tag: COMMIT, digest: DIGEST });
    // Nothing else in the source directory: no download, certificate, trust policy nor report.
    expect(result.contextAtBuild).toEqual(['Dockerfile', 'requirements.txt']);
    expect(listTree(result.workdir)).toEqual([...FIXTURE_TREE, 'model-image', 'model-image/image.json'].sort());
  });

  test('a re-run of the same commit reuses the pushed image: scanned again, not rebuilt, not pushed again (the tag is immutable)', () => {
    const first = run();
    expect(first.status).toBe(0);
    const again = run({}, first.registry);
    expect(again.stderr).not.toMatch(/ImageTagAlreadyExistsException|command failed/);
    expect(again.status).toBe(0);
    expect(pushes(again.calls)).toEqual([]);
    expect(again.calls.some((c) => c.startsWith('docker build'))).toBe(false);
    expect(again.calls).toContain(`docker pull ${REPOSITORY_URI}@${DIGEST}`);
    expect(again.calls.find((c) => c.startsWith('trivy image --exit-code'))).toMatch(new RegExp(`${REPOSITORY_URI}@${DIGEST}$`));
    expect(again.calls.some((c) => c.startsWith('notation sign'))).toBe(false); // already signed
    expect(JSON.parse(fs.readFileSync(path.join(again.workdir, 'model-image', 'image.json'), 'utf8')).digest).toBe(DIGEST);
  });

  test('a re-run after a failed signature signs the image already pushed', () => {
    const first = run({ STUB_NOTATION_EXIT: '1' });
    expect(first.status).toBe(1);
    expect(pushes(first.calls).length).toBe(1);
    const again = run({}, first.registry);
    expect(again.status).toBe(0);
    expect(pushes(again.calls)).toEqual([]);
    expect(again.calls.filter((c) => c.startsWith('notation sign')).length).toBe(1);
  });

  test('a re-run whose scan now finds a vulnerability in the pushed image fails, and hands no digest on', () => {
    const first = run();
    const again = run({ STUB_IMAGE_FINDING: '1' }, first.registry);
    expect(again.status).not.toBe(0);
    expect(fs.existsSync(path.join(again.workdir, 'model-image', 'image.json'))).toBe(false);
  });

  test('an error other than "not found" when looking the tag up fails the build (no blind rebuild)', () => {
    const result = run({ STUB_DESCRIBE_ERROR: 'An error occurred (AccessDeniedException) when calling the DescribeImages operation' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('AccessDeniedException');
    expect(result.calls.some((c) => c.startsWith('docker build'))).toBe(false);
  });

  test('an image finding fails the build before anything is pushed; the reports are kept', () => {
    const result = run({ STUB_IMAGE_FINDING: '1' });
    expect(result.status).not.toBe(0);
    expect(pushes(result.calls)).toEqual([]);
    expect(result.calls.some((c) => c.startsWith('notation sign'))).toBe(false);
    expect(fs.readFileSync(path.join(result.s3, 'image-scan.json'), 'utf8')).toContain('CVE-2024-0001');
    expect(fs.existsSync(path.join(result.s3, 'sbom.cdx.json'))).toBe(true);
  });

  test('a dependency finding in the build context fails the build before anything is pushed', () => {
    const result = run({ STUB_FS_FINDING: '1' });
    expect(result.status).not.toBe(0);
    expect(pushes(result.calls)).toEqual([]);
    expect(fs.readFileSync(path.join(result.s3, 'dependencies.json'), 'utf8')).toContain('CVE-2024-0001');
  });

  test('a Trivy download that does not match the pinned checksum is refused before Trivy runs', () => {
    // The checksum the template pins (the real release's) does not match the stub release.
    expect(build.variables.TRIVY_SHA256).toBe(ModelImageBuild.DEFAULT_TRIVY_SHA256);
    const result = run({ TRIVY_SHA256: build.variables.TRIVY_SHA256 });
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/FAILED/);
    expect(tools(result.calls)).toEqual(['curl -sSfL']);
    expect(fs.existsSync(path.join(result.toolsDir, 'trivy'))).toBe(false);
  });

  test.each([
    ['the Notation CLI', 'NOTATION_SHA256', 2],
    ['the AWS Signer plugin', 'SIGNER_PLUGIN_SHA256', 3],
    ['the AWS Signer root certificate', 'SIGNER_ROOT_CERTIFICATE_SHA256', 5],
  ])('a download of %s that does not match its pinned checksum fails the build before it is used', (_, variable, calls) => {
    // The pinned checksums of the template (the real Notation release's; the fixture's pins for the others).
    const result = run({ [variable]: build.variables[variable] });
    expect(build.variables[variable]).toMatch(/^[0-9a-f]{64}$/);
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/FAILED/);
    expect(tools(result.calls)).toEqual(install.slice(0, calls + 1));
    expect(result.calls.some((c) => c.startsWith('docker'))).toBe(false);
  });

  test('the pinned Notation checksum is the published one for the pinned version', () => {
    expect(build.variables.NOTATION_VERSION).toBe('1.3.2');
    expect(build.variables.NOTATION_SHA256).toBe(ModelImageBuild.DEFAULT_NOTATION_SHA256);
  });

  test('only fixable findings fail by default (--ignore-unfixed)', () => {
    const result = run({ IGNORE_UNFIXED: 'true' });
    expect(result.status).toBe(0);
    expect(result.calls.find((c) => c.startsWith('trivy image'))).toContain('--ignore-unfixed');
  });

  test('a failed signature fails the build; a signature that does not verify fails it too', () => {
    expect(run({ STUB_NOTATION_EXIT: '1' }).status).toBe(1);
    expect(run({ STUB_VERIFY_EXIT: '1' }).status).toBe(1);
  });

  test('no digest read back fails the build (nothing is signed)', () => {
    const result = run({ STUB_DIGEST: 'None' });
    expect(result.status).not.toBe(0);
    expect(result.calls.some((c) => c.startsWith('notation sign'))).toBe(false);
  });

  test('no source commit, no image', () => {
    const result = run({ CODEBUILD_RESOLVED_SOURCE_VERSION: '' });
    expect(result.status).not.toBe(0);
    expect(result.calls.some((c) => c.startsWith('docker build'))).toBe(false);
  });

  /**
   * With `context: '.'` (the default) the source directory is the Docker build context: a file the
   * step wrote there would be built into the image and change its digest from one run to the next.
   * The docker stub lists the context as `docker build` receives it.
   */
  describe('the build context holds the source only', () => {
    const dot = pipelineFixture({}, { checks: false, everyOption: true, imageContext: '.' });
    const dotBuild = projectBuild(projects(dot.stack).find(([, p]) => p.Properties.Environment.PrivilegedMode === true)![1]);
    const SOURCE = { 'Dockerfile': 'FROM scratch\nCOPY . /app\n', 'app/serve.py': 'print("ok")\n' };
    /** The buildspec with each `from` replaced by `to` in its commands (each must occur). */
    const patched = (original: ProjectBuild, replacements: [string, string][]): ProjectBuild => {
      const buildspec = JSON.parse(JSON.stringify(original.buildspec));
      for (const [from, to] of replacements) {
        let found = false;
        for (const phase of Object.values<Json>(buildspec.phases)) {
          phase.commands = phase.commands.map((c: string) => {
            if (c.includes(from)) found = true;
            return c.split(from).join(to);
          });
        }
        expect([from, found]).toEqual([from, true]);
      }
      return { buildspec, variables: original.variables };
    };

    test('the fixture builds the repository root', () => {
      expect(dotBuild.variables.CONTEXT).toBe('.');
    });

    test('docker build receives the source only; afterwards the source directory holds the source and the step output', () => {
      const result = run({}, newRegistry(), dotBuild, SOURCE);
      expect(result.stderr).not.toMatch(/command failed/);
      expect(result.status).toBe(0);
      expect(result.contextAtBuild).toEqual(['Dockerfile', 'app', 'app/serve.py']);
      expect(listTree(result.workdir)).toEqual(['Dockerfile', 'app', 'app/serve.py', 'model-image', 'model-image/image.json']);
      // The reports still reach the evidence bucket.
      expect(fs.readdirSync(result.s3).sort()).toEqual(['dependencies.json', 'image-scan.json', 'sbom.cdx.json']);
    });

    test('canary: the commands as they were (reports and trust policy in the source directory) put files into the build context', () => {
      const before = patched(dotBuild, [
        ['REPORTS=$(mktemp -d)', 'REPORTS="image-reports/$REPOSITORY_NAME/$IMAGE_TAG" && mkdir -p "$REPORTS"'],
        ['"$NOTATION_FILES/notation-trust-policy.json"', 'notation-trust-policy.json'],
      ]);
      const result = run({}, newRegistry(), before, SOURCE);
      expect(result.status).toBe(0);
      expect(result.contextAtBuild).toEqual(expect.arrayContaining(['notation-trust-policy.json', `image-reports/sentiment/${COMMIT}/dependencies.json`]));
    });
  });

  describe('verification before each stage', () => {
    const verify = verifyBuild('Prod');

    test('passes for the pushed, signed digest', () => {
      const pushed = run();
      const result = run({ IMAGE_DIGEST: DIGEST }, pushed.registry, verify);
      expect(result.stderr).not.toMatch(/command failed/);
      expect(result.status).toBe(0);
      expect(result.calls).toContain(`notation verify ${REPOSITORY_URI}@${DIGEST}`);
      expect(result.calls.some((c) => /^(docker|trivy)/.test(c))).toBe(false); // never rebuilt nor rescanned here
      expect(listTree(result.workdir)).toEqual(FIXTURE_TREE); // the downloads and the trust policy are written outside the source
    });

    test('fails for a digest that is not in the repository', () => {
      const pushed = run();
      const other = `sha256:${'1'.repeat(64)}`;
      const result = run({ IMAGE_DIGEST: other }, pushed.registry, verify);
      expect(result.status).not.toBe(0);
      expect(result.calls.some((c) => c.startsWith('notation verify'))).toBe(false);
    });

    test('fails when the signature does not verify (not signed, revoked, another profile)', () => {
      const pushed = run();
      expect(run({ IMAGE_DIGEST: DIGEST, STUB_VERIFY_EXIT: '1' }, pushed.registry, verify).status).not.toBe(0);
      const unsigned = run({ STUB_NOTATION_EXIT: '1' }); // pushed, never signed
      expect(run({ IMAGE_DIGEST: DIGEST }, unsigned.registry, verify).status).not.toBe(0);
    });

    test('fails without a digest from the image step', () => {
      expect(run({ IMAGE_DIGEST: '' }, newRegistry(), verify).status).not.toBe(0);
    });

    test('dev and test run the same commands on the same digest', () => {
      for (const stage of ['Dev', 'Test']) expect(verifyBuild(stage).buildspec).toEqual(verify.buildspec);
    });
  });

  describe('hand-over to the synth step', () => {
    const runSynth = (imageDir: string | undefined, existingContext?: object) => {
      const workdir = fs.mkdtempSync(path.join(root, 'synth-'));
      if (existingContext) fs.writeFileSync(path.join(workdir, 'cdk.context.json'), JSON.stringify(existingContext));
      writeStub(stubs, 'npm', 'exit 0');
      // `npx cdk synth`: copies the context it was given into the assembly, writes a clean report.
      writeStub(stubs, 'npx', 'mkdir -p cdk.out && cp cdk.context.json cdk.out/context-seen.json && echo \'{"pluginReports":[]}\' > cdk.out/validation-report.json');
      const env: Record<string, string> = {};
      if (imageDir) env[`CODEBUILD_SRC_DIR_${IMAGE_ID}_Output`] = imageDir;
      return { ...runBuildspec(synthBuild, { stubDir: stubs, workdir, env }), workdir };
    };

    test('the digest the image step wrote is in the context the synthesis sees', () => {
      const image = run();
      const result = runSynth(path.join(image.workdir, 'model-image'), { 'some-lookup': 'kept' });
      expect(result.stderr).not.toMatch(/command failed/);
      expect(result.status).toBe(0);
      const context = JSON.parse(fs.readFileSync(path.join(result.workdir, 'cdk.out', 'context-seen.json'), 'utf8'));
      expect(context[ModelImageBuild.CONTEXT_KEY]).toEqual({ [IMAGE_ID]: { repositoryUri: REPOSITORY_URI, tag: COMMIT, digest: DIGEST } });
      expect(context['some-lookup']).toBe('kept'); // the project's own context is kept
    });

    test('no synthesis without the digest: a missing or malformed image.json fails the step', () => {
      const empty = fs.mkdtempSync(path.join(root, 'no-image-'));
      expect(runSynth(empty).status).not.toBe(0);
      const bad = fs.mkdtempSync(path.join(root, 'bad-image-'));
      fs.writeFileSync(path.join(bad, 'image.json'), JSON.stringify({ repositoryUri: REPOSITORY_URI, tag: COMMIT, digest: 'latest' }));
      const result = runSynth(bad);
      expect(result.status).not.toBe(0);
      expect(result.calls.some((c) => c.startsWith('npx'))).toBe(false);
    });
  });
});
