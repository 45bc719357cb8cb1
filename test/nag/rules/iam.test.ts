import { CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe1, fixtureStack, outcome } from './support';
import { IAMPassRoleScoped } from '../../../lib/nag/rules/iam/pass-role-scoped';
import { GUARDED_SAGEMAKER_ACTIONS, IAMSageMakerCreateConditions } from '../../../lib/nag/rules/iam/sagemaker-create-conditions';
import { IAMSageMakerRoleNoFullAccess } from '../../../lib/nag/rules/iam/sagemaker-role-no-full-access';
import { IAMSageMakerTrustConfusedDeputy } from '../../../lib/nag/rules/iam/sagemaker-trust-confused-deputy';
import { createTestApp } from '../../support/app';
import { ACCOUNT, PolicySimulator, REGION } from '../../support/iam';

const trust = (service: string, condition?: Record<string, unknown>) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole', ...(condition ? { Condition: condition } : {}) }],
});
const document = (...statements: unknown[]) => ({ Version: '2012-10-17', Statement: statements });

/** A role in a stack the IAM simulator can read (its account and Region). */
function simulatedRole(...statements: unknown[]) {
  const stack = new Stack(createTestApp({ checks: false }), 'Iam', { env: { account: ACCOUNT, region: REGION } });
  const role = new iam.CfnRole(stack, 'Role', {
    assumeRolePolicyDocument: trust('sagemaker.amazonaws.com', { StringEquals: { 'aws:SourceAccount': ACCOUNT } }),
    policies: [{ policyName: 'p', policyDocument: document(...statements) }],
  });
  return { stack, role };
}

const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234`;
/** The request context of a job or model created the secure way. */
const SECURE: Record<string, string | string[]> = {
  'sagemaker:VpcSubnets': ['subnet-1'],
  'sagemaker:VpcSecurityGroupIds': ['sg-1'],
  'sagemaker:VolumeKmsKeyArn': KEY,
  'sagemaker:NetworkIsolation': 'true',
};
const ARN_OF: Record<string, string> = {
  'sagemaker:CreateTrainingJob': `arn:aws:sagemaker:${REGION}:${ACCOUNT}:training-job/job`,
  'sagemaker:CreateProcessingJob': `arn:aws:sagemaker:${REGION}:${ACCOUNT}:processing-job/job`,
  'sagemaker:CreateHyperParameterTuningJob': `arn:aws:sagemaker:${REGION}:${ACCOUNT}:hyper-parameter-tuning-job/job`,
  'sagemaker:CreateModel': `arn:aws:sagemaker:${REGION}:${ACCOUNT}:model/model`,
};

/**
 * What the simulator decides for `action`: the secure request, and each request that leaves
 * out one required group of condition keys (e.g. no VPC).
 */
async function simulate(stack: Stack, role: iam.CfnRole, action: string) {
  const sim = new PolicySimulator(stack);
  const groups = GUARDED_SAGEMAKER_ACTIONS[action];
  const applicable = Object.fromEntries(Object.entries(SECURE).filter(([key]) => groups.flat().includes(key)));
  const secure = await sim.decide({ principal: role, action, resource: ARN_OF[action], context: applicable });
  const missing = await Promise.all(groups.map((group) => sim.decide({
    principal: role,
    action,
    resource: ARN_OF[action],
    context: Object.fromEntries(Object.entries(applicable).filter(([key]) => !group.includes(key))),
  })));
  return { secure, insecureAllowed: missing.some((d) => d === 'Allowed') };
}

const VPC_CONDITIONS = {
  'ForAllValues:StringEquals': { 'sagemaker:VpcSubnets': ['subnet-1'], 'sagemaker:VpcSecurityGroupIds': ['sg-1'] },
  'Null': { 'sagemaker:VpcSubnets': 'false', 'sagemaker:VpcSecurityGroupIds': 'false' },
  'ArnEquals': { 'sagemaker:VolumeKmsKeyArn': KEY },
  'Bool': { 'sagemaker:NetworkIsolation': 'true' },
};

describe('AiSec-IAMSageMakerCreateConditions', () => {
  const rule = IAMSageMakerCreateConditions;

  test('every required condition key applies to its action (the simulator rejects keys that do not)', async () => {
    const { stack, role } = simulatedRole({ Effect: 'Allow', Action: 'sagemaker:*', Resource: '*' });
    const sim = new PolicySimulator(stack);
    for (const [action, groups] of Object.entries(GUARDED_SAGEMAKER_ACTIONS)) {
      const context = Object.fromEntries(Object.entries(SECURE).filter(([key]) => groups.flat().includes(key)));
      expect(Object.keys(context).sort()).toEqual(groups.flat().sort());
      const result = await sim.simulate({ principal: role, action, resource: ARN_OF[action], context });
      expect(result.ignoredContextKeys.filter((k) => k.startsWith('sagemaker:'))).toEqual([]);
    }
  });

  test.each([
    ['Allow with VPC (ForAllValues + Null false), KMS and isolation keys', 'COMPLIANT',
      [{ Effect: 'Allow', Action: 'sagemaker:CreateTrainingJob', Resource: '*', Condition: VPC_CONDITIONS }]],
    ['Allow with ForAllValues on the VPC keys and no Null: false (ForAllValues is true for an absent key)', ['Action::sagemaker:CreateTrainingJob'],
      [{ Effect: 'Allow', Action: 'sagemaker:CreateTrainingJob', Resource: '*', Condition: { ...VPC_CONDITIONS, Null: undefined } }]],
    ['Allow with IfExists on the KMS key', ['Action::sagemaker:CreateTrainingJob'],
      [{ Effect: 'Allow', Action: 'sagemaker:CreateTrainingJob', Resource: '*', Condition: { ...VPC_CONDITIONS, ArnEquals: undefined, ArnEqualsIfExists: { 'sagemaker:VolumeKmsKeyArn': KEY } } }]],
    ['unconditioned Allow guarded by one Deny per key (Null: true)', 'COMPLIANT', [
      { Effect: 'Allow', Action: 'sagemaker:CreateTrainingJob', Resource: '*' },
      { Effect: 'Deny', Action: 'sagemaker:CreateTrainingJob', Resource: '*', Condition: { Null: { 'sagemaker:VpcSubnets': 'true' } } },
      { Effect: 'Deny', Action: 'sagemaker:CreateTrainingJob', Resource: '*', Condition: { StringNotEquals: { 'sagemaker:VolumeKmsKeyArn': KEY } } },
      { Effect: 'Deny', Action: 'sagemaker:CreateTrainingJob', Resource: '*', Condition: { Null: { 'sagemaker:NetworkIsolation': 'true' } } },
    ]],
    ['unconditioned Allow guarded by a single Deny with two Null keys (ANDed)', ['Action::sagemaker:CreateTrainingJob'], [
      { Effect: 'Allow', Action: 'sagemaker:CreateTrainingJob', Resource: '*' },
      { Effect: 'Deny', Action: 'sagemaker:CreateTrainingJob', Resource: '*', Condition: { Null: { 'sagemaker:VpcSubnets': 'true', 'sagemaker:VolumeKmsKeyArn': 'true' } } },
      { Effect: 'Deny', Action: 'sagemaker:CreateTrainingJob', Resource: '*', Condition: { Null: { 'sagemaker:NetworkIsolation': 'true' } } },
    ]],
    ['the guide\'s sagemaker:*Job* on "*"', ['Action::sagemaker:CreateTrainingJob', 'Action::sagemaker:CreateProcessingJob', 'Action::sagemaker:CreateHyperParameterTuningJob'],
      [{ Effect: 'Allow', Action: 'sagemaker:*Job*', Resource: '*' }]],
  ] as const)('%s', async (_name, expected, statements) => {
    const { stack, role } = simulatedRole(...statements);
    expect(outcome(rule, role)).toEqual(expected);
    // The simulator agrees: compliant means a request missing any required key is denied.
    const { secure, insecureAllowed } = await simulate(stack, role, 'sagemaker:CreateTrainingJob');
    expect(secure).toBe('Allowed');
    expect(insecureAllowed).toBe(expected !== 'COMPLIANT');
  });

  test('sagemaker:* reports every guarded action, and the simulator allows an unisolated model', async () => {
    const { stack, role } = simulatedRole({ Effect: 'Allow', Action: 'sagemaker:*', Resource: '*' });
    expect(outcome(rule, role)).toEqual(Object.keys(GUARDED_SAGEMAKER_ACTIONS).map((a) => `Action::${a}`));
    expect((await simulate(stack, role, 'sagemaker:CreateModel')).insecureAllowed).toBe(true);
  });

  test('an Allow with NotAction covers the SageMaker actions', () => {
    const { role } = simulatedRole({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' });
    expect(outcome(rule, role)).toHaveLength(4);
  });

  test('a policy resource attached to a role, with values referencing parameters, is compliant', () => {
    const stack = fixtureStack();
    const subnets = new CfnParameter(stack, 'Subnets', { type: 'List<AWS::EC2::Subnet::Id>' });
    const policy = new iam.CfnPolicy(stack, 'Policy', {
      policyName: 'create-model',
      roles: ['role'],
      policyDocument: document({
        Effect: 'Allow',
        Action: ['sagemaker:CreateModel'],
        Resource: Fn.sub('arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:model/*'),
        Condition: {
          'ForAllValues:StringEquals': { 'sagemaker:VpcSubnets': subnets.valueAsList },
          'Null': { 'sagemaker:VpcSubnets': 'false' },
          'Bool': { 'sagemaker:NetworkIsolation': 'true' },
        },
      }),
    });
    expect(outcome(rule, policy)).toBe('COMPLIANT');
  });

  test('read-only SageMaker actions are compliant', () => {
    const { role } = simulatedRole({ Effect: 'Allow', Action: ['sagemaker:Describe*', 'sagemaker:List*'], Resource: '*' });
    expect(outcome(rule, role)).toBe('COMPLIANT');
  });

  test('an action list from a parameter is reported as unresolvable', () => {
    const stack = fixtureStack();
    const actions = new CfnParameter(stack, 'Actions').valueAsString;
    const policy = new iam.CfnManagedPolicy(stack, 'Policy', { policyDocument: document({ Effect: 'Allow', Action: [actions], Resource: '*' }) });
    expect(outcome(rule, policy)).toBe('THREW');
  });
});

describe('AiSec-IAMPassRoleScoped', () => {
  const rule = IAMPassRoleScoped;
  const target = `arn:aws:iam::${ACCOUNT}:role/Target`;
  const pass = (extra: Record<string, unknown>) => simulatedRole({ Effect: 'Allow', Action: 'iam:PassRole', Resource: target, ...extra });

  test('PassRole on a named role to SageMaker only is compliant, and the simulator denies passing it to EC2', async () => {
    const { stack, role } = pass({ Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } });
    expect(outcome(rule, role)).toBe('COMPLIANT');
    const sim = new PolicySimulator(stack);
    expect(await sim.decide({ principal: role, action: 'iam:PassRole', resource: target, context: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } })).toBe('Allowed');
    expect(await sim.decide({ principal: role, action: 'iam:PassRole', resource: target, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } })).toBe('ImplicitlyDenied');
  });
  test('a role referenced by GetAtt is compliant', () => {
    const stack = fixtureStack();
    const other = new iam.CfnRole(stack, 'Target', { assumeRolePolicyDocument: trust('sagemaker.amazonaws.com') });
    const policy = new iam.CfnPolicy(stack, 'Policy', {
      policyName: 'pass',
      roles: ['r'],
      policyDocument: document({ Effect: 'Allow', Action: 'iam:PassRole', Resource: other.attrArn, Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } }),
    });
    expect(outcome(rule, policy)).toBe('COMPLIANT');
  });
  test('PassRole without iam:PassedToService is reported, and the simulator lets it pass the role to EC2', async () => {
    const { stack, role } = pass({});
    expect(outcome(rule, role)).toEqual(['Condition::iam:PassedToService']);
    const sim = new PolicySimulator(stack);
    expect(await sim.decide({ principal: role, action: 'iam:PassRole', resource: target, context: { 'iam:PassedToService': 'ec2.amazonaws.com' } })).toBe('Allowed');
  });
  test('PassRole on "*" is reported', () => {
    const { role } = pass({ Resource: '*', Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } });
    expect(outcome(rule, role)).toEqual(['Resource::*']);
  });
  test('iam:* on "*" reports both', () => {
    const { role } = simulatedRole({ Effect: 'Allow', Action: 'iam:*', Resource: '*' });
    expect(outcome(rule, role)).toEqual(['Resource::*', 'Condition::iam:PassedToService']);
  });
  test('iam:PassedToService under StringEqualsIfExists does not count', () => {
    const { role } = pass({ Condition: { StringEqualsIfExists: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } } });
    expect(outcome(rule, role)).toEqual(['Condition::iam:PassedToService']);
  });
  test('a Deny on PassRole is compliant', () => {
    const { role } = simulatedRole({ Effect: 'Deny', Action: 'iam:PassRole', Resource: '*' });
    expect(outcome(rule, role)).toBe('COMPLIANT');
  });
});

describe('AiSec-IAMSageMakerRoleNoFullAccess', () => {
  const rule = IAMSageMakerRoleNoFullAccess;
  const role = (service: string, managedPolicyArns: string[]) => {
    const stack = fixtureStack();
    return { stack, node: new iam.CfnRole(stack, 'Role', { assumeRolePolicyDocument: trust(service), managedPolicyArns }) };
  };
  test('a SageMaker role with AmazonSageMakerFullAccess (partition-joined ARN) is reported', () => {
    const arn = Fn.join('', ['arn:', Stack.of(fixtureStack()).partition, ':iam::aws:policy/AmazonSageMakerFullAccess']);
    expect(outcome(rule, role('sagemaker.amazonaws.com', [arn]).node)).toEqual(['Policy::AmazonSageMakerFullAccess']);
  });
  test('AmazonS3FullAccess and AdministratorAccess are reported', () =>
    expect(outcome(rule, role('sagemaker.amazonaws.com', ['arn:aws:iam::aws:policy/AmazonS3FullAccess', 'arn:aws:iam::aws:policy/AdministratorAccess']).node))
      .toEqual(['Policy::AmazonS3FullAccess', 'Policy::AdministratorAccess']));
  test('narrow managed policies and a customer managed policy (Ref) are compliant', () => {
    const { stack, node } = role('sagemaker.amazonaws.com', ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess']);
    const own = new iam.CfnManagedPolicy(stack, 'Own', { policyDocument: document({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }) });
    node.managedPolicyArns = ['arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess', own.ref];
    expect(outcome(rule, node)).toBe('COMPLIANT');
  });
  test('a role SageMaker cannot assume is not applicable', () =>
    expect(outcome(rule, role('lambda.amazonaws.com', ['arn:aws:iam::aws:policy/AmazonSageMakerFullAccess']).node)).toBe('N/A'));
  test('a managed policy ARN from a parameter is reported as unresolvable', () => {
    const { stack, node } = role('sagemaker.amazonaws.com', []);
    node.managedPolicyArns = [new CfnParameter(stack, 'PolicyArn').valueAsString];
    expect(outcome(rule, node)).toBe('THREW');
  });
});

describe('AiSec-IAMSageMakerTrustConfusedDeputy', () => {
  const rule = IAMSageMakerTrustConfusedDeputy;
  const role = (service: string, condition?: Record<string, unknown>) =>
    new iam.CfnRole(fixtureStack(), 'Role', { assumeRolePolicyDocument: trust(service, condition) });
  test('aws:SourceAccount is compliant', () => expect(outcome(rule, role('sagemaker.amazonaws.com', { StringEquals: { 'aws:SourceAccount': '111111111111' } }))).toBe('COMPLIANT'));
  test('aws:SourceArn with ArnLike is compliant', () =>
    expect(outcome(rule, role('sagemaker.amazonaws.com', { ArnLike: { 'aws:SourceArn': 'arn:aws:sagemaker:eu-west-1:111111111111:*' } }))).toBe('COMPLIANT'));
  test('the account as a token (AWS::AccountId) is compliant', () => {
    const stack = fixtureStack();
    const node = new iam.CfnRole(stack, 'Role', { assumeRolePolicyDocument: trust('sagemaker.amazonaws.com', { StringEquals: { 'aws:SourceAccount': Fn.ref('AWS::AccountId') } }) });
    expect(outcome(rule, node)).toBe('COMPLIANT');
  });
  test('no condition is non-compliant', () => expect(outcome(rule, role('sagemaker.amazonaws.com'))).toBe('NON_COMPLIANT'));
  test('an IfExists condition is non-compliant', () =>
    expect(outcome(rule, role('sagemaker.amazonaws.com', { StringEqualsIfExists: { 'aws:SourceAccount': '111111111111' } }))).toBe('NON_COMPLIANT'));
  test('a role for another service is not applicable', () => expect(outcome(rule, role('lambda.amazonaws.com'))).toBe('N/A'));
});

describe('policy documents the IAM rules cannot read', () => {
  test('a statement chosen by Fn::If is judged in the branch that has it, and the branch is named', () => {
    const stack = fixtureStack();
    const policy = new iam.CfnManagedPolicy(stack, 'Policy', {
      policyDocument: {
        Version: '2012-10-17',
        Statement: [Fn.conditionIf('Prod', { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }, Fn.ref('AWS::NoValue'))],
      },
    });
    expect(outcome(IAMPassRoleScoped, policy)).toEqual(['Resource::*', 'Condition::iam:PassedToService']);
    expect(describe1('IAMPassRoleScoped[Resource::*]', policy)).toMatch(/when condition Prod is true: iam:PassRole is allowed on every role/);
  });
});
