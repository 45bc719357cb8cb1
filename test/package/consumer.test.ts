import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * A consumer's view: the packed tarball, installed into a throwaway CDK app outside the
 * repository, type-checked and synthesized. Proves the published package works, not only the
 * source tree. aws-cdk-lib and constructs (peer dependencies) are linked from this repository's
 * install, so the test needs no network.
 */
describe('the packed library in a consumer app', () => {
  const root = path.join(__dirname, '..', '..');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'consumer-'));
  const app = path.join(work, 'app');

  beforeAll(() => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root, encoding: 'utf8' }));
    const modules = path.join(app, 'node_modules');
    fs.mkdirSync(path.join(modules, 'cdk-secure-ai'), { recursive: true });
    execFileSync('tar', ['-xzf', path.join(work, packed.filename), '-C', path.join(modules, 'cdk-secure-ai'), '--strip-components=1']);
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
    fs.writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'commonjs', moduleResolution: 'node10', strict: true, skipLibCheck: true, outDir: 'out', ignoreDeprecations: '6.0', types: ['node'] },
      files: ['app.ts'],
    }));
  }, 120_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('type-checks against the published declarations and synthesizes', () => {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', app], { cwd: app, encoding: 'utf8' });
    const outdir = path.join(work, 'cdk.out');
    execFileSync(process.execPath, [path.join(app, 'out', 'app.js')], { cwd: app, env: { ...process.env, CDK_OUTDIR: outdir } });
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
