import { Aws, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { policySize } from '../private/constraints';
import { invalidProp, isUnresolved } from '../private/errors';

/** The endpoint policy condition that admits only principals of this account or organization. */
export type PrincipalCondition = Record<string, Record<string, string>>;

/**
 * The interface endpoint of each `AiServiceEndpoint` (keyed by its value): the construct ID
 * prefix (part of the endpoint's logical ID: keep stable) and the service.
 */
export const ENDPOINT_SERVICES: Record<string, { id: string; service: ec2.InterfaceVpcEndpointAwsService }> = {
  'sagemaker.api': { id: 'SageMakerApi', service: ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_API },
  'sagemaker.runtime': { id: 'SageMakerRuntime', service: ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME },
  'sts': { id: 'Sts', service: ec2.InterfaceVpcEndpointAwsService.STS },
  'ecr.api': { id: 'EcrApi', service: ec2.InterfaceVpcEndpointAwsService.ECR },
  'ecr.dkr': { id: 'EcrDocker', service: ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER },
  'logs': { id: 'CloudWatchLogs', service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS },
  'monitoring': { id: 'CloudWatchMonitoring', service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_MONITORING },
  'kms': { id: 'Kms', service: ec2.InterfaceVpcEndpointAwsService.KMS },
  'execute-api': { id: 'ExecuteApi', service: ec2.InterfaceVpcEndpointAwsService.APIGATEWAY },
  'bedrock-runtime': { id: 'BedrockRuntime', service: ec2.InterfaceVpcEndpointAwsService.BEDROCK_RUNTIME },
  'bedrock-agent-runtime': { id: 'BedrockAgentRuntime', service: ec2.InterfaceVpcEndpointAwsService.BEDROCK_AGENT_RUNTIME },
};

/** Where a SegmentedAiVpc puts its interface endpoints, and the policy condition they carry. */
export interface InterfaceEndpointPlacement {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.ISecurityGroup;
  readonly condition: PrincipalCondition;
}

/**
 * The interface endpoint `<id>Endpoint` of a known service in `scope`: private DNS, the endpoints'
 * security group, and a policy that admits only principals of this account (or organization).
 */
export function createInterfaceEndpoint(scope: Construct, known: { id: string; service: ec2.InterfaceVpcEndpointAwsService },
  placement: InterfaceEndpointPlacement): ec2.InterfaceVpcEndpoint {
  const endpoint = new ec2.InterfaceVpcEndpoint(scope, `${known.id}Endpoint`, {
    vpc: placement.vpc,
    service: known.service,
    subnets: placement.subnets,
    securityGroups: [placement.securityGroup],
    privateDnsEnabled: true,
    open: false,
  });
  endpoint.addToPolicy(new iam.PolicyStatement({
    sid: 'OnlyPrincipalsOfThisAccountOrOrganization',
    principals: [new iam.StarPrincipal()],
    actions: ['*'],
    resources: ['*'],
    conditions: placement.condition,
  }));
  return endpoint;
}

/**
 * The S3 gateway endpoint (construct `S3Endpoint` of the VPC) for the given subnets, whose policy
 * admits buckets of this account, the named buckets, and the ECR image-layer bucket.
 */
export function createS3GatewayEndpoint(vpc: ec2.Vpc, subnets: ec2.SubnetSelection[], condition: PrincipalCondition,
  bucketNames: string[]): ec2.GatewayVpcEndpoint {
  const endpoint = vpc.addGatewayEndpoint('S3Endpoint', {
    service: ec2.GatewayVpcEndpointAwsService.S3,
    subnets,
  });
  const stack = Stack.of(vpc);
  endpoint.addToPolicy(new iam.PolicyStatement({
    sid: 'BucketsOfThisAccount',
    principals: [new iam.StarPrincipal()],
    actions: ['s3:*'],
    resources: ['*'],
    conditions: {
      ...condition,
      StringEquals: { ...condition.StringEquals, 'aws:ResourceAccount': stack.account },
    },
  }));
  if (bucketNames.length > 0) {
    endpoint.addToPolicy(new iam.PolicyStatement({
      sid: 'NamedBuckets',
      principals: [new iam.StarPrincipal()],
      actions: ['s3:*'],
      resources: bucketNames.flatMap((name) => [`arn:${Aws.PARTITION}:s3:::${name}`, `arn:${Aws.PARTITION}:s3:::${name}/*`]),
      conditions: condition,
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

/** Principals of this account, or of the organization when `organizationId` is given (validated). */
export function principalCondition(scope: Construct, organizationId: string | undefined): PrincipalCondition {
  if (organizationId === undefined) return { StringEquals: { 'aws:PrincipalAccount': Stack.of(scope).account } };
  if (!isUnresolved(organizationId) && !/^o-[a-z0-9]{10,32}$/.test(organizationId)) {
    invalidProp(scope, 'principalOrganizationId', organizationId, 'Give an AWS Organizations ID such as "o-a1b2c3d4e5".');
  }
  return { StringEquals: { 'aws:PrincipalOrgID': organizationId } };
}

/**
 * C-VPCE-1: an endpoint policy has at most 20,480 characters (AWS PrivateLink guide, "Control
 * access to VPC endpoints using endpoint policies"). Counted as written in the template.
 */
export function endpointPolicySizeErrors(scope: Construct, endpoints: [string, ec2.GatewayVpcEndpoint | ec2.InterfaceVpcEndpoint][]): string[] {
  const errors: string[] = [];
  for (const [name, endpoint] of endpoints) {
    const document = (endpoint.node.defaultChild as ec2.CfnVPCEndpoint).policyDocument;
    if (document === undefined) continue;
    const length = policySize(scope, document);
    if (length > 20480) {
      errors.push(`[cdk-secure-ai] ${scope.node.path}: the policy of the ${name} endpoint has ${length} characters; endpoint policies have at most 20,480 [C-VPCE-1; AWS PrivateLink guide, endpoint policies]. Name fewer buckets in \`allowedS3BucketNames\`.`);
    }
  }
  return errors;
}
