import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { pipelineFixture, PROMOTED_IMAGE_CONTEXT } from './fixture';
import { complianceReport, Violation } from '../support/compliance';
import { acknowledgementsIn, expectListedInReadme } from '../support/docs';

/**
 * Every check on the pipeline stacks, in one synthesis (it takes about a minute):
 * - `Delivery`: the defaults (CodeConnections source, alert topic created);
 * - `Every`: every option (CodeCommit source, own alert topic, a signed model image);
 * - `Canary`: a pipeline a user weakened (a wildcard statement on the synth role, a privileged
 *   step of their own) — the checks must still report it: the acknowledgements are narrow.
 */
// The stages are synthesized as the pipeline's synth step synthesizes them: with the promoted image in the context.
const defaults = pipelineFixture({}, { context: PROMOTED_IMAGE_CONTEXT });
const every = pipelineFixture({}, { app: defaults.app, id: 'Every', everyOption: true });
const canary = pipelineFixture({}, { app: defaults.app, id: 'Canary' });
canary.pipeline.pipeline.addWave('UserWave', {
  pre: [new pipelines.CodeBuildStep('PrivilegedStep', { commands: ['echo hi'], buildEnvironment: { privileged: true } })],
});
canary.pipeline.buildPipeline();
canary.pipeline.synthStep.project.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));

const report = complianceReport(defaults.stack);
const under = (list: Violation[], prefix: string) => list.filter((v) => v.constructPath.startsWith(`${prefix}/`));
const describeAll = (list: Violation[]) => list.map((v) => `${v.rule} at ${v.constructPath} (${v.plugin})`);

test('the pipeline with its defaults: no unacknowledged finding', () => {
  expect(describeAll(under(report.violations, 'Delivery'))).toEqual([]);
});

test('the pipeline with every option (CodeCommit, own topic, a signed model image): no unacknowledged finding', () => {
  expect(describeAll(under(report.violations, 'Every'))).toEqual([]);
});

test('the stages the pipelines deploy: no unacknowledged finding', () => {
  expect(describeAll(report.violations.filter((v) => /^(Every|Canary)?(Dev|Test|Prod)\//.test(v.constructPath)))).toEqual([]);
});

test('canary: a wildcard a user adds to the synth role and a privileged step of their own are reported', () => {
  const found = describeAll(under(report.violations, 'Canary'));
  expect(found).toEqual(expect.arrayContaining([
    expect.stringMatching(/^AwsSolutions-IAM5\[Action::s3:\*\] at Canary\/Pipeline\/Pipeline\/Pipeline\/Build\/Synth\/CdkBuildProject\/Role\/DefaultPolicy/),
    expect.stringMatching(/^AwsSolutions-IAM5\[Resource::\*\] at Canary\/Pipeline\/Pipeline\/Pipeline\/Build\/Synth\/CdkBuildProject\/Role\/DefaultPolicy/),
    expect.stringMatching(/^codebuild_project_environment_privileged_check at Canary\/Pipeline\/Pipeline\/Pipeline\/UserWave\/PrivilegedStep/),
  ]));
});

test('the privileged-mode acknowledgement covers the model image project only', () => {
  const privileged = report.acknowledged.filter((v) => v.rule === 'codebuild_project_environment_privileged_check');
  expect(privileged.map((v) => v.constructPath)).toEqual(['Every/Pipeline/Pipeline/Pipeline/Build/SentimentImage/SentimentImage/Resource']);
});

test('every acknowledgement of the pipeline constructs is listed in the README with its reason', () => {
  const generic = (id: string) => [
    id.replace(/<[A-Za-z0-9]+\.Arn>/g, '<bucket ARN>').replace(/<[A-Za-z0-9]+>/g, '<…>').replace(/\d{12}/g, '<account>').replace(/us-east-1/g, '<region>'),
  ];
  for (const { stack } of [defaults, every]) {
    expectListedInReadme(acknowledgementsIn(stack, { include: (p) => p.includes('/Pipeline/') && !p.includes('/Artifacts/') && !p.includes('/ImageEvidence/') }), generic);
  }
});
