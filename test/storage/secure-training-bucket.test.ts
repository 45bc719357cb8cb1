import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ObjectLockMode, SecureTrainingBucket, SecureTrainingBucketProps } from '../../lib';
import { createTestApp } from '../support/app';
import { expectCompliant, findViolations } from '../support/compliance';
import { acknowledgementsIn, expectListedInReadme } from '../support/docs';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, OTHER_ACCOUNT, PolicySimulator, REGION } from '../support/iam';
import { snapshotOf } from '../support/snapshot';

function bucketStack(props?: SecureTrainingBucketProps, options: { checks?: boolean } = {}) {
  const stack = new Stack(createTestApp(options), 'Storage');
  const data = new SecureTrainingBucket(stack, 'Data', props);
  return { stack, data };
}

describe('SecureTrainingBucket defaults', () => {
  const { stack, data } = bucketStack();
  const template = Template.fromStack(stack);
  const keyId = stack.getLogicalId(data.encryptionKey.node.defaultChild as kms.CfnKey);
  const logsId = stack.getLogicalId(data.accessLogsBucket.node.defaultChild as any);
  const bucketId = stack.getLogicalId(data.bucket.node.defaultChild as any);

  test('creates a rotated customer-managed key with the longest deletion window, retained', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, PendingWindowInDays: 30 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('the key lets only AWS services create grants (CT.KMS.PR.3)', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Deny',
          Action: 'kms:CreateGrant',
          Condition: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
        })]),
      },
    });
  });

  test('encrypts with SSE-KMS under that key and bucket keys', () => {
    const bucket = template.toJSON().Resources[bucketId];
    expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([{
      BucketKeyEnabled: true,
      ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    }]);
  });

  test('blocks all public access, disables ACLs, versions, locks objects, notifies EventBridge', () => {
    const bucket = template.toJSON().Resources[bucketId].Properties;
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    expect(bucket.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(bucket.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(bucket.ObjectLockEnabled).toBe(true);
    expect(bucket.ObjectLockConfiguration).toBeUndefined();
    expect(bucket.NotificationConfiguration).toEqual({ EventBridgeConfiguration: { EventBridgeEnabled: true } });
  });

  test('expires noncurrent versions after a year and aborts stale multipart uploads after a week', () => {
    const rules = template.toJSON().Resources[bucketId].Properties.LifecycleConfiguration.Rules;
    expect(rules).toEqual([expect.objectContaining({
      Status: 'Enabled',
      NoncurrentVersionExpiration: { NoncurrentDays: 365 },
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
    })]);
    expect(rules[0].ExpirationInDays).toBeUndefined(); // current versions are never expired
  });

  test('logs server access to the dedicated log bucket', () => {
    expect(template.toJSON().Resources[bucketId].Properties.LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: logsId },
      LogFilePrefix: 'access-logs/',
    });
  });

  test('the log bucket is SSE-S3, versioned, private, with a lifecycle', () => {
    const logs = template.toJSON().Resources[logsId].Properties;
    expect(logs.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: 'AES256' });
    expect(logs.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(logs.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
    expect(logs.PublicAccessBlockConfiguration.RestrictPublicBuckets).toBe(true);
    expect(logs.LifecycleConfiguration.Rules[0]).toEqual(expect.objectContaining({ ExpirationInDays: 365 }));
    expect(logs.LoggingConfiguration).toBeUndefined();
  });

  // "S3 buckets with Object Lock can't be used as destination buckets for server access logs"
  // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock-configure.html).
  test('the log bucket can receive server access logs: no Object Lock (S3 user guide, Configuring S3 Object Lock)', () => {
    const logs = template.toJSON().Resources[logsId].Properties;
    expect(logs.ObjectLockEnabled).toBeUndefined();
    expect(logs.ObjectLockConfiguration).toBeUndefined();
  });

  test('the log bucket has a new logical ID: Object Lock cannot be disabled on the earlier bucket', () => {
    expect(logsId).toMatch(/^DataServerAccessLogs/);
  });

  test('log delivery is granted by bucket policy to S3 logging, from this bucket only', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: logsId },
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Condition: { ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [bucketId, 'Arn'] } } },
        })]),
      },
    });
  });

  test('every stateful resource is retained', () => {
    for (const type of ['AWS::S3::Bucket', 'AWS::KMS::Key']) {
      for (const resource of Object.values(template.findResources(type))) {
        expect(resource).toEqual(expect.objectContaining({ DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' }));
      }
    }
    template.resourceCountIs('AWS::S3::Bucket', 2);
  });

  test('deploys no Lambda-backed custom resource', () => {
    template.resourceCountIs('AWS::Lambda::Function', 0);
    expect(Object.values<any>(template.toJSON().Resources).filter((r) => r.Type.startsWith('Custom::'))).toEqual([]);
  });

  test('exposes bucket, key and log bucket', () => {
    expect(data.bucket.encryptionKey).toBe(data.encryptionKey);
    expect(data.accessLogsBucket).toBeDefined();
  });

  test('matches the snapshot', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });

  test('has no unacknowledged finding in any check', () => {
    expectCompliant(stack);
  });
});

describe('SecureTrainingBucket options stay compliant', () => {
  test.each<[string, SecureTrainingBucketProps]>([
    ['governance-mode Object Lock', { objectLockMode: ObjectLockMode.GOVERNANCE, objectLockRetention: Duration.days(30) }],
    ['compliance-mode Object Lock', { objectLockMode: ObjectLockMode.COMPLIANCE, objectLockRetention: Duration.days(3650) }],
    ['VPC endpoint restriction with administrators', {
      allowedVpcEndpointIds: ['vpce-0a1b2c3d4e5f67890', 'vpce-11111111'],
      administratorPrincipalArns: [`arn:aws:iam::${ACCOUNT}:role/Admin*`],
    }],
    ['custom lifecycle and prefix', {
      noncurrentVersionExpiration: Duration.days(30),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
      accessLogsRetention: Duration.days(2555),
      accessLogsPrefix: 'logs/training/',
      bucketName: 'training-data-111122223333',
    }],
    ['removal policy DESTROY', { removalPolicy: RemovalPolicy.DESTROY }],
    ['Macie discovery, with the VPC endpoint restriction', { allowMacieDiscovery: true, allowedVpcEndpointIds: ['vpce-0a1b2c3d4e5f67890'] }],
  ])('%s', (_name, props) => {
    const { stack } = bucketStack(props);
    expectCompliant(stack);
  });

  test('a key and a log bucket of your own are used as given', () => {
    const stack = new Stack(createTestApp(), 'Shared');
    const first = new SecureTrainingBucket(stack, 'First');
    const second = new SecureTrainingBucket(stack, 'Second', {
      encryptionKey: first.encryptionKey,
      accessLogsBucket: first.accessLogsBucket,
      accessLogsPrefix: 'second/',
    });
    expect(second.encryptionKey).toBe(first.encryptionKey);
    expect(second.accessLogsBucket).toBe(first.accessLogsBucket);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.resourceCountIs('AWS::S3::Bucket', 3);
    expectCompliant(stack);
  });

  test('grants leave the construct compliant (the grantee policy is the grantee\'s)', () => {
    const { stack, data } = bucketStack();
    const role = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
    data.grantReadWrite(role, 'datasets/');
    expect(findViolations(data, { onlyUnder: true })).toEqual([]);
  });

  test('a weakened setting is still reported: acknowledgements do not hide user changes', () => {
    const { stack, data } = bucketStack();
    const cfn = data.bucket.node.defaultChild as any;
    cfn.loggingConfiguration = undefined; // a user removes access logging by escape hatch
    const rules = findViolations(stack).filter((v) => v.constructPath === 'Storage/Data/Bucket/Resource').map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'HIPAA.Security-S3BucketLoggingEnabled']));
  });
});

test('the log bucket\'s Object Lock acknowledgement stays narrow: another bucket without Object Lock is reported', () => {
  const { stack } = bucketStack();
  new s3.Bucket(stack, 'Unlocked', { enforceSSL: true });
  const rules = findViolations(stack).filter((v) => v.constructPath === 'Storage/Unlocked/Resource').map((v) => v.rule);
  expect(rules).toContain('s3_bucket_object_lock_enabled_check');
  expect(findViolations(stack).filter((v) => v.constructPath.startsWith('Storage/Data/'))).toEqual([]);
});

describe('SecureTrainingBucket policies, decided by the IAM simulator', () => {
  const stack = new Stack(createTestApp({ checks: false }), 'Sim');
  const admin = new iam.Role(stack, 'Admin', { assumedBy: new iam.AccountRootPrincipal() });
  const data = new SecureTrainingBucket(stack, 'Data', {
    allowedVpcEndpointIds: ['vpce-0a1b2c3d4e5f67890'],
    administratorPrincipalArns: [admin.roleArn],
  });
  const open = new SecureTrainingBucket(stack, 'Open', { encryptionKey: data.encryptionKey, accessLogsBucket: data.accessLogsBucket });
  const reader = new iam.Role(stack, 'Reader', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  data.grantRead(reader, 'datasets/');
  data.grantWrite(writer, 'models/');
  open.grantRead(reader);
  admin.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [data.bucket.arnForObjects('*')] }));
  const sim = new PolicySimulator(stack);
  const bucketArn = sim.arnOf(data.bucket);
  const keyArn = sim.arnOf(data.encryptionKey);
  const inVpc = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2', 'aws:SourceVpce': 'vpce-0a1b2c3d4e5f67890' };
  const foreignKey = `arn:aws:kms:${REGION}:${OTHER_ACCOUNT}:key/00000000-1111-2222-3333-444444444444`;

  test.each<[string, iam.IRole | string, string, string, Record<string, string>, string]>([
    ['TLS 1.2 read by the granted role, in the VPC', reader, 's3:GetObject', `${bucketArn}/datasets/a.csv`, inVpc, 'Allowed'],
    ['plain HTTP read', reader, 's3:GetObject', `${bucketArn}/datasets/a.csv`, { ...inVpc, 'aws:SecureTransport': 'false' }, 'ExplicitlyDenied'],
    ['TLS 1.1 read', reader, 's3:GetObject', `${bucketArn}/datasets/a.csv`, { ...inVpc, 's3:TlsVersion': '1.1' }, 'ExplicitlyDenied'],
    ['read outside the granted prefix', reader, 's3:GetObject', `${bucketArn}/models/m.tar.gz`, inVpc, 'ImplicitlyDenied'],
    ['read by an ungranted role of the account', `arn:aws:iam::${ACCOUNT}:role/Stranger`, 's3:GetObject', `${bucketArn}/datasets/a.csv`, inVpc, 'ImplicitlyDenied'],
    ['read by another account', `arn:aws:iam::${OTHER_ACCOUNT}:role/Reader`, 's3:GetObject', `${bucketArn}/datasets/a.csv`, inVpc, 'ImplicitlyDenied'],
    ['write by a read-only role', reader, 's3:PutObject', `${bucketArn}/datasets/a.csv`, inVpc, 'ImplicitlyDenied'],
    ['delete by the writer (no delete is granted)', writer, 's3:DeleteObject', `${bucketArn}/models/m.tar.gz`, inVpc, 'ImplicitlyDenied'],
    ['read from outside the allowed VPC endpoint', reader, 's3:GetObject', `${bucketArn}/datasets/a.csv`, { ...inVpc, 'aws:SourceVpce': 'vpce-0fffffffffffffff0' }, 'ExplicitlyDenied'],
    ['read from the internet (no VPC endpoint)', reader, 's3:GetObject', `${bucketArn}/datasets/a.csv`, { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' }, 'ExplicitlyDenied'],
    ['administrator read from outside the VPC endpoint', admin, 's3:GetObject', `${bucketArn}/datasets/a.csv`, { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' }, 'Allowed'],
    ['list under the granted prefix', reader, 's3:ListBucket', bucketArn, { ...inVpc, 's3:prefix': 'datasets/2026/' }, 'Allowed'],
    ['list under another prefix', reader, 's3:ListBucket', bucketArn, { ...inVpc, 's3:prefix': 'models/' }, 'ImplicitlyDenied'],
    ['read from the unrestricted bucket off-VPC', reader, 's3:GetObject', `${sim.arnOf(open.bucket)}/any/key`, { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' }, 'Allowed'],
  ])('%s', async (_name, principal, action, resource, context, expected) => {
    expect(await sim.decide({ principal, action, resource, context })).toBe(expected);
  });

  test.each<[string, Record<string, string>, string]>([
    ['upload with the bucket default encryption (no header)', {}, 'Allowed'],
    ['upload asking for this key', { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': 'KEY' }, 'Allowed'],
    ['upload asking for SSE-S3', { 's3:x-amz-server-side-encryption': 'AES256' }, 'ExplicitlyDenied'],
    ['upload asking for another KMS key', { 's3:x-amz-server-side-encryption': 'aws:kms', 's3:x-amz-server-side-encryption-aws-kms-key-id': foreignKey }, 'ExplicitlyDenied'],
    ['upload with a customer-provided key (SSE-C)', { 's3:x-amz-server-side-encryption-customer-algorithm': 'AES256' }, 'ExplicitlyDenied'],
  ])('%s', async (_name, headers, expected) => {
    const context = Object.fromEntries(Object.entries({ ...inVpc, ...headers }).map(([k, v]) => [k, v === 'KEY' ? keyArn : v]));
    expect(await sim.decide({ principal: writer, action: 's3:PutObject', resource: `${bucketArn}/models/m.tar.gz`, context })).toBe(expected);
  });

  test.each<[string, iam.IRole | string, string, Record<string, string>, string]>([
    ['reader decrypts through S3', reader, 'kms:Decrypt', { 'kms:ViaService': `s3.${REGION}.amazonaws.com` }, 'Allowed'],
    ['reader decrypts directly, not through S3', reader, 'kms:Decrypt', {}, 'ImplicitlyDenied'],
    ['reader cannot generate data keys', reader, 'kms:GenerateDataKey', { 'kms:ViaService': `s3.${REGION}.amazonaws.com` }, 'ImplicitlyDenied'],
    ['writer generates data keys through S3', writer, 'kms:GenerateDataKey', { 'kms:ViaService': `s3.${REGION}.amazonaws.com` }, 'Allowed'],
    ['an ungranted role cannot decrypt', `arn:aws:iam::${ACCOUNT}:role/Stranger`, 'kms:Decrypt', { 'kms:ViaService': `s3.${REGION}.amazonaws.com` }, 'ImplicitlyDenied'],
    ['a grant not for an AWS resource is denied', writer, 'kms:CreateGrant', { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' }, 'ExplicitlyDenied'],
  ])('key policy and grants — %s', async (_name, principal, action, context, expected) => {
    expect(await sim.decide({ principal, action, resource: keyArn, context })).toBe(expected);
  });
});

/**
 * The Macie statement of the Macie user guide ("Analyzing encrypted Amazon S3 objects": allow the
 * service-linked role AWSServiceRoleForAmazonMacie kms:Decrypt on the customer managed key), and the
 * exemption from restrictive bucket policies ("Allowing Macie to access S3 buckets and objects").
 */
describe('allowMacieDiscovery, decided by the IAM simulator', () => {
  const stack = new Stack(createTestApp({ checks: false }), 'Macie');
  const withMacie = new SecureTrainingBucket(stack, 'WithMacie', { allowMacieDiscovery: true, allowedVpcEndpointIds: ['vpce-0a1b2c3d4e5f67890'] });
  const without = new SecureTrainingBucket(stack, 'Without', { allowedVpcEndpointIds: ['vpce-0a1b2c3d4e5f67890'] });
  const sim = new PolicySimulator(stack);
  const macieRole = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie`;
  // What the Macie service-linked role's own policy lets it do on S3 (AmazonMacieServiceRolePolicy: s3:Get*, s3:List*).
  const macieS3 = [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' }] }];
  const viaS3 = { 'kms:ViaService': `s3.${REGION}.amazonaws.com` };

  test.each<[string, string, string, () => string, string]>([
    ['the Macie service-linked role decrypts with the key', macieRole, 'kms:Decrypt', () => sim.arnOf(withMacie.encryptionKey), 'Allowed'],
    ['the Macie service-linked role cannot encrypt', macieRole, 'kms:Encrypt', () => sim.arnOf(withMacie.encryptionKey), 'ImplicitlyDenied'],
    ['the Macie service-linked role cannot generate data keys', macieRole, 'kms:GenerateDataKey', () => sim.arnOf(withMacie.encryptionKey), 'ImplicitlyDenied'],
    ['the Macie service-linked role cannot create grants (not granted, and the key denies grants not for AWS resources)', macieRole, 'kms:CreateGrant', () => sim.arnOf(withMacie.encryptionKey), 'ExplicitlyDenied'],
    ['another role of the account with the same name, another path, cannot decrypt', `arn:aws:iam::${ACCOUNT}:role/AWSServiceRoleForAmazonMacie`, 'kms:Decrypt', () => sim.arnOf(withMacie.encryptionKey), 'ImplicitlyDenied'],
    ['another role of the account cannot decrypt', `arn:aws:iam::${ACCOUNT}:role/Stranger`, 'kms:Decrypt', () => sim.arnOf(withMacie.encryptionKey), 'ImplicitlyDenied'],
    ['the Macie service-linked role of another account cannot decrypt', macieRole.replace(ACCOUNT, OTHER_ACCOUNT), 'kms:Decrypt', () => sim.arnOf(withMacie.encryptionKey), 'ImplicitlyDenied'],
    ['without the option, the Macie service-linked role cannot decrypt', macieRole, 'kms:Decrypt', () => sim.arnOf(without.encryptionKey), 'ImplicitlyDenied'],
  ])('key policy — %s', async (_name, principal, action, key, expected) => {
    expect(await sim.decide({ principal, action, resource: key(), context: viaS3 })).toBe(expected);
  });

  const offVpc = { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.2' };
  test.each<[string, string, () => string, Record<string, string>, string]>([
    ['Macie reads an object from outside the VPC endpoints', macieRole, () => `${sim.arnOf(withMacie.bucket)}/datasets/a.csv`, offVpc, 'Allowed'],
    ['Macie still needs TLS', macieRole, () => `${sim.arnOf(withMacie.bucket)}/datasets/a.csv`, { ...offVpc, 'aws:SecureTransport': 'false' }, 'ExplicitlyDenied'],
    ['another role with the same rights is still held to the VPC endpoints', `arn:aws:iam::${ACCOUNT}:role/Stranger`, () => `${sim.arnOf(withMacie.bucket)}/datasets/a.csv`, offVpc, 'ExplicitlyDenied'],
    ['without the option, Macie is held to the VPC endpoints', macieRole, () => `${sim.arnOf(without.bucket)}/datasets/a.csv`, offVpc, 'ExplicitlyDenied'],
  ])('bucket policy — %s', async (_name, principal, resource, context, expected) => {
    expect(await sim.decide({ principal, identityPolicies: macieS3, action: 's3:GetObject', resource: resource(), context })).toBe(expected);
  });

  test('the statement names the role by aws:PrincipalArn, so the key deploys before Macie creates the role (KMS PutKeyPolicy: principals must exist)', () => {
    const keyId = stack.getLogicalId(withMacie.encryptionKey.node.defaultChild as kms.CfnKey);
    const policy = Template.fromStack(stack).toJSON().Resources[keyId].Properties.KeyPolicy;
    const statement = policy.Statement.find((st: any) => st.Sid === 'AllowMacieServiceLinkedRoleToDecrypt');
    expect(statement).toEqual({
      Sid: 'AllowMacieServiceLinkedRoleToDecrypt',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: { ArnEquals: { 'aws:PrincipalArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie']] } } },
    });
  });
});

describe('SecureTrainingBucket rejects bad input, naming the prop', () => {
  test('allowMacieDiscovery with an imported key, whose policy cannot be changed here', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    const imported = kms.Key.fromKeyArn(stack, 'Imported', `arn:aws:kms:${REGION}:${ACCOUNT}:key/00000000-1111-2222-3333-444444444444`);
    expectInvalidProp(() => new SecureTrainingBucket(stack, 'Data', { encryptionKey: imported, allowMacieDiscovery: true }), 'Bad/Data', /`allowMacieDiscovery` \(received true\).*imported/);
    expect(() => new SecureTrainingBucket(stack, 'Fine', { encryptionKey: imported })).not.toThrow();
  });

  test.each<[string, SecureTrainingBucketProps, RegExp]>([
    ['noncurrentVersionExpiration', { noncurrentVersionExpiration: Duration.days(0) }, /`noncurrentVersionExpiration` \(received 0 days\)/],
    ['noncurrentVersionExpiration', { noncurrentVersionExpiration: Duration.hours(36) }, /`noncurrentVersionExpiration`.*whole number of days/],
    ['abortIncompleteMultipartUploadAfter', { abortIncompleteMultipartUploadAfter: Duration.days(400) }, /`abortIncompleteMultipartUploadAfter` \(received 400 days\).*between 1 and 365/],
    ['accessLogsRetention', { accessLogsRetention: Duration.days(0) }, /`accessLogsRetention`/],
    ['objectLockRetention', { objectLockMode: ObjectLockMode.GOVERNANCE }, /`objectLockRetention` \(received undefined\)/],
    ['objectLockMode', { objectLockRetention: Duration.days(30) }, /`objectLockMode` \(received undefined\)/],
    ['objectLockRetention', { objectLockMode: ObjectLockMode.COMPLIANCE, objectLockRetention: Duration.minutes(5) }, /`objectLockRetention`.*whole number of days/],
    ['allowedVpcEndpointIds', { allowedVpcEndpointIds: [] }, /`allowedVpcEndpointIds` \(received \[\]\)/],
    ['allowedVpcEndpointIds', { allowedVpcEndpointIds: ['vpc-12345678'] }, /`allowedVpcEndpointIds`.*"vpc-12345678" is not a VPC endpoint ID/],
    ['administratorPrincipalArns', { administratorPrincipalArns: [`arn:aws:iam::${ACCOUNT}:role/Admin`] }, /`administratorPrincipalArns`.*set both, or neither/],
    ['administratorPrincipalArns', { allowedVpcEndpointIds: ['vpce-0a1b2c3d4e5f67890'], administratorPrincipalArns: ['Admin'] }, /`administratorPrincipalArns`.*not an IAM principal ARN/],
    ['accessLogsPrefix', { accessLogsPrefix: '/logs' }, /`accessLogsPrefix` \(received "\/logs"\)/],
  ])('%s', (_prop, props, message) => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    expectInvalidProp(() => new SecureTrainingBucket(stack, 'Data', props), 'Bad/Data', message);
  });

  test('an access-log bucket with Object Lock is rejected (S3 user guide, Configuring S3 Object Lock)', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    const locked = new s3.Bucket(stack, 'Locked', { objectLockEnabled: true, encryption: s3.BucketEncryption.S3_MANAGED });
    expectInvalidProp(() => new SecureTrainingBucket(stack, 'Data', { accessLogsBucket: locked }), 'Bad/Data', /`accessLogsBucket` \(received "Bad\/Locked"\).*Object Lock/);
  });

  test('an access-log bucket with SSE-KMS is rejected; the SecureTrainingBucket itself is no log destination', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    const kmsBucket = new s3.Bucket(stack, 'Kms', { encryption: s3.BucketEncryption.KMS_MANAGED });
    expectInvalidProp(() => new SecureTrainingBucket(stack, 'Data', { accessLogsBucket: kmsBucket }), 'Bad/Data', /`accessLogsBucket`.*SSE-S3/);
    const other = new SecureTrainingBucket(stack, 'Other');
    expect(() => new SecureTrainingBucket(stack, 'Data2', { accessLogsBucket: other.bucket })).toThrow(/`accessLogsBucket`.*Object Lock/);
  });

  test('an SSE-S3 bucket without Object Lock is accepted as access-log destination', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Ok');
    const plain = new s3.Bucket(stack, 'Plain', { encryption: s3.BucketEncryption.S3_MANAGED });
    expect(() => new SecureTrainingBucket(stack, 'Data', { accessLogsBucket: plain })).not.toThrow();
  });

  test('grant key prefixes', () => {
    const { data } = bucketStack({}, { checks: false });
    const role = new iam.Role(data, 'Role', { assumedBy: new iam.AccountRootPrincipal() });
    expect(() => data.grantRead(role, 'data/*')).toThrow(/`keyPrefix` \(received "data\/\*"\)/);
    expect(() => data.grantWrite(role, '')).toThrow(/`keyPrefix`/);
  });
});

describe('documentation', () => {
  test('every acknowledgement the construct makes is listed in the README with its reason', () => {
    const { stack } = bucketStack({ allowedVpcEndpointIds: ['vpce-0a1b2c3d4e5f67890'] }, { checks: false });
    expectListedInReadme(acknowledgementsIn(stack));
  });
});
