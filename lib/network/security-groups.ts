import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { fitDescription, SECURITY_GROUP_DESCRIPTION_DISALLOWED } from '../private/constraints';

/** What the tier security groups of a SegmentedAiVpc are built from. */
export interface TierSecurityGroupOptions {
  readonly vpc: ec2.IVpc;
  readonly trainingCidr: string;
  readonly inferenceCidr: string;
  readonly endpointsCidr: string;
  readonly internetEgress: boolean;
  /** The Region's S3 prefix list: HTTPS out is then narrowed to the endpoints tier and S3. */
  readonly s3PrefixListId?: string;
}

/**
 * The security groups `TrainingSecurityGroup`, `InferenceSecurityGroup` and
 * `EndpointSecurityGroup` in `scope`, none with allow-all egress: the workload tiers send HTTPS
 * out (training also all traffic within its group), the endpoints admit HTTPS from those tiers.
 */
export function createTierSecurityGroups(scope: Construct, options: TierSecurityGroupOptions):
[ec2.SecurityGroup, ec2.SecurityGroup, ec2.SecurityGroup] {
  const { vpc, s3PrefixListId, internetEgress } = options;
  const group = (id: string, description: string) =>
    // C-SG-1: at most 255 characters of EC2's set (the construct path may hold others).
    new ec2.SecurityGroup(scope, id, {
      vpc,
      description: fitDescription(description, 255, SECURITY_GROUP_DESCRIPTION_DISALLOWED),
      allowAllOutbound: false,
    });
  const allowHttpsOut = (sg: ec2.SecurityGroup) => {
    if (s3PrefixListId) {
      sg.addEgressRule(ec2.Peer.ipv4(options.endpointsCidr), ec2.Port.tcp(443), 'HTTPS to the interface endpoints');
      sg.addEgressRule(ec2.Peer.prefixList(s3PrefixListId), ec2.Port.tcp(443), 'HTTPS to S3 through the gateway endpoint');
      return;
    }
    sg.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(443), internetEgress
      ? 'HTTPS to the interface endpoints, the S3 gateway endpoint and the internet (NAT)'
      : 'HTTPS to the interface endpoints and the S3 gateway endpoint (no other route leaves the VPC)');
  };
  const path = scope.node.path;
  const training = group('TrainingSecurityGroup', `Training tier of ${path}: HTTPS out; all traffic within the group for distributed training`);
  allowHttpsOut(training);
  training.addIngressRule(training, ec2.Port.allTraffic(), 'Distributed training between the instances of a job');
  const selfIngress = training.node.children.find((c) => c instanceof ec2.CfnSecurityGroupIngress);
  if (selfIngress) {
    acknowledge(selfIngress, ['HIPAA.Security', 'NIST.800.53.R5', 'PCI.DSS.321'].map((pack) => ({ id: `${pack}-EC2RestrictedCommonPorts`, source: FindingSource.CDK_NAG })),
      'This rule admits traffic only from members of the same security group (no CIDR), which distributed training needs between the instances of a job; EFA needs all protocols, so it cannot be narrowed to TCP ports. The check reports every all-protocol ingress rule whatever its source.');
  }
  training.addEgressRule(training, ec2.Port.allTraffic(), 'Distributed training between the instances of a job');
  const inference = group('InferenceSecurityGroup', `Inference tier of ${path}: HTTPS out only`);
  allowHttpsOut(inference);
  const endpoints = group('EndpointSecurityGroup', `Interface endpoints of ${path}: HTTPS in from the training and inference tiers`);
  endpoints.addIngressRule(ec2.Peer.ipv4(options.trainingCidr), ec2.Port.tcp(443), 'HTTPS from the training tier');
  endpoints.addIngressRule(ec2.Peer.ipv4(options.inferenceCidr), ec2.Port.tcp(443), 'HTTPS from the inference tier');
  return [training, inference, endpoints];
}
