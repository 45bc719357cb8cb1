// The test environment of every test file: Jest's Node environment plus one object that lives as
// long as the Jest worker process, shared by the test files that worker runs.
//
// Why: aws-cdk-lib's built-in CloudFormation schema validation (@aws/cloudformation-validate, a
// WebAssembly engine) spends 7-9 s of CPU building its engine — every time it is built. Jest gives
// each test file a fresh module registry, so each file rebuilt it at least once, and aws-cdk-lib
// rebuilds it whenever a synthesis brings resource types the current engine was not built for:
// most of the suite's time went there. `cloudformation-validate.js` (mapped in place of the
// package in the Jest configuration) hands every file the engine this worker already built.
'use strict';
const path = require('path');
const fs = require('fs');
const { TestEnvironment } = require('jest-environment-node');

const workerShared = {
  /** @aws/cloudformation-validate, loaded once per worker, its engines cached (see below). */
  cloudFormationValidate: undefined,
};

/**
 * The real @aws/cloudformation-validate, except that `new CompositeEngine(config)` returns a
 * cached engine. aws-cdk-lib builds its engine from the built-in rules that apply to the resource
 * types of the synthesized templates; here the first such request builds one engine from all the
 * built-in rules, and every later request for a subset of them reuses it. A rule applies only to
 * its resource types, so the superset reports exactly what the subset would. Any other
 * configuration (custom rules, schemas) gets an engine of its own, cached by its configuration.
 * `free()` is ignored: aws-cdk-lib frees the engine it replaces, and this one is shared.
 */
/**
 * Options built in a test file's context are objects of another realm, which the engine refuses
 * ("validation config must contain only plain objects"): copy plain data into this realm. Class
 * instances (the package's TemplateContent) pass as they are.
 */
function toThisRealm(value) {
  if (value === null || typeof value !== 'object') return value;
  const proto = Object.getPrototypeOf(value);
  const plain = Array.isArray(value) || proto === null || proto.constructor?.name === 'Object';
  return plain ? JSON.parse(JSON.stringify(value)) : value;
}

function loadCloudFormationValidate() {
  const cdkRoot = path.dirname(require.resolve('aws-cdk-lib/package.json'));
  const real = require(require.resolve('@aws/cloudformation-validate', { paths: [cdkRoot] }));
  const rulesDir = path.join(cdkRoot, 'core', 'lib', 'validation', 'rules');
  const builtin = JSON.parse(fs.readFileSync(path.join(rulesDir, 'index.generated.json'), 'utf8')).rules
    .map((r) => ({ name: r.file, content: fs.readFileSync(path.join(rulesDir, r.file), 'utf8') }));
  const isBuiltin = (rule) => builtin.some((b) => b.name === rule.name && b.content === rule.content);
  const engines = new Map();

  function CompositeEngine(config) {
    const keys = Object.keys(config ?? {});
    const onlyBuiltinRules = keys.every((k) => k === 'regoRules') && (config.regoRules ?? []).every(isBuiltin);
    const key = onlyBuiltinRules ? 'builtin' : JSON.stringify(config);
    if (!engines.has(key)) {
      engines.set(key, new real.CompositeEngine(onlyBuiltinRules ? { regoRules: builtin } : toThisRealm(config)));
    }
    const engine = engines.get(key);
    return new Proxy(engine, {
      get(target, prop) {
        if (prop === 'free' || prop === Symbol.dispose) return () => undefined;
        const value = target[prop];
        return typeof value === 'function' ? (...args) => value.apply(target, args.map(toThisRealm)) : value;
      },
    });
  }
  CompositeEngine.prototype = real.CompositeEngine.prototype;
  return { ...real, CompositeEngine, __sharedEngines: engines };
}

class SharedWorkerEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.global.__cdkSecureAiWorker = {
      cloudFormationValidate: () => (workerShared.cloudFormationValidate ??= loadCloudFormationValidate()),
    };
  }
}

module.exports = SharedWorkerEnvironment;
