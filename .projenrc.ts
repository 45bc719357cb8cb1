import { awscdk, DependencyType, javascript, JsonFile } from 'projen';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-secure-ai',
  description:
    'AWS CDK constructs that make AI/ML workloads secure by default and prove it: encrypted training data, least-privilege SageMaker roles, private inference endpoints, segmented networks and an AI/ML cdk-nag rule pack.',
  author: 'cdk-secure-ai contributors',
  authorAddress: 'maintainers@cdk-secure-ai.dev',
  authorOrganization: true,
  repositoryUrl: 'https://github.com/cdk-secure-ai/cdk-secure-ai.git',
  license: 'Apache-2.0',
  keywords: ['aws-cdk', 'cdk', 'sagemaker', 'security', 'machine-learning', 'ai', 'cdk-nag', 'compliance'],
  stability: 'experimental',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',

  // toolchain (see DESIGN.md, "Facts learned about the toolchain")
  cdkVersion: '2.276.0',
  constructsVersion: '10.8.1',
  jsiiVersion: '~6.0.0',
  typescriptVersion: '~6.0.0',

  // the published JavaScript carries no source maps (the package ships dist/*.js and *.d.ts only)
  tsconfig: { compilerOptions: { inlineSourceMap: false, inlineSources: false } },

  // layout
  srcdir: 'lib',
  libdir: 'dist',
  testdir: 'test',
  artifactsDirectory: 'artifacts',
  entrypoint: 'dist/index.js',
  entrypointTypes: 'dist/index.d.ts',

  // release targets: the release workflow builds them; only JS is packaged on these machines
  publishToPypi: { distName: 'cdk-secure-ai', module: 'cdk_secure_ai' },
  publishToMaven: {
    javaPackage: 'dev.cdksecureai',
    mavenGroupId: 'dev.cdk-secure-ai',
    mavenArtifactId: 'cdk-secure-ai',
  },
  publishToNuget: { dotNetNamespace: 'CdkSecureAi', packageId: 'CdkSecureAi' },
  publishToGo: { moduleName: 'github.com/cdk-secure-ai/cdk-secure-ai-go' },

  // Peer ranges: the oldest versions the library is proven with (test/package/consumer-matrix.test.ts
  // installs the packed tarball at these and at the newest). aws-cdk-lib: the library's
  // acknowledgements use `Validations.of(x).acknowledge` (2.252.0), which accepts finding-scoped IDs
  // such as `AwsSolutions-IAM5[Resource::arn:...]` from 2.269.0 (cdk-nag 3 itself needs 2.258.0).
  // cdk-nag is an optional peer (only the rule pack loads it, on use), v2 or v3.
  // The build pins its own versions (devDeps), so the pinned-dev-dependency of the minimum is off.
  peerDependencyOptions: { pinnedDevDependency: false },
  // @cdklabs/cdk-validator-cfnguard: also an optional peer, loaded by ControlTowerGuardValidator only.
  peerDeps: ['cdk-nag@^2.37.3 || ^3.0.2', '@cdklabs/cdk-validator-cfnguard@>=0.0.62 <0.1.0'],
  devDeps: [
    'cdk-nag@3.0.2',
    '@cdklabs/cdk-validator-cfnguard@^0.0.62',
    '@cloud-copilot/iam-simulate@^0.1.173',
    'aws-cdk@^2.1148.1',
    'ts-node@^10.9.2',
    // already installed with jest: the base of test/support/jest/sequencer.js, declared rather than hoisted
    '@jest/test-sequencer@^30.5.2',
  ],

  jestOptions: {
    // Snapshots are reviewed, never rewritten by the test run: `npm run test:update` does that.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts'],
      testTimeout: 120_000,
      // Test files are synthesis- and cfn-guard-bound, one core each: use every core (Jest's default
      // leaves one to the parent process, which here waits). A worker that grew past 3 GB after a
      // file is replaced (Jest keeps some memory of each file's module registry).
      maxWorkers: '100%',
      workerIdleMemoryLimit: '3GB',
      // Coverage collection costs seconds per test file (V8 coverage converted for every loaded
      // source file): off by default, `npx jest --coverage` when wanted.
      collectCoverage: false,
      // One CloudFormation schema validation engine per worker, not per test file (7-9 s of CPU
      // each): see test/support/jest/environment.js.
      testEnvironment: '<rootDir>/test/support/jest/environment.js',
      moduleNameMapper: { '^@aws/cloudformation-validate$': '<rootDir>/test/support/jest/cloudformation-validate.js' },
      // Names the run, so that test files can share a synthesis done once per run (test/support/example-synth.ts).
      globalSetup: '<rootDir>/test/support/jest/global-setup.js',
      globalTeardown: '<rootDir>/test/support/jest/global-teardown.js',
      // The install matrix (network-bound) first: see the file.
      testSequencer: '<rootDir>/test/support/jest/sequencer.js',
    },
  },

  gitignore: ['cdk.out/', '.bench/'],
  npmIgnoreOptions: { ignorePatterns: ['/examples/', '/cdk.out/', '*.map', '/.ci/', '/scripts/', '/cdk.json', '/test/', '/API.md', '/artifacts/', '/.bench/', '/docs/'] },
});

// cdkVersion / constructsVersion set the build's pinned versions; the peer ranges are wider.
for (const [name, build, peer] of [['aws-cdk-lib', '2.276.0', '^2.269.0'], ['constructs', '10.8.1', '^10.5.1']]) {
  project.deps.removeDependency(name, DependencyType.PEER);
  project.deps.addDependency(`${name}@${peer}`, DependencyType.PEER);
  project.deps.addDependency(`${name}@${build}`, DependencyType.BUILD);
}
project.package.addField('peerDependenciesMeta', {
  'cdk-nag': { optional: true },
  '@cdklabs/cdk-validator-cfnguard': { optional: true },
});

// Type-check the tests and the example app: ts-jest in projen's setup only transpiles.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check tests and examples (ts-jest does not)',
  exec: `tsc --noEmit -p ${project.tsconfigDev.fileName}`,
});
// The test run also compiles with jsii (jsii compatibility of the public API), regenerates API.md
// (projen's docgen task, which `build` also runs after compiling) and, in CI, fails when the
// committed API.md is stale. jsii-docgen drops `| undefined` from optional return types; the .d.ts has them.
project.tasks.tryFind('docgen')!.exec('ts-node --transpile-only scripts/api-md-optional-returns.ts');
const apiDocs = project.addTask('api-docs', {
  description: 'Regenerate API.md; in CI, fail if it differs from the committed one',
});
apiDocs.spawn(project.tasks.tryFind('docgen')!);
apiDocs.exec('bash scripts/check-api-md.sh');
project.testTask.prependSpawn(apiDocs);
project.testTask.prependSpawn(project.compileTask);
project.testTask.prependSpawn(typecheck);
project.tsconfigDev.addInclude('../examples/**/*.ts');
project.eslint?.addLintPattern('examples');
project.eslint?.allowDevDeps('examples/**');
// The example app and scripts have their own tsconfig so the linter's project service and ts-node find it.
for (const dir of ['examples', 'scripts']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: {
      extends: '../tsconfig.json',
      compilerOptions: { rootDir: '..', noEmit: true },
      include: ['**/*.ts'],
    },
  });
}

project.tsconfigDev.addInclude('../scripts/**/*.ts');
project.eslint?.addLintPattern('scripts');
project.eslint?.allowDevDeps('scripts/**');
project.addTask('bench', {
  description: 'Benchmark the example app: synth time with and without checks against a plain aws-cdk-lib baseline, per-stack resources, custom resources and idle monthly cost (writes docs/benchmark.md)',
  exec: 'ts-node --transpile-only scripts/bench.ts',
  receiveArgs: true,
});

// Generated docs: the architecture picture (from a synth of the example app) and the compliance matrix.
// test/docs fails when either is stale.
project.addTask('docs', {
  description: 'Regenerate docs/architecture.svg (from `cdk synth`) and docs/compliance-matrix.md',
  steps: [
    { exec: 'ts-node --transpile-only scripts/diagram.ts' },
    { exec: 'ts-node --transpile-only scripts/compliance-matrix.ts' },
  ],
});

// Main job: synthesize the example app with every check as a validation plugin.
project.addTask('synth', {
  description: 'Synthesize the example app (all compliance checks run as validation plugins)',
  exec: 'cdk synth',
});

project.synth();
