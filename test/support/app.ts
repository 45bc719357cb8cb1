import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { addComplianceChecks } from '../../examples/compliance';

/** The feature flags of the example app (cdk.json), so tests synthesize what users see. */
export const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8'),
).context;

export interface TestAppOptions {
  /**
   * Register every compliance check as a validation plugin (cdk-nag packs, cfn-guard).
   * @default true
   */
  readonly checks?: boolean;
  /**
   * Run aws-cdk-lib's CloudFormation schema validation at synthesis. Its findings go to the
   * validation report only (a failed validation does not throw in a test app), so an app whose
   * report no test reads gains nothing from it but the time.
   * @default - the value of `checks`: an app with the compliance checks is validated against the
   * schemas too, one without them is not
   */
  readonly schemaValidation?: boolean;
  /** Extra or overriding context. */
  readonly context?: Record<string, unknown>;
}

/**
 * An App configured like the example app, except that a validation failure does not throw:
 * the harness reads the validation report instead (see compliance.ts). Without the compliance
 * checks, schema validation is off unless asked for (`schemaValidation`).
 */
export function createTestApp(options: TestAppOptions = {}): App {
  const checks = options.checks ?? true;
  const app = new App({
    builtinCloudFormationValidation: options.schemaValidation ?? checks,
    context: {
      ...CDK_JSON_CONTEXT,
      [cxapi.FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false,
      ...options.context,
    },
  });
  if (checks) addComplianceChecks(app);
  return app;
}
