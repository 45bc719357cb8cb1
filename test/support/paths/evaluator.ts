import { applyEncryptionContext } from './encryption-context';
import { NetworkEvaluator, NetworkLeg, LayerDecision } from './network';
import { CfnTemplate } from './template';
import { ACCOUNT, PolicySimulator, SimulationResult } from '../iam';

type Json = any;

/** Who signs a request, as AWS really signs it. */
export type Caller =
  /** A role of the template (execution role, pipeline role): its identity policies and permissions boundary apply. */
  | { readonly role: string }
  /**
   * An AWS service principal (`cloudtrail.amazonaws.com`) with the context keys that service
   * sends (`aws:SourceAccount`, `aws:SourceArn`); it has no identity policy.
   */
  | { readonly service: string }
  /**
   * Any other principal by ARN (another account's role, the ECR-owned account that signs the
   * presigned layer URLs), with the identity policies it has in its own account.
   */
  | { readonly arn: string; readonly identityPolicies?: unknown[] };

/** One API request of a path, decided by the IAM simulator. */
export interface PathRequest {
  readonly caller: Caller;
  readonly action: string;
  /** ARN of the resource (resolve with `PathEvaluator.arn(logicalId)`). */
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
  /** The resource policy when it is not in the template (a log group's, an AWS-owned bucket's). */
  readonly resourcePolicy?: unknown;
  /** Account owning the resource when its ARN names none (S3). */
  readonly resourceAccount?: string;
  /**
   * The request goes through the VPC endpoint the network leg reaches (its policy applies), or
   * through the named endpoint (logical ID) without a network leg.
   * @default - no endpoint: the request comes from an AWS service or outside the VPC
   */
  readonly throughEndpoint?: true | string;
}

/** A path of a table: who calls what from where, and whether it must work. */
export interface PathSpec {
  /** What the path is, in words a reviewer recognises ("training job reads its dataset"). */
  readonly name: string;
  readonly expect: 'OPEN' | 'CLOSED';
  /** The network leg, when the caller is in the VPC. */
  readonly network?: NetworkLeg;
  /** The requests the path makes; all must be allowed for the path to be open. */
  readonly requests?: PathRequest[];
  /** Documented requirements of the destination itself (see DESTINATION_RULES). */
  readonly destination?: { readonly rule: keyof typeof DESTINATION_RULES; readonly resource: string };
}

/**
 * Requirements a destination must meet for a service to deliver to it at all, whatever the
 * policies say; each returns why delivery fails, or undefined.
 */
export const DESTINATION_RULES = {
  /**
   * S3 server access logs: the destination must be a general purpose bucket of the same account
   * and Region, with SSE-S3 default encryption (SSE-KMS is not supported) and without Object Lock
   * (S3 user guide, "Enabling Amazon S3 server access logging", "Permissions for log delivery"
   * and "Object Lock considerations").
   */
  's3-access-log-destination': (resource: Json): string | undefined => {
    if (resource?.Type !== 'AWS::S3::Bucket') return 'not a bucket of the template';
    const p = resource.Properties ?? {};
    if (p.ObjectLockEnabled === true || p.ObjectLockEnabled === 'true') return 'ObjectLockEnabled: a bucket with Object Lock cannot receive server access logs';
    const algorithm = p.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.SSEAlgorithm;
    if (algorithm !== undefined && algorithm !== 'AES256') return `default encryption ${algorithm}: server access logs need SSE-S3 (AES256)`;
    return undefined;
  },
  /** AWS WAF logging to CloudWatch Logs: the log group name must start with `aws-waf-logs-` (WAF developer guide, "CloudWatch Logs"). */
  'waf-log-group': (resource: Json): string | undefined => {
    if (resource?.Type !== 'AWS::Logs::LogGroup') return 'not a log group of the template';
    const name = resource.Properties?.LogGroupName;
    return typeof name === 'string' && name.startsWith('aws-waf-logs-') ? undefined : `log group name ${JSON.stringify(name)} does not start with aws-waf-logs-`;
  },
  /**
   * API Gateway execution logging: the account and Region must name a CloudWatch Logs role
   * (AWS::ApiGateway::Account CloudWatchRoleArn), or deploying a stage with logging fails with
   * "CloudWatch Logs role ARN must be set in account settings to enable logging" (API Gateway
   * developer guide, "Set up CloudWatch logging for REST APIs"); and the service writes to
   * `API-Gateway-Execution-Logs_{rest-api-id}/{stage}`, which is owned (KMS-encrypted, with a
   * retention) only when the stack creates it under that name.
   */
  'apigateway-execution-logs': (resource: Json, id: string, template: CfnTemplate): string | undefined => {
    if (resource?.Type !== 'AWS::ApiGateway::Stage') return 'not a stage of the template';
    const accounts = Object.values(template.Resources).filter((r) => r.Type === 'AWS::ApiGateway::Account' && r.Properties?.CloudWatchRoleArn);
    if (accounts.length === 0) return `no AWS::ApiGateway::Account with a CloudWatchRoleArn: the stage ${id} cannot enable execution logging in a fresh account`;
    const sim = new PolicySimulator(template);
    const expected = `API-Gateway-Execution-Logs_${sim.resolve(resource.Properties.RestApiId)}/${resource.Properties.StageName}`;
    const nameOf = (r: Json) => {
      try {
        return sim.resolve(r.Properties?.LogGroupName);
      } catch {
        return undefined; // a name the simulator cannot resolve is not this one
      }
    };
    const owned = Object.values(template.Resources).some((r) => r.Type === 'AWS::Logs::LogGroup' && r.Properties?.KmsKeyId && r.Properties?.RetentionInDays
      && nameOf(r) === expected);
    return owned ? undefined : `no KMS-encrypted log group named ${expected} with a retention: the service creates one, unencrypted, never expiring`;
  },
} as const;

/** The decision on a path, naming the layer and the rule that decided. */
export interface PathResult {
  readonly open: boolean;
  /** For a closed path: the first blocking layer (`SG egress`, `NACL reply ingress`, `route table`, `endpoint policy`, …). */
  readonly blockedBy?: string;
  /** One line per layer walked: `<layer>: <what decided>`. */
  readonly explanation: string[];
}

/**
 * Decides paths on synthesized templates through every layer that can block them: the network
 * layers by rule evaluation (network.ts), the IAM layers — identity policies, permissions
 * boundaries, resource policies (bucket, key, topic, queue, repository, API, trust policy for
 * `sts:AssumeRole`) and VPC endpoint policies — with the IAM simulator (../iam.ts).
 */
export class PathEvaluator {
  public readonly network: NetworkEvaluator;
  public readonly sim: PolicySimulator;

  constructor(public readonly template: CfnTemplate) {
    this.network = new NetworkEvaluator(template);
    this.sim = new PolicySimulator(template);
  }

  /** The ARN the simulator gives a resource of the template. */
  public arn(logicalId: string): string {
    return this.sim.arnOfResource(logicalId);
  }

  /** The single resource of a type whose logical ID starts with `prefix` (throws unless exactly one). */
  public id(type: string, prefix = ''): string {
    const ids = Object.entries(this.template.Resources).filter(([id, r]) => r.Type === type && id.startsWith(prefix)).map(([id]) => id);
    if (ids.length !== 1) throw new Error(`${ids.length} resources of type ${type} start with "${prefix}": ${ids.join(', ')}`);
    return ids[0];
  }

  /** Every resource of a type. */
  public ids(type: string): string[] {
    return Object.entries(this.template.Resources).filter(([, r]) => r.Type === type).map(([id]) => id);
  }

  public async evaluate(path: PathSpec): Promise<PathResult> {
    const explanation: string[] = [];
    let endpoints: string[] = [];
    if (path.network) {
      const decision = this.network.evaluate(path.network);
      endpoints = decision.endpoints;
      const blocked = decision.pairs.find((p) => !p.open);
      const shown = blocked ?? decision.pairs[0];
      explanation.push(...shown.layers.map((l: LayerDecision) => `${l.layer}: ${l.detail} [${shown.from} → ${shown.to}]`));
      if (path.expect === 'CLOSED' && decision.pairs.some((p) => p.open)) {
        // A forbidden path is closed only when no pair of subnets gets through.
        const open = decision.pairs.find((p) => p.open)!;
        explanation.push(`network open from ${open.from} to ${open.to}`);
      }
      if (blocked) return { open: false, blockedBy: blocked.layers[blocked.layers.length - 1].layer, explanation };
    }
    if (path.destination) {
      const { rule, resource } = path.destination;
      const why = DESTINATION_RULES[rule](this.template.Resources[resource], resource, this.template);
      explanation.push(`destination ${path.destination.resource}: ${why ?? `meets ${path.destination.rule}`}`);
      if (why) return { open: false, blockedBy: 'destination', explanation };
    }
    for (const request of path.requests ?? []) {
      const result = await this.simulate(request, endpoints);
      let layer = this.layerOf(request, result);
      if (!layer && result.decision !== 'Allowed') {
        // No per-policy analysis (a wildcard-only action such as cloudwatch:PutMetricData): decide
        // the layer by simulating again without the endpoint policy.
        const withoutEndpoint = await this.simulate({ ...request, throughEndpoint: undefined }, []);
        layer = withoutEndpoint.decision === 'Allowed'
          ? { layer: 'endpoint policy', detail: 'allowed without the VPC endpoint policy, denied with it' }
          : { layer: 'identity policy', detail: 'denied without any endpoint policy: no identity statement allows it (no resource policy applies to "*")' };
      }
      explanation.push(`${request.action} on ${request.resource}: ${result.decision}${layer ? ` (${layer.detail})` : ''}`);
      if (result.decision !== 'Allowed') return { open: false, blockedBy: layer?.layer ?? 'IAM', explanation };
    }
    return { open: true, explanation };
  }

  private async simulate(request: PathRequest, networkEndpoints: string[]): Promise<SimulationResult> {
    const endpointIds = request.throughEndpoint === true ? networkEndpoints
      : typeof request.throughEndpoint === 'string' ? [request.throughEndpoint] : [];
    if (request.throughEndpoint === true && endpointIds.length === 0) throw new Error(`${request.action}: the network leg reaches no VPC endpoint`);
    const vpcEndpointPolicies = endpointIds.map((id) => {
      const policy = this.template.Resources[id]?.Properties?.PolicyDocument;
      // An endpoint without a policy has the default policy: full access (VPC user guide, "Control access to VPC endpoints").
      return policy ? this.sim.resolve(policy) : { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] };
    });
    const caller = request.caller;
    const context: Record<string, string | string[]> = { ...request.context };
    if (endpointIds.length > 0) {
      // Requests through an endpoint carry its ID (aws:SourceVpce) and VPC (aws:SourceVpc).
      const vpc = this.template.Resources[endpointIds[0]].Properties.VpcId;
      context['aws:SourceVpce'] ??= this.sim.resolve({ Ref: endpointIds[0] });
      if (vpc) context['aws:SourceVpc'] ??= this.sim.resolve(vpc);
    }
    // Key policies: decide kms:EncryptionContext conditions here (see encryption-context.ts).
    let resourcePolicy = request.resourcePolicy;
    const encryptionContext = Object.fromEntries(Object.entries(context).filter(([k]) => k.toLowerCase().startsWith('kms:encryptioncontext:')));
    if (Object.keys(encryptionContext).length > 0) {
      const keyId = Object.keys(this.template.Resources).find((id) => this.template.Resources[id].Type === 'AWS::KMS::Key' && this.arn(id) === request.resource);
      if (!keyId && resourcePolicy === undefined) throw new Error(`an encryption context is given, but ${request.resource} is no key of the template`);
      const keyPolicy = resourcePolicy ?? this.sim.resolve(this.template.Resources[keyId!].Properties.KeyPolicy);
      resourcePolicy = applyEncryptionContext(keyPolicy, encryptionContext);
      for (const k of Object.keys(encryptionContext)) delete context[k];
    }
    const base = {
      action: request.action,
      resource: request.resource,
      context,
      resourcePolicy,
      resourceAccount: request.resourceAccount,
      vpcEndpointPolicies: vpcEndpointPolicies.length > 0 ? vpcEndpointPolicies : undefined,
    };
    if ('role' in caller) return this.sim.simulate({ ...base, principal: { templateLogicalId: caller.role } }, { allowIgnoredContextKeys: true });
    if ('service' in caller) return this.sim.simulate({ ...base, principal: caller.service }, { allowIgnoredContextKeys: true });
    return this.sim.simulate({ ...base, principal: caller.arn, identityPolicies: caller.identityPolicies ?? [] }, { allowIgnoredContextKeys: true });
  }

  /** The layer that decided a simulated request, from the simulator's analysis. */
  private layerOf(request: PathRequest, result: SimulationResult): { layer: string; detail: string } | undefined {
    const a = result.analysis;
    if (!a) return undefined;
    const resourceLayer = request.action === 'sts:AssumeRole' ? 'trust policy' : 'resource policy';
    const layers: [string, Json][] = [
      ['endpoint policy', a.endpointAnalysis],
      ['permissions boundary', a.permissionBoundaryAnalysis],
      [resourceLayer, a.resourceAnalysis],
      ['identity policy', a.identityAnalysis],
    ];
    const sids = (statements: Json[] | undefined) => (statements ?? [])
      .map((s) => `${s.policyId ?? 'policy'}${s.statement?.sid?.() ? `:${s.statement.sid()}` : ''}`).join(', ');
    if (result.decision === 'Allowed') {
      const allowedBy = layers.filter(([, x]) => x?.allowStatements?.length).map(([name, x]) => `${name} ${sids(x.allowStatements)}`);
      return { layer: '', detail: `allowed by ${allowedBy.join('; ')}` };
    }
    for (const [name, x] of layers) {
      if (x?.denyStatements?.length) return { layer: name, detail: `explicit deny in ${name} ${sids(x.denyStatements)}` };
    }
    // Guardrails that allow nothing for this request: the endpoint policy, then the boundary.
    if (a.endpointAnalysis && a.endpointAnalysis.result !== 'Allowed') return { layer: 'endpoint policy', detail: 'no statement of the VPC endpoint policy allows it' };
    if (a.permissionBoundaryAnalysis && a.permissionBoundaryAnalysis.result !== 'Allowed') return { layer: 'permissions boundary', detail: 'no statement of the permissions boundary allows it' };
    const blocked = (a.blockedBy ?? []) as string[];
    const names: Record<string, string> = { vpce: 'endpoint policy', pb: 'permissions boundary', resource: resourceLayer, identity: 'identity policy' };
    if (blocked.length > 0) {
      const layer = names[blocked[0]] ?? blocked[0];
      return { layer, detail: `no statement of the ${blocked.map((b) => names[b] ?? b).join(' and ')} allows it` };
    }
    if ('service' in request.caller) return { layer: resourceLayer, detail: `no statement of the ${resourceLayer} allows ${request.caller.service}` };
    const crossAccount = a.sameAccount === false;
    if (crossAccount && a.resourceAnalysis?.result !== 'Allowed' && a.resourceAnalysis?.result !== 'AllowedForAccount') {
      return { layer: resourceLayer, detail: `cross-account: no statement of the ${resourceLayer} allows it` };
    }
    if (crossAccount) return { layer: 'identity policy', detail: 'cross-account: no statement of the identity policy allows it' };
    return { layer: 'identity policy', detail: `neither an identity policy nor the ${resourceLayer} allows it (account ${ACCOUNT})` };
  }
}
