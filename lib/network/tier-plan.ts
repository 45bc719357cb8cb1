import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { formatCidr, Ipv4Block, size } from './cidr';
import { invalidProp } from '../private/errors';

/** Subnet slots reserved per tier: one per Availability Zone, up to four. */
export const AZ_SLOTS = 4;

/** A tier to place: its subnet group name, the prop its mask comes from, and the mask. */
export type TierRequest = [tier: string, prop: string, mask: number];

/**
 * Reserves an aligned block per tier (four subnet slots), in the order given, so that each tier
 * is one CIDR in NACL and security-group rules and growing to more zones moves nothing.
 */
export function planTiers(scope: Construct, cidr: string, vpc: Ipv4Block, tiers: TierRequest[]): Map<string, Ipv4Block> {
  const blocks = new Map<string, Ipv4Block>();
  let next = vpc.network;
  for (const [tier, prop, mask] of tiers) {
    if (!Number.isInteger(mask) || mask < 16 || mask > 28) {
      invalidProp(scope, prop, mask, 'AWS subnets are /16 to /28: give a prefix length in that range.');
    }
    const prefix = mask - Math.log2(AZ_SLOTS);
    const blockSize = size(prefix);
    const start = Math.ceil(next / blockSize) * blockSize;
    if (prefix < vpc.prefix || start + blockSize > vpc.network + size(vpc.prefix)) {
      invalidProp(scope, prop, mask,
        `${AZ_SLOTS} subnets of /${mask} for the ${tier.toLowerCase()} tier do not fit in ${cidr} after the tiers before it: use a longer prefix (smaller subnets) or a larger \`cidr\`.`);
    }
    blocks.set(tier, { network: start, prefix });
    next = start + blockSize;
  }
  return blocks;
}

/**
 * Places each tier's subnets in the tier's reserved block: subnet i of a tier (zone i) gets
 * slot i of the block.
 */
export class TierPlan implements ec2.IIpAddresses {
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
