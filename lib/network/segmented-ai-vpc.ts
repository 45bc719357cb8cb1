import { RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { formatCidr, Ipv4Block, overlaps, parseCidr } from './cidr';
import { createFlowLog } from './flow-log';
import { createTierAcl, PUBLIC_TIER, tierAclRules } from './network-acls';
import { createTierSecurityGroups } from './security-groups';
import { AiServiceEndpoint, NetworkStage, NetworkTier, SegmentedAiVpcProps } from './segmented-ai-vpc-props';
import { AZ_SLOTS, planTiers, TierPlan, TierRequest } from './tier-plan';
import {
  createInterfaceEndpoint, createS3GatewayEndpoint, ENDPOINT_SERVICES, endpointPolicySizeErrors, PrincipalCondition, principalCondition,
} from './vpc-endpoints';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { invalidProp, isUnresolved } from '../private/errors';
import { createLogGroup } from '../private/logs';
import { checkRetention, requireLiteralNumber } from '../private/numbers';

const DEFAULT_ENDPOINTS: AiServiceEndpoint[] = [
  AiServiceEndpoint.SAGEMAKER_API,
  AiServiceEndpoint.SAGEMAKER_RUNTIME,
  AiServiceEndpoint.STS,
  AiServiceEndpoint.ECR_API,
  AiServiceEndpoint.ECR_DOCKER,
  AiServiceEndpoint.CLOUDWATCH_LOGS,
  AiServiceEndpoint.CLOUDWATCH_MONITORING,
  AiServiceEndpoint.KMS,
];

const STAGE_CIDRS: Record<NetworkStage, string> = {
  [NetworkStage.DEV]: '10.10.0.0/16',
  [NetworkStage.TEST]: '10.20.0.0/16',
  [NetworkStage.PROD]: '10.30.0.0/16',
};


/**
 * A VPC for AI/ML workloads split into isolated tiers — training, inference and endpoints —
 * that cannot reach each other.
 *
 * - every subnet is private and isolated: no internet gateway, no NAT, unless
 *   `allowInternetEgress` (then NAT gateways in dedicated public subnets);
 * - a network ACL per tier: training and inference reach only their own tier, the endpoints
 *   tier on 443 and, on 443 outside the VPC, the S3 gateway endpoint; the endpoints tier admits
 *   only 443 from those two tiers;
 * - a security group per tier with no allow-all egress; the endpoints' group admits 443 only
 *   from the training and inference tiers;
 * - interface endpoints with private DNS and endpoint policies that admit only principals of
 *   this account (or organization); an S3 gateway endpoint whose policy admits only buckets of
 *   this account and the buckets you name;
 * - flow logs of all traffic to a KMS-encrypted log group kept a year, retained;
 * - the default security group stripped of its rules; no subnet auto-assigns public IPs;
 * - a stage (dev, test, prod) with its own CIDR block.
 *
 * Closing the default security group needs one Lambda-backed custom resource (the one
 * `ec2.Vpc` deploys with `restrictDefaultSecurityGroup`): CloudFormation has no property that
 * removes the rules of a VPC's default security group. It is the only custom resource.
 *
 * Deploy one SegmentedAiVpc per stage in a network stack and pass it (or its `vpc`, subnet
 * selections and security groups) to your workload stacks: they then share one set of
 * interface endpoints.
 *
 * @example
 * const network = new SegmentedAiVpc(this, 'Network', { stage: NetworkStage.PROD });
 * // a SageMaker training job:
 * //   VpcConfig: { Subnets: network.vpc.selectSubnets(network.trainingSubnets).subnetIds,
 * //                SecurityGroupIds: [network.trainingSecurityGroup.securityGroupId] }
 */
export class SegmentedAiVpc extends Construct {
  /**
   * The interface endpoints created when `interfaceEndpoints` is not set: SageMaker API and
   * Runtime, STS, ECR API and Docker, CloudWatch Logs and monitoring, KMS.
   */
  public static readonly DEFAULT_INTERFACE_ENDPOINTS: AiServiceEndpoint[] = [...DEFAULT_ENDPOINTS];

  /**
   * The CIDR block of a stage's network. The three stages' blocks do not overlap.
   *
   * @param stage the stage
   */
  public static stageCidr(stage: NetworkStage): string {
    return STAGE_CIDRS[stage];
  }

  /** The VPC. */
  public readonly vpc: ec2.Vpc;
  /** The stage this network serves. */
  public readonly stage: NetworkStage;
  /** The VPC's CIDR block. */
  public readonly cidr: string;
  /** The training tier's subnets. */
  public readonly trainingSubnets: ec2.SubnetSelection;
  /** The inference tier's subnets. */
  public readonly inferenceSubnets: ec2.SubnetSelection;
  /** The endpoints tier's subnets, where the interface endpoints live. */
  public readonly endpointSubnets: ec2.SubnetSelection;
  /** Security group for training jobs: HTTPS out, and all traffic within the group (distributed training). */
  public readonly trainingSecurityGroup: ec2.SecurityGroup;
  /** Security group for model endpoints and their callers: HTTPS out only. */
  public readonly inferenceSecurityGroup: ec2.SecurityGroup;
  /** Security group of the interface endpoints: 443 in from the training and inference tiers, nothing out. */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** The S3 gateway endpoint. */
  public readonly s3Endpoint: ec2.GatewayVpcEndpoint;
  /** The VPC flow log (all traffic). */
  public readonly flowLog: ec2.FlowLog;
  /** The log group that receives the flow logs. */
  public readonly flowLogGroup: logs.LogGroup;
  /** The KMS key that encrypts the flow-log group. */
  public readonly flowLogKey: kms.IKey;
  /** Whether the training and inference tiers can reach the internet through NAT. */
  public readonly internetEgress: boolean;

  private readonly tierBlocks: Map<string, Ipv4Block>;
  private readonly endpoints = new Map<AiServiceEndpoint, ec2.InterfaceVpcEndpoint>();
  private readonly acls = new Map<NetworkTier, ec2.NetworkAcl>();
  private readonly endpointCondition: PrincipalCondition;

  constructor(scope: Construct, id: string, props: SegmentedAiVpcProps) {
    super(scope, id);
    if (!Object.values(NetworkStage).includes(props.stage)) {
      invalidProp(this, 'stage', props.stage, `Use one of ${Object.values(NetworkStage).join(', ')} (NetworkStage).`);
    }
    this.stage = props.stage;
    this.internetEgress = props.allowInternetEgress ?? false;
    this.cidr = props.cidr ?? SegmentedAiVpc.stageCidr(props.stage);
    const vpcBlock = this.validateCidr(props);
    for (const [prop, value] of Object.entries({
      availabilityZoneCount: props.availabilityZoneCount,
      trainingSubnetMask: props.trainingSubnetMask,
      inferenceSubnetMask: props.inferenceSubnetMask,
      endpointSubnetMask: props.endpointSubnetMask,
    })) {
      requireLiteralNumber(this, prop, value, 'the subnets and the tier CIDR blocks of the network rules are computed from it at construction.');
    }
    checkRetention(this, 'flowLogRetention', props.flowLogRetention, { allowInfinite: true }); // keep flow logs at least a year
    const azCount = this.validateAzCount(props.availabilityZoneCount ?? 2);
    this.tierBlocks = this.planTiers(vpcBlock, props);
    const services = this.validateEndpoints(props.interfaceEndpoints ?? DEFAULT_ENDPOINTS);
    this.validateBucketNames(props.allowedS3BucketNames);
    this.validatePrefixList(props.s3PrefixListId);
    this.endpointCondition = principalCondition(this, props.principalOrganizationId);
    const retention = props.flowLogRetention ?? logs.RetentionDays.ONE_YEAR;

    const isolated = (tier: string, mask: number) => ({ name: tier, cidrMask: mask, subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
    const workload = this.internetEgress ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED;
    const subnetConfiguration: ec2.SubnetConfiguration[] = [
      { name: NetworkTier.TRAINING, cidrMask: this.block(NetworkTier.TRAINING).prefix + 2, subnetType: workload },
      { name: NetworkTier.INFERENCE, cidrMask: this.block(NetworkTier.INFERENCE).prefix + 2, subnetType: workload },
      isolated(NetworkTier.ENDPOINTS, this.block(NetworkTier.ENDPOINTS).prefix + 2),
    ];
    if (this.internetEgress) {
      subnetConfiguration.push({
        name: PUBLIC_TIER,
        cidrMask: this.block(PUBLIC_TIER).prefix + 2,
        subnetType: ec2.SubnetType.PUBLIC,
        mapPublicIpOnLaunch: false,
      });
    }
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: new TierPlan(this.cidr, this.tierBlocks),
      maxAzs: azCount,
      subnetConfiguration,
      natGateways: this.internetEgress ? azCount : 0,
      natGatewaySubnets: this.internetEgress ? { subnetGroupName: PUBLIC_TIER } : undefined,
      createInternetGateway: this.internetEgress,
      // CloudFormation cannot remove the default security group's rules; ec2.Vpc does it with
      // one Lambda-backed custom resource (VPCDefaultSecurityGroupClosed, Security Hub EC2.2).
      restrictDefaultSecurityGroup: true,
    });
    Tags.of(this).add('Stage', this.stage);
    this.acknowledgeDesignFindings();

    this.trainingSubnets = { subnetGroupName: NetworkTier.TRAINING };
    this.inferenceSubnets = { subnetGroupName: NetworkTier.INFERENCE };
    this.endpointSubnets = { subnetGroupName: NetworkTier.ENDPOINTS };

    this.createNetworkAcls();
    [this.trainingSecurityGroup, this.inferenceSecurityGroup, this.endpointSecurityGroup] = createTierSecurityGroups(this, {
      vpc: this.vpc,
      trainingCidr: this.cidrOf(NetworkTier.TRAINING),
      inferenceCidr: this.cidrOf(NetworkTier.INFERENCE),
      endpointsCidr: this.cidrOf(NetworkTier.ENDPOINTS),
      internetEgress: this.internetEgress,
      s3PrefixListId: props.s3PrefixListId,
    });
    this.s3Endpoint = createS3GatewayEndpoint(this.vpc, [this.trainingSubnets, this.inferenceSubnets], this.endpointCondition,
      props.allowedS3BucketNames ?? []);
    for (const service of services) this.addInterfaceEndpoint(service);

    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const { logGroup, key } = createLogGroup(this, 'FlowLogs', {
      encryptionKey: props.flowLogEncryptionKey,
      retention,
      removalPolicy,
      purpose: 'VPC flow',
    });
    this.flowLogGroup = logGroup;
    this.flowLogKey = key;
    this.flowLog = createFlowLog(this, this.vpc, logGroup);
    // C-VPCE-1: endpoint policies of at most 20,480 characters (AWS PrivateLink guide).
    this.node.addValidation({
      validate: () => endpointPolicySizeErrors(this, [['s3Endpoint', this.s3Endpoint], ...this.endpoints.entries()]),
    });
  }

  /**
   * Adds an interface VPC endpoint to the endpoints tier (private DNS, the endpoints' security
   * group, the account-only endpoint policy). Returns the existing one when already created.
   *
   * @param service the AWS service
   */
  public addInterfaceEndpoint(service: AiServiceEndpoint): ec2.InterfaceVpcEndpoint {
    const existing = this.endpoints.get(service);
    if (existing) return existing;
    const known = ENDPOINT_SERVICES[service];
    if (!known) invalidProp(this, 'service', service, `Use one of ${Object.values(AiServiceEndpoint).join(', ')} (AiServiceEndpoint).`);
    const endpoint = createInterfaceEndpoint(this, known, {
      vpc: this.vpc,
      subnets: this.endpointSubnets,
      securityGroup: this.endpointSecurityGroup,
      condition: this.endpointCondition,
    });
    this.endpoints.set(service, endpoint);
    return endpoint;
  }

  /**
   * The interface endpoint of a service, or undefined when it was not created.
   *
   * @param service the AWS service
   */
  public interfaceEndpoint(service: AiServiceEndpoint): ec2.InterfaceVpcEndpoint | undefined {
    return this.endpoints.get(service);
  }

  /** The services that have an interface endpoint in this VPC. */
  public get interfaceEndpointServices(): AiServiceEndpoint[] {
    return [...this.endpoints.keys()];
  }

  /**
   * The CIDR block reserved for a tier: one subnet slot for each of up to four zones.
   *
   * @param tier the tier
   */
  public tierCidr(tier: NetworkTier): string {
    return formatCidr(this.block(tier));
  }

  /**
   * The subnets of a tier.
   *
   * @param tier the tier
   */
  public subnetsOf(tier: NetworkTier): ec2.SubnetSelection {
    return { subnetGroupName: tier };
  }

  /**
   * The security group of a tier.
   *
   * @param tier the tier
   */
  public securityGroupOf(tier: NetworkTier): ec2.SecurityGroup {
    switch (tier) {
      case NetworkTier.TRAINING: return this.trainingSecurityGroup;
      case NetworkTier.INFERENCE: return this.inferenceSecurityGroup;
      default: return this.endpointSecurityGroup;
    }
  }

  /**
   * The network ACL of a tier.
   *
   * @param tier the tier
   */
  public networkAclOf(tier: NetworkTier): ec2.NetworkAcl {
    return this.acls.get(tier)!;
  }

  private block(tier: string): Ipv4Block {
    return this.tierBlocks.get(tier)!;
  }

  private cidrOf(tier: string): string {
    return formatCidr(this.block(tier));
  }

  /** A network ACL per tier (network-acls.ts): each tier admits exactly its own paths and denies the rest of the VPC. */
  private createNetworkAcls(): void {
    const rules = tierAclRules({
      vpc: this.cidr,
      training: this.cidrOf(NetworkTier.TRAINING),
      inference: this.cidrOf(NetworkTier.INFERENCE),
      endpoints: this.cidrOf(NetworkTier.ENDPOINTS),
    }, this.internetEgress);
    this.acls.set(NetworkTier.TRAINING, createTierAcl(this, this.vpc, NetworkTier.TRAINING, rules.training));
    this.acls.set(NetworkTier.INFERENCE, createTierAcl(this, this.vpc, NetworkTier.INFERENCE, rules.inference));
    this.acls.set(NetworkTier.ENDPOINTS, createTierAcl(this, this.vpc, NetworkTier.ENDPOINTS, rules.endpoints));
    if (rules.public) createTierAcl(this, this.vpc, PUBLIC_TIER, rules.public);
  }

  private acknowledgeDesignFindings(): void {
    const provider = Stack.of(this).node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    const handler = provider?.node.tryFindChild('Handler');
    if (handler) {
      acknowledge(handler, [{ id: 'lambda_inside_vpc_check', source: FindingSource.CFN_GUARD }],
        'This is the Lambda function of the custom resource that removes the rules of the VPC default security group (CloudFormation has no property for it). It calls only the EC2 API, runs only during deployments, and is the CDK singleton provider, which takes no VPC configuration.');
    }
    if (!this.internetEgress) return;
    for (const subnet of this.vpc.publicSubnets) {
      const route = subnet.node.tryFindChild('DefaultRoute');
      if (!route) continue;
      acknowledge(route, ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}-VPCNoUnrestrictedRouteToIGW`, source: FindingSource.CDK_NAG })),
        'allowInternetEgress was set: this is the default route of a public subnet that holds only a NAT gateway, which needs it to reach the internet. No subnet auto-assigns public IPs, and the tier network ACLs admit only HTTPS out through it.');
    }
  }

  private validateCidr(props: SegmentedAiVpcProps): Ipv4Block {
    if (isUnresolved(this.cidr)) {
      invalidProp(this, 'cidr', this.cidr, 'Give a literal block such as "10.40.0.0/16": the tier plan and the ACL rules are computed at synthesis.');
    }
    const block = parseCidr(this.cidr);
    if (!block) {
      invalidProp(this, 'cidr', this.cidr, 'Give an IPv4 network block such as "10.40.0.0/16" (no host bits set).');
    }
    if (block.prefix < 16 || block.prefix > 24) {
      invalidProp(this, 'cidr', this.cidr, 'A VPC block must be between /16 and /24 (the tiers need room for their subnets).');
    }
    const avoid = props.avoidCidrs ?? Object.entries(STAGE_CIDRS).filter(([stage]) => stage !== this.stage).map(([, cidr]) => cidr);
    for (const other of avoid) {
      if (isUnresolved(other)) continue;
      const otherBlock = parseCidr(other);
      if (!otherBlock) invalidProp(this, 'avoidCidrs', props.avoidCidrs, `"${other}" is not an IPv4 network block such as "10.20.0.0/16".`);
      if (overlaps(block, otherBlock)) {
        const prop = props.avoidCidrs ? 'avoidCidrs' : 'cidr';
        invalidProp(this, prop, prop === 'cidr' ? this.cidr : props.avoidCidrs,
          `${this.cidr} overlaps ${other}; stage networks and the networks in \`avoidCidrs\` must not overlap. Choose another block for \`cidr\`.`);
      }
    }
    return block;
  }

  private validateAzCount(count: number): number {
    if (!Number.isInteger(count) || count < 1 || count > AZ_SLOTS) {
      invalidProp(this, 'availabilityZoneCount', count, `Give a whole number from 1 to ${AZ_SLOTS}.`);
    }
    const offered = Stack.of(this).availabilityZones.length;
    if (offered < count) {
      invalidProp(this, 'availabilityZoneCount', count,
        `The stack offers only ${offered} Availability Zones (an environment-agnostic stack offers 2): set \`env\` (account and Region) on the stack, or ask for fewer zones.`);
    }
    return count;
  }

  /** The tiers' blocks (tier-plan.ts), in a fixed order: training, inference, endpoints, then the NAT subnets. */
  private planTiers(vpc: Ipv4Block, props: SegmentedAiVpcProps): Map<string, Ipv4Block> {
    const tiers: TierRequest[] = [
      [NetworkTier.TRAINING, 'trainingSubnetMask', props.trainingSubnetMask ?? 20],
      [NetworkTier.INFERENCE, 'inferenceSubnetMask', props.inferenceSubnetMask ?? 22],
      [NetworkTier.ENDPOINTS, 'endpointSubnetMask', props.endpointSubnetMask ?? 24],
    ];
    if (this.internetEgress) tiers.push([PUBLIC_TIER, 'allowInternetEgress', 28]);
    return planTiers(this, this.cidr, vpc, tiers);
  }

  private validateEndpoints(services: AiServiceEndpoint[]): AiServiceEndpoint[] {
    const known = Object.values(AiServiceEndpoint) as string[];
    for (const service of services) {
      if (!known.includes(service)) {
        invalidProp(this, 'interfaceEndpoints', services, `"${service}" is not a supported service; use AiServiceEndpoint values (${known.join(', ')}).`);
      }
    }
    if (new Set(services).size !== services.length) {
      invalidProp(this, 'interfaceEndpoints', services, 'List each service once.');
    }
    return services;
  }

  private validatePrefixList(id: string | undefined): void {
    if (id === undefined || isUnresolved(id)) return;
    if (!/^pl-[0-9a-f]{8,17}$/.test(id)) {
      invalidProp(this, 's3PrefixListId', id, 'Give the ID of the Region\'s S3 prefix list, such as "pl-63a5400a".');
    }
    if (this.internetEgress) {
      invalidProp(this, 's3PrefixListId', id, 'With `allowInternetEgress` the groups need HTTPS to anywhere, so the prefix list would narrow nothing: set one or the other.');
    }
  }

  private validateBucketNames(names: string[] | undefined): void {
    if (names === undefined) return;
    if (names.length === 0) invalidProp(this, 'allowedS3BucketNames', names, 'Name at least one bucket, or leave the prop out.');
    for (const name of names) {
      if (!Token.isUnresolved(name) && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(name)) {
        invalidProp(this, 'allowedS3BucketNames', names, `"${name}" is not an S3 bucket name (give names, not ARNs or wildcards).`);
      }
    }
  }
}
