import { Stack, App } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { ApiGatewayAccountLogging, PrivateInferenceEndpoint, PrivateInferenceEndpointProps, SecureTrainingBucket } from '../../lib';
import { createTestApp } from '../support/app';

export const VPCE_ID = 'vpce-0a1b2c3d4e5f67890';
export const OTHER_VPCE_ID = 'vpce-0fffffffffffffff0';

/** What every PrivateInferenceEndpoint needs from its surroundings, imported so it adds no resources of its own. */
export function surroundings(stack: Stack) {
  const vpc = ec2.Vpc.fromVpcAttributes(stack, 'Vpc', {
    vpcId: 'vpc-0123456789abcdef0',
    vpcCidrBlock: '10.0.0.0/16',
    availabilityZones: ['us-east-1a', 'us-east-1b'],
    isolatedSubnetIds: ['subnet-0aaaaaaaaaaaaaaa1', 'subnet-0bbbbbbbbbbbbbbb2'],
    isolatedSubnetRouteTableIds: ['rtb-0aaaaaaaaaaaaaaa1', 'rtb-0bbbbbbbbbbbbbbb2'],
    publicSubnetIds: ['subnet-0ccccccccccccccc3', 'subnet-0ddddddddddddddd4'],
    publicSubnetRouteTableIds: ['rtb-0ccccccccccccccc3', 'rtb-0ddddddddddddddd4'],
  });
  const imageRepository = ecr.Repository.fromRepositoryName(stack, 'Images', 'models/sentiment');
  const artifacts = new SecureTrainingBucket(stack, 'Artifacts');
  const apiVpcEndpoint = ec2.InterfaceVpcEndpoint.fromInterfaceVpcEndpointAttributes(stack, 'ExecuteApiEndpoint', {
    vpcEndpointId: VPCE_ID,
    port: 443,
  });
  return { vpc, imageRepository, artifacts, apiVpcEndpoint };
}

export function baseProps(stack: Stack): PrivateInferenceEndpointProps {
  const s = surroundings(stack);
  return {
    vpc: s.vpc,
    imageRepository: s.imageRepository,
    modelDataBucket: s.artifacts.bucket,
    modelDataKey: 'models/sentiment/model.tar.gz',
    apiVpcEndpoints: [s.apiVpcEndpoint],
  };
}

export type PropsOf = Partial<PrivateInferenceEndpointProps> | ((stack: Stack) => Partial<PrivateInferenceEndpointProps>);

/**
 * The account-level prerequisite of every API stage with execution logging (API Gateway's
 * CloudWatch Logs role, README "What deploying needs"), in a stack of its own so the stack under
 * test renders as before; without it the pack's PreflightApiGatewayAccountForLogging rule reports
 * the stage, as it should.
 */
export function withApiGatewayAccount(app: App): App {
  new ApiGatewayAccountLogging(new Stack(app, 'AccountSettings', { env: { account: '111122223333', region: 'us-east-1' } }), 'ApiGatewayLogging');
  return app;
}

export function inferenceStack(props: PropsOf = {}, options: { checks?: boolean; stackName?: string } = {}) {
  const stack = new Stack(withApiGatewayAccount(createTestApp({ checks: options.checks })), options.stackName ?? 'Inference', {
    env: { account: '111122223333', region: 'us-east-1' },
  });
  const base = baseProps(stack);
  const extra = typeof props === 'function' ? props(stack) : props;
  const endpoint = new PrivateInferenceEndpoint(stack, 'Endpoint', { ...base, ...extra });
  return { stack, endpoint };
}
