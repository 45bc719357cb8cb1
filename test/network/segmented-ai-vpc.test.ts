import { Lazy, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { hostIn, NaclEvaluator } from './nacl-evaluator';
import { AiServiceEndpoint, NetworkStage, NetworkTier, SegmentedAiVpc, SegmentedAiVpcProps } from '../../lib';
import { overlaps, parseCidr } from '../../lib/network/cidr';
import { createTestApp } from '../support/app';
import { expectCompliant, findViolations } from '../support/compliance';
import { acknowledgementsIn, expectListedInReadme } from '../support/docs';
import { expectInvalidProp } from '../support/errors';
import { ACCOUNT, OTHER_ACCOUNT, PolicySimulator, REGION } from '../support/iam';
import { snapshotOf } from '../support/snapshot';

type Json = any;

function networkStack(props: Partial<SegmentedAiVpcProps> = {}, options: { checks?: boolean; env?: boolean } = {}) {
  const stack = new Stack(createTestApp(options), 'Network', options.env ? { env: { account: ACCOUNT, region: REGION } } : undefined);
  const network = new SegmentedAiVpc(stack, 'Net', { stage: NetworkStage.DEV, ...props });
  return { stack, network };
}

const resourcesOf = (template: Template, type: string): [string, Json][] => Object.entries(template.findResources(type));

/** The CIDR blocks of a tier's subnets, from the template. */
function subnetCidrs(stack: Stack, network: SegmentedAiVpc, tier: string): string[] {
  const template = Template.fromStack(stack).toJSON();
  return network.vpc.selectSubnets({ subnetGroupName: tier }).subnets
    .map((s) => template.Resources[stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet)].Properties.CidrBlock);
}

describe('SegmentedAiVpc defaults', () => {
  const { stack, network } = networkStack();
  const template = Template.fromStack(stack);
  const json = template.toJSON();

  test('the VPC takes the stage CIDR block, and the tiers their own aligned blocks', () => {
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.10.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true });
    expect(network.tierCidr(NetworkTier.TRAINING)).toBe('10.10.0.0/18');
    expect(network.tierCidr(NetworkTier.INFERENCE)).toBe('10.10.64.0/20');
    expect(network.tierCidr(NetworkTier.ENDPOINTS)).toBe('10.10.80.0/22');
    expect(subnetCidrs(stack, network, 'Training')).toEqual(['10.10.0.0/20', '10.10.16.0/20']);
    expect(subnetCidrs(stack, network, 'Inference')).toEqual(['10.10.64.0/22', '10.10.68.0/22']);
    expect(subnetCidrs(stack, network, 'Endpoints')).toEqual(['10.10.80.0/24', '10.10.81.0/24']);
  });

  test('every subnet is private: no internet gateway, no NAT, no route out of the VPC but S3', () => {
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    template.resourceCountIs('AWS::EC2::Route', 0);
    expect(network.vpc.publicSubnets).toEqual([]);
    expect(network.vpc.privateSubnets).toEqual([]);
    expect(network.vpc.isolatedSubnets).toHaveLength(6);
  });

  test('no subnet auto-assigns public IPs (EC2.15)', () => {
    for (const [, subnet] of resourcesOf(template, 'AWS::EC2::Subnet')) {
      expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    }
  });

  test('the default security group is closed by exactly one custom resource, the only Lambda', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
    template.hasResourceProperties('Custom::VpcRestrictDefaultSG', {
      DefaultSecurityGroupId: { 'Fn::GetAtt': [stack.getLogicalId(network.vpc.node.defaultChild as ec2.CfnVPC), 'DefaultSecurityGroup'] },
    });
    const functions = Object.values<Json>(json.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions).toHaveLength(1);
    expect(Object.values<Json>(json.Resources).filter((r) => r.Type.startsWith('Custom::')).map((r) => r.Type)).toEqual(['Custom::VpcRestrictDefaultSG']);
  });

  test('each tier has its own network ACL, associated with each of its subnets', () => {
    const evaluator = new NaclEvaluator(json);
    for (const tier of [NetworkTier.TRAINING, NetworkTier.INFERENCE, NetworkTier.ENDPOINTS]) {
      const aclId = stack.getLogicalId(network.networkAclOf(tier).node.defaultChild as ec2.CfnNetworkAcl);
      for (const subnet of network.vpc.selectSubnets(network.subnetsOf(tier)).subnets) {
        expect(evaluator.aclOfSubnet(stack.getLogicalId(subnet.node.defaultChild as ec2.CfnSubnet))).toBe(aclId);
      }
    }
    template.resourceCountIs('AWS::EC2::NetworkAcl', 3);
    template.resourceCountIs('AWS::EC2::SubnetNetworkAclAssociation', 6);
  });

  test('security groups have no allow-all egress and no ingress from a CIDR other than the tiers', () => {
    for (const [, group] of resourcesOf(template, 'AWS::EC2::SecurityGroup')) {
      for (const rule of group.Properties.SecurityGroupEgress ?? []) {
        expect({ rule, allowAll: rule.IpProtocol === '-1' && rule.CidrIp === '0.0.0.0/0' }).toEqual({ rule, allowAll: false });
      }
      for (const rule of group.Properties.SecurityGroupIngress ?? []) {
        expect([network.tierCidr(NetworkTier.TRAINING), network.tierCidr(NetworkTier.INFERENCE)]).toContain(rule.CidrIp);
        expect(rule).toEqual(expect.objectContaining({ IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }));
      }
    }
  });

  test('the training and inference groups allow HTTPS out; training also talks to itself', () => {
    const props = (sg: ec2.SecurityGroup) => json.Resources[stack.getLogicalId(sg.node.defaultChild as ec2.CfnSecurityGroup)].Properties;
    for (const sg of [network.trainingSecurityGroup, network.inferenceSecurityGroup]) {
      expect(props(sg).SecurityGroupEgress).toContainEqual(expect.objectContaining({ CidrIp: '0.0.0.0/0', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }));
    }
    const trainingId = stack.getLogicalId(network.trainingSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [trainingId, 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [trainingId, 'GroupId'] },
      IpProtocol: '-1',
    });
    expect(props(network.inferenceSecurityGroup).SecurityGroupIngress).toBeUndefined();
    template.resourcePropertiesCountIs('AWS::EC2::SecurityGroupIngress', Match.anyValue(), 1);
  });

  test('the endpoints group admits only 443 from the training and inference tiers, and sends nothing', () => {
    const props = json.Resources[stack.getLogicalId(network.endpointSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup)].Properties;
    expect(props.SecurityGroupIngress.map((r: Json) => [r.CidrIp, r.IpProtocol, r.FromPort, r.ToPort])).toEqual([
      ['10.10.0.0/18', 'tcp', 443, 443],
      ['10.10.64.0/20', 'tcp', 443, 443],
    ]);
    // CDK's placeholder for "no egress": ICMP type 252 code 86 to 255.255.255.255/32
    expect(props.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32', IpProtocol: 'icmp' })]);
  });

  test('the default interface endpoints: private DNS, endpoints tier, endpoints group, account-only policy', () => {
    expect(network.interfaceEndpointServices).toEqual(SegmentedAiVpc.DEFAULT_INTERFACE_ENDPOINTS);
    expect(network.interfaceEndpointServices).not.toContain(AiServiceEndpoint.EXECUTE_API);
    const endpoints = resourcesOf(template, 'AWS::EC2::VPCEndpoint').filter(([, r]) => r.Properties.VpcEndpointType === 'Interface');
    expect(endpoints).toHaveLength(8);
    const endpointSubnetIds = network.vpc.selectSubnets(network.endpointSubnets).subnets
      .map((s) => ({ Ref: stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet) }));
    for (const [, endpoint] of endpoints) {
      expect(endpoint.Properties).toEqual(expect.objectContaining({
        PrivateDnsEnabled: true,
        SubnetIds: endpointSubnetIds,
        SecurityGroupIds: [{ 'Fn::GetAtt': [stack.getLogicalId(network.endpointSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] }],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{
            Sid: 'OnlyPrincipalsOfThisAccountOrOrganization',
            Effect: 'Allow',
            Principal: '*',
            Action: '*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:PrincipalAccount': { Ref: 'AWS::AccountId' } } },
          }],
        },
      }));
    }
    const services = endpoints.map(([, r]) => JSON.stringify(r.Properties.ServiceName));
    for (const name of ['sagemaker.api', 'sagemaker.runtime', '.sts', 'ecr.api', 'ecr.dkr', '.logs', '.monitoring', '.kms']) {
      expect({ name, found: services.some((s) => s.includes(name)) }).toEqual({ name, found: true });
    }
  });

  test('the S3 gateway endpoint serves the training and inference route tables only', () => {
    const subnets = [network.trainingSubnets, network.inferenceSubnets].flatMap((selection) => network.vpc.selectSubnets(selection).subnets);
    const routeTables = subnets
      .map((s) => stack.resolve(s.routeTable.routeTableId));
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Gateway', RouteTableIds: routeTables });
  });

  test('flow logs of all traffic go to a KMS-encrypted log group kept a year, retained (VPC7, EC2.6)', () => {
    const logGroupId = stack.getLogicalId(network.flowLogGroup.node.defaultChild as logs.CfnLogGroup);
    const keyId = stack.getLogicalId(network.flowLogKey.node.defaultChild as kms.CfnKey);
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceId: { Ref: stack.getLogicalId(network.vpc.node.defaultChild as ec2.CfnVPC) },
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: logGroupId },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
  });

  test('the flow-log role is trusted by VPC Flow Logs of this account only, with a managed policy on the log group', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: { 'aws:SourceArn': Match.anyValue() },
          },
        })],
      },
    });
    template.resourceCountIs('AWS::IAM::Policy', 0);
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [{
          Sid: 'WriteFlowLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
          Resource: { 'Fn::GetAtt': [stack.getLogicalId(network.flowLogGroup.node.defaultChild as logs.CfnLogGroup), 'Arn'] },
        }],
      },
    });
  });

  test('every resource is tagged with the stage', () => {
    template.hasResourceProperties('AWS::EC2::VPC', { Tags: Match.arrayWith([{ Key: 'Stage', Value: 'dev' }]) });
    for (const [, subnet] of resourcesOf(template, 'AWS::EC2::Subnet')) {
      expect(subnet.Properties.Tags).toContainEqual({ Key: 'Stage', Value: 'dev' });
    }
  });

  test('accessors', () => {
    expect(network.stage).toBe(NetworkStage.DEV);
    expect(network.cidr).toBe('10.10.0.0/16');
    expect(network.internetEgress).toBe(false);
    expect(network.securityGroupOf(NetworkTier.TRAINING)).toBe(network.trainingSecurityGroup);
    expect(network.securityGroupOf(NetworkTier.INFERENCE)).toBe(network.inferenceSecurityGroup);
    expect(network.securityGroupOf(NetworkTier.ENDPOINTS)).toBe(network.endpointSecurityGroup);
    expect(network.vpc.selectSubnets(network.subnetsOf(NetworkTier.INFERENCE)).subnets).toHaveLength(2);
    expect(network.interfaceEndpoint(AiServiceEndpoint.SAGEMAKER_RUNTIME)).toBeInstanceOf(ec2.InterfaceVpcEndpoint);
    expect(network.interfaceEndpoint(AiServiceEndpoint.EXECUTE_API)).toBeUndefined();
    expect(network.s3Endpoint).toBeInstanceOf(ec2.GatewayVpcEndpoint);
    expect(network.flowLog).toBeInstanceOf(ec2.FlowLog);
  });

  test('matches the snapshot', () => {
    expect(snapshotOf(stack)).toMatchSnapshot();
  });

  test('has no unacknowledged finding in any check', () => {
    expectCompliant(stack);
  });
});

describe('SegmentedAiVpc network ACLs, decided by rule evaluation', () => {
  function evaluatorFor(props: Partial<SegmentedAiVpcProps> = {}) {
    const { stack, network } = networkStack(props, { checks: false });
    const hosts = (tier: string) => subnetCidrs(stack, network, tier).map((cidr) => hostIn(cidr, 10));
    return { evaluator: new NaclEvaluator(Template.fromStack(stack).toJSON()), hosts, stack, network };
  }
  const S3_IP = '52.216.10.20'; // an S3 address, reached through the gateway endpoint's prefix-list route
  const INTERNET_IP = '142.250.80.46';

  describe('isolated (default)', () => {
    const { evaluator, hosts } = evaluatorFor();
    const [training1, training2] = hosts('Training');
    const [inference1, inference2] = hosts('Inference');
    const [endpoint1, endpoint2] = hosts('Endpoints');

    test.each([
      ['tcp', 443], ['tcp', 22], ['tcp', 8080], ['tcp', 40_000], ['udp', 53], ['icmp', undefined],
    ] as const)('training cannot reach inference, nor inference training (%s %s)', (protocol, port) => {
      for (const [a, b] of [[training1, inference1], [training2, inference1], [inference2, training1], [inference1, training2]]) {
        expect(evaluator.decide({ protocol, source: a, destination: b, port }).action).toBe('deny');
      }
    });

    test('the deciding rule is the tier\'s explicit deny of the rest of the VPC, not a missing allow', () => {
      expect(evaluator.decide({ protocol: 'tcp', source: training1, destination: inference1, port: 443 }).decidedBy)
        .toEqual([expect.stringMatching(/TrainingAcl.* egress 120$/)]);
    });

    test('training and inference reach the interface endpoints on 443, replies included', () => {
      for (const client of [training1, training2, inference1, inference2]) {
        for (const endpoint of [endpoint1, endpoint2]) {
          expect(evaluator.tcpConnection(client, endpoint, 443)).toBe('allow');
          expect(evaluator.tcpConnection(client, endpoint, 80)).toBe('deny');
          expect(evaluator.tcpConnection(client, endpoint, 22)).toBe('deny');
        }
      }
    });

    test('the endpoints tier opens no connection of its own', () => {
      for (const target of [training1, inference1, S3_IP, INTERNET_IP]) {
        expect(evaluator.tcpConnection(endpoint1, target, 443)).toBe('deny');
        expect(evaluator.tcpConnection(endpoint1, target, 22)).toBe('deny');
      }
      expect(evaluator.tcpConnection(endpoint1, endpoint2, 443)).toBe('deny');
    });

    test('a tier talks to itself across zones (distributed training)', () => {
      expect(evaluator.tcpConnection(training1, training2, 29_500)).toBe('allow');
      expect(evaluator.decide({ protocol: 'udp', source: training2, destination: training1, port: 4791 }).action).toBe('allow');
    });

    test('HTTPS to S3 (the gateway endpoint) passes the ACLs; other ports do not', () => {
      expect(evaluator.tcpConnection(training1, S3_IP, 443)).toBe('allow');
      expect(evaluator.tcpConnection(inference1, S3_IP, 443)).toBe('allow');
      expect(evaluator.tcpConnection(training1, S3_IP, 80)).toBe('deny');
    });

    test('nothing outside reaches into a tier on a service port', () => {
      for (const target of [training1, inference1, endpoint1]) {
        expect(evaluator.decide({ protocol: 'tcp', source: INTERNET_IP, destination: target, port: 22 }).action).toBe('deny');
        expect(evaluator.decide({ protocol: 'tcp', source: INTERNET_IP, destination: target, port: 443 }).action).toBe('deny');
        expect(evaluator.decide({ protocol: 'tcp', source: INTERNET_IP, destination: target, port: 3389 }).action).toBe('deny');
      }
    });

    test('an address added later elsewhere in the VPC is denied too', () => {
      const unusedAddress = '10.10.200.10';
      expect(evaluator.tcpConnection(training1, unusedAddress, 443)).toBe('deny');
      expect(evaluator.tcpConnection(inference1, unusedAddress, 443)).toBe('deny');
    });
  });

  describe('with internet egress', () => {
    const { evaluator, hosts, stack, network } = evaluatorFor({ allowInternetEgress: true });
    const publicCidrs = subnetCidrs(stack, network, 'Public');
    const [training1] = hosts('Training');
    const [inference1] = hosts('Inference');
    const [endpoint1] = hosts('Endpoints');
    const [nat1, nat2] = hosts('Public');

    test('training still cannot reach inference', () => {
      for (const port of [443, 22, 8080]) {
        expect(evaluator.decide({ protocol: 'tcp', source: training1, destination: inference1, port }).action).toBe('deny');
        expect(evaluator.decide({ protocol: 'tcp', source: inference1, destination: training1, port }).action).toBe('deny');
      }
    });

    test('HTTPS to the internet passes every hop through the NAT subnet; other ports do not', () => {
      // instance -> internet: the training ACL's egress, and the reply through its ingress
      expect(evaluator.tcpConnection(training1, INTERNET_IP, 443)).toBe('allow');
      // the same packets cross the NAT subnet's ACL on their way (their addresses stay the same)
      const publicSubnet = Object.entries(evaluator.subnets()).find(([, cidr]) => cidr === publicCidrs[0])![0];
      const publicAcl = evaluator.aclOfSubnet(publicSubnet)!;
      for (const client of [training1, inference1]) {
        expect(evaluator.evaluate(publicAcl, 'ingress', { protocol: 'tcp', source: client, destination: INTERNET_IP, port: 443 }).action).toBe('allow');
        expect(evaluator.evaluate(publicAcl, 'egress', { protocol: 'tcp', source: INTERNET_IP, destination: client, port: 40_000 }).action).toBe('allow');
        expect(evaluator.evaluate(publicAcl, 'ingress', { protocol: 'tcp', source: client, destination: INTERNET_IP, port: 22 }).action).toBe('deny');
      }
      expect(evaluator.evaluate(publicAcl, 'ingress', { protocol: 'tcp', source: endpoint1, destination: INTERNET_IP, port: 443 }).action).toBe('deny');
      // NAT gateway -> internet, and the reply to the NAT's port
      expect(evaluator.tcpConnection(nat1, INTERNET_IP, 443, 5_000)).toBe('allow');
      expect(evaluator.tcpConnection(training1, INTERNET_IP, 80)).toBe('deny');
      expect(evaluator.tcpConnection(nat1, INTERNET_IP, 22, 5_000)).toBe('deny');
    });

    test('the public subnets admit no connection from the internet, and reach no tier', () => {
      for (const port of [22, 3389, 443]) {
        expect(evaluator.decide({ protocol: 'tcp', source: INTERNET_IP, destination: nat1, port }).action).toBe('deny');
      }
      for (const target of [training1, inference1, endpoint1, nat2]) {
        expect(evaluator.tcpConnection(nat1, target, 443, 5_000)).toBe('deny');
      }
    });

    test('the endpoints tier stays isolated', () => {
      expect(evaluator.tcpConnection(endpoint1, INTERNET_IP, 443)).toBe('deny');
    });
  });

  describe('evaluator canaries: the evaluator can say "allow", and the deny rules are what stop the traffic', () => {
    test('a broad allow added later stays behind the deny rule; without the deny rule it opens training to inference', () => {
      const { stack, network } = networkStack({}, { checks: false });
      const json = Template.fromStack(stack).toJSON();
      const [training] = subnetCidrs(stack, network, 'Training').map((c) => hostIn(c, 10));
      const [inference] = subnetCidrs(stack, network, 'Inference').map((c) => hostIn(c, 10));
      const inferenceAcl = stack.getLogicalId(network.networkAclOf(NetworkTier.INFERENCE).node.defaultChild as ec2.CfnNetworkAcl);
      // e.g. a user admits HTTPS from anywhere for a load balancer in the inference tier
      json.Resources.UserAddedRule = {
        Type: 'AWS::EC2::NetworkAclEntry',
        Properties: { NetworkAclId: { Ref: inferenceAcl }, RuleNumber: 200, RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', Protocol: 6, PortRange: { From: 443, To: 443 } },
      };
      const packet = { protocol: 'tcp', source: training, destination: inference, port: 443 } as const;
      expect(new NaclEvaluator(json).decide(packet).action).toBe('deny');
      expect(new NaclEvaluator(json).evaluate(inferenceAcl, 'ingress', packet)).toEqual({ action: 'deny', rule: 120 });
      for (const [id, r] of Object.entries<Json>(json.Resources)) {
        if (r.Type === 'AWS::EC2::NetworkAclEntry' && r.Properties.RuleAction === 'deny') delete json.Resources[id];
      }
      expect(new NaclEvaluator(json).decide(packet)).toEqual({ action: 'allow', decidedBy: [expect.stringMatching(/egress 130$/), expect.stringMatching(/ingress 200$/)] });
    });

    const entry = (n: number, action: string, egress: boolean, cidr: string, protocol: number, ports?: [number, number]) => ({
      Type: 'AWS::EC2::NetworkAclEntry',
      Properties: {
        NetworkAclId: { Ref: 'Acl' },
        RuleNumber: n,
        RuleAction: action,
        Egress: egress,
        CidrBlock: cidr,
        Protocol: protocol,
        PortRange: ports ? { From: ports[0], To: ports[1] } : undefined,
      },
    });
    const acl = (...entries: Json[]) => new NaclEvaluator({ Resources: Object.fromEntries(entries.map((e, i) => [`E${i}`, e])) });
    const out = (port: number, protocol: 'tcp' | 'udp' = 'tcp') => ({ protocol, source: '10.0.0.1', destination: '10.1.0.1', port });

    test('lowest rule number first, whatever the order in the template', () => {
      expect(acl(entry(200, 'allow', true, '0.0.0.0/0', -1), entry(100, 'deny', true, '10.1.0.0/16', 6, [443, 443])).evaluate('Acl', 'egress', out(443)))
        .toEqual({ action: 'deny', rule: 100 });
      expect(acl(entry(100, 'allow', true, '0.0.0.0/0', -1), entry(200, 'deny', true, '10.1.0.0/16', 6, [443, 443])).evaluate('Acl', 'egress', out(443)))
        .toEqual({ action: 'allow', rule: 100 });
    });

    test('protocol, port range, CIDR and direction must all match; no match is the * deny', () => {
      const evaluator = acl(entry(100, 'allow', true, '10.1.0.0/16', 6, [1000, 2000]));
      expect(evaluator.evaluate('Acl', 'egress', out(1000)).action).toBe('allow');
      expect(evaluator.evaluate('Acl', 'egress', out(2000)).action).toBe('allow');
      expect(evaluator.evaluate('Acl', 'egress', out(2001))).toEqual({ action: 'deny', rule: '*' });
      expect(evaluator.evaluate('Acl', 'egress', out(1500, 'udp')).action).toBe('deny');
      expect(evaluator.evaluate('Acl', 'egress', { ...out(1500), destination: '10.2.0.1' }).action).toBe('deny');
      expect(evaluator.evaluate('Acl', 'ingress', { ...out(1500), source: '10.1.0.1', destination: '10.0.0.1' }).action).toBe('deny');
    });
  });
});

describe('SegmentedAiVpc with internet egress', () => {
  const { stack, network } = networkStack({ allowInternetEgress: true });
  const template = Template.fromStack(stack);

  test('one NAT gateway per zone in dedicated public subnets that assign no public IPs', () => {
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    expect(network.vpc.publicSubnets).toHaveLength(2);
    expect(subnetCidrs(stack, network, 'Public')).toEqual(['10.10.84.0/28', '10.10.84.16/28']);
    for (const [, subnet] of resourcesOf(template, 'AWS::EC2::Subnet')) expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    const natSubnets = resourcesOf(template, 'AWS::EC2::NatGateway').map(([, r]) => r.Properties.SubnetId.Ref);
    expect(natSubnets).toEqual(network.vpc.publicSubnets.map((s) => stack.getLogicalId(s.node.defaultChild as ec2.CfnSubnet)));
  });

  test('training and inference route to NAT; the endpoints tier has no route out', () => {
    expect(network.vpc.privateSubnets).toHaveLength(4);
    expect(network.vpc.isolatedSubnets.map((s) => s.node.id)).toEqual(['EndpointsSubnet1', 'EndpointsSubnet2']);
    const routes = resourcesOf(template, 'AWS::EC2::Route').map(([, r]) => r.Properties);
    expect(routes.filter((r) => r.NatGatewayId)).toHaveLength(4);
    expect(routes.filter((r) => r.GatewayId)).toHaveLength(2);
    const endpointTables = network.vpc.isolatedSubnets.map((s) => stack.resolve(s.routeTable.routeTableId).Ref);
    expect(routes.filter((r) => endpointTables.includes(r.RouteTableId.Ref))).toEqual([]);
  });

  test('has no unacknowledged finding in any check (the IGW route is acknowledged on the NAT subnets only)', () => {
    expectCompliant(stack);
  });
});

describe('SegmentedAiVpc options stay compliant', () => {
  test.each<[string, Partial<SegmentedAiVpcProps>, { env?: boolean }]>([
    ['prod stage, three zones', { stage: NetworkStage.PROD, availabilityZoneCount: 3 }, { env: true }],
    ['one zone, every endpoint, organization, named buckets', {
      availabilityZoneCount: 1,
      interfaceEndpoints: Object.values(AiServiceEndpoint),
      principalOrganizationId: 'o-a1b2c3d4e5',
      allowedS3BucketNames: ['jumpstart-cache-prod-us-east-1', 'sagemaker-sample-files'],
    }, {}],
    ['custom CIDR and masks, no interface endpoints, ten-year flow logs, DESTROY', {
      stage: NetworkStage.TEST,
      cidr: '172.16.0.0/20',
      trainingSubnetMask: 24,
      inferenceSubnetMask: 26,
      endpointSubnetMask: 27,
      interfaceEndpoints: [],
      flowLogRetention: logs.RetentionDays.TEN_YEARS,
      removalPolicy: RemovalPolicy.DESTROY,
    }, {}],
  ])('%s', (_name, props, options) => {
    const { stack } = networkStack(props, options);
    expectCompliant(stack);
  });

  test('with the S3 prefix list, the groups send HTTPS only to the endpoints tier and S3', () => {
    const { stack, network } = networkStack({ s3PrefixListId: 'pl-63a5400a' });
    const json = Template.fromStack(stack).toJSON();
    for (const sg of [network.trainingSecurityGroup, network.inferenceSecurityGroup]) {
      const groupId = stack.getLogicalId(sg.node.defaultChild as ec2.CfnSecurityGroup);
      const standalone = Object.values<Json>(json.Resources)
        .filter((r) => r.Type === 'AWS::EC2::SecurityGroupEgress' && r.Properties.GroupId['Fn::GetAtt'][0] === groupId)
        .map((r) => r.Properties)
        .filter((r) => r.DestinationSecurityGroupId === undefined); // training's own-group rule is checked elsewhere
      const egress = [...json.Resources[groupId].Properties.SecurityGroupEgress, ...standalone];
      expect(egress).toEqual([
        expect.objectContaining({ CidrIp: '10.10.80.0/22', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
        expect.objectContaining({ DestinationPrefixListId: 'pl-63a5400a', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 }),
      ]);
    }
    expectCompliant(stack);
  });

  test('a flow-log key of your own is used as given', () => {
    const stack = new Stack(createTestApp(), 'Network');
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true, removalPolicy: RemovalPolicy.RETAIN });
    key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${REGION}.amazonaws.com`));
    const network = new SegmentedAiVpc(stack, 'Net', { stage: NetworkStage.DEV, flowLogEncryptionKey: key });
    expect(network.flowLogKey).toBe(key);
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 1);
    expect(findViolations(network, { onlyUnder: true })).toEqual([]);
  });

  test('the Lambda acknowledgement is narrow: another function outside a VPC is still reported', () => {
    const { stack } = networkStack();
    new lambda.Function(stack, 'Other', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
    const rules = findViolations(stack).filter((v) => v.constructPath.startsWith('Network/Other/')).map((v) => v.rule);
    expect(rules).toContain('lambda_inside_vpc_check');
    expect(findViolations(stack).filter((v) => v.constructPath.includes('VpcRestrictDefaultSG'))).toEqual([]);
  });

  test('a weakened setting is still reported: acknowledgements do not hide user changes', () => {
    const { stack, network } = networkStack();
    const subnet = network.vpc.isolatedSubnets[0].node.defaultChild as ec2.CfnSubnet;
    subnet.mapPublicIpOnLaunch = true; // a user turns on public IPs by escape hatch
    const acl = network.networkAclOf(NetworkTier.TRAINING);
    acl.addEntry('SshFromAnywhere', { // and opens SSH from anywhere
      ruleNumber: 50, cidr: ec2.AclCidr.anyIpv4(), traffic: ec2.AclTraffic.tcpPort(22), direction: ec2.TrafficDirection.INGRESS,
    });
    const rules = findViolations(stack).map((v) => `${v.rule} ${v.constructPath}`);
    expect(rules).toEqual(expect.arrayContaining([
      expect.stringMatching(/VPCSubnetAutoAssignPublicIpDisabled Network\/Net\/Vpc\/TrainingSubnet1\/Subnet/),
      expect.stringMatching(/nacl_no_unrestricted_ssh_rdp_check Network\/Net\/TrainingAcl\/SshFromAnywhere/),
      expect.stringMatching(/AwsSolutions-VPC3 Network\/Net\/TrainingAcl\/SshFromAnywhere/),
    ]));
  });

  test('a VPC without the construct\'s default-SG custom resource is reported (the check can fail)', () => {
    const stack = new Stack(createTestApp(), 'Bare');
    new ec2.Vpc(stack, 'Vpc', { restrictDefaultSecurityGroup: false, natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const rules = findViolations(stack).map((v) => v.rule);
    expect(rules).toEqual(expect.arrayContaining(['HIPAA.Security-VPCDefaultSecurityGroupClosed', 'AwsSolutions-VPC7']));
  });
});

describe('SegmentedAiVpc stages side by side', () => {
  const app = createTestApp({ checks: false });
  const networks = Object.values(NetworkStage).map((stage) => {
    const stack = new Stack(app, `Network-${stage}`);
    return { stack, network: new SegmentedAiVpc(stack, 'Net', { stage }) };
  });

  test('the three stage networks do not overlap', () => {
    const blocks = networks.map(({ network }) => parseCidr(network.cidr)!);
    expect(networks.map(({ network }) => network.cidr)).toEqual(['10.10.0.0/16', '10.20.0.0/16', '10.30.0.0/16']);
    for (let i = 0; i < blocks.length; i++) {
      for (let j = i + 1; j < blocks.length; j++) expect(overlaps(blocks[i], blocks[j])).toBe(false);
    }
  });

  test('and have no route between them: no peering, transit gateway or VPN, no route but S3', () => {
    for (const { stack } of networks) {
      const types = Object.values<Json>(Template.fromStack(stack).toJSON().Resources).map((r) => r.Type);
      for (const type of ['AWS::EC2::VPCPeeringConnection', 'AWS::EC2::TransitGatewayAttachment', 'AWS::EC2::VPNGateway', 'AWS::EC2::Route']) {
        expect(types).not.toContain(type);
      }
    }
  });

  test('a network that would overlap another stage fails', () => {
    const stack = new Stack(createTestApp({ checks: false }), 'Overlap');
    expect(() => new SegmentedAiVpc(stack, 'Net', { stage: NetworkStage.PROD, cidr: '10.20.128.0/17' }))
      .toThrow(/invalid `cidr` \(received "10\.20\.128\.0\/17"\).*overlaps 10\.20\.0\.0\/16/);
  });
});

describe('SegmentedAiVpc shared across stacks', () => {
  test('workload stacks use the network stack\'s subnets, groups and endpoints, and create none of their own', () => {
    const app = createTestApp();
    const networkStackOnly = new Stack(app, 'SharedNetwork');
    const network = new SegmentedAiVpc(networkStackOnly, 'Net', { stage: NetworkStage.PROD });
    // a workload that needs a private API adds its endpoint to the shared set (before synthesis)
    expect(network.addInterfaceEndpoint(AiServiceEndpoint.SAGEMAKER_API)).toBe(network.interfaceEndpoint(AiServiceEndpoint.SAGEMAKER_API));
    network.addInterfaceEndpoint(AiServiceEndpoint.EXECUTE_API);
    const workloads = ['TeamA', 'TeamB'].map((team) => {
      const stack = new Stack(app, team);
      new ec2.CfnNetworkInterface(stack, 'Eni', {
        subnetId: network.vpc.selectSubnets(network.trainingSubnets).subnetIds[0],
        groupSet: [network.trainingSecurityGroup.securityGroupId],
      });
      return stack;
    });
    for (const stack of workloads) {
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
      template.resourceCountIs('AWS::EC2::VPC', 0);
      const eni = Object.values<Json>(template.findResources('AWS::EC2::NetworkInterface'))[0].Properties;
      expect(Object.keys(eni.SubnetId)).toEqual([expect.stringMatching(/^Fn::(GetStackOutput|ImportValue)$/)]);
    }
    Template.fromStack(networkStackOnly).resourcePropertiesCountIs('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface' }, 9);
    expect(findViolations(network, { onlyUnder: true })).toEqual([]);
  });
});

describe('SegmentedAiVpc endpoint policies, decided by the IAM simulator', () => {
  const stack = new Stack(createTestApp({ checks: false }), 'Sim');
  const network = new SegmentedAiVpc(stack, 'Net', { stage: NetworkStage.DEV, allowedS3BucketNames: ['partner-datasets'] });
  const orgStack = new Stack(createTestApp({ checks: false }), 'OrgSim');
  const orgNetwork = new SegmentedAiVpc(orgStack, 'Net', { stage: NetworkStage.DEV, principalOrganizationId: 'o-a1b2c3d4e5' });
  const role = new iam.Role(stack, 'Workload', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:*', 'sagemaker:InvokeEndpoint', 'sts:AssumeRole'], resources: ['*'] }));
  const sim = new PolicySimulator(stack);
  const orgSim = new PolicySimulator(orgStack);
  const policyOf = (s: Stack, p: PolicySimulator, endpoint: ec2.IVpcEndpoint) =>
    p.resolve(Template.fromStack(s).toJSON().Resources[s.getLogicalId((endpoint as any).node.defaultChild)].Properties.PolicyDocument);
  const s3Policy = policyOf(stack, sim, network.s3Endpoint);
  const runtimePolicy = policyOf(stack, sim, network.interfaceEndpoint(AiServiceEndpoint.SAGEMAKER_RUNTIME)!);
  const stsPolicy = policyOf(stack, sim, network.interfaceEndpoint(AiServiceEndpoint.STS)!);
  const orgRuntimePolicy = policyOf(orgStack, orgSim, orgNetwork.interfaceEndpoint(AiServiceEndpoint.SAGEMAKER_RUNTIME)!);

  const admin = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
  const foreignRole = `arn:aws:iam::${OTHER_ACCOUNT}:role/Attacker`;
  const ownEndpoint = `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/fraud-model`;
  const foreignEndpoint = `arn:aws:sagemaker:${REGION}:${OTHER_ACCOUNT}:endpoint/attacker-model`;
  const foreignBucketPolicy = (bucket: string) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`] }],
  });
  const tls = { 'aws:SecureTransport': 'true' };
  /** An account Amazon ECR owns, which signs the layer download URLs (any account but ours). */
  const ECR_LAYER_ACCOUNT = '999999999999';

  describe('interface endpoints (SageMaker Runtime, STS)', () => {
    test.each<[string, iam.IRole | string, string, string, unknown[] | undefined, string]>([
      ['a role of this account invokes its model through the endpoint', role, 'sagemaker:InvokeEndpoint', ownEndpoint, undefined, 'Allowed'],
      ['a foreign principal invokes its own model through our endpoint', foreignRole, 'sagemaker:InvokeEndpoint', foreignEndpoint, [admin], 'ImplicitlyDenied'],
      ['a foreign principal assumes a role of its account through our STS endpoint', foreignRole, 'sts:AssumeRole', `arn:aws:iam::${OTHER_ACCOUNT}:role/Exfil`, [admin], 'ImplicitlyDenied'],
    ])('%s', async (_name, principal, action, resource, identityPolicies, expected) => {
      const policy = action.startsWith('sts:') ? stsPolicy : runtimePolicy;
      const resourcePolicy = action.startsWith('sts:') ? { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: foreignRole }, Action: 'sts:AssumeRole' }] } : undefined;
      const request = { principal, action, resource, identityPolicies, resourcePolicy, context: tls };
      expect(await sim.decide({ ...request, vpcEndpointPolicies: [policy] })).toBe(expected);
      // canary: without the endpoint policy the same request is allowed, so the policy is what denies
      expect(await sim.decide(request)).toBe('Allowed');
    });

    test.each([
      ['a principal of the organization', 'o-a1b2c3d4e5', 'Allowed'],
      ['a principal of another organization', 'o-ffffffffff', 'ImplicitlyDenied'],
    ])('organization policy — %s', async (_name, orgId, expected) => {
      expect(await orgSim.decide({
        principal: foreignRole,
        action: 'sagemaker:InvokeEndpoint',
        resource: foreignEndpoint,
        identityPolicies: [admin],
        context: { ...tls, 'aws:PrincipalOrgID': orgId },
        vpcEndpointPolicies: [orgRuntimePolicy],
      })).toBe(expected);
    });
  });

  describe('S3 gateway endpoint', () => {
    // An image pull downloads each layer with a presigned URL that Amazon ECR hands out
    // (GetDownloadUrlForLayer). The URL is signed by an account Amazon ECR owns, so the request
    // reaches the gateway endpoint with that account as aws:PrincipalAccount, not the caller's
    // (ECR user guide, "Amazon ECR interface VPC endpoints": minimum S3 gateway endpoint policy;
    // aws-samples/data-perimeter-policy-examples, s3_endpoint_policy.json, AllowRequestsToAWSOwnedResources).
    const ecrSigner = `arn:aws:iam::${ECR_LAYER_ACCOUNT}:role/ecr-layer-download`;
    const presigned = { ...tls, 's3:authType': 'REST-QUERY-STRING' };
    const layerBucket = `prod-${REGION}-starport-layer-bucket`;
    test.each<[string, string, string, string, string, unknown, string]>([
      ['an image layer downloaded with the presigned URL Amazon ECR signed', ecrSigner, 's3:GetObject', `arn:aws:s3:::${layerBucket}/sha256/abc`, ECR_LAYER_ACCOUNT, foreignBucketPolicy(layerBucket), 'Allowed'],
      ['a presigned upload to the layer bucket', ecrSigner, 's3:PutObject', `arn:aws:s3:::${layerBucket}/sha256/abc`, ECR_LAYER_ACCOUNT, foreignBucketPolicy(layerBucket), 'ImplicitlyDenied'],
      ['an attacker\'s presigned download from its own bucket', foreignRole, 's3:GetObject', 'arn:aws:s3:::attacker-drop/payload', OTHER_ACCOUNT, foreignBucketPolicy('attacker-drop'), 'ImplicitlyDenied'],
      ['an attacker\'s presigned upload to its own bucket', foreignRole, 's3:PutObject', 'arn:aws:s3:::attacker-drop/exfil.csv', OTHER_ACCOUNT, foreignBucketPolicy('attacker-drop'), 'ImplicitlyDenied'],
      ['an attacker\'s presigned upload to a bucket named like the layer bucket', foreignRole, 's3:PutObject', `arn:aws:s3:::${layerBucket}-exfil/x`, OTHER_ACCOUNT, foreignBucketPolicy(`${layerBucket}-exfil`), 'ImplicitlyDenied'],
      ['an attacker\'s presigned download from a bucket named like the layer bucket', foreignRole, 's3:GetObject', `arn:aws:s3:::${layerBucket}-exfil/x`, OTHER_ACCOUNT, foreignBucketPolicy(`${layerBucket}-exfil`), 'ImplicitlyDenied'],
      ['the layer bucket of another Region', ecrSigner, 's3:GetObject', 'arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/sha256/abc', ECR_LAYER_ACCOUNT, foreignBucketPolicy('prod-eu-west-1-starport-layer-bucket'), 'ImplicitlyDenied'],
    ])('image layers: %s', async (_name, principal, action, resource, resourceAccount, resourcePolicy, expected) => {
      const request = { principal, action, resource, resourceAccount, resourcePolicy, identityPolicies: [admin], context: presigned };
      expect(await sim.decide({ ...request, vpcEndpointPolicies: [s3Policy] })).toBe(expected);
      expect(await sim.decide(request)).toBe('Allowed'); // canary: without the endpoint policy every one is allowed
    });

    test.each<[string, iam.IRole | string, string, string, string, unknown, string]>([
      ['a role of this account writes its own bucket', role, 's3:PutObject', 'arn:aws:s3:::own-training-data/x.csv', ACCOUNT, undefined, 'Allowed'],
      ['a role of this account reads its own bucket', role, 's3:GetObject', 'arn:aws:s3:::own-training-data/x.csv', ACCOUNT, undefined, 'Allowed'],
      ['a role of this account copies data to a foreign bucket', role, 's3:PutObject', 'arn:aws:s3:::attacker-drop/x.csv', OTHER_ACCOUNT, foreignBucketPolicy('attacker-drop'), 'ImplicitlyDenied'],
      ['a role of this account lists a foreign bucket', role, 's3:ListBucket', 'arn:aws:s3:::attacker-drop', OTHER_ACCOUNT, foreignBucketPolicy('attacker-drop'), 'ImplicitlyDenied'],
      ['a role of this account reads a named partner bucket', role, 's3:GetObject', 'arn:aws:s3:::partner-datasets/d.parquet', OTHER_ACCOUNT, foreignBucketPolicy('partner-datasets'), 'Allowed'],
      ['a role of this account writes to the ECR layer bucket', role, 's3:PutObject', `arn:aws:s3:::prod-${REGION}-starport-layer-bucket/x`, ECR_LAYER_ACCOUNT, foreignBucketPolicy(`prod-${REGION}-starport-layer-bucket`), 'ImplicitlyDenied'],
      ['a foreign principal writes its own bucket through our endpoint', foreignRole, 's3:PutObject', 'arn:aws:s3:::attacker-drop/x.csv', OTHER_ACCOUNT, foreignBucketPolicy('attacker-drop'), 'ImplicitlyDenied'],
      ['a foreign principal reads our bucket through our endpoint', foreignRole, 's3:GetObject', 'arn:aws:s3:::own-training-data/x.csv', ACCOUNT, foreignBucketPolicy('own-training-data'), 'ImplicitlyDenied'],
    ])('%s', async (_name, principal, action, resource, resourceAccount, resourcePolicy, expected) => {
      const identityPolicies = typeof principal === 'string' ? [admin] : undefined;
      const request = { principal, action, resource, resourceAccount, resourcePolicy, identityPolicies, context: tls };
      expect(await sim.decide({ ...request, vpcEndpointPolicies: [s3Policy] })).toBe(expected);
      if (expected !== 'Allowed') expect(await sim.decide(request)).toBe('Allowed'); // canary: the endpoint policy denies
    });
  });
});

describe('SegmentedAiVpc rejects bad input, naming the prop', () => {
  test.each<[string, Partial<SegmentedAiVpcProps>, RegExp]>([
    ['stage', { stage: 'qa' as NetworkStage }, /`stage` \(received "qa"\)/],
    ['cidr', { cidr: '10.0.0/16' }, /`cidr` \(received "10\.0\.0\/16"\).*IPv4 network block/],
    ['cidr', { cidr: '10.40.0.1/16' }, /`cidr` \(received "10\.40\.0\.1\/16"\).*no host bits/],
    ['cidr', { cidr: '10.0.0.0/8' }, /`cidr`.*between \/16 and \/24/],
    ['cidr', { cidr: Lazy.string({ produce: () => '10.40.0.0/16' }) }, /`cidr`.*Give a literal block/],
    ['cidr', { cidr: '10.40.0.0/25' }, /`cidr`.*between \/16 and \/24/],
    ['cidr', { cidr: '10.30.0.0/16' }, /`cidr` \(received "10\.30\.0\.0\/16"\).*overlaps 10\.30\.0\.0\/16/],
    ['avoidCidrs', { avoidCidrs: ['10.10.128.0/24'] }, /`avoidCidrs` \(received \["10\.10\.128\.0\/24"\]\).*overlaps/],
    ['avoidCidrs', { avoidCidrs: ['192.168.0.0'] }, /`avoidCidrs`.*"192\.168\.0\.0" is not an IPv4 network block/],
    ['availabilityZoneCount', { availabilityZoneCount: 0 }, /`availabilityZoneCount` \(received 0\)/],
    ['availabilityZoneCount', { availabilityZoneCount: 5 }, /`availabilityZoneCount` \(received 5\).*1 to 4/],
    ['availabilityZoneCount', { availabilityZoneCount: 1.5 }, /`availabilityZoneCount` \(received 1\.5\)/],
    ['availabilityZoneCount', { availabilityZoneCount: 3 }, /`availabilityZoneCount` \(received 3\).*offers only 2.*set `env`/],
    ['trainingSubnetMask', { trainingSubnetMask: 29 }, /`trainingSubnetMask` \(received 29\).*\/16 to \/28/],
    ['inferenceSubnetMask', { inferenceSubnetMask: 15 }, /`inferenceSubnetMask` \(received 15\)/],
    ['trainingSubnetMask', { cidr: '10.40.0.0/20', trainingSubnetMask: 20 }, /`trainingSubnetMask` \(received 20\).*do not fit in 10\.40\.0\.0\/20/],
    ['endpointSubnetMask', { cidr: '10.40.0.0/20', trainingSubnetMask: 24, inferenceSubnetMask: 24, endpointSubnetMask: 22 }, /`endpointSubnetMask` \(received 22\).*do not fit/],
    ['interfaceEndpoints', { interfaceEndpoints: ['ec2' as AiServiceEndpoint] }, /`interfaceEndpoints`.*"ec2" is not a supported service/],
    ['interfaceEndpoints', { interfaceEndpoints: [AiServiceEndpoint.STS, AiServiceEndpoint.STS] }, /`interfaceEndpoints`.*once/],
    ['s3PrefixListId', { s3PrefixListId: 'vpce-12345678' }, /`s3PrefixListId` \(received "vpce-12345678"\).*S3 prefix list/],
    ['s3PrefixListId', { s3PrefixListId: 'pl-63a5400a', allowInternetEgress: true }, /`s3PrefixListId`.*set one or the other/],
    ['principalOrganizationId', { principalOrganizationId: 'org-1' }, /`principalOrganizationId` \(received "org-1"\)/],
    ['allowedS3BucketNames', { allowedS3BucketNames: [] }, /`allowedS3BucketNames` \(received \[\]\)/],
    ['allowedS3BucketNames', { allowedS3BucketNames: ['arn:aws:s3:::data'] }, /`allowedS3BucketNames`.*not an S3 bucket name/],
    ['flowLogRetention', { flowLogRetention: logs.RetentionDays.SIX_MONTHS }, /`flowLogRetention` \(received 180\).*at least a year/],
  ])('%s', (_prop, props, message) => {
    const stack = new Stack(createTestApp({ checks: false }), 'Bad');
    expectInvalidProp(() => new SegmentedAiVpc(stack, 'Net', { stage: NetworkStage.DEV, ...props }), 'Bad/Net', message);
  });

  test('addInterfaceEndpoint with an unknown service names `service`', () => {
    const { network } = networkStack({}, { checks: false });
    expect(() => network.addInterfaceEndpoint('ec2' as AiServiceEndpoint)).toThrow(/`service` \(received "ec2"\)/);
  });
});

describe('documentation', () => {
  test('every acknowledgement the construct makes is listed in the README with its reason', () => {
    const { stack } = networkStack({ allowInternetEgress: true }, { checks: false });
    const acknowledged = acknowledgementsIn(stack);
    expect([...acknowledged.keys()].sort()).toEqual([
      'AwsSolutions-VPC3',
      'HIPAA.Security-EC2RestrictedCommonPorts',
      'HIPAA.Security-VPCNoUnrestrictedRouteToIGW',
      'NIST.800.53.R5-EC2RestrictedCommonPorts',
      'NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW',
      'PCI.DSS.321-EC2RestrictedCommonPorts',
      'PCI.DSS.321-VPCNoUnrestrictedRouteToIGW',
      'lambda_inside_vpc_check',
    ]);
    expectListedInReadme(acknowledged);
  });
});
