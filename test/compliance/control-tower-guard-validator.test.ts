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

  test('checks each template only with the rules that can report on it', () => {
    const app = createTestApp({ checks: false });
    new s3.Bucket(new Stack(app, 'Buckets'), 'Bucket');
    new iam.Role(new Stack(app, 'Roles'), 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    const assembly = app.synth({ validateOnSynthesis: false });
    const templatePaths = ['Buckets', 'Roles'].map((s) => path.join(assembly.directory, `${s}.template.json`));
    const validator = new ControlTowerGuardValidator();
    const runs: { rules: string[]; templates: string[] }[] = [];
    const original = (validator as any).module.CfnGuardValidator; // the cfn-guard validator it runs, observed
    (validator as any).module = {
      CfnGuardValidator: class {
        private readonly inner: any;
        constructor(private readonly props: any) { this.inner = new original(props); }
        validate(context: any) {
          const templates = context.templatePaths.map((t: string) => path.basename(t));
          runs.push({ rules: this.props.rules.map((r: string) => path.basename(r)), templates });
          return this.inner.validate(context);
        }
      },
    };
    validator.validate({ templatePaths, appConstruct: app } as any);
    const reportsOn = (rule: string) => ControlTowerGuardValidator.controlTowerRules().find((r) => path.basename(r.file) === rule)!.reportsOn;
    expect(runs.map((r) => r.templates).sort()).toEqual([['Buckets.template.json'], ['Roles.template.json']]);
    const bucketRun = runs.find((r) => r.templates[0] === 'Buckets.template.json')!;
    const roleRun = runs.find((r) => r.templates[0] === 'Roles.template.json')!;
    expect(bucketRun.rules).toContain('ct-s3-pr-1.guard');
    expect(bucketRun.rules.every((r) => reportsOn(r).some((t) => t.startsWith('AWS::S3::') || t === 'AWS::KMS::Key'))).toBe(true);
    expect(roleRun.rules).toContain('ct-iam-pr-1.guard');
    expect(roleRun.rules).not.toContain('ct-s3-pr-1.guard');
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
