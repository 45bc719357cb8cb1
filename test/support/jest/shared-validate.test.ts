import * as path from 'path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { createTestApp } from '../app';
import { complianceReport } from '../compliance';

/**
 * The worker-shared CloudFormation validation engine (environment.js) must report exactly what a
 * fresh engine built the way aws-cdk-lib builds it reports.
 */
describe('the shared CloudFormation validation engine', () => {
  const cdkRoot = path.dirname(require.resolve('aws-cdk-lib/package.json'));
  // the package itself, bypassing the Jest mapping: a fresh engine, as aws-cdk-lib would build it
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the unmapped package, by path
  const real = require(require.resolve('@aws/cloudformation-validate', { paths: [cdkRoot] }));
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the mapped module under test
  const shared = require('@aws/cloudformation-validate');
  const OPTIONS = { detailLevel: 'STANDARD', severityLevel: 'WARN' };
  const template = JSON.stringify({
    Resources: {
      Bucket: { Type: 'AWS::S3::Bucket', Properties: { NoSuchProperty: 1 } },
      Queue: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 'soon' } },
    },
  });
  const diagnostics = (engine: any) => engine.validateTemplate(new real.TemplateContent(template, 't.json'), OPTIONS)
    .diagnostics.map((d: any) => `${d.ruleId} ${d.message}`).sort();

  test('is the mapped module, and reports what a fresh engine reports', () => {
    expect(Object.prototype.toString.call(shared.__sharedEngines)).toBe('[object Map]'); // the mapping is in place: else this test proves nothing
    const fresh = new real.CompositeEngine({});
    const expected = diagnostics(fresh);
    fresh.free();
    expect(expected.length).toBeGreaterThanOrEqual(2); // both schema errors are found...
    expect(diagnostics(new shared.CompositeEngine({}))).toEqual(expected); // ...by the shared engine too
  });

  test('a synthesis after one with other resource types still validates the new types', () => {
    const synth = (build: (stack: Stack) => void) => {
      const app = createTestApp({ checks: false, schemaValidation: true }); // schema validation only, findings as errors (cdk.json)
      const stack = new Stack(app, 'Stack');
      build(stack);
      return complianceReport(stack).violations.filter((v) => v.plugin === 'CloudFormation Validate');
    };
    expect(synth((stack) => new sqs.Queue(stack, 'Queue'))).toEqual([]);
    const findings = synth((stack) => new CfnResource(stack, 'Invalid', { type: 'AWS::S3::Bucket', properties: { NoSuchProperty: 1 } }));
    expect(findings.map((f) => f.constructPath)).toContain('Stack/Invalid');
  });
});
