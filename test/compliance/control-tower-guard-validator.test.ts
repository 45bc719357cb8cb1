import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { STAGES } from '../../examples/platform/config';
import { addPlatformStage } from '../../examples/platform/platform';
import { ControlTowerGuardValidator } from '../../lib';
import { createTestApp } from '../support/app';

type Report = ReturnType<CfnGuardValidator['validate']> | ReturnType<ControlTowerGuardValidator['validate']>;
const findings = (report: Report) => report.violations
  .flatMap((v: any) => v.violatingResources.map((r: any) => `${v.ruleName} ${path.basename(r.templatePath ?? '')} ${r.resourceLogicalId}`))
  .sort();

/**
 * ControlTowerGuardValidator (shipped; the example app and the README's pipeline set-up use it)
 * skips rules whose resource types appear in no template. It must find exactly what the full
 * validator finds.
 */
describe('ControlTowerGuardValidator', () => {
  test('reads the resource types of every bundled rule', () => {
    const rules = ControlTowerGuardValidator.controlTowerRules();
    expect(rules.length).toBeGreaterThanOrEqual(237);
    expect(rules.filter((r) => r.reportsOn.length === 0).map((r) => r.file)).toEqual([]);
  });

  test('keeps exactly the rules that report on the given types', () => {
    const validator = new ControlTowerGuardValidator();
    const s3Rules = validator.applicableRules(['AWS::S3::Bucket']);
    expect(s3Rules.length).toBeGreaterThan(5);
    expect(s3Rules.every((f) => ControlTowerGuardValidator.controlTowerRules().find((r) => r.file === f)!.reportsOn.includes('AWS::S3::Bucket'))).toBe(true);
    expect(validator.applicableRules(['AWS::CloudFormation::WaitConditionHandle'])).toEqual([]);
  });

  test('finds what the full rule set finds: a non-compliant stack and a reference-platform stage', () => {
    const app = createTestApp({ checks: false });
    const bad = new Stack(app, 'Bad');
    new s3.Bucket(bad, 'PlainBucket');
    const role = new iam.Role(bad, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['*'] }));
    const stage = addPlatformStage(app, STAGES[STAGES.length - 1]);
    const assembly = app.synth();
    const templatePaths = [bad, stage.network, stage.data, stage.operations, stage.inference]
      .map((s) => path.join(assembly.directory, s.templateFile));
    const context = { templatePaths, appConstruct: app } as any; // what the validation framework passes (stackTemplates unused)
    const full = findings(new CfnGuardValidator().validate(context));
    const scoped = findings(new ControlTowerGuardValidator().validate(context));
    expect(full.length).toBeGreaterThan(10); // raw findings, before acknowledgements: the comparison is not vacuous
    expect(full.some((f) => f.startsWith('s3_bucket_logging_enabled_check Bad.template.json'))).toBe(true);
    expect(scoped).toEqual(full);
  });
});
