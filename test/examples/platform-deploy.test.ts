import { Stack } from 'aws-cdk-lib';
import { STAGES } from '../../examples/platform/config';
import { addReferencePlatform } from '../../examples/platform/platform';
import { ApiGatewayAccountLogging } from '../../lib';
import { createTestApp } from '../support/app';
import { PolicySimulator, REGION } from '../support/iam';

/**
 * What a fresh account needs before the reference platform deploys, and what the stage's roles may
 * do with its keys — on the synthesized platform.
 */
describe('the reference platform deploys into an empty account', () => {
  const app = createTestApp({ checks: false, context: { '@aws-cdk/core:validateAgainstDefaultRules': false } });
  const stages = addReferencePlatform(app);
  const assembly = app.synth();

  test.each(STAGES.map((c, i) => [c.name, i] as const))('%s: exactly one API Gateway account logging setting, in a stack the inference stack depends on', (_name, i) => {
    const stage = stages[i];
    const stacks: Stack[] = [stage.network, stage.data, stage.operations, stage.inference];
    const settings = stacks.flatMap((s) => Object.values<any>(assembly.getStackByName(s.stackName).template.Resources)
      .filter((r) => r.Type === 'AWS::ApiGateway::Account').map(() => s.stackName));
    expect(settings).toEqual([stage.network.stackName]);
    expect(ApiGatewayAccountLogging.inStack(stage.network)).toBeDefined();
    // the cloud assembly orders deployment by these dependencies
    expect(assembly.getStackByName(stage.inference.stackName).dependencies.map((d) => d.id)).toContain(stage.network.artifactId);
    // the inference stack holds the API stage that logs
    expect(Object.values<any>(assembly.getStackByName(stage.inference.stackName).template.Resources).some((r) => r.Type === 'AWS::ApiGateway::Stage')).toBe(true);
  });

  describe.each(STAGES.map((c, i) => [c.name, i] as const))('%s: the inference role only reads with the training-data key', (_name, i) => {
    const { data } = stages[i];
    const sim = new PolicySimulator(data);
    const key = sim.arnOf(data.data.encryptionKey);
    const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };
    const viaSageMaker = { 'kms:ViaService': `sagemaker.${REGION}.amazonaws.com` };
    test.each<[string, string, Record<string, string>, string]>([
      // the Allowed row shows the key policy lets the role's identity policies decide
      ['decrypts model artifacts through S3', 'kms:Decrypt', viaS3, 'Allowed'],
      ['cannot encrypt', 'kms:Encrypt', viaS3, 'ImplicitlyDenied'],
      ['cannot generate data keys', 'kms:GenerateDataKey', viaS3, 'ImplicitlyDenied'],
      ['cannot create grants through SageMaker', 'kms:CreateGrant', { ...viaSageMaker, 'kms:GrantIsForAWSResource': 'true' }, 'ImplicitlyDenied'],
    ])('%s', async (_n, action, context, expected) => {
      expect(await sim.decide({ principal: data.inferenceRole.role, action, resource: key, context })).toBe(expected);
    });
  });
});
