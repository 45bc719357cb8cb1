import { Stack } from 'aws-cdk-lib';

/** The aws-cdk-lib version the app runs with, from its jsii type information (`2.276.0`). */
export function installedCdkVersion(): string | undefined {
  const rtti = (Stack as unknown as Record<symbol, { version?: string } | undefined>)[Symbol.for('jsii.rtti')];
  return rtti?.version;
}

/** Whether `version` (`major.minor.patch`) is at least `minimum`; an unknown version counts as recent. */
export function atLeast(version: string | undefined, minimum: string): boolean {
  if (!version || !/^\d+\.\d+\.\d+/.test(version)) return true;
  const a = version.split(/[.-]/).slice(0, 3).map(Number);
  const b = minimum.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if (a[i] !== b[i]) return a[i] > b[i];
  }
  return true;
}

/**
 * The oldest aws-cdk-lib that applies an acknowledgement of a validation plugin's finding
 * (`Validations.of(x).acknowledge({ id: 'cdk-validator-cfnguard::<rule>' })`) to the acknowledged
 * construct only. With 2.269.0 and 2.270.0 an acknowledgement of a cfn-guard rule on one
 * resource suppresses that rule's finding on every resource of the app (seen with
 * @cdklabs/cdk-validator-cfnguard 0.0.62; `scripts/prove-versions.ts` shows both).
 */
export const NARROW_PLUGIN_ACKNOWLEDGEMENTS = '2.271.0';

/**
 * Refuses an aws-cdk-lib that applies plugin acknowledgements app-wide (see
 * NARROW_PLUGIN_ACKNOWLEDGEMENTS): every finding of a rule the library acknowledges on one of
 * its resources would disappear from the report, the app's own resources included.
 */
export function assertNarrowAcknowledgements(cdkVersion: string | undefined): void {
  if (atLeast(cdkVersion, NARROW_PLUGIN_ACKNOWLEDGEMENTS)) return;
  throw new Error(`[cdk-secure-ai] ControlTowerGuardValidator needs aws-cdk-lib ${NARROW_PLUGIN_ACKNOWLEDGEMENTS} or later, `
    + `but ${cdkVersion} is installed: before ${NARROW_PLUGIN_ACKNOWLEDGEMENTS}, CDK applies an acknowledgement of a cfn-guard rule `
    + '(cdk-validator-cfnguard::<rule>) to every resource of the app, so the acknowledgements the library makes on its own resources '
    + `would hide the same findings on yours. Upgrade: \`npm install aws-cdk-lib@^${NARROW_PLUGIN_ACKNOWLEDGEMENTS}\`.`);
}
