/**
 * Evaluates network ACLs of a synthesized template the way the VPC does, so tests decide
 * reachability by rule evaluation, not by looking for strings in the template.
 *
 * NACL semantics modelled (https://docs.aws.amazon.com/vpc/latest/userguide/nacl-rules.html):
 * - a subnet is associated with exactly one ACL (AWS::EC2::SubnetNetworkAclAssociation); a subnet
 *   without one uses the VPC's default ACL, which allows all traffic;
 * - traffic between two subnets is checked against the egress rules of the source subnet's ACL and
 *   the ingress rules of the destination subnet's ACL; traffic within one subnet is not filtered;
 * - rules are evaluated lowest rule number first; the first rule whose protocol, port range (TCP
 *   and UDP only) and CIDR (destination for egress, source for ingress) match decides; no match
 *   means the final `*` rule: deny;
 * - ACLs are stateless: a reply is a packet of its own and must pass both ACLs again.
 */

type Json = any;

export type Protocol = 'tcp' | 'udp' | 'icmp';
export type AclAction = 'allow' | 'deny';

/** The ports a client picks for its side of a TCP connection, by the system it runs on. */
export const EPHEMERAL_PORTS = {
  /** Linux (`net.ipv4.ip_local_port_range` default): 32768-60999 — EC2 instances, SageMaker containers. */
  linux: { from: 32768, to: 60999 },
  /** AWS Lambda: 1024-65535 (VPC user guide, "Network ACLs", ephemeral ports). */
  lambda: { from: 1024, to: 65535 },
  /** Windows Server 2008 and later: 49152-65535. */
  windows: { from: 49152, to: 65535 },
} as const;

export interface PortRange {
  readonly from: number;
  readonly to: number;
}

/** One packet: source and destination IPv4 addresses, protocol, destination port. */
export interface Packet {
  readonly protocol: Protocol;
  readonly source: string;
  readonly destination: string;
  /** Destination port (TCP/UDP). */
  readonly port?: number;
}

export interface AclDecision {
  readonly action: AclAction;
  /** The deciding ACL (logical ID) and rule number (`*` for the implicit deny, `default-acl` for no ACL). */
  readonly decidedBy: string[];
}

const PROTOCOL_NUMBERS: Record<Protocol, number> = { tcp: 6, udp: 17, icmp: 1 };

export function ipToNumber(ip: string): number {
  const octets = ip.split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) throw new Error(`not an IPv4 address: ${ip}`);
  return octets.reduce((n, octet) => n * 256 + octet, 0);
}

export function cidrContains(cidr: string, ip: string): boolean {
  const [base, bits] = cidr.split('/');
  const prefix = Number(bits);
  const blockSize = 2 ** (32 - prefix);
  const start = ipToNumber(base);
  const address = ipToNumber(ip);
  return address >= start && address < start + blockSize;
}

/** The n-th address of a CIDR block, e.g. hostIn('10.0.1.0/24', 10) = '10.0.1.10'. */
export function hostIn(cidr: string, n: number): string {
  const address = ipToNumber(cidr.split('/')[0]) + n;
  const ip = [3, 2, 1, 0].map((i) => Math.floor(address / 256 ** i) % 256).join('.');
  if (!cidrContains(cidr, ip)) throw new Error(`${n} is outside ${cidr}`);
  return ip;
}

export class NaclEvaluator {
  private readonly resources: Record<string, Json>;

  constructor(template: Json) {
    this.resources = template.Resources ?? {};
  }

  /** Subnets of the template: logical ID -> CIDR block. */
  public subnets(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [id, r] of Object.entries<Json>(this.resources)) {
      if (r.Type !== 'AWS::EC2::Subnet') continue;
      const cidr = r.Properties.CidrBlock;
      if (typeof cidr !== 'string') throw new Error(`subnet ${id} has no literal CidrBlock`);
      out[id] = cidr;
    }
    return out;
  }

  /** The ACL (logical ID) a subnet is associated with, or undefined for the VPC default ACL. */
  public aclOfSubnet(subnetId: string): string | undefined {
    const associations = Object.values<Json>(this.resources).filter((r) =>
      r.Type === 'AWS::EC2::SubnetNetworkAclAssociation' && r.Properties.SubnetId?.Ref === subnetId);
    if (associations.length > 1) throw new Error(`subnet ${subnetId} has ${associations.length} ACL associations`);
    return associations[0]?.Properties.NetworkAclId.Ref;
  }

  /** Evaluates one direction of one ACL for a packet. */
  public evaluate(aclId: string, direction: 'ingress' | 'egress', packet: Packet): { action: AclAction; rule: number | '*' } {
    const egress = direction === 'egress';
    const entries = Object.values<Json>(this.resources)
      .filter((r) => r.Type === 'AWS::EC2::NetworkAclEntry' && r.Properties.NetworkAclId?.Ref === aclId && (r.Properties.Egress === true) === egress)
      .map((r) => r.Properties)
      .sort((a, b) => a.RuleNumber - b.RuleNumber);
    const numbers = entries.map((e) => e.RuleNumber);
    if (new Set(numbers).size !== numbers.length) throw new Error(`${aclId} has duplicate ${direction} rule numbers: ${numbers}`);
    const remote = egress ? packet.destination : packet.source;
    for (const entry of entries) {
      if (entry.Ipv6CidrBlock !== undefined) continue; // IPv4 packets only
      if (typeof entry.CidrBlock !== 'string') throw new Error(`${aclId} rule ${entry.RuleNumber} has no literal CidrBlock`);
      if (!this.protocolMatches(Number(entry.Protocol), packet)) continue;
      if (!this.portMatches(entry, packet)) continue;
      if (!cidrContains(entry.CidrBlock, remote)) continue;
      return { action: entry.RuleAction, rule: entry.RuleNumber };
    }
    return { action: 'deny', rule: '*' };
  }

  /**
   * Evaluates one direction of one ACL for every destination port of a range (a reply to any
   * ephemeral port the client may have picked). Returns the first port that is denied, with
   * the rule that denied it, or allow with the rules that allowed.
   */
  public evaluateRange(aclId: string, direction: 'ingress' | 'egress', packet: Omit<Packet, 'port'>, ports: PortRange):
  { action: AclAction; rule: number | '*'; port?: number } {
    // The decision can only change where some rule's port range starts or ends: one port per segment.
    const cuts = new Set<number>([ports.from]);
    for (const r of Object.values<Json>(this.resources)) {
      if (r.Type !== 'AWS::EC2::NetworkAclEntry' || r.Properties.NetworkAclId?.Ref !== aclId || !r.Properties.PortRange) continue;
      for (const p of [r.Properties.PortRange.From, r.Properties.PortRange.To + 1]) if (p > ports.from && p <= ports.to) cuts.add(p);
    }
    const rules = new Set<number | '*'>();
    for (const port of [...cuts].sort((a, b) => a - b)) {
      const result = this.evaluate(aclId, direction, { ...packet, port });
      if (result.action === 'deny') return { ...result, port };
      rules.add(result.rule);
    }
    return { action: 'allow', rule: [...rules].join('+') as any };
  }

  /** Whether a packet passes the ACLs between the subnets of its source and destination. */
  public decide(packet: Packet): AclDecision {
    const from = this.subnetOf(packet.source);
    const to = this.subnetOf(packet.destination);
    if (from !== undefined && from === to) return { action: 'allow', decidedBy: ['same subnet'] };
    const decidedBy: string[] = [];
    for (const [subnet, direction] of [[from, 'egress'], [to, 'ingress']] as const) {
      if (subnet === undefined) continue; // outside the VPC's subnets: not our ACLs
      const acl = this.aclOfSubnet(subnet);
      if (acl === undefined) {
        decidedBy.push(`${subnet}: default-acl`);
        continue;
      }
      const result = this.evaluate(acl, direction, packet);
      decidedBy.push(`${acl} ${direction} ${result.rule}`);
      if (result.action === 'deny') return { action: 'deny', decidedBy };
    }
    return { action: 'allow', decidedBy };
  }

  /**
   * Whether a TCP connection from `client` to `server:port` works: the request passes both
   * ACLs, and so does the reply (from `server:port` to the client's ephemeral port).
   */
  public tcpConnection(client: string, server: string, port: number, ephemeralPort = 40_000): AclAction {
    const request = this.decide({ protocol: 'tcp', source: client, destination: server, port });
    const reply = this.decide({ protocol: 'tcp', source: server, destination: client, port: ephemeralPort });
    return request.action === 'allow' && reply.action === 'allow' ? 'allow' : 'deny';
  }

  /** The subnet (logical ID) an address is in, or undefined outside the template's subnets. */
  public subnetOf(ip: string): string | undefined {
    const matches = Object.entries(this.subnets()).filter(([, cidr]) => cidrContains(cidr, ip));
    if (matches.length > 1) throw new Error(`${ip} is in more than one subnet: ${matches.map(([id]) => id)}`);
    return matches[0]?.[0];
  }

  private protocolMatches(protocol: number, packet: Packet): boolean {
    return protocol === -1 || protocol === PROTOCOL_NUMBERS[packet.protocol];
  }

  private portMatches(entry: Json, packet: Packet): boolean {
    const protocol = Number(entry.Protocol);
    if (protocol !== 6 && protocol !== 17) return true; // ports apply to TCP and UDP rules only
    if (!entry.PortRange) throw new Error(`rule ${entry.RuleNumber} for protocol ${protocol} has no PortRange`);
    if (packet.port === undefined) throw new Error('a TCP/UDP packet needs a port');
    return packet.port >= entry.PortRange.From && packet.port <= entry.PortRange.To;
  }
}
