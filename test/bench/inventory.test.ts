import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { assemblyStacks, CustomResourceReason, inventory, stageOf } from '../../scripts/bench/inventory';

const root = path.join(__dirname, '../..');
const reasons: CustomResourceReason[] = JSON.parse(fs.readFileSync(path.join(root, 'scripts/bench/custom-resources.json'), 'utf8'));

describe('documented custom resources', () => {
  test.each(reasons.map((r) => [r.type, r]))('%s: the library file still documents it', (_type, r) => {
    expect(r.reason.length).toBeGreaterThan(40);
    expect(fs.readFileSync(path.join(root, r.documentedIn), 'utf8')).toContain(r.quote);
  });
});

describe('inventory', () => {
  test('counts resources and finds the Lambda-backed custom resource with its documented reason', () => {
    const app = new App();
    const stack = new Stack(app, 'Vpc');
    new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1, restrictDefaultSecurityGroup: true });
    const template = app.synth().getStackByName('Vpc').template;
    const result = inventory(template, 1234, reasons);
    expect(result.resources).toBe(Object.keys(template.Resources).length);
    expect(result.templateBytes).toBe(1234);
    expect(result.customResources).toEqual([
      expect.objectContaining({ type: 'Custom::VpcRestrictDefaultSG', backend: 'lambda', reason: expect.objectContaining({ construct: 'SegmentedAiVpc' }) }),
    ]);
  });

  test('a custom resource the library does not document has no reason', () => {
    const result = inventory({
      Resources: {
        Fn: { Type: 'AWS::Lambda::Function' },
        Thing: { Type: 'Custom::Undocumented', Properties: { ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
      },
    }, 0, reasons);
    expect(result.customResources).toEqual([{ logicalId: 'Thing', type: 'Custom::Undocumented', backend: 'lambda', reason: undefined }]);
  });

  test('assemblyStacks finds the stacks of the app and of its Stages', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-inventory-'));
    try {
      const app = new App({ outdir });
      new s3.Bucket(new Stack(app, 'Top'), 'B');
      const stage = new Stage(app, 'Prod');
      new s3.Bucket(new Stack(stage, 'Data'), 'B');
      app.synth();
      const stacks = assemblyStacks(outdir);
      expect(stacks.map((s) => s.id).sort()).toEqual(['Prod/Data', 'Top']);
      for (const s of stacks) expect(fs.existsSync(s.templateFile)).toBe(true);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('stageOf', () => {
  test('the stage of a stack is its ID without the last part', () => {
    expect(stageOf('SecureAi-Prod-Operations')).toBe('SecureAi-Prod');
    expect(stageOf('SecureAi-Test-Data')).toBe('SecureAi-Test');
    expect(stageOf('Prod/Data')).toBe('Prod');
    expect(stageOf('Standalone')).toBe('Standalone');
  });
});
