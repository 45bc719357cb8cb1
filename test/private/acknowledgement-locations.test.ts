import * as fs from 'fs';
import * as path from 'path';
import { Stack, Validations } from 'aws-cdk-lib';
import { SecureTrainingBucket } from '../../lib';
import { createTestApp } from '../support/app';

/**
 * Where the README ("Where acknowledgements live") says a cdk-nag 3 acknowledgement can be read:
 * the stack artifact's metadata file in the cloud assembly, through `findMetadataByType`.
 */
test('cdk-nag 3 acknowledgements are in <Stack>.metadata.json, as the README says', () => {
  const app = createTestApp({ checks: false });
  new SecureTrainingBucket(new Stack(app, 'Data'), 'Training');
  const assembly = app.synth();
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'manifest.json'), 'utf8'));
  expect(manifest.artifacts.Data.additionalMetadataFile).toBe('Data.metadata.json');
  const entries = assembly.getStackByName('Data').findMetadataByType(Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
  const ids = entries.flatMap((e) => Object.keys(e.data as unknown as Record<string, string>));
  // the access-log bucket's acknowledgement of the SSE-KMS rule (it supports SSE-S3 only), for example
  expect(ids).toEqual(expect.arrayContaining([expect.stringMatching(/^AwsSolutions::AwsSolutions-S1$|S3DefaultEncryptionKMS/)]));
  expect(fs.readFileSync(path.join(assembly.directory, 'Data.metadata.json'), 'utf8')).toContain(Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  expect(readme).toContain("findMetadataByType('aws:cdk:acknowledged-rules')");
  expect(readme).toContain('`cdk.out/<Stack>.metadata.json`');
});
