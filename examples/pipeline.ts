import { App, Stack, Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { addComplianceChecks } from './compliance';
import { SecureDeliveryPipeline } from '../lib';
import { StageConfig, STAGES } from './platform/config';
import { addPlatformStage } from './platform/platform';

/**
 * The reference platform delivered by a SecureDeliveryPipeline: the pipeline lives in a tooling
 * account and deploys the dev, test and prod stages of examples/platform, each into its own
 * account, in that order, with a manual approval before prod. Its synth step runs this
 * project's own `npx cdk synth` (examples/app.ts), which registers every check.
 *
 * Synthesize it with its own command (the default `npx cdk synth` keeps synthesizing the
 * platform itself):
 *
 *   npx cdk synth --app 'npx ts-node --prefer-ts-exts examples/pipeline.ts'
 *
 * Accounts and the connection come from context (`-c toolingAccount=...`), with placeholders
 * by default so that the app synthesizes without credentials.
 */
const app = new App();
addComplianceChecks(app);

const context = (key: string, fallback: string): string => app.node.tryGetContext(key) ?? fallback;
const region = context('region', 'eu-west-1');
const toolingAccount = context('toolingAccount', '111111111111');
const accounts: Record<string, string> = {
  Dev: context('devAccount', '222222222222'),
  Test: context('testAccount', '333333333333'),
  Prod: context('prodAccount', '444444444444'),
};

/** One stage of the reference platform as a CDK Pipelines stage: its four stacks in its own account. */
class PlatformStage extends Stage {
  constructor(scope: Construct, config: StageConfig, props: StageProps) {
    super(scope, config.name, props);
    addPlatformStage(this, config);
  }
}

const tooling = new Stack(app, 'SecureAi-Delivery', {
  env: { account: toolingAccount, region },
  description: 'cdk-secure-ai reference platform: delivery pipeline (tooling account)',
});
const pipeline = new SecureDeliveryPipeline(tooling, 'Pipeline', {
  repository: context('repository', 'example-org/cdk-secure-ai-platform'),
  connectionArn: context('connectionArn', `arn:aws:codeconnections:${region}:${toolingAccount}:connection/00000000-0000-0000-0000-000000000000`),
  branch: context('branch', 'main'),
});

for (const config of STAGES) {
  const stage = new PlatformStage(app, config, { env: { account: accounts[config.name], region } });
  if (config.name === 'Prod') pipeline.addProductionStage(stage);
  else pipeline.addStage(stage);
}

app.synth();
