import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { acknowledge, FindingSource } from '../private/acknowledge';
import { violates } from '../private/constraints';

/** The subnet group of the NAT gateways, when a SegmentedAiVpc allows internet egress. */
export const PUBLIC_TIER = 'Public';
export const ANY_IPV4 = '0.0.0.0/0';

/** One entry of a tier's network ACL. */
export interface AclRule {
  readonly n: number;
  readonly egress: boolean;
  readonly allow: boolean;
  readonly cidr: string;
  readonly traffic: ec2.AclTraffic;
  /** Part of the entry's construct ID: keep stable. */
  readonly why: string;
}

/** The CIDR blocks the network ACL rules are written with. */
export interface TierCidrs {
  readonly vpc: string;
  readonly training: string;
  readonly inference: string;
  readonly endpoints: string;
}

/** The network ACL rules of every tier of a SegmentedAiVpc (the public tier's only with internet egress). */
export interface TierAclRules {
  readonly training: AclRule[];
  readonly inference: AclRule[];
  readonly endpoints: AclRule[];
  readonly public?: AclRule[];
}

/**
 * Network ACLs are stateless and evaluated lowest rule number first. Every tier denies the
 * rest of the VPC after allowing exactly its own paths, so adding a subnet later does not
 * open a path; traffic to 0.0.0.0/0 on 443 then reaches only what the route tables offer
 * (the S3 gateway endpoint, and NAT when egress is allowed).
 */
export function tierAclRules(cidrs: TierCidrs, internetEgress: boolean): TierAclRules {
  const { vpc: vpcCidr, training, inference, endpoints } = cidrs;
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
  return {
    training: workloadRules(training),
    inference: workloadRules(inference),
    endpoints: [
      { n: 100, egress: false, allow: true, cidr: training, traffic: https, why: 'HttpsFromTraining' },
      { n: 110, egress: false, allow: true, cidr: inference, traffic: https, why: 'HttpsFromInference' },
      { n: 100, egress: true, allow: true, cidr: training, traffic: ephemeral, why: 'RepliesToTraining' },
      { n: 110, egress: true, allow: true, cidr: inference, traffic: ephemeral, why: 'RepliesToInference' },
    ],
    public: internetEgress ? [
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
    ] : undefined,
  };
}

/** The network ACL `<tier>Acl` of a tier's subnets, with its entries, in `scope`. */
export function createTierAcl(scope: Construct, vpc: ec2.IVpc, tier: string, rules: AclRule[]): ec2.NetworkAcl {
  checkAclRules(scope, tier, rules);
  const acl = new ec2.NetworkAcl(scope, `${tier}Acl`, {
    vpc,
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
  return acl;
}

/**
 * C-NACL-1: rule numbers 1-32766 (AWS::EC2::NetworkAclEntry RuleNumber); C-NACL-2: unique
 * per direction (EC2 API reference, CreateNetworkAclEntry); C-NACL-3: at most 20 rules per
 * direction, the default quota "Rules per network ACL" (Amazon VPC quotas).
 */
export function checkAclRules(scope: Construct, tier: string, rules: AclRule[]): void {
  for (const egress of [true, false]) {
    const numbers = rules.filter((r) => r.egress === egress).map((r) => r.n);
    const direction = egress ? 'egress' : 'ingress';
    for (const n of numbers) {
      if (!Number.isInteger(n) || n < 1 || n > 32766) {
        violates(scope, `${tier} network ACL rule number`, n, 'C-NACL-1', 'CloudFormation AWS::EC2::NetworkAclEntry: RuleNumber', 'Network ACL rule numbers are whole numbers from 1 to 32766.');
      }
    }
    if (new Set(numbers).size !== numbers.length) {
      violates(scope, `${tier} network ACL ${direction} rule numbers`, numbers, 'C-NACL-2', 'Amazon EC2 API reference, CreateNetworkAclEntry', 'Each rule number appears once per direction.');
    }
    if (numbers.length > 20) {
      violates(scope, `${tier} network ACL ${direction} rules`, numbers.length, 'C-NACL-3', 'Amazon VPC quotas: rules per network ACL (20 per direction by default)', 'Use at most 20 rules per direction, or raise the quota and the check.');
    }
  }
}
