import * as fs from 'fs';
import * as path from 'path';
import { ControlTowerGuardValidator } from '../../lib';
import { assertNarrowAcknowledgements, atLeast, installedCdkVersion, NARROW_PLUGIN_ACKNOWLEDGEMENTS } from '../../lib/private/cdk-version';

/**
 * aws-cdk-lib 2.269.0 and 2.270.0 apply an acknowledgement of a cfn-guard rule on one resource to
 * every resource of the app (found by `scripts/prove-versions.ts`: the library's acknowledgement
 * of s3_bucket_logging_enabled_check on its access-log bucket suppressed the same finding on a
 * plain bucket of the app at 2.270.0, and not at 2.271.0). ControlTowerGuardValidator refuses them.
 */
describe('the aws-cdk-lib version ControlTowerGuardValidator needs', () => {
  test('reads the installed aws-cdk-lib version', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(require.resolve('aws-cdk-lib'), '..', 'package.json'), 'utf8'));
    expect(installedCdkVersion()).toBe(pkg.version);
  });

  test.each<[string | undefined, boolean]>([
    ['2.270.0', false], ['2.269.0', false], ['2.100.5', false], ['1.204.0', false],
    ['2.271.0', true], ['2.276.0', true], ['2.300.0', true], ['3.0.0', true], ['2.271.0-rc.1', true], [undefined, true],
  ])('%s is recent enough: %s', (version, ok) => {
    expect(atLeast(version, NARROW_PLUGIN_ACKNOWLEDGEMENTS)).toBe(ok);
    if (ok) expect(() => assertNarrowAcknowledgements(version)).not.toThrow();
    else expect(() => assertNarrowAcknowledgements(version)).toThrow(new RegExp(`ControlTowerGuardValidator needs aws-cdk-lib 2\\.271\\.0 or later, but ${version} is installed.*every resource of the app`));
  });

  test('the validator is created with the installed aws-cdk-lib', () => {
    expect(() => new ControlTowerGuardValidator()).not.toThrow();
  });
});
