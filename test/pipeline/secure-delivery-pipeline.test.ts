import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import { CONNECTION_ARN, DEV, IMAGE_ID, pipelineFixture, PROD, REGION, SIGNER_PLUGIN_SHA256, SIGNER_ROOT_CERTIFICATE_SHA256, SIGNING_PROFILE_ARN, TEST, TOOLING, WorkloadStage } from './fixture';
import { ModelImageBuild, SecureDeliveryPipeline, SecureModelRepository } from '../../lib';
import { createTestApp } from '../support/app';
import { expectInvalidProp } from '../support/errors';
import { matchesEventPattern } from '../support/event-pattern';
import { snapshotOf } from '../support/snapshot';

type Json = any;

function resourcesOf(template: Json, type: string): [string, Json][] {
  return Object.entries<Json>(template.Resources).filter(([, r]) => r.Type === type);
}

describe('SecureDeliveryPipeline (defaults)', () => {
  const { stack, pipeline } = pipelineFixture({}, { checks: false });
  const template = Template.fromStack(stack);
  const json = template.toJSON();
  const [[, cfnPipeline]] = resourcesOf(json, 'AWS::CodePipeline::Pipeline');
  const stages: Json[] = cfnPipeline.Properties.Stages;

  test('source: the CodeConnections connection, repository and branch', () => {
    const source = stages[0].Actions[0];
    expect(source.ActionTypeId).toMatchObject({ Category: 'Source', Provider: 'CodeStarSourceConnection' });
    expect(source.Configuration).toMatchObject({ ConnectionArn: CONNECTION_ARN, FullRepositoryId: 'example-org/ml-platform', BranchName: 'main' });
  });

  test('stages in order: source, synth, self-mutation, dev, test, prod; the approval comes first in prod', () => {
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Build', 'UpdatePipeline', 'Dev', 'Test', 'Prod']);
    const prod = stages[5].Actions;
    const approval = prod.find((a: Json) => a.ActionTypeId.Category === 'Approval');
    expect(approval.ActionTypeId.Provider).toBe('Manual');
    const deploys = prod.filter((a: Json) => a.ActionTypeId.Provider === 'CloudFormation');
    expect(deploys.length).toBeGreaterThan(0);
    for (const deploy of deploys) expect(deploy.RunOrder).toBeGreaterThan(approval.RunOrder);
    // No approval in dev and test.
    for (const stage of stages.slice(3, 5)) expect(stage.Actions.some((a: Json) => a.ActionTypeId.Category === 'Approval')).toBe(false);
  });

  test('each stage deploys into its own account, through that account\'s bootstrap deploy role', () => {
    for (const [index, account] of [[3, DEV], [4, TEST], [5, PROD]] as const) {
      const deploys = stages[index].Actions.filter((a: Json) => a.ActionTypeId.Provider === 'CloudFormation');
      for (const deploy of deploys) {
        expect(JSON.stringify(deploy.RoleArn)).toContain(`:iam::${account}:role/cdk-hnb659fds-deploy-role-${account}-${REGION}`);
      }
    }
  });

  test('artifact store: the SecureTrainingBucket, encrypted with its customer-managed key (cross-account keys)', () => {
    const bucketId = stack.getLogicalId(pipeline.artifactBucket.bucket.node.defaultChild as Json);
    const keyId = stack.getLogicalId(pipeline.artifactBucket.encryptionKey.node.defaultChild as Json);
    expect(cfnPipeline.Properties.ArtifactStore).toEqual({
      Type: 'S3',
      Location: { Ref: bucketId },
      EncryptionKey: { Type: 'KMS', Id: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, KeyPolicy: Match.anyValue() });
    expect(json.Resources[bucketId].DeletionPolicy).toBe('Retain');
    expect(json.Resources[keyId].DeletionPolicy).toBe('Retain');
  });

  test('no CodeBuild project is privileged; every one logs to the encrypted, retained log group', () => {
    const logGroupId = stack.getLogicalId(pipeline.buildLogGroup.node.defaultChild as Json);
    const projects = resourcesOf(json, 'AWS::CodeBuild::Project');
    expect(projects.length).toBeGreaterThanOrEqual(2); // synth and self-mutation
    for (const [, project] of projects) {
      expect(project.Properties.Environment.PrivilegedMode).toBe(false);
      expect(project.Properties.LogsConfig.CloudWatchLogs).toEqual({ GroupName: { Ref: logGroupId }, Status: 'ENABLED' });
      expect(project.Properties.EncryptionKey).toBeDefined();
    }
    const logGroup = json.Resources[logGroupId];
    expect(logGroup.Properties.RetentionInDays).toBe(365);
    expect(logGroup.Properties.KmsKeyId).toBeDefined();
    expect(logGroup.DeletionPolicy).toBe('Retain');
  });

  test('the synth project runs the checked synthesis in bash and keeps the reports as a second output', () => {
    const [, synth] = resourcesOf(json, 'AWS::CodeBuild::Project').find(([id]) => id.includes('Synth'))!;
    const buildspec = JSON.parse(synth.Properties.Source.BuildSpec);
    expect(buildspec.env.shell).toBe('bash');
    expect(buildspec.artifacts['secondary-artifacts']).toBeDefined();
    const directories = Object.values<Json>(buildspec.artifacts['secondary-artifacts']).map((a) => a['base-directory']);
    expect(directories).toEqual(expect.arrayContaining(['cdk.out', 'synth-reports']));
    const build = stages[1].Actions[0];
    expect(build.OutputArtifacts.length).toBe(2);
  });

  test('no long-lived credential: no IAM user or access key, no secret, no OAuth token in the pipeline', () => {
    expect(resourcesOf(json, 'AWS::IAM::User')).toEqual([]);
    expect(resourcesOf(json, 'AWS::IAM::AccessKey')).toEqual([]);
    expect(resourcesOf(json, 'AWS::SecretsManager::Secret')).toEqual([]);
    expect(JSON.stringify(cfnPipeline)).not.toMatch(/OAuthToken/);
  });

  test('snapshot', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });
});

describe('alerts', () => {
  const { stack, pipeline } = pipelineFixture({ pipelineName: 'myPipeline' }, { checks: false });
  const json = Template.fromStack(stack).toJSON();
  const ruleOf = (id: string) => pipeline.alertRules.find((r) => r.node.id === id)!;
  const patternOf = (id: string) => json.Resources[stack.getLogicalId(ruleOf(id).node.defaultChild as Json)].Properties.EventPattern;
  const state = patternOf('PipelineStateRule');
  const approval = patternOf('ApprovalRejectedRule');

  // The sample events of the CodePipeline user guide, "Monitoring CodePipeline events" (the
  // samples print the field as "detailType"; EventBridge delivers it as "detail-type"), for a
  // pipeline in this test's account and Region.
  const pipelineEvent = (pipelineState: string) => ({
    'version': '0',
    'id': '01234567-EXAMPLE',
    'detail-type': 'CodePipeline Pipeline Execution State Change',
    'source': 'aws.codepipeline',
    'account': TOOLING,
    'time': '2020-01-31T18:55:43Z',
    'region': REGION,
    'resources': [`arn:aws:codepipeline:${REGION}:${TOOLING}:myPipeline`],
    'detail': { 'pipeline': 'myPipeline', 'execution-id': '12345678-1234-5678-abcd-12345678abcd', 'state': pipelineState, 'version': 4 },
  });
  // The guide's "Action FAILED event", for a manual approval action: category Approval, provider Manual
  // (CodePipeline action structure reference, valid action providers).
  const actionEvent = (actionState: string, category = 'Approval', provider = 'Manual') => ({
    'version': '0',
    'id': '01234567-EXAMPLE',
    'detail-type': 'CodePipeline Action Execution State Change',
    'source': 'aws.codepipeline',
    'account': TOOLING,
    'time': '2020-01-31T18:55:43Z',
    'region': REGION,
    'resources': [`arn:aws:codepipeline:${REGION}:${TOOLING}:myPipeline`],
    'detail': {
      'pipeline': 'myPipeline',
      'execution-id': '12345678-1234-5678-abcd-12345678abcd',
      'stage': 'Prod',
      'action': 'Approve-Prod',
      'state': actionState,
      'region': REGION,
      'type': { owner: 'AWS', provider, category, version: '1' },
      'version': 4,
    },
  });

  test.each(['FAILED', 'STOPPED', 'SUCCEEDED', 'SUPERSEDED'])('a pipeline execution %s is sent', (s) => {
    expect(matchesEventPattern(state, pipelineEvent(s))).toBe(true);
  });
  test.each(['STARTED', 'STOPPING', 'RESUMED'])('a pipeline execution %s is not sent', (s) => {
    expect(matchesEventPattern(state, pipelineEvent(s))).toBe(false);
  });
  test('another pipeline of the account is not watched', () => {
    const other = { ...pipelineEvent('FAILED'), resources: [`arn:aws:codepipeline:${REGION}:${TOOLING}:otherPipeline`] };
    expect(matchesEventPattern(state, other)).toBe(false);
    expect(matchesEventPattern(approval, { ...actionEvent('FAILED'), resources: other.resources })).toBe(false);
  });
  test('a rejected (failed) approval is sent; an approved one and a failed deploy action are not', () => {
    expect(matchesEventPattern(approval, actionEvent('FAILED'))).toBe(true);
    expect(matchesEventPattern(approval, actionEvent('SUCCEEDED'))).toBe(false);
    expect(matchesEventPattern(approval, actionEvent('FAILED', 'Deploy', 'CloudFormation'))).toBe(false);
    // an action event never matches the pipeline-state rule (no duplicate alert per action)
    expect(matchesEventPattern(state, actionEvent('FAILED'))).toBe(false);
  });
  test('both rules target the alert topic with a dead-letter queue', () => {
    for (const rule of pipeline.alertRules) {
      const targets = json.Resources[stack.getLogicalId(rule.node.defaultChild as Json)].Properties.Targets;
      expect(targets).toEqual([expect.objectContaining({
        Arn: { Ref: stack.getLogicalId(pipeline.alertTopic.node.defaultChild as Json) },
        DeadLetterConfig: expect.any(Object),
      })]);
    }
  });
});

describe('model image step', () => {
  const { stack, image } = pipelineFixture({}, { checks: false, everyOption: true });
  const json = Template.fromStack(stack).toJSON();
  const projects = resourcesOf(json, 'AWS::CodeBuild::Project');
  const [[, cfnPipeline]] = resourcesOf(json, 'AWS::CodePipeline::Pipeline');
  const stages: Json[] = cfnPipeline.Properties.Stages;
  const stage = (name: string) => stages.find((s) => s.Name === name);
  const imageAction = stage('Build').Actions.find((a: Json) => a.Name === IMAGE_ID);
  const synthAction = stage('Build').Actions.find((a: Json) => a.Name === 'Synth');
  const projectOf = (action: Json) => json.Resources[action.Configuration.ProjectName.Ref];

  test('only the image project is privileged, and it runs in the Build stage before the synth step', () => {
    const privilegedProjects = projects.filter(([, p]) => p.Properties.Environment.PrivilegedMode === true);
    expect(privilegedProjects.map(([id]) => id)).toEqual([stack.getLogicalId(image!.step.project.node.defaultChild as Json)]);
    expect(stages.map((s) => s.Name)).toEqual(['Source', 'Build', 'UpdatePipeline', 'Assets', 'Dev', 'Test', 'Prod']);
    expect(projectOf(imageAction).Properties.Environment.PrivilegedMode).toBe(true);
    expect(imageAction.RunOrder).toBeLessThan(synthAction.RunOrder);
  });

  test('the digest reaches the synthesis: the image output is an input of the synth step, written into the app context before synthesis', () => {
    const [imageOutput] = imageAction.OutputArtifacts;
    expect(synthAction.InputArtifacts).toContainEqual(imageOutput);
    const buildspec = JSON.parse(projectOf(synthAction).Properties.Source.BuildSpec);
    // CDK Pipelines links the secondary artifact at the input directory (additional input).
    expect(buildspec.phases.install.commands.some((c: string) => c.includes(`"$CODEBUILD_SRC_DIR_${imageOutput.Name}" "model-images/${IMAGE_ID}"`))).toBe(true);
    const commands: string[] = buildspec.phases.build.commands;
    const context = commands.findIndex((c) => c.includes(ModelImageBuild.CONTEXT_KEY));
    const synthesis = commands.findIndex((c) => c.includes('npx cdk synth'));
    expect(context).toBeGreaterThanOrEqual(0);
    expect(context).toBeLessThan(synthesis);
    expect(commands[context].endsWith(` ${IMAGE_ID}`)).toBe(true);
    // The image project writes image.json into its primary output.
    const imageBuildspec = JSON.parse(projectOf(imageAction).Properties.Source.BuildSpec);
    expect(imageBuildspec.artifacts['base-directory']).toBe('model-image');
    expect(imageBuildspec.env['exported-variables']).toEqual(['IMAGE_DIGEST']);
  });

  test('before each stage, a verification step receives the exported digest and runs before the stage\'s deploy actions (after the approval in prod)', () => {
    expect(imageAction.Namespace).toBeDefined();
    for (const name of ['Dev', 'Test', 'Prod']) {
      const actions: Json[] = stage(name).Actions;
      const verify = actions.find((a) => a.Name === `Verify${IMAGE_ID}-${name}`);
      expect(JSON.parse(verify.Configuration.EnvironmentVariables)).toContainEqual({
        name: 'IMAGE_DIGEST', type: 'PLAINTEXT', value: `#{${imageAction.Namespace}.IMAGE_DIGEST}`,
      });
      const deploys = actions.filter((a) => a.ActionTypeId.Provider === 'CloudFormation');
      for (const deploy of deploys) expect(deploy.RunOrder).toBeGreaterThan(verify.RunOrder);
      const approval = actions.find((a) => a.ActionTypeId.Category === 'Approval');
      if (name === 'Prod') expect(verify.RunOrder).toBeGreaterThan(approval.RunOrder);
      const project = projectOf(verify);
      expect(project.Properties.Environment.PrivilegedMode).toBe(false);
      expect(project.Properties.ServiceRole).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(image!.verifyRole.node.defaultChild as Json), 'Arn'] });
    }
    // No image is built anywhere else: a single project builds it.
    const builds = projects.filter(([, p]) => p.Properties.Source.BuildSpec.includes('docker build'));
    expect(builds.length).toBe(1);
  });

  test('pinned Trivy and Notation versions and checksums, the Signer plugin and root certificate pins, threshold and signing profile reach the build', () => {
    const [, project] = privileged(projects);
    const variables = Object.fromEntries(project.Properties.Environment.EnvironmentVariables.map((v: Json) => [v.Name, v.Value]));
    expect(variables).toMatchObject({
      TRIVY_VERSION: '0.68.2',
      TRIVY_SHA256: '3d933bbc3685f95ec15280f620583d05d97ee3affb66944d14481d5d6d567064',
      NOTATION_VERSION: '1.3.2',
      NOTATION_SHA256: 'e1a0f060308086bf8020b2d31defb7c5348f133ca0dba6a1a7820ef3cbb6dfe5',
      SIGNER_PLUGIN_URL: 'https://d2hvyiie56hcat.cloudfront.net/linux/amd64/plugin/latest/notation-aws-signer-plugin.zip',
      SIGNER_PLUGIN_SHA256: SIGNER_PLUGIN_SHA256,
      SIGNER_ROOT_CERTIFICATE_URL: 'https://d2hvyiie56hcat.cloudfront.net/aws-signer-notation-root.cert',
      SIGNER_ROOT_CERTIFICATE_SHA256: SIGNER_ROOT_CERTIFICATE_SHA256,
      SEVERITIES: 'CRITICAL,HIGH,MEDIUM',
      IGNORE_UNFIXED: 'false',
      CONTEXT: 'model/sentiment',
      SIGNING_PROFILE_ARN: SIGNING_PROFILE_ARN,
    });
  });

  test('snapshot (every option)', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });

  test('the image and verification roles are trusted by CodeBuild of this account only and their grants are managed policies', () => {
    for (const role of [image!.role, image!.verifyRole]) {
      const roleId = stack.getLogicalId(role.node.defaultChild as Json);
      expect(json.Resources[roleId].Properties.AssumeRolePolicyDocument.Statement).toEqual([expect.objectContaining({
        Principal: { Service: 'codebuild.amazonaws.com' },
        Condition: { StringEquals: { 'aws:SourceAccount': TOOLING } },
      })]);
      const inline = resourcesOf(json, 'AWS::IAM::Policy').filter(([, p]) => JSON.stringify(p.Properties.Roles).includes(roleId));
      expect(inline).toEqual([]);
    }
  });
});

describe('a wave of workload accounts with a model image', () => {
  test('the wave verifies the digest once, after its approval and before any of its deploy actions', () => {
    const app = createTestApp({ checks: false });
    const stack = new Stack(app, 'Delivery', { env: { account: TOOLING, region: REGION } });
    const pipeline = new SecureDeliveryPipeline(stack, 'Pipeline', { repository: 'a/b', connectionArn: CONNECTION_ARN });
    pipeline.addModelImage(IMAGE_ID, { repository: new SecureModelRepository(stack, 'Images') });
    pipeline.addWave('Workloads', [
      new WorkloadStage(app, 'TeamA', { env: { account: DEV, region: REGION } }),
      new WorkloadStage(app, 'TeamB', { env: { account: TEST, region: REGION } }),
    ], { requireApproval: true });
    const [[, cfnPipeline]] = resourcesOf(Template.fromStack(stack).toJSON(), 'AWS::CodePipeline::Pipeline');
    const actions: Json[] = cfnPipeline.Properties.Stages.find((s: Json) => s.Name === 'Workloads').Actions;
    const verify = actions.filter((a) => a.Name.startsWith(`Verify${IMAGE_ID}`));
    expect(verify.map((a) => a.Name)).toEqual([`Verify${IMAGE_ID}-Workloads`]);
    const approval = actions.find((a) => a.ActionTypeId.Category === 'Approval');
    expect(verify[0].RunOrder).toBeGreaterThan(approval.RunOrder);
    const deploys = actions.filter((a) => a.ActionTypeId.Provider === 'CloudFormation');
    expect(deploys.length).toBe(4);
    for (const deploy of deploys) expect(deploy.RunOrder).toBeGreaterThan(verify[0].RunOrder);
  });
});

describe('the stages deploy the promoted digest', () => {
  const promoted = { repositoryUri: `${TOOLING}.dkr.ecr.${REGION}.amazonaws.com/sentiment`, tag: '4b825dc642cb6eb9a060e54bf8d69288fbee4904', digest: `sha256:${'9f'.repeat(32)}` };
  const app = createTestApp({ checks: false, context: { [ModelImageBuild.CONTEXT_KEY]: { [IMAGE_ID]: promoted } } });
  pipelineFixture({}, { app, checks: false, everyOption: true });
  const assembly = app.synth();

  test('dev, test and prod pin the same image, by digest, taken from the context the synth step writes', () => {
    const images = ['Dev', 'Test', 'Prod'].map((name) => {
      const stageAssembly = assembly.getNestedAssembly(`assembly-${name}`);
      const [stackArtifact] = stageAssembly.stacks;
      return stackArtifact.template.Outputs.ModelImage.Value;
    });
    expect(images).toEqual(Array(3).fill(`${promoted.repositoryUri}@${promoted.digest}`));
  });

  test('promotedImage: the context entry, a placeholder with a warning without it, an error on a malformed entry', () => {
    const stack = new Stack(createTestApp({ checks: false, context: { [ModelImageBuild.CONTEXT_KEY]: { [IMAGE_ID]: promoted } } }), 'S');
    expect(ModelImageBuild.promotedImage(stack, IMAGE_ID)).toEqual({ ...promoted, imageUri: `${promoted.repositoryUri}@${promoted.digest}`, fromPipeline: true });
    const bare = new Stack(createTestApp({ checks: false }), 'S');
    const placeholder = ModelImageBuild.promotedImage(bare, IMAGE_ID);
    expect(placeholder.fromPipeline).toBe(false);
    expect(placeholder.digest).toBe(`sha256:${'0'.repeat(64)}`);
    expect(Annotations.fromStack(bare).findWarning('*', Match.stringLikeRegexp(`No digest for model image ${IMAGE_ID}`)).length).toBe(1);
    const bad = new Stack(createTestApp({ checks: false, context: { [ModelImageBuild.CONTEXT_KEY]: { [IMAGE_ID]: { ...promoted, digest: 'latest' } } } }), 'S');
    expectInvalidProp(() => ModelImageBuild.promotedImage(bad, IMAGE_ID), 'S', /context cdk-secure-ai:modelImages.SentimentImage/);
  });
});

function privileged(projects: [string, Json][]): [string, Json] {
  return projects.find(([, p]) => p.Properties.Environment.PrivilegedMode === true)!;
}

describe('bad input', () => {
  const app = () => createTestApp({ checks: false });
  const toolingStack = () => new Stack(app(), 'Delivery', { env: { account: TOOLING, region: REGION } });

  test('an environment-agnostic pipeline stack', () => {
    expectInvalidProp(() => new SecureDeliveryPipeline(new Stack(app(), 'Delivery'), 'Pipeline', { repository: 'a/b', connectionArn: CONNECTION_ARN }),
      'Delivery/Pipeline', /`env`/);
  });
  test('no source, a malformed repository, a malformed connection ARN, two sources', () => {
    expectInvalidProp(() => new SecureDeliveryPipeline(toolingStack(), 'Pipeline', {}), 'Delivery/Pipeline', /`repository`/);
    expectInvalidProp(() => new SecureDeliveryPipeline(toolingStack(), 'Pipeline', { repository: 'ml-platform', connectionArn: CONNECTION_ARN }),
      'Delivery/Pipeline', /`repository`.*"ml-platform"/);
    expectInvalidProp(() => new SecureDeliveryPipeline(toolingStack(), 'Pipeline', { repository: 'a/b', connectionArn: 'my-connection' }),
      'Delivery/Pipeline', /`connectionArn`/);
    const stack = toolingStack();
    expectInvalidProp(() => new SecureDeliveryPipeline(stack, 'Pipeline', {
      repository: 'a/b', connectionArn: CONNECTION_ARN, codeCommitRepository: codecommit.Repository.fromRepositoryName(stack, 'R', 'r'),
    }), 'Delivery/Pipeline', /`codeCommitRepository`/);
  });
  test('a stage without an explicit account, and two stages in one account', () => {
    const stack = toolingStack();
    const pipeline = new SecureDeliveryPipeline(stack, 'Pipeline', { repository: 'a/b', connectionArn: CONNECTION_ARN });
    const root = stack.node.root as Json;
    expectInvalidProp(() => pipeline.addStage(new WorkloadStage(root, 'NoEnv', {})), 'Delivery/Pipeline', /`stage.env.account`/);
    pipeline.addStage(new WorkloadStage(root, 'Dev', { env: { account: DEV, region: REGION } }));
    expectInvalidProp(() => pipeline.addStage(new WorkloadStage(root, 'Test', { env: { account: DEV, region: REGION } })),
      'Delivery/Pipeline', /`stage.env.account`.*"222222222222".*own account/);
  });
  test('a stage after production, an image after the first stage', () => {
    const stack = toolingStack();
    const pipeline = new SecureDeliveryPipeline(stack, 'Pipeline', { repository: 'a/b', connectionArn: CONNECTION_ARN });
    const root = stack.node.root as Json;
    pipeline.addStage(new WorkloadStage(root, 'Dev', { env: { account: DEV, region: REGION } }));
    expectInvalidProp(() => pipeline.addModelImage('Image', { repository: new SecureModelRepository(stack, 'Images') }), 'Delivery/Pipeline', /`addModelImage`/);
    pipeline.addProductionStage(new WorkloadStage(root, 'Prod', { env: { account: PROD, region: REGION } }));
    expectInvalidProp(() => pipeline.addStage(new WorkloadStage(root, 'Late', { env: { account: TEST, region: REGION } })), 'Delivery/Pipeline', /`stage`/);
  });
  test('image: severities, Trivy and Notation pins, context outside the repository, signing profile, Signer plugin and root certificate pins', () => {
    const stack = toolingStack();
    const pipeline = new SecureDeliveryPipeline(stack, 'Pipeline', { repository: 'a/b', connectionArn: CONNECTION_ARN });
    const repository = new SecureModelRepository(stack, 'Images');
    expectInvalidProp(() => pipeline.addModelImage('A', { repository, failOnSeverities: ['SEVERE'] }), 'Delivery/Pipeline/A', /`failOnSeverities`/);
    expectInvalidProp(() => pipeline.addModelImage('B', { repository, trivyVersion: '0.69.1' }), 'Delivery/Pipeline/B', /`trivySha256`/);
    expectInvalidProp(() => pipeline.addModelImage('C', { repository, trivyVersion: 'latest', trivySha256: 'a'.repeat(64) }), 'Delivery/Pipeline/C', /`trivyVersion`/);
    expectInvalidProp(() => pipeline.addModelImage('D', { repository, trivySha256: 'not-a-checksum' }), 'Delivery/Pipeline/D', /`trivySha256`/);
    expectInvalidProp(() => pipeline.addModelImage('E', { repository, context: '../outside' }), 'Delivery/Pipeline/E', /`context`/);
    expectInvalidProp(() => pipeline.addModelImage('F', { repository, signingProfileArn: 'ModelImages' }), 'Delivery/Pipeline/F', /`signingProfileArn`/);
    const signed = {
      repository,
      signingProfileArn: SIGNING_PROFILE_ARN,
      signerPluginSha256: SIGNER_PLUGIN_SHA256,
      signerRootCertificateSha256: SIGNER_ROOT_CERTIFICATE_SHA256,
    };
    expectInvalidProp(() => pipeline.addModelImage('G', { ...signed, signerPluginSha256: undefined }), 'Delivery/Pipeline/G', /`signerPluginSha256`/);
    expectInvalidProp(() => pipeline.addModelImage('H', { ...signed, signerRootCertificateSha256: 'abc' }), 'Delivery/Pipeline/H', /`signerRootCertificateSha256`/);
    expectInvalidProp(() => pipeline.addModelImage('I', { ...signed, notationVersion: '1.4.0' }), 'Delivery/Pipeline/I', /`notationSha256`/);
    expectInvalidProp(() => pipeline.addModelImage('J', { ...signed, notationVersion: 'latest', notationSha256: 'c'.repeat(64) }), 'Delivery/Pipeline/J', /`notationVersion`/);
    expectInvalidProp(() => pipeline.addModelImage('K', { ...signed, signerPluginUrl: 'http://example.com/plugin.zip' }), 'Delivery/Pipeline/K', /`signerPluginUrl`/);
  });
});
