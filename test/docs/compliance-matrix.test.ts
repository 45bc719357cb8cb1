import * as fs from 'fs';
import { AiSecurityChecks } from '../../lib';
import { GUIDE_ROWS, SECURITY_HUB_ROWS } from '../../scripts/compliance-data';
import { COMPLIANCE_MATRIX_MD, danglingChecks, guardRules, nagRuleIds, renderComplianceMatrix } from '../../scripts/compliance-matrix';

const ROWS = [...GUIDE_ROWS, ...SECURITY_HUB_ROWS];

test('docs/compliance-matrix.md is generated and up to date (run `npx projen docs`)', () => {
  const committed = fs.existsSync(COMPLIANCE_MATRIX_MD) ? fs.readFileSync(COMPLIANCE_MATRIX_MD, 'utf8') : '';
  expect(committed === renderComplianceMatrix() ? 'up to date' : 'docs/compliance-matrix.md is stale: run `npx projen docs`').toBe('up to date');
});

test('every check the matrix names exists: cdk-nag rule, guard rule, AiSec rule, test file and title', () => {
  expect(danglingChecks()).toEqual([]);
});

test('a dangling reference of each kind is reported (the verification can fail)', () => {
  const bogus = {
    id: 'bogus',
    requirement: '',
    implementedBy: [],
    checks: [
      'nag:AwsSolutions-NoSuchRule1',
      'guard:s3_bucket_imaginary_check',
      'aisec:AiSec-NoSuchRule',
      'test:test/storage/secure-training-bucket.test.ts#a title no test has',
      'test:test/nowhere.test.ts#',
      'unknown:kind',
    ],
  };
  expect(danglingChecks([bogus])).toEqual(bogus.checks.map((c) => `bogus: ${c}`));
  // and the sources are read, not empty
  expect(nagRuleIds().has('AwsSolutions-S10')).toBe(true);
  expect(nagRuleIds().has('Serverless-APIGWDefaultThrottling')).toBe(true);
  expect(guardRules().get('s3_bucket_logging_enabled_check')?.controlId).toBe('CT.S3.PR.2');
  expect(guardRules().size).toBeGreaterThan(200);
});

test('every rule of the AiSecurityChecks pack is mapped to a requirement', () => {
  const referenced = new Set(ROWS.flatMap((r) => r.checks).filter((c) => c.startsWith('aisec:')).map((c) => c.slice(6)));
  expect(AiSecurityChecks.rules().map((r) => r.id).filter((id) => !referenced.has(id))).toEqual([]);
});

test('every row names at least one implementation and one check', () => {
  for (const row of ROWS) {
    expect({ row: row.id, implementedBy: row.implementedBy.length > 0, checks: row.checks.length > 0 })
      .toEqual({ row: row.id, implementedBy: true, checks: true });
  }
});
