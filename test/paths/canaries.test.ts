import { lid, synthProd } from './platform';
import { NetworkTier } from '../../lib';
import { ACCOUNT, REGION } from '../support/iam';
import {
  CfnTemplate, executeApiArn, expectation, kmsVia, NetworkLeg, PathEvaluator, PathRow, PathSpec, s3Get, serviceCall, verdict,
} from '../support/paths';

/**
 * Canaries: the path evaluator can fail, layer by layer. Each case takes a path of the Prod
 * stage that is OPEN, removes or alters the one rule of one layer it relies on (in a copy of the
 * template), and asserts the path is now CLOSED by that layer.
 */
const prod = synthProd();
const { stage } = prod;
const net = stage.network.network;
const T = prod.template.Resources;
const training = { role: lid(stage.data.trainingRole.role) };
const bucket = prod.ev.arn(lid(stage.data.data.bucket));
const dataKey = prod.ev.arn(lid(stage.data.data.encryptionKey));
const executeApi = prod.endpoint('execute-api');

const leg = (tier: NetworkTier, sg: string, to: NetworkLeg['to']): NetworkLeg =>
  ({ fromSubnets: prod.subnets(tier), fromSecurityGroups: [sg], clientOs: 'linux', to, port: 443 });
const datasetRead: PathSpec = {
  name: 'training job reads its dataset',
  expect: 'OPEN',
  network: leg(NetworkTier.TRAINING, lid(net.trainingSecurityGroup), { kind: 'gateway-service', service: 's3' }),
  requests: [s3Get(training, bucket, 'datasets/sentiment/train.csv'), kmsVia(training, 'kms:Decrypt', dataKey, 's3')],
};
const apiCall: PathSpec = {
  name: 'client in the inference tier calls the API',
  expect: 'OPEN',
  network: leg(NetworkTier.INFERENCE, lid(net.inferenceSecurityGroup), { kind: 'interface-endpoint', endpoint: executeApi }),
  requests: [{
    caller: { role: lid(stage.inference.clientRole) },
    action: 'execute-api:Invoke',
    throughEndpoint: true,
    resource: executeApiArn(prod.ev, lid(stage.inference.endpoint.api), 'prod', 'POST', 'invocations'),
  }],
};
const trail = Object.values(T).find((r) => r.Type === 'AWS::CloudTrail::Trail')!.Properties;
const trailArn = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/${trail.TrailName}`;
const trailBucket = `arn:aws:s3:::${prod.ev.sim.resolve(trail.S3BucketName)}`;
const trailWrite: PathSpec = {
  name: 'CloudTrail writes a log file',
  expect: 'OPEN',
  requests: [serviceCall('cloudtrail.amazonaws.com', 's3:PutObject', `${trailBucket}/AWSLogs/${ACCOUNT}/CloudTrail/${REGION}/f.json.gz`, trailArn, {
    'aws:SecureTransport': 'true',
    's3:TlsVersion': '1.2',
    's3:x-amz-acl': 'bucket-owner-full-control',
    's3:x-amz-server-side-encryption': 'aws:kms',
    's3:x-amz-server-side-encryption-aws-kms-key-id': prod.ev.sim.resolve(trail.KMSKeyId),
  })],
};
const assumeTraining: PathSpec = {
  name: 'SageMaker assumes the training role',
  expect: 'OPEN',
  requests: [{
    caller: { service: 'sagemaker.amazonaws.com' },
    action: 'sts:AssumeRole',
    resource: prod.ev.arn(training.role),
    context: { 'aws:SourceAccount': ACCOUNT, 'aws:SourceArn': `arn:aws:sagemaker:${REGION}:${ACCOUNT}:training-job/sentiment-1` },
  }],
};

/** The NACL entry of a tier's ACL with this direction and rule number. */
const aclEntry = (t: CfnTemplate, tier: NetworkTier, egress: boolean, rule: number) => {
  const acl = lid(net.networkAclOf(tier));
  const found = Object.values(t.Resources).find((r) => r.Type === 'AWS::EC2::NetworkAclEntry'
    && r.Properties.NetworkAclId.Ref === acl && r.Properties.Egress === egress && r.Properties.RuleNumber === rule);
  if (!found) throw new Error(`no ${egress ? 'egress' : 'ingress'} rule ${rule} in the ${tier} ACL`);
  return found.Properties;
};
const statementsOf = (policy: any) => policy.Statement as any[];

interface Canary {
  readonly layer: string;
  readonly path: PathSpec;
  readonly mutate: (t: CfnTemplate) => void;
}

const canaries: Canary[] = [
  {
    layer: 'SG egress',
    path: datasetRead,
    mutate: (t) => {
      for (const rule of t.Resources[lid(net.trainingSecurityGroup)].Properties.SecurityGroupEgress) rule.FromPort = rule.ToPort = 80;
    },
  },
  {
    layer: 'SG ingress',
    path: apiCall,
    mutate: (t) => {
      const sg = t.Resources[lid(net.endpointSecurityGroup)].Properties;
      sg.SecurityGroupIngress = sg.SecurityGroupIngress.filter((r: any) => r.CidrIp !== net.tierCidr(NetworkTier.INFERENCE));
    },
  },
  { layer: 'NACL egress', path: datasetRead, mutate: (t) => { aclEntry(t, NetworkTier.TRAINING, true, 130).RuleAction = 'deny'; } },
  { layer: 'NACL ingress', path: apiCall, mutate: (t) => { aclEntry(t, NetworkTier.ENDPOINTS, false, 110).RuleAction = 'deny'; } },
  // Replies: a range that misses part of the Linux ephemeral ports (32768-60999) is enough to break it.
  { layer: 'NACL reply egress', path: apiCall, mutate: (t) => { aclEntry(t, NetworkTier.ENDPOINTS, true, 110).PortRange.From = 49152; } },
  { layer: 'NACL reply ingress', path: apiCall, mutate: (t) => { aclEntry(t, NetworkTier.INFERENCE, false, 110).PortRange.To = 59999; } },
  {
    layer: 'route table',
    path: datasetRead,
    mutate: (t) => {
      const s3 = Object.values(t.Resources).find((r) => r.Type === 'AWS::EC2::VPCEndpoint' && r.Properties.VpcEndpointType === 'Gateway')!;
      const trainingTables = prod.subnets(NetworkTier.TRAINING).map((subnet) => Object.values(t.Resources)
        .find((r) => r.Type === 'AWS::EC2::SubnetRouteTableAssociation' && r.Properties.SubnetId.Ref === subnet)!.Properties.RouteTableId.Ref);
      s3.Properties.RouteTableIds = s3.Properties.RouteTableIds.filter((ref: any) => !trainingTables.includes(ref.Ref));
    },
  },
  {
    layer: 'endpoint policy',
    path: datasetRead,
    mutate: (t) => {
      const s3 = Object.values(t.Resources).find((r) => r.Type === 'AWS::EC2::VPCEndpoint' && r.Properties.VpcEndpointType === 'Gateway')!;
      const guarded = statementsOf(s3.Properties.PolicyDocument).filter((s) => s.Condition?.StringEquals?.['aws:PrincipalAccount']);
      expect(guarded.length).toBeGreaterThan(0);
      for (const s of guarded) s.Condition.StringEquals['aws:PrincipalAccount'] = '999988887777';
    },
  },
  {
    layer: 'resource policy',
    path: trailWrite,
    mutate: (t) => {
      const policy = Object.values(t.Resources).find((r) => r.Type === 'AWS::S3::BucketPolicy' && r.Properties.Bucket.Ref === trail.S3BucketName.Ref)!;
      policy.Properties.PolicyDocument.Statement = statementsOf(policy.Properties.PolicyDocument).filter((s) => s.Sid !== 'AllowCloudTrailWrite');
    },
  },
  {
    layer: 'identity policy',
    path: datasetRead,
    mutate: (t) => {
      const policy = t.Resources[lid(stage.data.trainingRole.dataAccessPolicy)].Properties.PolicyDocument;
      policy.Statement = statementsOf(policy).filter((s) => !(s.Action as string[]).includes?.('s3:GetObject'));
    },
  },
  {
    layer: 'permissions boundary',
    path: datasetRead,
    mutate: (t) => {
    // A boundary that allows everything the path needs except reading objects.
      t.Resources.CanaryBoundary = {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              { Effect: 'Allow', Action: ['kms:Decrypt', 's3:ListBucket'], Resource: '*' },
            ],
          },
        },
      };
      t.Resources[training.role].Properties.PermissionsBoundary = { Ref: 'CanaryBoundary' };
    },
  },
  {
    layer: 'trust policy',
    path: assumeTraining,
    mutate: (t) => {
      for (const s of statementsOf(t.Resources[training.role].Properties.AssumeRolePolicyDocument)) s.Principal = { Service: 'ec2.amazonaws.com' };
    },
  },
];

describe('canaries: removing the rule a required path relies on closes it, and the evaluator names the layer', () => {
  test.each(canaries.map((c) => [c.layer, c.path.name, c] as const))('%s: %s', async (_layer, _name, canary) => {
    expect((await prod.ev.evaluate(canary.path)).open).toBe(true); // the path is open before
    const mutated: CfnTemplate = JSON.parse(JSON.stringify(prod.template));
    canary.mutate(mutated);
    const result = await new PathEvaluator(mutated).evaluate(canary.path);
    expect({ open: result.open, blockedBy: result.blockedBy }).toEqual({ open: false, blockedBy: canary.layer });
  });

  test('a boundary that allows what the path needs keeps it open (the boundary is evaluated, not assumed to deny)', async () => {
    const mutated: CfnTemplate = JSON.parse(JSON.stringify(prod.template));
    mutated.Resources.CanaryBoundary = {
      Type: 'AWS::IAM::ManagedPolicy',
      Properties: {
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: ['kms:Decrypt', 's3:GetObject'], Resource: '*' },
          ],
        },
      },
    };
    mutated.Resources[training.role].Properties.PermissionsBoundary = { Ref: 'CanaryBoundary' };
    expect((await new PathEvaluator(mutated).evaluate(datasetRead)).open).toBe(true);
  });

  test('a forbidden path that a hole opens is reported OPEN, so its CLOSED row fails', async () => {
    const row: PathRow = {
      name: 'training tier → the model network interfaces in the inference tier',
      expect: 'CLOSED',
      network: leg(NetworkTier.TRAINING, lid(net.trainingSecurityGroup),
        { kind: 'interfaces', subnets: prod.subnets(NetworkTier.INFERENCE), securityGroups: [lid(stage.inference.endpoint.securityGroup)] }),
    };
    expect(verdict(row, await prod.ev.evaluate(row))).toMatchObject(expectation(row));
    // The hole: the model group admits anything, and both tiers' "deny the rest of the VPC" rules allow.
    const mutated: CfnTemplate = JSON.parse(JSON.stringify(prod.template));
    mutated.Resources[lid(stage.inference.endpoint.securityGroup)].Properties.SecurityGroupIngress = [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0' }];
    for (const tier of [NetworkTier.TRAINING, NetworkTier.INFERENCE]) {
      for (const egress of [true, false]) aclEntry(mutated, tier, egress, 120).RuleAction = 'allow';
    }
    const result = await new PathEvaluator(mutated).evaluate(row);
    expect(result.open).toBe(true);
    expect(verdict(row, result)).not.toMatchObject(expectation(row));
  });

  test('destination rules: open on the stage as built, closed when the documented constraint is broken', async () => {
    const clone = (): CfnTemplate => JSON.parse(JSON.stringify(prod.template));
    const stageId = lid(stage.inference.endpoint.stage);
    const row: PathSpec = { name: 'execution logs', expect: 'OPEN', destination: { rule: 'apigateway-execution-logs', resource: stageId } };
    expect((await new PathEvaluator(clone()).evaluate(row)).open).toBe(true);
    const noAccount = clone();
    const accounts = Object.entries(noAccount.Resources).filter(([, r]) => r.Type === 'AWS::ApiGateway::Account');
    expect(accounts.length).toBeGreaterThan(0);
    for (const [id] of accounts) delete noAccount.Resources[id];
    expect((await new PathEvaluator(noAccount).evaluate(row)).open).toBe(false);
    const serviceLogs = clone();
    const executionLogs = Object.entries(serviceLogs.Resources)
      .filter(([, r]) => r.Type === 'AWS::Logs::LogGroup' && JSON.stringify(r.Properties?.LogGroupName ?? '').includes('API-Gateway-Execution-Logs_'));
    expect(executionLogs.length).toBe(1);
    delete serviceLogs.Resources[executionLogs[0][0]];
    expect((await new PathEvaluator(serviceLogs).evaluate(row)).open).toBe(false); // the service would create it, unencrypted

    const mutated = clone();
    const [[id, logged]] = Object.entries(mutated.Resources).filter(([, r]) => r.Type === 'AWS::S3::Bucket' && r.Properties.LoggingConfiguration);
    const target = logged.Properties.LoggingConfiguration.DestinationBucketName.Ref;
    const delivery: PathSpec = {
      name: 'access logs',
      expect: 'OPEN',
      destination: { rule: 's3-access-log-destination', resource: target },
      requests: [serviceCall('logging.s3.amazonaws.com', 's3:PutObject', `${prod.ev.arn(target)}/${logged.Properties.LoggingConfiguration.LogFilePrefix}x`, prod.ev.arn(id),
        { 'aws:SecureTransport': 'true' })],
    };
    expect((await new PathEvaluator(mutated).evaluate(delivery)).open).toBe(true);
    mutated.Resources[target].Properties.ObjectLockEnabled = true;
    expect((await new PathEvaluator(mutated).evaluate(delivery)).blockedBy).toBe('destination');
  });

  test('encryption-context conditions are decided, not skipped: a context the key policy does not name is refused', async () => {
    const key = prod.ev.sim.resolve(trail.KMSKeyId) as string;
    const generate = (context: string): PathSpec => ({
      name: 'CloudTrail encrypts',
      expect: 'OPEN',
      requests: [serviceCall('cloudtrail.amazonaws.com', 'kms:GenerateDataKey', key, trailArn, { 'kms:EncryptionContext:aws:cloudtrail:arn': context })],
    });
    expect((await prod.ev.evaluate(generate(trailArn))).open).toBe(true);
    const other = await prod.ev.evaluate(generate(`arn:aws:cloudtrail:${REGION}:444455556666:trail/other`));
    expect({ open: other.open, blockedBy: other.blockedBy }).toEqual({ open: false, blockedBy: 'resource policy' });
    const logs = (arn: string): PathSpec => ({
      name: 'CloudWatch Logs encrypts',
      expect: 'OPEN',
      requests: [{ caller: { service: `logs.${REGION}.amazonaws.com` }, action: 'kms:GenerateDataKey', resource: key, context: { 'kms:EncryptionContext:aws:logs:arn': arn } }],
    });
    expect((await prod.ev.evaluate(logs(`arn:aws:logs:${REGION}:${ACCOUNT}:log-group:x`))).open).toBe(true);
    expect((await prod.ev.evaluate(logs(`arn:aws:logs:${REGION}:444455556666:log-group:x`))).open).toBe(false);
  });

  test('the reply check covers the whole ephemeral range: a reply range from 32768 refuses Lambda (1024-65535) where Linux (32768-60999) passes', async () => {
    const lambdaCall = { ...apiCall, network: { ...apiCall.network!, clientOs: 'lambda' as const } };
    expect((await prod.ev.evaluate(lambdaCall)).open).toBe(true);
    const mutated: CfnTemplate = JSON.parse(JSON.stringify(prod.template));
    aclEntry(mutated, NetworkTier.ENDPOINTS, true, 110).PortRange = { From: 32768, To: 65535 };
    const narrowed = new PathEvaluator(mutated);
    expect((await narrowed.evaluate(apiCall)).open).toBe(true);
    const lambda = await narrowed.evaluate(lambdaCall);
    expect({ open: lambda.open, blockedBy: lambda.blockedBy }).toEqual({ open: false, blockedBy: 'NACL reply egress' });
    expect(lambda.explanation.join('\n')).toContain('denies tcp port 1024 (of 1024-65535)');
  });
});
