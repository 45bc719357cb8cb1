import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * examples/pipeline.ts, run as its documented command runs it (ts-node), with the checks off for
 * speed: the structure of the pipeline that delivers the reference platform. (With every check on,
 * the same app synthesizes with no finding; that run takes minutes and is not repeated here.)
 */
const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipeline-example-'));
const run = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', path.join(__dirname, '..', '..', 'examples', 'pipeline.ts')], {
  encoding: 'utf8',
  env: { ...process.env, CDK_OUTDIR: outdir, CDK_SECURE_AI_CHECKS: 'off', CDK_VALIDATION: 'false' },
  timeout: 600_000,
});

test('the example synthesizes', () => {
  expect(run.stderr).not.toMatch(/Error/);
  expect(run.status).toBe(0);
});

test('it deploys the reference platform\'s dev, test and prod stages in order, each into its own account, prod after an approval', () => {
  const template = JSON.parse(fs.readFileSync(path.join(outdir, 'SecureAi-Delivery.template.json'), 'utf8'));
  const [pipeline] = Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::CodePipeline::Pipeline');
  const stages = pipeline.Properties.Stages;
  expect(stages.map((s: any) => s.Name)).toEqual(['Source', 'Build', 'UpdatePipeline', 'Assets', 'Dev', 'Test', 'Prod']);
  const accounts = { Dev: '222222222222', Test: '333333333333', Prod: '444444444444' } as Record<string, string>;
  for (const stage of stages.slice(4)) {
    const deploys = stage.Actions.filter((a: any) => a.ActionTypeId.Provider === 'CloudFormation');
    expect(deploys.length).toBe(8); // four stacks, prepare and deploy
    for (const deploy of deploys) expect(JSON.stringify(deploy.RoleArn)).toContain(`:iam::${accounts[stage.Name]}:role/cdk-hnb659fds-deploy-role-`);
    expect(stage.Actions.some((a: any) => a.ActionTypeId.Category === 'Approval')).toBe(stage.Name === 'Prod');
  }
  // The platform's four stacks, inside each stage's assembly.
  for (const name of ['Dev', 'Test', 'Prod']) {
    const templates = fs.readdirSync(path.join(outdir, `assembly-${name}`)).filter((f) => f.endsWith('.template.json'))
      .map((f) => f.replace(/[0-9A-F]{8}\.template\.json$/, '')).sort();
    expect(templates).toEqual(['Data', 'Inference', 'Network', 'Operations'].map((part) => `${name}SecureAi${name}${part}`));
  }
});
