/**
 * How much the AiSecurityChecks pack adds to the synth time of the example app.
 *
 *   npx ts-node --transpile-only scripts/bench-nag.ts [runs=7]
 *
 * Runs the example app (examples/app.ts, as cdk.json runs it: ts-node transpile-only, with the
 * context of cdk.json and every compliance check) alternately with the pack's validation turned
 * into a no-op and with it on, and reports the median whole-process times and the median time
 * spent inside the pack. Then, in this process, times the pack against cdk-nag's AwsSolutions pack
 * on a larger synthetic app (many stacks of SageMaker, API and IAM resources), to show how it
 * scales. A benchmark, not a test: numbers depend on the machine and its load.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { AiSecurityChecks } from '../lib';

const root = path.join(__dirname, '..');
const runs = Number(process.argv[2] ?? 7);
const work = path.join(root, '.bench');
fs.mkdirSync(work, { recursive: true });
const timesFile = path.join(work, 'aisec-times.txt');
fs.rmSync(timesFile, { force: true });
// A benchmark times the checks, it does not gate on them: findings must not stop the synth.
const context = {
  ...JSON.parse(fs.readFileSync(path.join(root, 'cdk.json'), 'utf8')).context,
  '@aws-cdk/core:failSynthOnValidationErrors': false,
};

function synth(mode: 'on' | 'off'): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [
    '-r', 'ts-node/register/transpile-only', '-r', './scripts/bench-nag-hook.ts', 'examples/app.ts',
  ], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      BENCH_AISEC: mode,
      BENCH_AISEC_TIMES: timesFile,
      CDK_OUTDIR: path.join(work, `cdk.out-${mode}`),
      CDK_CONTEXT_JSON: JSON.stringify(context),
    },
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`example app failed (${mode}):\n${result.stderr}`);
  return ms;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const fmt = (ms: number) => `${ms.toFixed(0)} ms`;

// BENCH_NAG_SYNTHETIC_ONLY=1 skips the example app (its whole-process runs take minutes on a busy machine).
if (!process.env.BENCH_NAG_SYNTHETIC_ONLY) exampleApp();

function exampleApp(): void {
  synth('on'); // warm-up: file-system caches, ts-node
  fs.rmSync(timesFile, { force: true });
  const off: number[] = [];
  const on: number[] = [];
  for (let i = 0; i < runs; i++) {
    off.push(synth('off'));
    on.push(synth('on'));
  }
  const inPack = fs.readFileSync(timesFile, 'utf8').trim().split('\n').map(Number);
  const [mOff, mOn, mPack] = [median(off), median(on), median(inPack)];
  console.log(`example app synth, median of ${runs} runs each (whole process, ts-node transpile-only):`);
  console.log(`  without AiSec (validation no-op): ${fmt(mOff)}   [${off.map(fmt).join(', ')}]`);
  console.log(`  with AiSec:                       ${fmt(mOn)}   [${on.map(fmt).join(', ')}]`);
  console.log(`  difference: ${fmt(mOn - mOff)} (${(((mOn - mOff) / mOff) * 100).toFixed(1)} %)`);
  console.log(`  time inside AiSecurityChecks.validate: median ${mPack.toFixed(1)} ms (${((mPack / mOn) * 100).toFixed(2)} % of synth)`);
}

/** A stack of typical ML resources: buckets with policies, roles, a model, an endpoint config, an API, a web ACL. */
function mlStack(app: App, id: string): Stack {
  const stack = new Stack(app, id);
  for (let i = 0; i < 5; i++) new s3.Bucket(stack, `Data${i}`, { enforceSSL: true, minimumTLSVersion: 1.2 });
  const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['sagemaker:CreateTrainingJob'], resources: ['*'] }));
  const model = new sagemaker.CfnModel(stack, 'Model', { executionRoleArn: role.roleArn, enableNetworkIsolation: true });
  new sagemaker.CfnEndpointConfig(stack, 'Config', {
    productionVariants: [{ variantName: 'main', modelName: model.attrModelName, instanceType: 'ml.m5.large', initialInstanceCount: 2 }],
  });
  const api = new apigw.RestApi(stack, 'Api');
  for (let i = 0; i < 10; i++) api.root.addResource(`r${i}`).addMethod('POST', new apigw.MockIntegration());
  new wafv2.CfnWebACL(stack, 'Acl', {
    defaultAction: { allow: {} },
    scope: 'REGIONAL',
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true },
  });
  return stack;
}

function timeValidate(pack: { validateScope(scope: App): unknown }, app: App): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    pack.validateScope(app);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return median(times);
}

const stacks = 20;
const big = new App({ context: context });
for (let i = 0; i < stacks; i++) mlStack(big, `Ml${i}`);
const resources = big.node.findAll().filter((c) => (c as any).cfnResourceType !== undefined).length;
const synthStart = process.hrtime.bigint();
big.synth();
const synthMs = Number(process.hrtime.bigint() - synthStart) / 1e6;
const aiSecMs = timeValidate(new AiSecurityChecks(), big);
const awsSolutionsMs = timeValidate(new AwsSolutionsChecks(), big);
console.log(`synthetic app: ${stacks} stacks, ${resources} CloudFormation resources (in-process, median of ${runs}):`);
console.log(`  app.synth without validation plugins: ${fmt(synthMs)} (one run)`);
console.log(`  AiSecurityChecks.validateScope: ${mPackFmt(aiSecMs)}; AwsSolutionsChecks.validateScope: ${mPackFmt(awsSolutionsMs)}`);

function mPackFmt(ms: number): string {
  return `${ms.toFixed(1)} ms`;
}
