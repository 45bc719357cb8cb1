import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

const ASSET_HASH = /[0-9a-f]{64}/g;

/** The synthesized template of `stack` with asset hashes masked, for `toMatchSnapshot()`. */
export function snapshotOf(stack: Stack): unknown {
  const json = JSON.stringify(Template.fromStack(stack).toJSON());
  return JSON.parse(json.replace(ASSET_HASH, '[ASSET HASH]'));
}
