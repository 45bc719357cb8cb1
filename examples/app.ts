import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { addComplianceChecks } from './compliance';
import { addReferencePlatform } from './platform/platform';
import { formatSummary, SCHEMA_VALIDATION_CHECK, summarizeAssembly } from './summary';

/**
 * The reference platform: a secure AI/ML platform in three stages (dev, test, prod), each its own
 * set of stacks — network, data, operations, inference — built from the library's constructs.
 * The stages differ only in their configuration (examples/platform/config.ts).
 *
 * Every check runs on every stack (examples/compliance.ts); synthesis ends with a summary of
 * stacks, resources, checks, violations and acknowledgements on stderr.
 */
const app = new App();
const checks = addComplianceChecks(app).map((plugin) => plugin.name);
if (process.env.CDK_VALIDATION !== 'false') checks.push(SCHEMA_VALIDATION_CHECK);

addReferencePlatform(app);

const started = Date.now();
try {
  app.synth();
} finally {
  // Also when a check fails synthesis: the assembly is written before the checks run. Not when
  // synthesis failed earlier (then cdk.out may hold an older assembly).
  const manifest = path.join(app.outdir, 'manifest.json');
  if (fs.existsSync(manifest) && fs.statSync(manifest).mtimeMs >= started - 1000) {
    try {
      process.stderr.write(`${formatSummary(summarizeAssembly(app.outdir, checks))}\n`);
    } catch (error) {
      process.stderr.write(`(no synthesis summary: ${error})\n`); // never hide why synthesis failed
    }
  }
}
