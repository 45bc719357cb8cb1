import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { PrivateInferenceEndpoint, SecureTrainingBucket } from '../lib';

/** Where the inference stack plugs into an existing network. */
export interface InferenceStackProps extends StackProps {
  /** ID of the VPC with an isolated inference tier. */
  readonly vpcId?: string;
  /** Isolated subnets of the inference tier, one per Availability Zone. */
  readonly inferenceSubnetIds?: string[];
  /** Route tables of those subnets, in the same order. */
  readonly inferenceRouteTableIds?: string[];
  /** Availability Zones of those subnets, in the same order. */
  readonly availabilityZones?: string[];
  /** The execute-api interface VPC endpoint clients call through. */
  readonly executeApiVpcEndpointId?: string;
}

/**
 * A sentiment model served privately: the model artifact in a SecureTrainingBucket, the image in
 * an existing ECR repository, the endpoint in the isolated subnets of an existing VPC, and an
 * API reachable only through the VPC's execute-api endpoint, callable by one client role.
 *
 * The placeholder network IDs stand in for a real VPC (a SegmentedAiVpc, once it exists).
 */
export class InferenceStack extends Stack {
  public readonly endpoint: PrivateInferenceEndpoint;
  public readonly clientRole: iam.Role;

  constructor(scope: Construct, id: string, props: InferenceStackProps = {}) {
    super(scope, id, props);
    const vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
      vpcId: props.vpcId ?? 'vpc-0123456789abcdef0',
      vpcCidrBlock: '10.0.0.0/16',
      availabilityZones: props.availabilityZones ?? ['us-east-1a', 'us-east-1b'],
      isolatedSubnetIds: props.inferenceSubnetIds ?? ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
      isolatedSubnetRouteTableIds: props.inferenceRouteTableIds ?? ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0bbbbbbbbbbbbbbb2'],
    });
    const executeApi = ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(this, 'ExecuteApiEndpoint', {
      vpcEndpointId: props.executeApiVpcEndpointId ?? 'vpce-0a1b2c3d4e5f67890',
      port: 443,
    });
    const artifacts = new SecureTrainingBucket(this, 'ModelArtifacts');

    this.endpoint = new PrivateInferenceEndpoint(this, 'Sentiment', {
      vpc,
      imageRepository: ecr.Repository.fromRepositoryName(this, 'Images', 'models/sentiment'),
      imageTagOrDigest: '1.0.0',
      modelDataBucket: artifacts.bucket,
      modelDataKey: 'models/sentiment/model.tar.gz',
      apiVpcEndpoints: [executeApi],
      dataCaptureSamplingPercentage: 20,
    });

    // The application that calls the model: it may invoke this API method and nothing else.
    // `endpoint.grantInvoke(role)` grants the same through the role's default (inline) policy;
    // here the permission lives in a customer-managed policy, as HIPAA/NIST/PCI IAMNoInlinePolicy ask.
    this.clientRole = new iam.Role(this, 'ClientRole', {
      assumedBy: new iam.AccountRootPrincipal(),
      description: 'Calls the sentiment inference API',
    });
    new iam.ManagedPolicy(this, 'InvokeSentiment', {
      description: 'Invoke the POST method of the sentiment inference API, nothing else',
      roles: [this.clientRole],
      statements: [new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: [this.endpoint.method.methodArn] })],
    });
  }
}
