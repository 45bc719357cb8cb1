import { Annotations, CfnWaitConditionHandle, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { createTestApp } from './app';
import { complianceReport, expectCompliant, Violation } from './compliance';
import { ACCOUNT, PolicySimulator } from './iam';

/**
 * Canaries: the harness must report a stack that is known to be bad. If one of these
 * passes with the check removed, every "compliant" result of the suite is worthless.
 */
describe('compliance harness canaries', () => {
  const app = createTestApp();
  const stack = new Stack(app, 'Canary');
  new s3.Bucket(stack, 'UnencryptedBucket'); // no KMS, no logging, no TLS policy
  const role = new iam.Role(stack, 'WildcardRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
  new s3.CfnBucket(stack, 'SchemaInvalidBucket', { bucketName: 'Not_A_Valid_Bucket_Name!' });
  new sagemaker.CfnModel(stack, 'InsecureModel', { executionRoleArn: role.roleArn }); // no network isolation, no VPC
  new lambda.Function(stack, 'Function', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {}'),
  });
  Annotations.of(stack).addWarningV2('canary:warning', 'a construct warning must reach the report');
  const violations = complianceReport(stack).violations;
  const has = (plugin: string, rule: string | RegExp, pathPart: string) => violations.some((v: Violation) =>
    v.plugin === plugin && (typeof rule === 'string' ? v.rule === rule : rule.test(v.rule)) && v.constructPath.includes(pathPart));

  test.each([
    ['AwsSolutions', 'AwsSolutions-S1', 'Canary/UnencryptedBucket/Resource'],
    ['AwsSolutions', 'AwsSolutions-IAM5[Resource::*]', 'Canary/WildcardRole/DefaultPolicy/Resource'],
    ['HIPAA.Security', 'HIPAA.Security-S3DefaultEncryptionKMS', 'Canary/UnencryptedBucket/Resource'],
    ['NIST.800.53.R5', 'NIST.800.53.R5-S3BucketSSLRequestsOnly', 'Canary/UnencryptedBucket/Resource'],
    ['PCI.DSS.321', 'PCI.DSS.321-IAMPolicyNoStatementsWithFullAccess', 'Canary/WildcardRole/DefaultPolicy/Resource'],
    ['Serverless', 'Serverless-LambdaTracing', 'Canary/Function/Resource'],
    ['AiSec', 'AiSec-SageMakerModelNetworkIsolation', 'Canary/InsecureModel'],
    ['cdk-validator-cfnguard', 's3_bucket_logging_enabled_check', 'Canary/UnencryptedBucket/Resource'],
    ['cdk-validator-cfnguard', 'iam_inline_policy_no_statements_with_full_access_check', 'Canary/WildcardRole/DefaultPolicy/Resource'],
    ['CloudFormation Validate', /^[EFW]\d+$/, 'Canary/SchemaInvalidBucket'],
  ])('%s reports %s on %s', (plugin, rule, pathPart) => {
    expect(has(plugin, rule, pathPart)).toBe(true);
  });

  test('construct annotations reach the report', () => {
    expect(violations.some((v) => v.rule.includes('canary:warning'))).toBe(true);
  });

  test('schema findings are errors, not warnings', () => {
    const schema = violations.filter((v) => v.plugin === 'CloudFormation Validate' && v.constructPath.includes('SchemaInvalidBucket'));
    expect(schema.some((v) => v.severity === 'error')).toBe(true);
  });

  test('expectCompliant fails and names rule and construct path', () => {
    expect(() => expectCompliant(stack)).toThrow(/AwsSolutions-S1 at Canary\/UnencryptedBucket\/Resource/);
  });

  test('a clean stack passes', () => {
    const clean = new Stack(createTestApp(), 'Clean');
    new CfnWaitConditionHandle(clean, 'Nothing');
    expect(() => expectCompliant(clean)).not.toThrow();
  });
});

describe('IAM simulation canaries', () => {
  const app = createTestApp({ checks: false });
  const stack = new Stack(app, 'Sim');
  const bucket = new s3.CfnBucket(stack, 'Bucket', { bucketName: 'canary-bucket' });
  const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
  admin.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
  admin.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:DeleteObject'], resources: ['*'] }));
  const nobody = new iam.Role(stack, 'Nobody', { assumedBy: new iam.AccountRootPrincipal() });
  const sim = new PolicySimulator(stack);
  const object = `${sim.arnOf(bucket)}/key`;

  test('a wildcard grant is allowed', async () => {
    expect(await sim.decide({ principal: admin, action: 's3:GetObject', resource: object })).toBe('Allowed');
  });
  test('an explicit deny wins', async () => {
    expect(await sim.decide({ principal: admin, action: 's3:DeleteObject', resource: object })).toBe('ExplicitlyDenied');
  });
  test('no policy is an implicit deny', async () => {
    expect(await sim.decide({ principal: nobody, action: 's3:GetObject', resource: object })).toBe('ImplicitlyDenied');
    expect(await sim.decide({ principal: `arn:aws:iam::${ACCOUNT}:role/Stranger`, action: 's3:GetObject', resource: object })).toBe('ImplicitlyDenied');
  });
  test('a context key that does not apply to the action is an error, not a silent pass', async () => {
    await expect(sim.simulate({ principal: admin, action: 's3:GetObject', resource: object, context: { 'ec2:Vpc': 'vpc-1' } }))
      .rejects.toThrow(/ec2:Vpc do not apply/);
  });
  test('an unknown action is an error', async () => {
    await expect(sim.simulate({ principal: admin, action: 's3:NoSuchAction', resource: object })).rejects.toThrow(/simulation error/);
  });
});
