import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SecureModelRepository } from '../../lib';
import { createTestApp } from '../support/app';
import { expectCompliant } from '../support/compliance';
import { acknowledgementsIn, expectListedInReadme } from '../support/docs';
import { ACCOUNT, OTHER_ACCOUNT, PolicySimulator } from '../support/iam';

/**
 * grantPull / grantPush on roles of the app, imported ones included: the grantee's statements go
 * to a customer-managed policy, so the README's pipeline checks (IAMNoInlinePolicy, IAM5) pass.
 */
describe('SecureModelRepository grants write customer-managed policies', () => {
  const stack = new Stack(createTestApp(), 'Grants');
  const images = new SecureModelRepository(stack, 'Images');
  const created = new iam.Role(stack, 'Trainer', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com').withConditions({ StringEquals: { 'aws:SourceAccount': stack.account } }) });
  const imported = iam.Role.fromRoleArn(stack, 'Pipeline', `arn:aws:iam::${ACCOUNT}:role/ImagePipeline`);
  images.grantPull(created);
  images.grantPull(imported);
  images.grantPush(imported);
  const template = Template.fromStack(stack);

  test('no inline policy; one managed policy per grantee, attached to it (the imported role by name)', () => {
    expect(template.findResources('AWS::IAM::Policy')).toEqual({});
    const policies = Object.values<any>(template.findResources('AWS::IAM::ManagedPolicy'));
    expect(policies.map((p) => p.Properties.Roles).sort()).toEqual([['ImagePipeline'], [{ Ref: stack.getLogicalId(created.node.defaultChild as any) }]].sort());
  });

  test('the whole stack passes every check', () => {
    expectCompliant(stack);
  });

  test('the acknowledgement is listed in the README with its reason', () => {
    const acknowledged = acknowledgementsIn(stack, { include: (p) => p.includes('/GrantsTo') });
    expect([...acknowledged.keys()]).toEqual(['AwsSolutions-IAM5[Resource::*]']);
    expectListedInReadme(acknowledged);
  });

  test('decided by the IAM simulator: the grantee pulls through its managed policy, and cannot push', async () => {
    const sim = new PolicySimulator(stack);
    const repo = sim.arnOf(images.repository);
    expect(await sim.decide({ principal: created, action: 'ecr:BatchGetImage', resource: repo })).toBe('Allowed');
    expect(await sim.decide({ principal: created, action: 'ecr:GetAuthorizationToken', resource: '*' })).toBe('Allowed');
    expect(await sim.decide({ principal: created, action: 'ecr:PutImage', resource: repo })).toBe('ExplicitlyDenied');
  });

  test('a role of another account still gets the repository-policy statement a cross-account pull needs', () => {
    const s = new Stack(createTestApp({ checks: false }), 'Cross');
    const repo = new SecureModelRepository(s, 'Images');
    repo.grantPull(iam.Role.fromRoleArn(s, 'Foreign', `arn:aws:iam::${OTHER_ACCOUNT}:role/Trainer`));
    const policy = JSON.stringify(Object.values<any>(Template.fromStack(s).findResources('AWS::ECR::Repository'))[0].Properties.RepositoryPolicyText);
    expect(policy).toContain(`arn:aws:iam::${OTHER_ACCOUNT}:role/Trainer`);
    expect(policy).toContain('ecr:BatchGetImage');
  });
});
