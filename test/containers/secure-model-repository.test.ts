import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SecureModelRepository, SecureModelRepositoryProps } from '../../lib';
import { createTestApp } from '../support/app';
import { expectCompliant, findViolations } from '../support/compliance';
import { acknowledgementsIn, expectListedInReadme } from '../support/docs';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, OTHER_ACCOUNT, PolicySimulator } from '../support/iam';
import { snapshotOf } from '../support/snapshot';

const PUBLISHER = `arn:aws:iam::${ACCOUNT}:role/ImagePipeline`;
const PULLER = `arn:aws:iam::${ACCOUNT}:role/InferenceExecution`;

function repositoryStack(props?: SecureModelRepositoryProps, options: { checks?: boolean } = {}) {
  const stack = new Stack(createTestApp(options), 'Images');
  const images = new SecureModelRepository(stack, 'Images', props);
  return { stack, images };
}

function repositoryOf(template: Template): any {
  return Object.values<any>(template.findResources('AWS::ECR::Repository'))[0];
}

describe('SecureModelRepository defaults', () => {
  const { stack, images } = repositoryStack();
  const template = Template.fromStack(stack);
  const repo = repositoryOf(template);
  const keyId = stack.getLogicalId(images.encryptionKey.node.defaultChild as kms.CfnKey);

  test('encrypts images with the created customer-managed key (ECR.5)', () => {
    expect(repo.Properties.EncryptionConfiguration).toEqual({ EncryptionType: 'KMS', KmsKey: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, PendingWindowInDays: 30 },
      DeletionPolicy: 'Retain',
    });
  });

  test('tags are immutable and images are scanned on push (ECR.1, ECR.2)', () => {
    expect(repo.Properties.ImageTagMutability).toBe('IMMUTABLE');
    expect(repo.Properties.ImageScanningConfiguration).toEqual({ ScanOnPush: true });
  });

  test('the lifecycle keeps the last 50 tagged images and expires untagged ones after 14 days (ECR.3)', () => {
    const rules = JSON.parse(repo.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
    expect(rules).toEqual([
      expect.objectContaining({
        selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 50 },
        action: { type: 'expire' },
      }),
      expect.objectContaining({
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 14, countUnit: 'days' },
        action: { type: 'expire' },
      }),
    ]);
  });

  test('the repository is retained', () => {
    expect(repo).toEqual(expect.objectContaining({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }));
    expect(repo.Properties.EmptyOnDelete).toBeUndefined();
  });

  test('with nobody named, the policy denies every IAM principal pull and push, and allows nothing', () => {
    const statements = repo.Properties.RepositoryPolicyText.Statement;
    expect(statements.map((s: any) => s.Effect)).toEqual(['Deny', 'Deny']);
  });

  test('enhanced scanning is off by default (it is account-wide)', () => {
    template.resourceCountIs('AWS::ECR::RegistryScanningConfiguration', 0);
    expect(images.registryScanningConfiguration).toBeUndefined();
  });

  test('deploys no Lambda-backed custom resource', () => {
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(Object.values<any>(template.toJSON().Resources).filter((r) => r.Type.startsWith('Custom::'))).toEqual([]);
  });

  test('exposes repository, key and image URIs', () => {
    expect(images.repository.repositoryArn).toBe(images.repositoryArn);
    expect(stack.resolve(images.imageUri('1.0.0'))).toEqual(expect.objectContaining({ 'Fn::Join': expect.anything() }));
  });

  test('matches the snapshot', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });

  test('has no unacknowledged finding in any check', () => {
    expectCompliant(stack);
  });
});

describe('SecureModelRepository options', () => {
  test.each<[string, SecureModelRepositoryProps]>([
    ['named pullers, accounts and publishers', {
      pullPrincipalArns: [PULLER], pullAccountIds: [OTHER_ACCOUNT], pushPrincipalArns: [PUBLISHER],
    }],
    ['organization pull', { pullOrganizationId: 'o-a1b2c3d4e5', pushPrincipalArns: [PUBLISHER] }],
    ['enhanced scanning and a custom lifecycle', {
      enableEnhancedScanning: true, maxTaggedImages: 5, untaggedImageExpiration: Duration.days(1), repositoryName: 'ml/inference/sentiment',
    }],
    ['removal policy DESTROY', { removalPolicy: RemovalPolicy.DESTROY }],
  ])('%s stays compliant', (_name, props) => {
    const { stack } = repositoryStack(props);
    expectCompliant(stack);
  });

  test('enhanced scanning writes a continuous ENHANCED registry configuration filtered to this repository', () => {
    const { stack, images } = repositoryStack({ enableEnhancedScanning: true }, { checks: false });
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::RegistryScanningConfiguration', {
      ScanType: 'ENHANCED',
      Rules: [{
        ScanFrequency: 'CONTINUOUS_SCAN',
        RepositoryFilters: [{ Filter: { Ref: stack.getLogicalId(images.repository.node.defaultChild as any) }, FilterType: 'WILDCARD' }],
      }],
    });
  });

  test('a key of your own is used as given', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Own');
    const key = new kms.Key(stack, 'MyKey', { enableKeyRotation: true });
    const images = new SecureModelRepository(stack, 'Images', { encryptionKey: key });
    expect(images.encryptionKey).toBe(key);
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 1);
  });

  test('the organization acknowledgement of AwsSolutions-ECR1 stays narrow: an open repository elsewhere is reported', () => {
    const { stack } = repositoryStack({ pullOrganizationId: 'o-a1b2c3d4e5' });
    const open = new SecureModelRepository(stack, 'Open');
    open.repository.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['ecr:BatchGetImage'] }));
    const ecr1 = findViolations(stack).filter((v) => v.rule === 'AwsSolutions-ECR1').map((v) => v.constructPath);
    expect(ecr1).toEqual(['Images/Open/Repository/Resource']);
  });

  test('a weakened setting is still reported: mutable tags and no scan on push', () => {
    const { stack, images } = repositoryStack();
    const cfn = images.repository.node.defaultChild as any;
    cfn.imageTagMutability = 'MUTABLE';
    cfn.imageScanningConfiguration = undefined;
    const rules = findViolations(stack).map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['ecr_private_tag_immutability_enabled_check', 'ecr_private_image_scanning_enabled_check']));
  });

  test('grants leave the construct compliant (the grantee policy is the grantee\'s)', () => {
    const { stack, images } = repositoryStack();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    images.grantPull(role);
    expect(findViolations(images, { onlyUnder: true })).toEqual([]);
  });
});

describe('SecureModelRepository policy, decided by the IAM simulator', () => {
  const stack = new Stack(createTestApp({ checks: false }), 'Sim');
  const namedPuller = new iam.Role(stack, 'NamedPuller', { roleName: 'InferenceExecution', assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  const publisher = new iam.Role(stack, 'Publisher', { roleName: 'ImagePipeline', assumedBy: new iam.AccountRootPrincipal() });
  const grantedReader = new iam.Role(stack, 'GrantedReader', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  const grantedPublisher = new iam.Role(stack, 'GrantedPublisher', { assumedBy: new iam.AccountRootPrincipal() });
  // An administrator-like role of the account that is not named: its identity policy allows all of ECR.
  const stranger = new iam.Role(stack, 'Stranger', { assumedBy: new iam.AccountRootPrincipal() });
  stranger.addToPolicy(new iam.PolicyStatement({ actions: ['ecr:*'], resources: ['*'] }));
  const images = new SecureModelRepository(stack, 'Images', {
    pullPrincipalArns: [PULLER],
    pushPrincipalArns: [PUBLISHER],
  });
  const orgImages = new SecureModelRepository(stack, 'OrgImages', { pullOrganizationId: 'o-a1b2c3d4e5' });
  images.grantPull(grantedReader);
  images.grantPush(grantedPublisher);
  const sim = new PolicySimulator(stack);
  const repo = sim.arnOf(images.repository);
  const orgRepo = sim.arnOf(orgImages.repository);

  test('the simulated principals are the named ones', () => {
    expect(sim.arnOf(namedPuller)).toBe(PULLER);
    expect(sim.arnOf(publisher)).toBe(PUBLISHER);
  });

  test.each<[string, iam.IRole | string, string, string]>([
    ['named puller pulls (allowed by the repository policy alone)', namedPuller, 'ecr:BatchGetImage', 'Allowed'],
    ['named puller downloads layers', namedPuller, 'ecr:GetDownloadUrlForLayer', 'Allowed'],
    ['named puller cannot push', namedPuller, 'ecr:PutImage', 'ExplicitlyDenied'],
    ['named puller cannot upload layers', namedPuller, 'ecr:InitiateLayerUpload', 'ExplicitlyDenied'],
    ['named puller cannot delete images', namedPuller, 'ecr:BatchDeleteImage', 'ExplicitlyDenied'],
    ['named publisher pushes', publisher, 'ecr:PutImage', 'Allowed'],
    ['named publisher uploads layers', publisher, 'ecr:UploadLayerPart', 'Allowed'],
    ['named publisher is not given delete', publisher, 'ecr:BatchDeleteImage', 'ImplicitlyDenied'],
    ['unnamed role with ecr:* cannot pull', stranger, 'ecr:BatchGetImage', 'ExplicitlyDenied'],
    ['unnamed role with ecr:* cannot push', stranger, 'ecr:PutImage', 'ExplicitlyDenied'],
    ['unnamed role with ecr:* cannot delete', stranger, 'ecr:BatchDeleteImage', 'ExplicitlyDenied'],
    ['unnamed principal of the account cannot pull', `arn:aws:iam::${ACCOUNT}:role/Someone`, 'ecr:BatchGetImage', 'ExplicitlyDenied'],
    ['principal of another account cannot pull', `arn:aws:iam::${OTHER_ACCOUNT}:role/Someone`, 'ecr:BatchGetImage', 'ExplicitlyDenied'],
    ['principal of another account cannot push', `arn:aws:iam::${OTHER_ACCOUNT}:role/ImagePipeline`, 'ecr:PutImage', 'ExplicitlyDenied'],
    ['grantPull: the grantee pulls', grantedReader, 'ecr:BatchGetImage', 'Allowed'],
    ['grantPull: the grantee cannot push', grantedReader, 'ecr:PutImage', 'ExplicitlyDenied'],
    ['grantPush: the grantee pushes', grantedPublisher, 'ecr:PutImage', 'Allowed'],
    ['grantPush: the grantee cannot delete', grantedPublisher, 'ecr:BatchDeleteImage', 'ImplicitlyDenied'],
  ])('%s', async (_name, principal, action, expected) => {
    expect(await sim.decide({ principal, action, resource: repo })).toBe(expected);
  });

  test('grantPull gives the token action, which only accepts *', async () => {
    expect(await sim.decide({ principal: grantedReader, action: 'ecr:GetAuthorizationToken', resource: '*' })).toBe('Allowed');
  });

  test.each<[string, string, Record<string, string>, string]>([
    ['a principal of the organization pulls', `arn:aws:iam::${ACCOUNT}:role/Trainer`, { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, 'Allowed'],
    ['a principal of the organization in another account is not denied (its own IAM decides)', `arn:aws:iam::${OTHER_ACCOUNT}:role/Trainer`, { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' }, 'ImplicitlyDenied'],
    ['a principal of another organization cannot pull', `arn:aws:iam::${OTHER_ACCOUNT}:role/Trainer`, { 'aws:PrincipalOrgID': 'o-zzzzzzzzzz' }, 'ExplicitlyDenied'],
    ['a principal in no organization cannot pull', `arn:aws:iam::${OTHER_ACCOUNT}:role/Trainer`, {}, 'ExplicitlyDenied'],
  ])('organization — %s', async (_name, principal, context, expected) => {
    expect(await sim.decide({ principal, action: 'ecr:BatchGetImage', resource: orgRepo, context })).toBe(expected);
  });

  test('organization — nobody in the organization can push', async () => {
    expect(await sim.decide({
      principal: `arn:aws:iam::${OTHER_ACCOUNT}:role/Trainer`, action: 'ecr:PutImage', resource: orgRepo, context: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' },
    })).toBe('ExplicitlyDenied');
  });

  test('the policy allows nothing to a public principal', () => {
    const policy = sim.resolve(repositoryOf(Template.fromStack(stack)).Properties.RepositoryPolicyText);
    const publicAllows = policy.Statement.filter((s: any) => s.Effect === 'Allow' && JSON.stringify(s.Principal).includes('*'));
    expect(publicAllows).toEqual([]);
  });
});

describe('SecureModelRepository rejects bad input, naming the prop', () => {
  test.each<[string, SecureModelRepositoryProps, RegExp]>([
    ['maxTaggedImages', { maxTaggedImages: 0 }, /`maxTaggedImages` \(received 0\)/],
    ['maxTaggedImages', { maxTaggedImages: 2.5 }, /`maxTaggedImages` \(received 2.5\)/],
    ['untaggedImageExpiration', { untaggedImageExpiration: Duration.days(0) }, /`untaggedImageExpiration` \(received 0 days\)/],
    ['untaggedImageExpiration', { untaggedImageExpiration: Duration.hours(12) }, /`untaggedImageExpiration`.*whole number of days/],
    ['pullPrincipalArns', { pullPrincipalArns: [] }, /`pullPrincipalArns` \(received \[\]\)/],
    ['pullPrincipalArns', { pullPrincipalArns: ['InferenceExecution'] }, /`pullPrincipalArns`.*not an IAM principal ARN/],
    ['pushPrincipalArns', { pushPrincipalArns: ['arn:aws:iam::*:role/Any'] }, /`pushPrincipalArns`.*not an IAM principal ARN/],
    ['pullAccountIds', { pullAccountIds: ['12345'] }, /`pullAccountIds`.*"12345" is not a 12-digit AWS account ID/],
    ['pullOrganizationId', { pullOrganizationId: 'my-org' }, /`pullOrganizationId` \(received "my-org"\)/],
  ])('%s', (_prop, props, message) => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    expectInvalidProp(() => new SecureModelRepository(stack, 'Images', props), 'Bad/Images', message);
  });

  test('grants name who may pull: a service principal is refused', () => {
    const { images } = repositoryStack({}, { checks: false });
    expect(() => images.grantPull(new iam.ServicePrincipal('lambda.amazonaws.com'))).toThrow(/`grantee`/);
    expect(() => images.grantPush(new iam.AccountPrincipal(OTHER_ACCOUNT))).toThrow(/`grantee`.*role or user only/);
  });
});

describe('documentation', () => {
  test('every acknowledgement the construct makes is listed in the README with its reason', () => {
    const { stack } = repositoryStack({ pullOrganizationId: 'o-a1b2c3d4e5', enableEnhancedScanning: true }, { checks: false });
    expectListedInReadme(acknowledgementsIn(stack));
  });
});
