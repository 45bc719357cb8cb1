import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { Rendered } from '../render';
import { Subject, asList, flatten, targetOf } from '../values';

/** CDK's placeholder egress rule when allowAllOutbound is false: matches no traffic. */
const PLACEHOLDER = '255.255.255.255/32';

/** Whether an egress rule allows HTTPS (TCP 443, or all traffic), ignoring CDK's placeholder. */
function allowsHttps(rule: any): boolean {
  if (rule?.CidrIp === PLACEHOLDER) return false;
  const protocol = String(rule?.IpProtocol ?? '');
  if (protocol === '-1' || protocol.toLowerCase() === 'all') return true;
  if (protocol !== 'tcp' && protocol !== '6') return false;
  return Number(rule.FromPort ?? 0) <= 443 && 443 <= Number(rule.ToPort ?? 65535);
}

const PRIVATE = /^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.)/;

/**
 * Whether an HTTPS egress rule reaches S3: to anywhere (0.0.0.0/0, ::/0), to a prefix list (the S3
 * gateway endpoint's), to a public CIDR (S3's ranges cannot be told apart at synth), or, inside
 * the VPC (a private CIDR, the VPC's CIDR, a security group), only when the app has an S3
 * interface endpoint there. A gateway endpoint is reached on S3's public addresses, not in the VPC.
 */
function reachesS3(s: Subject, rule: any, s3Interface: { groups: Set<unknown>; present: boolean }): boolean {
  if (!allowsHttps(rule)) return false;
  if (rule.CidrIp === '0.0.0.0/0' || rule.CidrIpv6 === '::/0' || rule.DestinationPrefixListId !== undefined) return true;
  if (rule.DestinationSecurityGroupId !== undefined) {
    const group = targetOf(s.index, s.r.stack, rule.DestinationSecurityGroupId);
    return group !== undefined && s3Interface.groups.has(group.node);
  }
  if (typeof rule.CidrIp === 'string' && !PRIVATE.test(rule.CidrIp)) return true;
  return s3Interface.present;
}

/** The egress rules of a security group of the app: inline, and AWS::EC2::SecurityGroupEgress resources. */
function egressOf(s: Subject, group: Rendered): any[] | undefined {
  const separate = s.index.ofType('AWS::EC2::SecurityGroupEgress')
    .filter((e) => targetOf(s.index, e.stack, e.props.GroupId)?.node === group.node).map((e) => e.props);
  const inline = group.props.SecurityGroupEgress;
  // A group declared with no egress rule at all keeps EC2's default: all outbound traffic allowed.
  if (inline === undefined && separate.length === 0) return undefined;
  return [...asList(inline), ...separate];
}

/** A SageMaker model in a VPC can reach S3 (model artifacts) through its security groups. */
export const PreflightSageMakerModelS3Path: AiSecRule = defineRule({
  name: 'PreflightSageMakerModelS3Path',
  level: Level.ERROR,
  preflight: true,
  resourceTypes: ['AWS::SageMaker::Model'],
  info: 'The SageMaker model runs in a VPC whose security groups (all in the app) allow no outbound HTTPS to S3, so the endpoint cannot download the model artifacts.',
  rationale: 'A model with a VpcConfig reaches S3 (model artifacts) and ECR from its subnets, through its security groups and a VPC endpoint; with no outbound TCP 443 the endpoint deploys and never becomes InService (the rollback takes the full startup timeout). Allow egress on 443 to the S3 gateway endpoint prefix list (a gateway endpoint is reached on S3\'s public addresses, so egress to the VPC CIDR does not reach it), or to the security group of an S3 interface endpoint.',
  guide: 'Network Segmentation ("Use VPC endpoints") with a path the model actually needs',
  controls: ['preflight: deploy-time constraint, no compliance control'],
  source: 'Amazon SageMaker AI Developer Guide, "Give SageMaker AI hosted endpoints access to resources in your Amazon VPC" (https://docs.aws.amazon.com/sagemaker/latest/dg/host-vpc.html), "Create an Amazon S3 VPC endpoint"; Amazon VPC User Guide, "Security group rules" (default outbound rule)',
  judge: (s) => {
    const groups = s.r.props.VpcConfig?.SecurityGroupIds;
    if (!Array.isArray(groups) || groups.length === 0) return NA;
    const found = groups.map((g) => targetOf(s.index, s.r.stack, g));
    if (found.some((g) => g?.type !== 'AWS::EC2::SecurityGroup')) return NA; // a group outside the app may allow it
    const endpoints = s.index.ofType('AWS::EC2::VPCEndpoint').filter((e) => /\.s3$/.test(flatten(s.index, e.stack, e.props.ServiceName))
      && e.props.VpcEndpointType === 'Interface');
    const s3Interface = {
      present: endpoints.length > 0,
      groups: new Set<unknown>(endpoints.flatMap((e) => asList(e.props.SecurityGroupIds).map((g) => targetOf(s.index, e.stack, g)?.node))
        .filter((n) => n !== undefined)),
    };
    const open = found.some((g) => {
      const egress = egressOf(s, g!);
      return egress === undefined || egress.some((rule) => reachesS3({ r: g!, index: s.index }, rule, s3Interface));
    });
    return open ? OK : fail(`no egress rule of security group ${found.map((g) => g!.logicalId).join(', ')} allows HTTPS to S3 `
      + '(to 0.0.0.0/0 or the S3 gateway endpoint prefix list, or to an S3 interface endpoint of the app)');
  },
});
