import { cidrContains, EPHEMERAL_PORTS, hostIn, NaclEvaluator } from './nacl';
import { CfnTemplate, NetworkResolver } from './template';
import { REGION } from '../iam';

type Json = any;

/** The system the caller runs on: it decides the ephemeral port range replies come back to. */
export type ClientOs = keyof typeof EPHEMERAL_PORTS;

/**
 * Public addresses and prefix lists of the AWS services reached through gateway endpoints, in
 * REGION (us-east-1). A gateway endpoint is a route to the service's prefix list
 * (VPC user guide, "Gateway endpoints"); security groups name it by prefix-list ID.
 */
export const GATEWAY_SERVICES = {
  s3: { serviceName: `com.amazonaws.${REGION}.s3`, prefixList: 'pl-63a5400a', ip: '52.216.8.10' },
  dynamodb: { serviceName: `com.amazonaws.${REGION}.dynamodb`, prefixList: 'pl-02cd2c6b', ip: '3.218.182.10' },
} as const;

/** Where a path goes. */
export type NetworkTarget =
  /** An interface endpoint of the template: its network interfaces in its subnets, with its security groups. */
  | { readonly kind: 'interface-endpoint'; readonly endpoint: string }
  /** An AWS service reached through a gateway endpoint route (its public addresses, its prefix list). */
  | { readonly kind: 'gateway-service'; readonly service: keyof typeof GATEWAY_SERVICES }
  /** Network interfaces in subnets of the template (an instance, a model container, a job). */
  | { readonly kind: 'interfaces'; readonly subnets: string[]; readonly securityGroups: string[] }
  /** An address outside the VPC (the internet). */
  | { readonly kind: 'address'; readonly ip: string };

/** The network leg of a path: a TCP connection from a caller's network interfaces to a target. */
export interface NetworkLeg {
  /** Subnets (logical IDs) the caller's network interfaces may be in: every one must work (OPEN) or none (CLOSED). */
  readonly fromSubnets: string[];
  /** Security groups (logical IDs) of the caller's network interfaces. */
  readonly fromSecurityGroups: string[];
  /** The caller's system: replies go to its ephemeral ports. */
  readonly clientOs: ClientOs;
  readonly to: NetworkTarget;
  /** TCP port of the target. */
  readonly port: number;
}

/** The decision of one layer for one pair of subnets. */
export interface LayerDecision {
  readonly open: boolean;
  /** The layer (`SG egress`, `SG ingress`, `NACL egress`, `NACL ingress`, `NACL reply egress`, `NACL reply ingress`, `route table`). */
  readonly layer: string;
  /** What decided, in words: the resource and rule. */
  readonly detail: string;
}

export interface NetworkDecision {
  readonly open: boolean;
  /** Every pair (caller subnet → target subnet) and the layers walked, in order; a blocked pair stops at its blocking layer. */
  readonly pairs: { from: string; to: string; layers: LayerDecision[]; open: boolean }[];
  /** The gateway or interface endpoints the traffic reaches (their policies apply to the requests). */
  readonly endpoints: string[];
}

/**
 * Evaluates the network layers of a template by their rules (VPC user guide: security groups,
 * network ACLs, route tables, gateway endpoints):
 * - security groups are stateful: egress of the caller's groups and ingress of the target's
 *   groups decide, a reply needs no rule; a rule matches by protocol, port range and CIDR,
 *   prefix list or referenced security group; any matching rule of any group allows;
 * - network ACLs are stateless: the request passes the caller subnet's egress and the target
 *   subnet's ingress; the reply passes the target subnet's egress and the caller subnet's
 *   ingress on EVERY port of the caller's ephemeral range (see nacl.ts);
 * - route tables: the caller subnet's associated table; the VPC CIDR is local; a gateway
 *   endpoint adds a route to its service's prefix list (more specific than any CIDR route);
 *   otherwise the longest matching CIDR route; no route means the packet is dropped.
 */
export class NetworkEvaluator {
  public readonly net: NetworkResolver;
  public readonly nacl: NaclEvaluator;

  constructor(template: CfnTemplate) {
    this.net = new NetworkResolver(template);
    this.nacl = new NaclEvaluator(template);
  }

  public evaluate(leg: NetworkLeg): NetworkDecision {
    const fromGroups = leg.fromSecurityGroups.map((g) => this.net.idOf(g));
    const targets = this.targetsOf(leg.to);
    const pairs: NetworkDecision['pairs'] = [];
    const endpoints = new Set<string>();
    if (leg.fromSubnets.length === 0) throw new Error('a network leg needs at least one caller subnet');
    for (const fromSubnet of leg.fromSubnets.map((s) => this.net.idOf(s))) {
      const client = hostIn(this.cidrOf(fromSubnet), 10);
      for (const target of targets) {
        const layers: LayerDecision[] = [];
        const push = (d: LayerDecision) => {
          layers.push(d);
          return d.open;
        };
        const server = target.ip;
        if (target.endpoint) endpoints.add(target.endpoint);
        const ok = push(this.securityGroups('egress', fromGroups, server, target, leg.port))
          && push(this.route(fromSubnet, server, target, endpoints))
          && (target.groups === undefined || push(this.securityGroups('ingress', target.groups, client, { groups: fromGroups }, leg.port)))
          && push(this.aclLeg('NACL egress', fromSubnet, 'egress', client, server, { from: leg.port, to: leg.port }))
          && push(this.aclLeg('NACL ingress', target.subnet, 'ingress', client, server, { from: leg.port, to: leg.port }))
          && push(this.aclLeg('NACL reply egress', target.subnet, 'egress', server, client, EPHEMERAL_PORTS[leg.clientOs]))
          && push(this.aclLeg('NACL reply ingress', fromSubnet, 'ingress', server, client, EPHEMERAL_PORTS[leg.clientOs]));
        pairs.push({ from: fromSubnet, to: target.subnet ?? server, layers, open: ok });
      }
    }
    return { open: pairs.every((p) => p.open), pairs, endpoints: [...endpoints] };
  }

  private targetsOf(to: NetworkTarget): { ip: string; subnet?: string; groups?: string[]; prefixList?: string; endpoint?: string }[] {
    switch (to.kind) {
      case 'interface-endpoint': {
        const id = this.net.idOf(to.endpoint);
        const endpoint = this.net.resources[id];
        if (endpoint?.Type !== 'AWS::EC2::VPCEndpoint' || endpoint.Properties.VpcEndpointType !== 'Interface') throw new Error(`${id} is not an interface endpoint`);
        const groups = this.net.resolve(endpoint.Properties.SecurityGroupIds ?? []) as string[];
        const subnets = this.net.resolve(endpoint.Properties.SubnetIds ?? []) as string[];
        if (subnets.length === 0) throw new Error(`interface endpoint ${id} has no subnets`);
        return subnets.map((subnet) => ({ ip: hostIn(this.cidrOf(subnet), 20), subnet, groups, endpoint: id }));
      }
      case 'interfaces':
        return to.subnets.map((s) => this.net.idOf(s)).map((subnet) => ({
          ip: hostIn(this.cidrOf(subnet), 30), subnet, groups: to.securityGroups.map((g) => this.net.idOf(g)),
        }));
      case 'gateway-service': {
        const service = GATEWAY_SERVICES[to.service];
        return [{ ip: service.ip, prefixList: service.prefixList }];
      }
      case 'address':
        return [{ ip: to.ip }];
    }
  }

  private cidrOf(subnet: string): string {
    const r = this.net.resources[subnet];
    if (r?.Type !== 'AWS::EC2::Subnet') throw new Error(`${subnet} is not a subnet of the template`);
    return this.net.resolve(r.Properties.CidrBlock);
  }

  /** Rules of a security group in one direction: inline and standalone (AWS::EC2::SecurityGroupIngress/Egress). */
  private rulesOf(group: string, direction: 'ingress' | 'egress'): Json[] {
    const r = this.net.resources[group];
    if (r?.Type !== 'AWS::EC2::SecurityGroup') throw new Error(`${group} is not a security group of the template`);
    const inline = (direction === 'egress' ? r.Properties.SecurityGroupEgress : r.Properties.SecurityGroupIngress) ?? [];
    const type = direction === 'egress' ? 'AWS::EC2::SecurityGroupEgress' : 'AWS::EC2::SecurityGroupIngress';
    const standalone = this.net.ofType(type).filter(([, p]) => this.net.resolve(p.GroupId) === group).map(([id, p]) => ({ ...p, id }));
    // A group created without rules (or with CDK's "disallow all" placeholder) and no egress
    // property at all allows all egress (AWS::EC2::SecurityGroup reference).
    if (direction === 'egress' && r.Properties.SecurityGroupEgress === undefined && standalone.length === 0) {
      return [{ IpProtocol: '-1', CidrIp: '0.0.0.0/0', Description: 'default: all traffic out' }];
    }
    return [...inline, ...standalone];
  }

  private securityGroups(direction: 'ingress' | 'egress', groups: string[], remoteIp: string,
    remote: { groups?: string[]; prefixList?: string }, port: number): LayerDecision {
    const layer = direction === 'egress' ? 'SG egress' : 'SG ingress';
    if (groups.length === 0) return { open: false, layer, detail: 'no security group' };
    for (const group of groups) {
      for (const rule of this.rulesOf(group, direction)) {
        const protocol = String(rule.IpProtocol);
        if (protocol !== '-1' && protocol !== 'tcp' && protocol !== '6') continue;
        if (protocol !== '-1' && (port < rule.FromPort || port > rule.ToPort)) continue;
        const cidr = rule.CidrIp !== undefined ? this.net.resolve(rule.CidrIp) : undefined;
        const prefixList = rule.DestinationPrefixListId ?? rule.SourcePrefixListId;
        const peerGroup = rule.DestinationSecurityGroupId ?? rule.SourceSecurityGroupId;
        const matches = (cidr !== undefined && cidrContains(cidr, remoteIp))
          || (prefixList !== undefined && this.net.resolve(prefixList) === remote.prefixList)
          || (peerGroup !== undefined && (remote.groups ?? []).includes(this.net.resolve(peerGroup)));
        if (matches) {
          const peer = cidr ?? (prefixList !== undefined ? this.net.resolve(prefixList) : this.net.resolve(peerGroup));
          return { open: true, layer, detail: `${group} ${direction}: ${protocol} ${rule.FromPort ?? 'all'}-${rule.ToPort ?? 'all'} ${direction === 'egress' ? 'to' : 'from'} ${peer}` };
        }
      }
    }
    const peer = remote.prefixList ?? (remote.groups?.length ? `${remoteIp} (${remote.groups.join(', ')})` : remoteIp);
    return { open: false, layer, detail: `${groups.join(', ')} ${direction}: no rule for ${port} ${direction === 'egress' ? 'to' : 'from'} ${peer}` };
  }

  private route(subnet: string, ip: string, target: { prefixList?: string }, endpoints: Set<string>): LayerDecision {
    const layer = 'route table';
    const associations = this.net.ofType('AWS::EC2::SubnetRouteTableAssociation').filter(([, p]) => this.net.resolve(p.SubnetId) === subnet);
    if (associations.length !== 1) throw new Error(`subnet ${subnet} has ${associations.length} route table associations (the main route table is not in the template)`);
    const table = this.net.resolve(associations[0][1].RouteTableId);
    const vpc = this.net.resolve(this.net.resources[subnet].Properties.VpcId);
    const vpcCidr = this.net.resolve(this.net.resources[vpc].Properties.CidrBlock);
    if (cidrContains(vpcCidr, ip)) return { open: true, layer, detail: `${table}: ${vpcCidr} local` };
    if (target.prefixList) {
      for (const [id, p] of this.net.ofType('AWS::EC2::VPCEndpoint')) {
        if (p.VpcEndpointType !== 'Gateway') continue;
        const service = Object.values(GATEWAY_SERVICES).find((s) => s.serviceName === this.net.resolve(p.ServiceName));
        if (service?.prefixList !== target.prefixList) continue;
        if ((this.net.resolve(p.RouteTableIds ?? []) as string[]).includes(table)) {
          endpoints.add(id);
          return { open: true, layer, detail: `${table}: ${target.prefixList} via gateway endpoint ${id}` };
        }
      }
    }
    const routes = this.net.ofType('AWS::EC2::Route')
      .filter(([, p]) => this.net.resolve(p.RouteTableId) === table && p.DestinationCidrBlock !== undefined)
      .map(([id, p]) => ({ id, cidr: this.net.resolve(p.DestinationCidrBlock) as string, p }))
      .filter((r) => cidrContains(r.cidr, ip))
      .sort((a, b) => Number(b.cidr.split('/')[1]) - Number(a.cidr.split('/')[1]));
    if (routes.length === 0) return { open: false, layer, detail: `${table}: no route to ${target.prefixList ?? ip}` };
    const best = routes[0];
    const via = ['GatewayId', 'NatGatewayId', 'TransitGatewayId', 'VpcPeeringConnectionId', 'NetworkInterfaceId', 'VpcEndpointId']
      .filter((k) => best.p[k] !== undefined).map((k) => `${k} ${JSON.stringify(best.p[k])}`).join(', ');
    return { open: true, layer, detail: `${table}: ${best.cidr} via ${via} (${best.id})` };
  }

  private aclLeg(layer: string, subnet: string | undefined, direction: 'ingress' | 'egress', source: string, destination: string,
    ports: { from: number; to: number }): LayerDecision {
    if (subnet === undefined) return { open: true, layer, detail: 'outside the VPC: no ACL of the template' };
    const inside = (ip: string) => this.nacl.subnetOf(ip);
    if (inside(source) !== undefined && inside(source) === inside(destination)) return { open: true, layer, detail: 'same subnet: not filtered' };
    const acl = this.nacl.aclOfSubnet(subnet);
    if (acl === undefined) return { open: true, layer, detail: `${subnet}: the VPC default ACL (allows all)` };
    const result = this.nacl.evaluateRange(acl, direction, { protocol: 'tcp', source, destination }, ports);
    const range = ports.from === ports.to ? `${ports.from}` : `${ports.from}-${ports.to}`;
    return {
      open: result.action === 'allow',
      layer,
      detail: result.action === 'allow'
        ? `${acl} ${direction} rule ${result.rule} allows tcp ${range} ${source} → ${destination}`
        : `${acl} ${direction} rule ${result.rule} denies tcp port ${result.port} (of ${range}) ${source} → ${destination}`,
    };
  }
}
