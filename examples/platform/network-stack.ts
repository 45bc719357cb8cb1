import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { StageConfig } from './config';
import { AiServiceEndpoint, ApiGatewayAccountLogging, SegmentedAiVpc } from '../../lib';

/** Props of a stage's network stack. */
export interface NetworkStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * The stage's segmented network: isolated training, inference and endpoints tiers in the stage's
 * own CIDR block (no peering, transit gateway or VPN: no route to another stage), the AI service
 * interface endpoints, and the execute-api endpoint clients call the private inference API through.
 *
 * It also holds the stage account's one account-level prerequisite, the API Gateway CloudWatch
 * Logs role setting (`ApiGatewayAccountLogging`): this is the stage's first stack, and the
 * inference stack depends on it, so the setting exists before any API stage logs.
 */
export class NetworkStack extends Stack {
  public readonly network: SegmentedAiVpc;
  /** The execute-api interface endpoint of the stage's private APIs. */
  public readonly executeApiEndpoint: ec2.InterfaceVpcEndpoint;
  /** The account's API Gateway CloudWatch Logs role setting (one per account and Region). */
  public readonly apiGatewayLogging: ApiGatewayAccountLogging;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    this.network = new SegmentedAiVpc(this, 'Network', {
      stage: props.config.networkStage,
      interfaceEndpoints: [...SegmentedAiVpc.DEFAULT_INTERFACE_ENDPOINTS, AiServiceEndpoint.EXECUTE_API],
      flowLogRetention: props.config.logRetention,
    });
    this.executeApiEndpoint = this.network.interfaceEndpoint(AiServiceEndpoint.EXECUTE_API)!;
    this.apiGatewayLogging = new ApiGatewayAccountLogging(this, 'ApiGatewayLogging');
  }
}
