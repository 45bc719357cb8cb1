import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { addComplianceChecks } from './compliance';
import { STAGES } from './platform/config';
import { addPlatformStage } from './platform/platform';
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

for (const config of STAGES) addPlatformStage(app, config);

try {
  app.synth();
} finally {
  // Also after a failed validation: the report is written before synthesis fails.
  if (fs.existsSync(path.join(app.outdir, cxapi.VALIDATION_REPORT_FILE)) || fs.existsSync(path.join(app.outdir, 'manifest.json'))) {
    process.stderr.write(`${formatSummary(summarizeAssembly(app.outdir, checks))}\n`);
  }
}
