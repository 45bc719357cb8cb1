import { Aws, RemovalPolicy, Stack, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { formatCidr, Ipv4Block, overlaps, parseCidr, size } from './cidr';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { fitDescription, policySize, SECURITY_GROUP_DESCRIPTION_DISALLOWED, violates } from '../private/constraints';
import { invalidProp, isUnresolved } from '../private/errors';
import { createLogGroup } from '../private/logs';
import { checkRetention, requireLiteralNumber } from '../private/numbers';

/**
 * The environment a SegmentedAiVpc serves. Each stage has its own CIDR block, so the three
 * stage networks never overlap and can be built side by side (`SegmentedAiVpc.stageCidr`).
 */
export enum NetworkStage {
  /** Development: 10.10.0.0/16 */
  DEV = 'dev',
  /** Test: 10.20.0.0/16 */
  TEST = 'test',
  /** Production: 10.30.0.0/16 */
  PROD = 'prod',
}

/** A network tier of a SegmentedAiVpc: a subnet group with its own network ACL and security group. */
export enum NetworkTier {
  /** Training jobs and processing jobs. */
  TRAINING = 'Training',
  /** Model endpoints and the code that calls them. */
  INFERENCE = 'Inference',
  /** The interface VPC endpoints; nothing else runs here. */
  ENDPOINTS = 'Endpoints',
}

/** An AWS service a SegmentedAiVpc can reach through an interface VPC endpoint. */
export enum AiServiceEndpoint {
  /** SageMaker API (`sagemaker.api`): create and describe jobs, models, endpoints. */
  SAGEMAKER_API = 'sagemaker.api',
  /** SageMaker Runtime (`sagemaker.runtime`): invoke model endpoints. */
  SAGEMAKER_RUNTIME = 'sagemaker.runtime',
  /** AWS STS (`sts`): role credentials. */
  STS = 'sts',
  /** Amazon ECR API (`ecr.api`): image metadata and authorization tokens. */
  ECR_API = 'ecr.api',
  /** Amazon ECR Docker registry (`ecr.dkr`): image pulls (layers come through the S3 gateway endpoint). */
  ECR_DOCKER = 'ecr.dkr',
  /** CloudWatch Logs (`logs`). */
  CLOUDWATCH_LOGS = 'logs',
  /** CloudWatch metrics (`monitoring`). */
  CLOUDWATCH_MONITORING = 'monitoring',
  /** AWS KMS (`kms`). */
  KMS = 'kms',
  /** API Gateway (`execute-api`): private REST APIs. */
  EXECUTE_API = 'execute-api',
  /** Amazon Bedrock Runtime (`bedrock-runtime`): InvokeModel, Converse, ApplyGuardrail. */
  BEDROCK_RUNTIME = 'bedrock-runtime',
  /** Agents for Amazon Bedrock Runtime (`bedrock-agent-runtime`): InvokeAgent, Retrieve. */
  BEDROCK_AGENT_RUNTIME = 'bedrock-agent-runtime',
}

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

const ENDPOINT_SERVICES: Record<AiServiceEndpoint, { id: string; service: ec2.InterfaceVpcEndpointAwsService }> = {
  [AiServiceEndpoint.SAGEMAKER_API]: { id: 'SageMakerApi', service: ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_API },
  [AiServiceEndpoint.SAGEMAKER_RUNTIME]: { id: 'SageMakerRuntime', service: ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME },
  [AiServiceEndpoint.STS]: { id: 'Sts', service: ec2.InterfaceVpcEndpointAwsService.STS },
  [AiServiceEndpoint.ECR_API]: { id: 'EcrApi', service: ec2.InterfaceVpcEndpointAwsService.ECR },
  [AiServiceEndpoint.ECR_DOCKER]: { id: 'EcrDocker', service: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER },
  [AiServiceEndpoint.CLOUDWATCH_LOGS]: { id: 'CloudWatchLogs', service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS },
  [AiServiceEndpoint.CLOUDWATCH_MONITORING]: { id: 'CloudWatchMonitoring', service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING },
  [AiServiceEndpoint.KMS]: { id: 'Kms', service: ec2.InterfaceVpcEndpointAwsService.KMS },
  [AiServiceEndpoint.EXECUTE_API]: { id: 'ExecuteApi', service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY },
  [AiServiceEndpoint.BEDROCK_RUNTIME]: { id: 'BedrockRuntime', service: ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME },
  [AiServiceEndpoint.BEDROCK_AGENT_RUNTIME]: { id: 'BedrockAgentRuntime', service: ec2.InterfaceVpcEndpointAwsService.BEDROCK_AGENT_RUNTIME },
};

const STAGE_CIDRS: Record<NetworkStage, string> = {
  [NetworkStage.DEV]: '10.10.0.0/16',
  [NetworkStage.TEST]: '10.20.0.0/16',
  [NetworkStage.PROD]: '10.30.0.0/16',
};

/** Subnet slots reserved per tier: one per Availability Zone, up to four. */
const AZ_SLOTS = 4;
const PUBLIC_TIER = 'Public';
const ANY_IPV4 = '0.0.0.0/0';

/**
 * Properties of a SegmentedAiVpc.
 */
export interface SegmentedAiVpcProps {
  /**
   * The environment this network serves. Chooses the CIDR block (dev 10.10.0.0/16, test
   * 10.20.0.0/16, prod 10.30.0.0/16) and is tagged on every resource as `Stage`.
   */
  readonly stage: NetworkStage;

  /**
   * IPv4 CIDR block of the VPC, between /16 and /24. A literal, not a token: the tier plan and
   * the network ACL rules are computed from it at synthesis.
   *
   * @default - the stage's block (`SegmentedAiVpc.stageCidr(stage)`)
   */
  readonly cidr?: string;

  /**
   * CIDR blocks this VPC must not overlap: the other stages' networks, on-premises ranges,
   * networks you may peer with later. Construction fails on an overlap.
   *
   * @default - the blocks of the other two stages
   */
  readonly avoidCidrs?: string[];

  /**
   * Number of Availability Zones. Each tier gets one subnet per zone. The stack must offer at
   * least this many zones: an environment-agnostic stack offers two, so set `env` on the stack
   * for three or four.
   *
   * @default 2 - highly available model endpoints and interface endpoints
   */
  readonly availabilityZoneCount?: number;

  /**
   * Prefix length of each training subnet (/16 to /28). Four subnets of this size, one slot per
   * possible zone, form the training tier's block.
   *
   * @default 20 - 4,091 usable addresses per zone for training clusters
   */
  readonly trainingSubnetMask?: number;

  /**
   * Prefix length of each inference subnet (/16 to /28).
   *
   * @default 22 - 1,019 usable addresses per zone
   */
  readonly inferenceSubnetMask?: number;

  /**
   * Prefix length of each endpoints-tier subnet (/16 to /28). Every interface endpoint takes one
   * address per zone.
   *
   * @default 24
   */
  readonly endpointSubnetMask?: number;

  /**
   * Give the training and inference tiers HTTPS (443) access to the internet, through one NAT
   * gateway per zone in dedicated public subnets. Nothing else is placed in the public
   * subnets, and they never assign public IPs. The endpoints tier stays isolated.
   *
   * This weakens isolation: data can leave through the NAT gateways to any HTTPS server.
   *
   * @default false - no internet gateway, no NAT: every tier is isolated (the guide's
   * "isolated subnets")
   */
  readonly allowInternetEgress?: boolean;

  /**
   * ID of the Region's AWS-managed S3 prefix list (`pl-...`; `aws ec2 describe-prefix-lists
   * --filters Name=prefix-list-name,Values=com.amazonaws.<region>.s3`). When set, the training
   * and inference security groups allow HTTPS only to the endpoints tier and to S3 through this
   * prefix list, instead of to 0.0.0.0/0. Not with `allowInternetEgress`, which needs HTTPS to
   * anywhere.
   *
   * @default - HTTPS to 0.0.0.0/0, which, with no internet route, reaches only the interface
   * endpoints and the S3 gateway endpoint (CloudFormation cannot look the prefix list up)
   */
  readonly s3PrefixListId?: string;

  /**
   * The interface VPC endpoints to create, in the endpoints tier, with private DNS. Each costs
   * an hourly fee per zone. Pass an empty list when the workloads need no AWS API but S3.
   *
   * @default - SageMaker API and Runtime, STS, ECR API and Docker, CloudWatch Logs and
   * monitoring, KMS (`SegmentedAiVpc.DEFAULT_INTERFACE_ENDPOINTS`; API Gateway `execute-api`
   * is opt-in)
   */
  readonly interfaceEndpoints?: AiServiceEndpoint[];

  /**
   * AWS Organizations ID (`o-...`) whose principals may use the VPC endpoints. When set, the
   * endpoint policies check `aws:PrincipalOrgID` instead of `aws:PrincipalAccount`.
   *
   * @default - only principals of this stack's account may use the endpoints
   */
  readonly principalOrganizationId?: string;

  /**
   * Buckets of other accounts that the workloads may use through the S3 gateway endpoint,
   * by name (e.g. a public dataset bucket, `jumpstart-cache-prod-us-east-1`).
   *
   * @default - only buckets of this account, and the ECR image-layer bucket of the Region
   */
  readonly allowedS3BucketNames?: string[];

  /**
   * How long the VPC flow logs are kept. The library never keeps them less than a year.
   *
   * @default logs.RetentionDays.ONE_YEAR (CloudWatchLogGroupRetentionPeriod)
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * KMS key that encrypts the flow-log group. Its key policy must let CloudWatch Logs
   * (`logs.<region>.amazonaws.com`) use it.
   *
   * @default - a new customer-managed key with rotation, whose key policy lets CloudWatch Logs
   * of this account and Region use it (CloudWatchLogGroupEncrypted)
   */
  readonly flowLogEncryptionKey?: kms.IKey;

  /**
   * What happens to the flow-log group and its created key when they leave the stack.
   *
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

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

  private readonly tierBlocks = new Map<string, Ipv4Block>();
  private readonly endpoints = new Map<AiServiceEndpoint, ec2.InterfaceVpcEndpoint>();
  private readonly acls = new Map<NetworkTier, ec2.NetworkAcl>();
  private readonly endpointCondition: Record<string, Record<string, string>>;

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
    this.planTiers(vpcBlock, props);
    const services = this.validateEndpoints(props.interfaceEndpoints ?? DEFAULT_ENDPOINTS);
    this.validateBucketNames(props.allowedS3BucketNames);
    this.validatePrefixList(props.s3PrefixListId);
    this.endpointCondition = this.principalCondition(props.principalOrganizationId);
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
    [this.trainingSecurityGroup, this.inferenceSecurityGroup, this.endpointSecurityGroup] = this.createSecurityGroups(props.s3PrefixListId);
    this.s3Endpoint = this.createS3Endpoint(props.allowedS3BucketNames ?? []);
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
    this.flowLog = this.createFlowLog(logGroup);
    this.node.addValidation({ validate: () => this.endpointPolicySizeErrors() });
  }

  /**
   * C-VPCE-1: an endpoint policy has at most 20,480 characters (AWS PrivateLink guide, "Control
   * access to VPC endpoints using endpoint policies"). Counted as written in the template.
   */
  private endpointPolicySizeErrors(): string[] {
    const errors: string[] = [];
    const endpoints: [string, ec2.GatewayVpcEndpoint | ec2.InterfaceVpcEndpoint][] = [['s3Endpoint', this.s3Endpoint]];
    for (const [service, endpoint] of this.endpoints) endpoints.push([service, endpoint]);
    for (const [name, endpoint] of endpoints) {
      const document = (endpoint.node.defaultChild as ec2.CfnVPCEndpoint).policyDocument;
      if (document === undefined) continue;
      const length = policySize(this, document);
      if (length > 20480) {
        errors.push(`[cdk-secure-ai] ${this.node.path}: the policy of the ${name} endpoint has ${length} characters; endpoint policies have at most 20,480 [C-VPCE-1; AWS PrivateLink guide, endpoint policies]. Name fewer buckets in \`allowedS3BucketNames\`.`);
      }
    }
    return errors;
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
    const endpoint = new ec2.InterfaceVpcEndpoint(this, `${known.id}Endpoint`, {
      vpc: this.vpc,
      service: known.service,
      subnets: this.endpointSubnets,
      securityGroups: [this.endpointSecurityGroup],
      privateDnsEnabled: true,
      open: false,
    });
    endpoint.addToPolicy(new iam.PolicyStatement({
      sid: 'OnlyPrincipalsOfThisAccountOrOrganization',
      principals: [new iam.StarPrincipal()],
      actions: ['*'],
      resources: ['*'],
      conditions: this.endpointCondition,
    }));
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

  /**
   * Network ACLs are stateless and evaluated lowest rule number first. Every tier denies the
   * rest of the VPC after allowing exactly its own paths, so adding a subnet later does not
   * open a path; traffic to 0.0.0.0/0 on 443 then reaches only what the route tables offer
   * (the S3 gateway endpoint, and NAT when egress is allowed).
   */
  private createNetworkAcls(): void {
    const vpcCidr = this.cidr;
    const training = this.cidrOf(NetworkTier.TRAINING);
    const inference = this.cidrOf(NetworkTier.INFERENCE);
    const endpoints = this.cidrOf(NetworkTier.ENDPOINTS);
    const https = ec2.AclTraffic.tcpPort(443);
    // Replies reach clients on their ephemeral ports, which depend on the client: Linux
    // 32768-60999, Windows 49152-65535, AWS Lambda and NAT gateways 1024-65535 (Amazon VPC user
    // guide, "Network ACLs: Ephemeral ports", which recommends 1024-65535). A reply range that
    // starts at 32768 drops the replies to a Lambda function in a tier. From outside the VPC the
    // range skips 3389, so no entry admits RDP from anywhere (Control Tower CT.EC2.PR.5).
    const ephemeral = ec2.AclTraffic.tcpPortRange(1024, 65535);
    const ephemeralBelowRdp = ec2.AclTraffic.tcpPortRange(1024, 3388);
    const ephemeralAboveRdp = ec2.AclTraffic.tcpPortRange(3390, 65535);
    const all = ec2.AclTraffic.allTraffic();
    const workloadRules = (own: string): AclRule[] => [
      { n: 100, egress: true, allow: true, cidr: own, traffic: all, why: 'OwnTier' },
      { n: 110, egress: true, allow: true, cidr: endpoints, traffic: https, why: 'HttpsToEndpoints' },
      { n: 120, egress: true, allow: false, cidr: vpcCidr, traffic: all, why: 'DenyRestOfVpc' },
      { n: 130, egress: true, allow: true, cidr: ANY_IPV4, traffic: https, why: 'HttpsOutsideVpc' },
      { n: 100, egress: false, allow: true, cidr: own, traffic: all, why: 'OwnTier' },
      { n: 110, egress: false, allow: true, cidr: endpoints, traffic: ephemeral, why: 'RepliesFromEndpoints' },
      { n: 120, egress: false, allow: false, cidr: vpcCidr, traffic: all, why: 'DenyRestOfVpc' },
      { n: 130, egress: false, allow: true, cidr: ANY_IPV4, traffic: ephemeralAboveRdp, why: 'RepliesFromOutsideVpc' },
      { n: 140, egress: false, allow: true, cidr: ANY_IPV4, traffic: ephemeralBelowRdp, why: 'RepliesFromOutsideVpcBelowRdp' },
    ];
    this.createAcl(NetworkTier.TRAINING, workloadRules(training));
    this.createAcl(NetworkTier.INFERENCE, workloadRules(inference));
    this.createAcl(NetworkTier.ENDPOINTS, [
      { n: 100, egress: false, allow: true, cidr: training, traffic: https, why: 'HttpsFromTraining' },
      { n: 110, egress: false, allow: true, cidr: inference, traffic: https, why: 'HttpsFromInference' },
      { n: 100, egress: true, allow: true, cidr: training, traffic: ephemeral, why: 'RepliesToTraining' },
      { n: 110, egress: true, allow: true, cidr: inference, traffic: ephemeral, why: 'RepliesToInference' },
    ]);
    if (this.internetEgress) {
      this.createAcl(PUBLIC_TIER, [
        { n: 100, egress: false, allow: true, cidr: training, traffic: https, why: 'HttpsFromTraining' },
        { n: 110, egress: false, allow: true, cidr: inference, traffic: https, why: 'HttpsFromInference' },
        { n: 120, egress: false, allow: false, cidr: vpcCidr, traffic: all, why: 'DenyRestOfVpc' },
        // A NAT gateway receives replies on its ports 1024-65535. Port 3389 is left out so that
        // no entry admits RDP from anywhere (Control Tower CT.EC2.PR.5).
        { n: 130, egress: false, allow: true, cidr: ANY_IPV4, traffic: ec2.AclTraffic.tcpPortRange(1024, 3388), why: 'RepliesFromInternet' },
        { n: 140, egress: false, allow: true, cidr: ANY_IPV4, traffic: ec2.AclTraffic.tcpPortRange(3390, 65535), why: 'RepliesFromInternetAboveRdp' },
        { n: 100, egress: true, allow: true, cidr: training, traffic: ephemeral, why: 'RepliesToTraining' },
        { n: 110, egress: true, allow: true, cidr: inference, traffic: ephemeral, why: 'RepliesToInference' },
        { n: 120, egress: true, allow: false, cidr: vpcCidr, traffic: all, why: 'DenyRestOfVpc' },
        { n: 130, egress: true, allow: true, cidr: ANY_IPV4, traffic: https, why: 'HttpsToInternet' },
      ]);
    }
  }

  private createAcl(tier: string, rules: AclRule[]): void {
    this.checkAclRules(tier, rules);
    const acl = new ec2.NetworkAcl(this, `${tier}Acl`, {
      vpc: this.vpc,
      subnetSelection: { subnetGroupName: tier },
    });
    const reason = 'Network ACLs are the tier boundary this construct exists to build (stateless, subnet-level segmentation that contains a breach to one tier); the security groups of each tier add stateful filtering.';
    acknowledge(acl, [{ id: 'AwsSolutions-VPC3', source: FindingSource.CDK_NAG }], reason);
    for (const rule of rules) {
      const entry = acl.addEntry(`${rule.egress ? 'Egress' : 'Ingress'}${rule.why}`, {
        ruleNumber: rule.n,
        cidr: ec2.AclCidr.ipv4(rule.cidr),
        traffic: rule.traffic,
        direction: rule.egress ? ec2.TrafficDirection.EGRESS : ec2.TrafficDirection.INGRESS,
        ruleAction: rule.allow ? ec2.Action.ALLOW : ec2.Action.DENY,
      });
      acknowledge(entry, [{ id: 'AwsSolutions-VPC3', source: FindingSource.CDK_NAG }], reason);
    }
    if (tier !== PUBLIC_TIER) this.acls.set(tier as NetworkTier, acl);
  }

  /**
   * C-NACL-1: rule numbers 1-32766 (AWS::EC2::NetworkAclEntry RuleNumber); C-NACL-2: unique
   * per direction (EC2 API reference, CreateNetworkAclEntry); C-NACL-3: at most 20 rules per
   * direction, the default quota "Rules per network ACL" (Amazon VPC quotas).
   */
  private checkAclRules(tier: string, rules: AclRule[]): void {
    for (const egress of [true, false]) {
      const numbers = rules.filter((r) => r.egress === egress).map((r) => r.n);
      const direction = egress ? 'egress' : 'ingress';
      for (const n of numbers) {
        if (!Number.isInteger(n) || n < 1 || n > 32766) {
          violates(this, `${tier} network ACL rule number`, n, 'C-NACL-1', 'CloudFormation AWS::EC2::NetworkAclEntry: RuleNumber', 'Network ACL rule numbers are whole numbers from 1 to 32766.');
        }
      }
      if (new Set(numbers).size !== numbers.length) {
        violates(this, `${tier} network ACL ${direction} rule numbers`, numbers, 'C-NACL-2', 'Amazon EC2 API reference, CreateNetworkAclEntry', 'Each rule number appears once per direction.');
      }
      if (numbers.length > 20) {
        violates(this, `${tier} network ACL ${direction} rules`, numbers.length, 'C-NACL-3', 'Amazon VPC quotas: rules per network ACL (20 per direction by default)', 'Use at most 20 rules per direction, or raise the quota and the check.');
      }
    }
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

  private createSecurityGroups(s3PrefixListId: string | undefined): [ec2.SecurityGroup, ec2.SecurityGroup, ec2.SecurityGroup] {
    const group = (id: string, description: string) =>
      // C-SG-1: at most 255 characters of EC2's set (the construct path may hold others).
      new ec2.SecurityGroup(this, id, {
        vpc: this.vpc,
        description: fitDescription(description, 255, SECURITY_GROUP_DESCRIPTION_DISALLOWED),
        allowAllOutbound: false,
      });
    const allowHttpsOut = (sg: ec2.SecurityGroup) => {
      if (s3PrefixListId) {
        sg.addEgressRule(ec2.Peer.ipv4(this.cidrOf(NetworkTier.ENDPOINTS)), ec2.Port.tcp(443), 'HTTPS to the interface endpoints');
        sg.addEgressRule(ec2.Peer.prefixList(s3PrefixListId), ec2.Port.tcp(443), 'HTTPS to S3 through the gateway endpoint');
        return;
      }
      sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), this.internetEgress
        ? 'HTTPS to the interface endpoints, the S3 gateway endpoint and the internet (NAT)'
        : 'HTTPS to the interface endpoints and the S3 gateway endpoint (no other route leaves the VPC)');
    };
    const training = group('TrainingSecurityGroup', `Training tier of ${this.node.path}: HTTPS out; all traffic within the group for distributed training`);
    allowHttpsOut(training);
    training.addIngressRule(training, ec2.Port.allTraffic(), 'Distributed training between the instances of a job');
    const selfIngress = training.node.children.find((c) => c instanceof ec2.CfnSecurityGroupIngress);
    if (selfIngress) {
      acknowledge(selfIngress, ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}-EC2RestrictedCommonPorts`, source: FindingSource.CDK_NAG })),
        'This rule admits traffic only from members of the same security group (no CIDR), which distributed training needs between the instances of a job; EFA needs all protocols, so it cannot be narrowed to TCP ports. The check reports every all-protocol ingress rule whatever its source.');
    }
    training.addEgressRule(training, ec2.Port.allTraffic(), 'Distributed training between the instances of a job');
    const inference = group('InferenceSecurityGroup', `Inference tier of ${this.node.path}: HTTPS out only`);
    allowHttpsOut(inference);
    const endpoints = group('EndpointSecurityGroup', `Interface endpoints of ${this.node.path}: HTTPS in from the training and inference tiers`);
    endpoints.addIngressRule(ec2.Peer.ipv4(this.cidrOf(NetworkTier.TRAINING)), ec2.Port.tcp(443), 'HTTPS from the training tier');
    endpoints.addIngressRule(ec2.Peer.ipv4(this.cidrOf(NetworkTier.INFERENCE)), ec2.Port.tcp(443), 'HTTPS from the inference tier');
    return [training, inference, endpoints];
  }

  private createS3Endpoint(bucketNames: string[]): ec2.GatewayVpcEndpoint {
    const endpoint = this.vpc.addGatewayEndpoint('S3Endpoint', {
      service: ec2.GatewayVpcEndpointAwsService.S3,
      subnets: [this.trainingSubnets, this.inferenceSubnets],
    });
    const stack = Stack.of(this);
    endpoint.addToPolicy(new iam.PolicyStatement({
      sid: 'BucketsOfThisAccount',
      principals: [new iam.StarPrincipal()],
      actions: ['s3:*'],
      resources: ['*'],
      conditions: {
        ...this.endpointCondition,
        StringEquals: { ...this.endpointCondition.StringEquals, 'aws:ResourceAccount': stack.account },
      },
    }));
    if (bucketNames.length > 0) {
      endpoint.addToPolicy(new iam.PolicyStatement({
        sid: 'NamedBuckets',
        principals: [new iam.StarPrincipal()],
        actions: ['s3:*'],
        resources: bucketNames.flatMap((name) => [`arn:${Aws.PARTITION}:s3:::${name}`, `arn:${Aws.PARTITION}:s3:::${name}/*`]),
        conditions: this.endpointCondition,
      }));
    }
    // Amazon ECR serves image layers from this AWS-owned bucket through presigned URLs that an
    // account Amazon ECR owns signs: the request arrives with that account as
    // aws:PrincipalAccount, so no principal condition can apply (ECR user guide, "Amazon ECR
    // interface VPC endpoints", minimum Amazon S3 gateway endpoint policy; AWS data perimeter
    // examples, AllowRequestsToAWSOwnedResources). Read-only, on this one bucket of this Region.
    endpoint.addToPolicy(new iam.PolicyStatement({
      sid: 'EcrImageLayers',
      principals: [new iam.StarPrincipal()],
      actions: ['s3:GetObject'],
      resources: [`arn:${Aws.PARTITION}:s3:::prod-${stack.region}-starport-layer-bucket/*`],
    }));
    return endpoint;
  }

  private createFlowLog(logGroup: logs.LogGroup): ec2.FlowLog {
    const stack = Stack.of(this);
    const role = new iam.Role(this, 'FlowLogRole', {
      description: `Delivers the VPC flow logs of ${this.node.path} to CloudWatch Logs`,
      assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ec2:${stack.region}:${stack.account}:vpc-flow-log/*` },
        },
      }),
    });
    // A managed policy, not the role's inline default policy (IAMNoInlinePolicy): the L2 flow
    // log gets a role that ignores its policy additions.
    role.addManagedPolicy(new iam.ManagedPolicy(this, 'FlowLogPolicy', {
      description: `Lets VPC Flow Logs write to the flow-log group of ${this.node.path}`,
      statements: [new iam.PolicyStatement({
        sid: 'WriteFlowLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        resources: [logGroup.logGroupArn],
      })],
    }));
    return new ec2.FlowLog(this, 'FlowLog', {
      resourceType: ec2.FlowLogResourceType.fromVpc(this.vpc),
      destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup, role.withoutPolicyUpdates()),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
  }

  private principalCondition(organizationId: string | undefined): Record<string, Record<string, string>> {
    if (organizationId === undefined) return { StringEquals: { 'aws:PrincipalAccount': Stack.of(this).account } };
    if (!isUnresolved(organizationId) && !/^o-[a-z0-9]{10,32}$/.test(organizationId)) {
      invalidProp(this, 'principalOrganizationId', organizationId, 'Give an AWS Organizations ID such as "o-a1b2c3d4e5".');
    }
    return { StringEquals: { 'aws:PrincipalOrgID': organizationId } };
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

  /**
   * Reserves an aligned block per tier (four subnet slots), in a fixed order, so that each
   * tier is one CIDR in NACL and security-group rules and growing to more zones moves nothing.
   */
  private planTiers(vpc: Ipv4Block, props: SegmentedAiVpcProps): void {
    const tiers: [string, string, number][] = [
      [NetworkTier.TRAINING, 'trainingSubnetMask', props.trainingSubnetMask ?? 20],
      [NetworkTier.INFERENCE, 'inferenceSubnetMask', props.inferenceSubnetMask ?? 22],
      [NetworkTier.ENDPOINTS, 'endpointSubnetMask', props.endpointSubnetMask ?? 24],
    ];
    if (this.internetEgress) tiers.push([PUBLIC_TIER, 'allowInternetEgress', 28]);
    let next = vpc.network;
    for (const [tier, prop, mask] of tiers) {
      if (!Number.isInteger(mask) || mask < 16 || mask > 28) {
        invalidProp(this, prop, mask, 'AWS subnets are /16 to /28: give a prefix length in that range.');
      }
      const prefix = mask - Math.log2(AZ_SLOTS);
      const blockSize = size(prefix);
      const start = Math.ceil(next / blockSize) * blockSize;
      if (prefix < vpc.prefix || start + blockSize > vpc.network + size(vpc.prefix)) {
        invalidProp(this, prop, mask,
          `${AZ_SLOTS} subnets of /${mask} for the ${tier.toLowerCase()} tier do not fit in ${this.cidr} after the tiers before it: use a longer prefix (smaller subnets) or a larger \`cidr\`.`);
      }
      this.tierBlocks.set(tier, { network: start, prefix });
      next = start + blockSize;
    }
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

interface AclRule {
  readonly n: number;
  readonly egress: boolean;
  readonly allow: boolean;
  readonly cidr: string;
  readonly traffic: ec2.AclTraffic;
  /** Part of the entry's construct ID: keep stable. */
  readonly why: string;
}

/**
 * Places each tier's subnets in the tier's reserved block: subnet i of a tier (zone i) gets
 * slot i of the block.
 */
class TierPlan implements ec2.IIpAddresses {
  constructor(private readonly cidr: string, private readonly blocks: Map<string, Ipv4Block>) {}

  public allocateVpcCidr(): ec2.VpcIpamOptions {
    return { cidrBlock: this.cidr };
  }

  public allocateSubnetsCidr(input: ec2.AllocateCidrRequest): ec2.SubnetIpamOptions {
    const used = new Map<string, number>();
    const allocatedSubnets = input.requestedSubnets.map((request) => {
      const tier = request.configuration.name;
      const block = this.blocks.get(tier);
      if (!block) throw new Error(`no block planned for subnet group ${tier}`);
      const slot = used.get(tier) ?? 0;
      used.set(tier, slot + 1);
      const prefix = block.prefix + Math.log2(AZ_SLOTS);
      return { cidr: formatCidr({ network: block.network + slot * size(prefix), prefix }) };
    });
    return { allocatedSubnets };
  }
}
