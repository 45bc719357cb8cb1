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
   * CloudFormation schema validation runs in every app.
   * @default true
   */
  readonly checks?: boolean;
  /** Extra or overriding context. */
  readonly context?: Record<string, unknown>;
}

/**
 * An App configured like the example app, except that a validation failure does not throw:
 * the harness reads the validation report instead (see compliance.ts).
 */
export function createTestApp(options: TestAppOptions = {}): App {
  const app = new App({
    context: {
      ...CDK_JSON_CONTEXT,
      [cxapi.FAIL_SYNTH_ON_VALIDATION_ERRORS_CONTEXT]: false,
      ...options.context,
    },
  });
  if (options.checks ?? true) addComplianceChecks(app);
  return app;
}
