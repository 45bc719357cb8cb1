import { Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { NetworkStage, NetworkTier, SegmentedAiVpc } from '../lib';

/** Props of the example network stack. */
export interface NetworkStackProps extends StackProps {
  /** The stage whose network this stack holds. */
  readonly stage: NetworkStage;
}

/**
 * One stage's segmented AI network. Deploy one per stage; the three stage networks have
 * non-overlapping CIDR blocks and no route between them. Workload stacks take `network` and
 * share its interface endpoints.
 */
export class NetworkStack extends Stack {
  /** The stage's network, for workload stacks. */
  public readonly network: SegmentedAiVpc;

  constructor(scope: Construct, id: string, props: NetworkStackProps) {
    super(scope, id, props);
    this.network = new SegmentedAiVpc(this, 'Network', { stage: props.stage });
  }
}

/** Props of the example workload stack. */
export interface TrainingWorkloadStackProps extends StackProps {
  /** The shared network of the stage. */
  readonly network: SegmentedAiVpc;
}

/**
 * A workload stack that places its compute in the training tier of a shared network, and
 * creates no VPC endpoints of its own.
 */
export class TrainingWorkloadStack extends Stack {
  constructor(scope: Construct, id: string, props: TrainingWorkloadStackProps) {
    super(scope, id, props);
    const { network } = props;
    // Stand-in for a SageMaker training job's VpcConfig: a network interface in the training tier.
    new ec2.CfnNetworkInterface(this, 'TrainingInterface', {
      description: 'Example: an interface in the training tier, with the training security group',
      subnetId: network.vpc.selectSubnets(network.subnetsOf(NetworkTier.TRAINING)).subnetIds[0],
      groupSet: [network.securityGroupOf(NetworkTier.TRAINING).securityGroupId],
    });
  }
}
