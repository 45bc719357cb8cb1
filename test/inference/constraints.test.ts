import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { baseProps, inferenceStack, PropsOf } from './fixture';
import { PrivateInferenceEndpoint } from '../../lib';
import { checkLogGroupName, checkWafLogGroupName, checkWafName, CONSTRAINTS, hasLocalStorage } from '../../lib/inference/constraints';
import { createTestApp } from '../support/app';
import { expectCompliant, findViolations } from '../support/compliance';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, PolicySimulator, REGION } from '../support/iam';

/**
 * Deploy-time constraints of docs/deploy-constraints/inference.md, checked at construction: each
 * error names the prop, the constraint ID and the document it comes from.
 */
const build = (props: PropsOf) => () => inferenceStack(props, { checks: false });
const named = (id: string, prop: string) => new RegExp(`invalid \`${prop}\`.*\\[${id}: `);

describe('SageMaker constraints', () => {
  test.each<[string, PropsOf, string, string]>([
    ['an instance-type typo', { instanceType: 'ml.m5.larg' }, CONSTRAINTS.instanceType.id, 'instanceType'],
    ['an EC2 type without the ml. prefix', { instanceType: 'm5.large' }, CONSTRAINTS.instanceType.id, 'instanceType'],
    ['a size that does not exist', { instanceType: 'ml.m5.huge' }, CONSTRAINTS.instanceType.id, 'instanceType'],
    ['a local-storage GPU type with the endpoint KMS key (g5)', { instanceType: 'ml.g5.xlarge' }, CONSTRAINTS.localStorageKms.id, 'instanceType'],
    ['a local-storage GPU type with the endpoint KMS key (g4dn)', { instanceType: 'ml.g4dn.xlarge' }, CONSTRAINTS.localStorageKms.id, 'instanceType'],
    ['a local-storage type with the endpoint KMS key (m5d)', { instanceType: 'ml.m5d.large' }, CONSTRAINTS.localStorageKms.id, 'instanceType'],
    ['an s3:// URL as the model data key', { modelDataKey: 's3://my-bucket/models/model.tar.gz' }, CONSTRAINTS.modelDataUrl.id, 'modelDataKey'],
    ['an https:// URL as the model data key', { modelDataKey: 'https://my-bucket.s3.amazonaws.com/model.tar.gz' }, CONSTRAINTS.modelDataUrl.id, 'modelDataKey'],
    ['an absolute model data key', { modelDataKey: '/models/model.tar.gz' }, CONSTRAINTS.modelDataUrl.id, 'modelDataKey'],
    ['a model data key too long for ModelDataUrl', { modelDataKey: `${'m/'.repeat(480)}model.tar.gz` }, CONSTRAINTS.modelDataUrl.id, 'modelDataKey'],
    ['a capture prefix that is a URL', { dataCapturePrefix: 's3://bucket/capture/' }, CONSTRAINTS.captureUri.id, 'dataCapturePrefix'],
    ['a capture prefix too long for DestinationS3Uri', { dataCapturePrefix: `${'c'.repeat(450)}/` }, CONSTRAINTS.captureUri.id, 'dataCapturePrefix'],
    ['an endpoint name with an underscore', { endpointName: 'my_model' }, CONSTRAINTS.endpointName.id, 'endpointName'],
    ['an endpoint name of 64 characters', { endpointName: 'a'.repeat(64) }, CONSTRAINTS.endpointName.id, 'endpointName'],
  ])('%s is rejected', (_name, props, id, prop) => {
    expectInvalidProp(build(props), 'Inference/Endpoint', named(id, prop));
  });

  test.each(['ml.m5.large', 'ml.c5.2xlarge', 'ml.r5.24xlarge', 'ml.p3.2xlarge', 'ml.inf2.xlarge', 'ml.t2.medium', 'ml.c7i.48xlarge'])('%s is accepted', (instanceType) => {
    expect(build({ instanceType })).not.toThrow();
  });

  test('the local-storage families: the documented examples (ml.p4d, ml.g4dn, ml.g5) and the d-suffixed families; not EBS-only ones', () => {
    for (const family of ['p4d', 'g4dn', 'g5', 'm5d', 'c5d', 'r5d', 'p3dn', 'm6gd', 'c6id', 'g6', 'p5', 'trn1']) expect(hasLocalStorage(family)).toBe(true);
    for (const family of ['m5', 'c5', 'r5', 'p3', 'p2', 'inf1', 'inf2', 't2', 'c6i', 'm6g', 'c7g']) expect(hasLocalStorage(family)).toBe(false);
  });

  test('more than 16 subnets are rejected (Model VpcConfig)', () => {
    expectInvalidProp(build((stack: Stack) => ({
      vpcSubnets: {
        subnets: Array.from({ length: 17 }, (_, i) => ec2.Subnet.fromSubnetAttributes(stack, `S${i}`, {
          subnetId: `subnet-0${String(i).padStart(16, '0')}`,
          availabilityZone: i % 2 ? 'us-east-1a' : 'us-east-1b',
        })),
      },
    })), 'Inference/Endpoint', named(CONSTRAINTS.vpcSubnets.id, 'vpcSubnets'));
  });
});

describe('API Gateway constraints', () => {
  test('a stage name with a space is rejected; hyphens, which CreateStage allows, are accepted', () => {
    expectInvalidProp(build({ stageName: 'my stage' }), 'Inference/Endpoint', named(CONSTRAINTS.stageName.id, 'stageName'));
    expectInvalidProp(build({ stageName: 's'.repeat(129) }), 'Inference/Endpoint', named(CONSTRAINTS.stageName.id, 'stageName'));
    expect(build({ stageName: 'prod-eu_1' })).not.toThrow();
  });
});

describe('names the construct derives are checked too (checkers fed bad names directly)', () => {
  const scope = new Construct(createTestApp({ checks: false }), 'Scope');
  test('a WAF log group not starting with aws-waf-logs- is rejected', () => {
    expectInvalidProp(() => checkWafLogGroupName(scope, 'waf-logs-api'), 'Scope', named(CONSTRAINTS.wafLogName.id, 'wafLogGroupName'));
    expect(() => checkWafLogGroupName(scope, 'aws-waf-logs-api')).not.toThrow();
  });
  test('log group names: characters and length', () => {
    expectInvalidProp(() => checkLogGroupName(scope, 'endpointName', '/aws/sagemaker/Endpoints/a b'), 'Scope', named(CONSTRAINTS.logGroupName.id, 'endpointName'));
    expectInvalidProp(() => checkLogGroupName(scope, 'endpointName', `/${'a'.repeat(512)}`), 'Scope', named(CONSTRAINTS.logGroupName.id, 'endpointName'));
  });
  test('web ACL names: characters, length, reserved metric names', () => {
    for (const bad of ['a b', 'x'.repeat(129), 'All', 'Default_Action']) {
      expectInvalidProp(() => checkWafName(scope, bad), 'Scope', named(CONSTRAINTS.wafName.id, 'webAclName'));
    }
  });
  test('a deep construct path keeps the SNS display name (100) and alarm descriptions (1024) within their limits', () => {
    const app = createTestApp({ checks: false });
    const stack = new Stack(app, 'Deep', { env: { account: ACCOUNT, region: REGION } });
    let parent: Construct = stack;
    for (let i = 0; i < 12; i++) parent = new Construct(parent, `AVeryLongConstructIdForNesting${i}`);
    new PrivateInferenceEndpoint(parent, 'Endpoint', { ...baseProps(stack), endpointName: 'deep' });
    const template = Template.fromStack(stack).toJSON();
    const topic = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::SNS::Topic');
    expect(topic.Properties.DisplayName.length).toBeLessThanOrEqual(100);
    for (const alarm of Object.values<any>(template.Resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmDescription.length).toBeLessThanOrEqual(1024);
    }
  });
});

describe('issue 15: the artifact in an existing KMS-encrypted bucket', () => {
  const imported = (withKey: boolean, checks = false) => {
    const app = createTestApp({ checks });
    const stack = new Stack(app, 'Imported', { env: { account: ACCOUNT, region: REGION } });
    const bucket = s3.Bucket.fromBucketArn(stack, 'Models', 'arn:aws:s3:::team-models');
    const key = kms.Key.fromKeyArn(stack, 'ModelsKey', `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`);
    const endpoint = new PrivateInferenceEndpoint(stack, 'Endpoint', {
      ...baseProps(stack), modelDataBucket: bucket, modelDataEncryptionKey: withKey ? key : undefined,
    });
    return { stack, endpoint, key };
  };

  test('with modelDataEncryptionKey, the execution role decrypts the artifact through S3 only (IAM simulator)', async () => {
    const { stack, endpoint, key } = imported(true);
    const sim = new PolicySimulator(stack);
    // The imported key's policy is the default one, delegating to IAM (the prop's documented requirement).
    const keyPolicy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }] };
    const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };
    const decrypt = (context: Record<string, string>) => sim.decide({ principal: endpoint.executionRole, action: 'kms:Decrypt', resource: key.keyArn, context, resourcePolicy: keyPolicy });
    expect(await decrypt(viaS3)).toBe('Allowed');
    expect(await decrypt({})).toBe('ImplicitlyDenied');
    expect(await sim.decide({ principal: endpoint.executionRole, action: 's3:GetObject', resource: 'arn:aws:s3:::team-models/models/sentiment/model.tar.gz', context: { 'aws:SecureTransport': 'true' } })).toBe('Allowed');
  });

  test('with modelDataEncryptionKey there is no warning; without it the imported bucket is reported (validation report)', () => {
    expect(findViolations(imported(true, true).stack).filter((v) => v.rule.includes('modelDataKeyUnknown'))).toEqual([]);
    const found = findViolations(imported(false, true).stack).filter((v) => v.rule.includes('cdk-secure-ai:modelDataKeyUnknown'));
    expect(found.map((v) => v.constructPath)).toEqual(['Imported/Endpoint']);
  });

  test('without it, the execution role gets no kms:Decrypt (nothing to name)', () => {
    const { stack, endpoint } = imported(false);
    const policy = Template.fromStack(stack).toJSON().Resources[stack.getLogicalId(endpoint.executionPolicy.node.defaultChild as any)];
    expect(JSON.stringify(policy)).not.toContain('kms:Decrypt');
  });

  test('a bucket created in the app with SSE-S3 raises no warning: its encryption is known', () => {
    const { stack } = inferenceStack((s) => ({ modelDataBucket: new s3.Bucket(s, 'Plain', { encryption: s3.BucketEncryption.S3_MANAGED, enforceSSL: true }) }));
    expect(findViolations(stack).filter((v) => v.rule.includes('modelDataKeyUnknown'))).toEqual([]);
  });
});

describe('issue 15: PrivateInferenceEndpoint with an existing web ACL', () => {
  const ACL = `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/org-firewall-manager-acl/0a1b2c3d-1234-5678-9abc-def012345678`;

  test('the stage is associated with the given ACL; no ACL, WAF log group, logging configuration or WAF alarm is created', () => {
    const { stack, endpoint } = inferenceStack({ webAclArn: ACL }, { checks: false });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::LoggingConfiguration', 0);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      WebACLArn: ACL,
      ResourceArn: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
    });
    expect(endpoint.webAcl).toBeUndefined();
    expect(endpoint.wafLogGroup).toBeUndefined();
    expect(endpoint.webAclArn).toBe(ACL);
    const alarms = Object.values<any>(template.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.Namespace);
    expect(alarms).not.toContain('AWS/WAFV2');
    expect(alarms).toHaveLength(5);
  });

  test('has no unacknowledged finding in any check', () => {
    expectCompliant(inferenceStack({ webAclArn: ACL }).stack);
  });

  test.each<[string, PropsOf, RegExp]>([
    ['a CloudFront (global) ACL', { webAclArn: ACL.replace('regional/', 'global/') }, named(CONSTRAINTS.wafScope.id, 'webAclArn')],
    ['a WAF Classic ACL ID', { webAclArn: '0a1b2c3d-1234-5678-9abc-def012345678' }, named(CONSTRAINTS.wafScope.id, 'webAclArn')],
    ['a rate limit for an ACL the construct does not create', { webAclArn: ACL, wafRateLimit: 500 }, /`wafRateLimit`/],
    ['a body limit for an ACL the construct does not create', { webAclArn: ACL, maxRequestBodyBytes: 4096 }, /`maxRequestBodyBytes`/],
  ])('%s is rejected', (_name, props, message) => {
    expectInvalidProp(build(props), 'Inference/Endpoint', message);
  });
});
