import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';

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
