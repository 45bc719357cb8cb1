import { Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { addComplianceChecks } from '../../examples/compliance';
import { formatSummary, SCHEMA_VALIDATION_CHECK, summarizeAssembly } from '../../examples/summary';
import { SecureTrainingBucket } from '../../lib';
import { createTestApp } from '../support/app';

/** Every acknowledgement written on the construct tree (rule ID without namespace → paths). */
function acknowledgementsInTree(root: IConstruct): { rule: string; reason: string; path: string }[] {
  const found: { rule: string; reason: string; path: string }[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        found.push({ rule: id.replace(/^[A-Za-z-]+::/, ''), reason, path: construct.node.path });
      }
    }
  }
  return found;
}

/** A small app: one stack with a SecureTrainingBucket (optionally one plain, non-compliant bucket). */
function smallApp(options: { withViolation?: boolean } = {}) {
  const app = createTestApp({ checks: false });
  const checks = [...addComplianceChecks(app).map((plugin) => plugin.name), SCHEMA_VALIDATION_CHECK];
  const stack = new Stack(app, 'Small');
  new SecureTrainingBucket(stack, 'Data');
  if (options.withViolation) new s3.Bucket(stack, 'PlainBucket');
  const other = new Stack(app, 'Other');
  new SecureTrainingBucket(other, 'Artifacts');
  const assembly = app.synth();
  return { app, stack, other, checks, summary: summarizeAssembly(assembly.directory, checks) };
}

describe('synthesis summary', () => {
  test('counts the stacks, resources and checks of a compliant app, no violations, every acknowledgement once with its reason', () => {
    const { app, stack, other, summary } = smallApp();
    const resources = (s: Stack) => Object.keys(Template.fromStack(s).toJSON().Resources).length;

    expect(summary.stacks).toEqual(expect.arrayContaining([
      { name: 'Small', resources: resources(stack) },
      { name: 'Other', resources: resources(other) },
    ]));
    expect(summary.stacks).toHaveLength(2);
    expect(summary.resources).toBe(resources(stack) + resources(other));
    expect(summary.checks).toEqual([
      'AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321', 'Serverless', 'AiSec', 'cdk-validator-cfnguard', 'CloudFormation Validate',
    ]);
    expect(summary.violations).toEqual([]);

    // The tree holds what was acknowledged (cdk-nag applies these itself; guard ones are also in
    // the report as suppressed violations): each must be counted exactly once.
    const expected = acknowledgementsInTree(app).map((a) => ({ rule: a.rule, reason: a.reason, constructPath: a.path }));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.some((a) => a.rule === 's3_bucket_logging_enabled_check')).toBe(true);
    expect([...summary.acknowledgements].sort(byKey)).toEqual([...expected].sort(byKey));

    const text = formatSummary(summary);
    expect(text).toContain('Stacks:           2');
    expect(text).toContain(`Resources:        ${summary.resources}`);
    expect(text).toContain('Checks run:       8 (');
    expect(text).toContain('Violations:       0');
    expect(text).toContain(`Acknowledgements: ${expected.length} on `);
    for (const reason of new Set(expected.map((a) => a.reason))) expect(text).toContain(reason);
  });

  test('reports an unacknowledged finding as a violation, with rule, construct and check', () => {
    const { summary } = smallApp({ withViolation: true });
    expect(summary.violations.length).toBeGreaterThan(0);
    expect(summary.violations).toEqual(expect.arrayContaining([
      expect.objectContaining({ check: 'AwsSolutions', rule: 'AwsSolutions-S1', constructPath: 'Small/PlainBucket/Resource' }),
      expect.objectContaining({ check: 'cdk-validator-cfnguard', constructPath: 'Small/PlainBucket/Resource' }),
    ]));
    // the checks that reported are the ones registered, under the same names
    expect(summary.checks).toHaveLength(8);
    const text = formatSummary(summary);
    expect(text).toContain(`Violations:       ${summary.violations.length}`);
    expect(text).not.toContain('Violations:       0');
    expect(text).toContain('AwsSolutions-S1 at Small/PlainBucket/Resource (AwsSolutions, error)');
    // a plain bucket breaks more rules than the summary lists one per line; the rest are counted
    expect(summary.violations.length).toBeGreaterThan(20);
    expect(text).toContain(`  ... and ${summary.violations.length - 20} more (all of them above, and in validation-report.json)`);
  });
});

function byKey(a: { rule: string; constructPath: string }, b: { rule: string; constructPath: string }): number {
  return `${a.constructPath} ${a.rule}`.localeCompare(`${b.constructPath} ${b.rule}`);
}
