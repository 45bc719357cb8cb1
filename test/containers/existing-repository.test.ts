import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ExistingRepositoryHardening, SecureModelRepository } from '../../lib';
import { createTestApp } from '../support/app';
import { findViolations } from '../support/compliance';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, OTHER_ACCOUNT, PolicySimulator } from '../support/iam';

const NAME = 'ml/legacy-inference';
const PUBLISHER = `arn:aws:iam::${ACCOUNT}:role/ImagePipeline`;
const PULLER = `arn:aws:iam::${ACCOUNT}:role/InferenceExecution`;
const ENV = { account: ACCOUNT, region: 'us-east-1' };

/** A policy with each statement's actions in one order (CDK may order them differently; IAM does not care). */
function normalized(policy: any): any {
  return { ...policy, Statement: policy.Statement.map((st: any) => ({ ...st, Action: [st.Action].flat().sort() })) };
}

/**
 * SecureModelRepository.hardenExisting: what CloudFormation can do for a repository it does not
 * own (CloudFormation template reference, Amazon ECR resource types: no resource type sets the
 * policy, tag mutability, lifecycle or scan setting of a repository another stack or a person
 * created; AWS::ECR::RegistryScanningConfiguration is account-wide and filters repositories by
 * name), and the repository policy SecureModelRepository would write, for the CLI.
 */
describe('hardening an existing repository', () => {
  const stack = new Stack(createTestApp(), 'Legacy', { env: ENV });
  const existing = ecr.Repository.fromRepositoryName(stack, 'Existing', NAME);
  const hardening = SecureModelRepository.hardenExisting(stack, 'LegacyImages', {
    repository: existing,
    pullPrincipalArns: [PULLER],
    pushPrincipalArns: [PUBLISHER],
    enableEnhancedScanning: true,
  });
  const trainer = new iam.Role(stack, 'Trainer', {
    assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': ACCOUNT } }),
  });
  const stranger = new iam.Role(stack, 'Stranger', { assumedBy: new iam.AccountRootPrincipal() });
  stranger.addManagedPolicy(new iam.ManagedPolicy(stack, 'AllOfEcr', { statements: [new iam.PolicyStatement({ actions: ['ecr:*'], resources: ['*'] })] }));
  hardening.grantPull(trainer);
  const template = Template.fromStack(stack);

  test('continuous ENHANCED scanning, filtered to exactly this repository (the setting CloudFormation can write)', () => {
    template.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 1);
    template.hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'ENHANCED',
      Rules: [{ ScanFrequency: 'CONTINUOUS_SCAN', RepositoryFilters: [{ Filter: NAME, FilterType: 'WILDCARD' }] }],
    });
  });

  test('creates no repository and no policy of its own for it: CloudFormation cannot set them', () => {
    template.resourceCountIs('AWS::ECR::Repository', 0);
    expect(template.findResources('AWS::IAM::Policy')).toEqual({}); // grants go to customer-managed policies
  });

  test('the policy it builds is the one SecureModelRepository writes for the same props', () => {
    const s = new Stack(createTestApp({ checks: false }), 'Owned', { env: ENV });
    const owned = new SecureModelRepository(s, 'Images', { pullPrincipalArns: [PULLER], pushPrincipalArns: [PUBLISHER] });
    const h = SecureModelRepository.hardenExisting(s, 'Hardening', {
      repository: ecr.Repository.fromRepositoryName(s, 'Existing', NAME), pullPrincipalArns: [PULLER], pushPrincipalArns: [PUBLISHER],
    });
    const ownedPolicy = Object.values<any>(Template.fromStack(s).findResources('AWS::ECR::Repository'))[0].Properties.RepositoryPolicyText;
    expect(normalized(s.resolve(h.repositoryPolicy.toJSON()))).toEqual(normalized(ownedPolicy));
    expect(owned.repository.repositoryArn).toBeDefined();
  });

  test('the CLI command applies exactly that policy to the repository', () => {
    const sim = new PolicySimulator(stack);
    const command = sim.resolve(stack.resolve(hardening.setRepositoryPolicyCommand)); // a CloudFormation value, as an output would show it
    const match = /^aws ecr set-repository-policy --repository-name (\S+) --policy-text '(.*)'$/s.exec(command);
    expect(match).not.toBeNull();
    expect(match![1]).toBe(NAME);
    expect(normalized(JSON.parse(match![2]))).toEqual(normalized(sim.resolve(stack.resolve(hardening.repositoryPolicy.toJSON()))));
    expect(JSON.parse(match![2]).Statement.map((st: any) => st.Sid)).toEqual(expect.arrayContaining(['DenyPullExceptNamedPrincipals', 'DenyPushExceptPublishers']));
  });

  describe('decided by the IAM simulator, with the built policy as the repository policy', () => {
    const sim = new PolicySimulator(stack);
    const policy = sim.resolve(stack.resolve(hardening.repositoryPolicy.toJSON()));
    const repo = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${NAME}`;
    test.each<[string, iam.IRole | string, string, string]>([
      ['the named puller pulls', PULLER, 'ecr:BatchGetImage', 'Allowed'],
      ['the named puller cannot push', PULLER, 'ecr:PutImage', 'ExplicitlyDenied'],
      ['the named publisher pushes', PUBLISHER, 'ecr:PutImage', 'Allowed'],
      ['the named publisher is not given delete', PUBLISHER, 'ecr:BatchDeleteImage', 'ImplicitlyDenied'],
      ['grantPull: the grantee pulls', trainer, 'ecr:BatchGetImage', 'Allowed'],
      ['grantPull: the grantee cannot push', trainer, 'ecr:PutImage', 'ExplicitlyDenied'],
      ['an unnamed role with ecr:* cannot pull', stranger, 'ecr:BatchGetImage', 'ExplicitlyDenied'],
      ['an unnamed role with ecr:* cannot delete', stranger, 'ecr:BatchDeleteImage', 'ExplicitlyDenied'],
      ['a principal of another account cannot pull', `arn:aws:iam::${OTHER_ACCOUNT}:role/Someone`, 'ecr:BatchGetImage', 'ExplicitlyDenied'],
    ])('%s', async (_name, principal, action, expected) => {
      expect(await sim.decide({ principal, action, resource: repo, resourcePolicy: policy, resourceAccount: ACCOUNT })).toBe(expected);
    });

    test('canary: without the built policy the unnamed role with ecr:* pulls (the deny is what stops it)', async () => {
      expect(await sim.decide({ principal: stranger, action: 'ecr:BatchGetImage', resource: repo, resourcePolicy: { Version: '2012-10-17', Statement: [] }, resourceAccount: ACCOUNT })).toBe('Allowed');
    });
  });

  test('a grantee of another account gets an allow statement in the built policy (CDK cannot add one to an imported repository)', () => {
    const s = new Stack(createTestApp({ checks: false }), 'Cross', { env: ENV });
    const h = SecureModelRepository.hardenExisting(s, 'Hardening', { repository: ecr.Repository.fromRepositoryName(s, 'Existing', NAME) });
    h.grantPull(iam.Role.fromRoleArn(s, 'Foreign', `arn:aws:iam::${OTHER_ACCOUNT}:role/Trainer`));
    const statements = s.resolve(h.repositoryPolicy.toJSON()).Statement;
    expect(statements).toEqual(expect.arrayContaining([expect.objectContaining({
      Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:role/Trainer` }, Action: expect.arrayContaining(['ecr:BatchGetImage']),
    })]));
  });

  test('the stack passes every check; the deliberately broad role next to it is reported (canary)', () => {
    const violations = findViolations(stack);
    const broad = (path: string) => path.startsWith('Legacy/AllOfEcr/') || path.startsWith('Legacy/Stranger/');
    expect(violations.filter((v) => !broad(v.constructPath))).toEqual([]);
    expect(violations.filter((v) => broad(v.constructPath)).map((v) => v.rule)).toEqual(expect.arrayContaining(['AwsSolutions-IAM5[Action::ecr:*]']));
  });
});

describe('hardenExisting rejects what it cannot harden, naming the prop', () => {
  const stackOf = () => new Stack(createTestApp({ checks: false }), 'Bad', { env: ENV });

  test('a repository created by this app (SecureModelRepository sets everything for it)', () => {
    const s = stackOf();
    const owned = new ecr.Repository(s, 'Owned');
    expectInvalidProp(() => SecureModelRepository.hardenExisting(s, 'Hardening', { repository: owned }), 'Bad/Hardening', /`repository`.*create it as a SecureModelRepository/);
  });

  test('a repository of another account or Region', () => {
    const s = stackOf();
    const foreign = ecr.Repository.fromRepositoryArn(s, 'Foreign', `arn:aws:ecr:us-east-1:${OTHER_ACCOUNT}:repository/${NAME}`);
    expectInvalidProp(() => SecureModelRepository.hardenExisting(s, 'Hardening', { repository: foreign }), 'Bad/Hardening', /`repository`.*account 444455556666/);
    const elsewhere = ecr.Repository.fromRepositoryArn(s, 'Elsewhere', `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/${NAME}`);
    expectInvalidProp(() => SecureModelRepository.hardenExisting(s, 'Hardening2', { repository: elsewhere }), 'Bad/Hardening2', /`repository`.*Region eu-west-1/);
  });

  test('no repository (from JavaScript)', () => {
    expectInvalidProp(() => SecureModelRepository.hardenExisting(stackOf(), 'Hardening', {} as any), 'Bad/Hardening', /`repository`/);
  });

  test.each<[string, object, RegExp]>([
    ['pullAccountIds', { pullAccountIds: ['12345'] }, /`pullAccountIds`.*not a 12-digit AWS account ID/],
    ['pushPrincipalArns', { pushPrincipalArns: ['ImagePipeline'] }, /`pushPrincipalArns`.*not an IAM principal ARN/],
    ['pullOrganizationId', { pullOrganizationId: 'my-org' }, /`pullOrganizationId`/],
  ])('%s', (_prop, props, message) => {
    const s = stackOf();
    expectInvalidProp(() => SecureModelRepository.hardenExisting(s, 'Hardening', { repository: ecr.Repository.fromRepositoryName(s, 'E', NAME), ...props }), 'Bad/Hardening', message);
  });

  test('the class is exported for users who construct it directly', () => {
    const s = stackOf();
    expect(new ExistingRepositoryHardening(s, 'Direct', { repository: ecr.Repository.fromRepositoryName(s, 'E', NAME) }).repositoryPolicy).toBeDefined();
  });
});
