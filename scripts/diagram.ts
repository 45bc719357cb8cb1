/**
 * Draws docs/architecture.svg from the synthesized templates of the example app, so the picture
 * cannot drift from the code: the network tiers of each SegmentedAiVpc, the request path of an
 * inference call and the control at each step are read from resource types and properties
 * (subnet tags, network ACL entries, WAF rules, API Gateway methods and stages, SageMaker endpoint
 * configs, CloudTrail trails), never written down here.
 *
 * Run: `npx projen docs` (or `npx ts-node --transpile-only scripts/diagram.ts [cdk.out dir]`).
 * Without a directory it runs `npx cdk synth -q` into a temporary directory first.
 * test/docs/architecture.test.ts fails when the committed SVG is stale.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const ARCHITECTURE_SVG = path.join(__dirname, '..', 'docs', 'architecture.svg');
const ROOT = path.join(__dirname, '..');

// ---------------------------------------------------------------------------------------------
// Templates

/** One resource of a synthesized template. */
export interface CfnRes {
  readonly Type: string;
  readonly Properties?: any;
}

/** One synthesized stack. */
export interface StackTemplate {
  readonly stackName: string;
  readonly resources: Record<string, CfnRes>;
  readonly outputs: Record<string, any>;
}

/** Synthesizes the cdk.json app (every check runs) into `outdir`. */
export function synthesize(outdir: string): void {
  execFileSync('npx', ['cdk', 'synth', '-q', '-o', outdir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
}

/** Reads every stack template of a cloud assembly directory (nested assemblies, e.g. stages, included). */
export function loadTemplates(outdir: string): StackTemplate[] {
  const result: StackTemplate[] = [];
  const visit = (dir: string) => {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
    for (const [name, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
      if (artifact.type === 'aws:cloudformation:stack') {
        const template = JSON.parse(fs.readFileSync(path.join(dir, artifact.properties.templateFile), 'utf8'));
        result.push({
          stackName: artifact.properties.stackName ?? name,
          resources: template.Resources ?? {},
          outputs: template.Outputs ?? {},
        });
      } else if (artifact.type === 'cdk:cloud-assembly') {
        visit(path.join(dir, artifact.properties.directoryName));
      }
    }
  };
  visit(outdir);
  return result.sort((a, b) => a.stackName.localeCompare(b.stackName));
}

// ---------------------------------------------------------------------------------------------
// Reading templates

interface Located {
  readonly stack: StackTemplate;
  readonly id: string;
  readonly res: CfnRes;
}

const tagOf = (res: CfnRes, key: string): string | undefined => {
  const tags = res.Properties?.Tags;
  if (!Array.isArray(tags)) return undefined;
  const tag = tags.find((t: any) => t?.Key === key);
  return typeof tag?.Value === 'string' ? tag.Value : undefined;
};

const byType = (stack: StackTemplate, type: string): Located[] =>
  Object.entries(stack.resources).filter(([, r]) => r.Type === type).map(([id, res]) => ({ stack, id, res }));

/** The resource a value points at: Ref, GetAtt, and cross-stack Fn::GetStackOutput / Fn::ImportValue. */
function target(stacks: StackTemplate[], stack: StackTemplate, value: any, depth = 0): Located | undefined {
  if (value === null || typeof value !== 'object' || depth > 5) return undefined;
  const local = (id: string) => (stack.resources[id] ? { stack, id, res: stack.resources[id] } : undefined);
  if (typeof value.Ref === 'string') return local(value.Ref);
  if (Array.isArray(value['Fn::GetAtt'])) return local(value['Fn::GetAtt'][0]);
  const out = value['Fn::GetStackOutput'];
  if (out && typeof out.StackName === 'string') {
    const other = stacks.find((s) => s.stackName === out.StackName);
    const output = other?.outputs[out.OutputName];
    return other && output ? target(stacks, other, output.Value, depth + 1) : undefined;
  }
  if (value['Fn::ImportValue'] !== undefined) {
    const name = JSON.stringify(value['Fn::ImportValue']);
    for (const other of stacks) {
      for (const output of Object.values<any>(other.outputs)) {
        if (output?.Export && JSON.stringify(output.Export.Name) === name) return target(stacks, other, output.Value, depth + 1);
      }
    }
  }
  return undefined;
}

/** True when `value` (any CloudFormation expression) mentions the logical ID. */
const mentions = (value: any, id: string): boolean => JSON.stringify(value ?? null).includes(`"${id}"`);

/** A literal rendering of a value: strings as they are, pseudo parameters as <Region>, anything else as "…". */
function literal(value: any): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value && typeof value.Ref === 'string' && value.Ref.startsWith('AWS::')) return `<${value.Ref.slice(5)}>`;
  if (value && Array.isArray(value['Fn::Join'])) return (value['Fn::Join'][1] as any[]).map(literal).join(value['Fn::Join'][0]);
  return '…';
}

// ---------------------------------------------------------------------------------------------
// The model drawn

/** One tier (subnet group) of a VPC. */
export interface TierModel {
  readonly name: string;
  readonly subnets: { cidr: string; az: string; isolated: boolean; publicIp: boolean }[];
  readonly naclRules?: number;
  readonly naclDeniesRestOfVpc: boolean;
  readonly securityGroup?: string;
  readonly interfaceEndpoints: string[];
  /** Condition keys every interface endpoint policy of the tier uses (empty: no policy or unconditional). */
  readonly endpointPolicyKeys: string[];
  /** Private DNS on every interface endpoint of the tier. */
  readonly endpointPrivateDns: boolean;
}

/** One VPC. */
export interface NetworkModel {
  readonly stackName: string;
  readonly stage: string;
  readonly cidr: string;
  readonly tiers: TierModel[];
  readonly gatewayEndpoints: string[];
  readonly flowLog?: string;
  readonly internetGateway: boolean;
  readonly natGateways: number;
  readonly defaultSecurityGroupRestricted: boolean;
}

/** One step of the inference request path. */
export interface PathStep {
  readonly title: string;
  readonly where: string;
  readonly tier?: string;
  readonly controls: { label: string; kind: ControlKind }[];
}

/** What kind of control a label is (the badge colour). */
export type ControlKind = 'network' | 'identity' | 'encryption' | 'logging' | 'edge' | 'resilience';

/** Everything the picture shows. */
export interface ArchitectureModel {
  readonly stackCount: number;
  readonly resourceCount: number;
  readonly stages: { stage: string; cidr: string; stackName: string }[];
  readonly detailStage?: string;
  readonly network?: NetworkModel;
  readonly networks: NetworkModel[];
  readonly crossStageLinks: number;
  readonly requestPath: PathStep[];
  readonly capture?: PathStep;
  readonly around: { title: string; lines: { label: string; kind: ControlKind }[] }[];
}

const SERVICE_NAMES: Record<string, string> = {
  'sagemaker.api': 'SageMaker API',
  'sagemaker.runtime': 'SageMaker Runtime',
  'execute-api': 'execute-api',
  'ecr.api': 'ECR API',
  'ecr.dkr': 'ECR Docker',
  'kms': 'KMS',
  'logs': 'CloudWatch Logs',
  'monitoring': 'CloudWatch',
  'sts': 'STS',
  's3': 'S3',
};

/** The condition keys an endpoint policy restricts with (what its statements require of a caller). */
function policyKeys(res: CfnRes): string[] {
  const keys = new Set<string>();
  for (const st of res.Properties?.PolicyDocument?.Statement ?? []) {
    for (const op of Object.values<any>(st.Condition ?? {})) for (const key of Object.keys(op)) keys.add(key);
  }
  return [...keys].sort();
}

function serviceOf(res: CfnRes): string {
  const name = literal(res.Properties?.ServiceName);
  const short = name.replace(/^.*<Region>\./, '').replace(/^com\.amazonaws\.[^.]+\./, '');
  return SERVICE_NAMES[short] ?? short;
}

function tierOfSubnet(res: CfnRes): string {
  return tagOf(res, 'aws-cdk:subnet-name') ?? tagOf(res, 'Name')?.split('/').pop() ?? 'subnets';
}

/** The stage of a stack: a Stage tag on its resources, else a stage name as a word of the stack name. */
function stageOfStack(stack: StackTemplate, stages: string[]): string | undefined {
  for (const res of Object.values(stack.resources)) {
    const stage = tagOf(res, 'Stage');
    if (stage) return stage;
  }
  const words = stack.stackName.toLowerCase().split(/[^a-z0-9]+/);
  return stages.find((s) => words.includes(s.toLowerCase()));
}

function readNetwork(stacks: StackTemplate[], vpc: Located): NetworkModel {
  const stack = vpc.stack;
  const cidr = literal(vpc.res.Properties?.CidrBlock);
  const inVpc = (type: string) => byType(stack, type).filter((r) => mentions(r.res.Properties?.VpcId, vpc.id));
  const subnets = inVpc('AWS::EC2::Subnet');
  const tierNames = [...new Set(subnets.map((s) => tierOfSubnet(s.res)))];
  const routeTables = byType(stack, 'AWS::EC2::SubnetRouteTableAssociation');
  const isolatedSubnet = (subnetId: string) => {
    const rtIds = routeTables.filter((a) => mentions(a.res.Properties?.SubnetId, subnetId))
      .map((a) => target(stacks, stack, a.res.Properties?.RouteTableId)?.id);
    return !byType(stack, 'AWS::EC2::Route').some((r) => rtIds.some((rt) => rt && mentions(r.res.Properties?.RouteTableId, rt))
      && (r.res.Properties?.GatewayId || r.res.Properties?.NatGatewayId));
  };
  const interfaceEndpoints = inVpc('AWS::EC2::VPCEndpoint');
  const tiers: TierModel[] = tierNames.map((name) => {
    const own = subnets.filter((s) => tierOfSubnet(s.res) === name);
    const aclIds = [...new Set(byType(stack, 'AWS::EC2::SubnetNetworkAclAssociation')
      .filter((a) => own.some((s) => mentions(a.res.Properties?.SubnetId, s.id)))
      .map((a) => target(stacks, stack, a.res.Properties?.NetworkAclId)?.id)
      .filter((id): id is string => !!id))];
    const entries = byType(stack, 'AWS::EC2::NetworkAclEntry').filter((e) => aclIds.some((acl) => mentions(e.res.Properties?.NetworkAclId, acl)));
    const endpointsHere = interfaceEndpoints.filter((e) => e.res.Properties?.VpcEndpointType === 'Interface'
      && own.some((s) => mentions(e.res.Properties?.SubnetIds, s.id)));
    const sgs = inVpc('AWS::EC2::SecurityGroup').filter((sg) => endpointsHere.length > 0
      ? endpointsHere.some((e) => mentions(e.res.Properties?.SecurityGroupIds, sg.id))
      : (tagOf(sg.res, 'Name') ?? `${sg.id} ${sg.res.Properties?.GroupDescription ?? ''}`).toLowerCase().startsWith(name.toLowerCase())
        || String(sg.res.Properties?.GroupDescription ?? '').toLowerCase().startsWith(`${name.toLowerCase()} tier`));
    const sg = sgs[0];
    let sgText: string | undefined;
    if (sg) {
      const ingress = [...(sg.res.Properties?.SecurityGroupIngress ?? []),
        ...byType(stack, 'AWS::EC2::SecurityGroupIngress').filter((r) => mentions(r.res.Properties?.GroupId, sg.id)).map((r) => r.res.Properties)];
      const egress = (sg.res.Properties?.SecurityGroupEgress ?? []).filter((e: any) => e.CidrIp !== '255.255.255.255/32');
      const port = (r: any) => (r.IpProtocol === '-1' ? 'all' : `${r.IpProtocol}/${r.FromPort === r.ToPort ? r.FromPort : `${r.FromPort}-${r.ToPort}`}`);
      const ports = (rules: any[]) => [...new Set(rules.map(port))].join(', ') || 'none';
      const selfRule = ingress.some((r: any) => r.SourceSecurityGroupId && mentions(r.SourceSecurityGroupId, sg.id));
      sgText = `SG in: ${ports(ingress)}${selfRule ? ' (own group)' : ''} · out: ${ports(egress)}`;
    }
    return {
      name,
      subnets: own.map((s) => ({
        cidr: literal(s.res.Properties?.CidrBlock),
        az: (() => {
          const az = s.res.Properties?.AvailabilityZone;
          return Array.isArray(az?.['Fn::Select']) ? `AZ ${Number(az['Fn::Select'][0]) + 1}` : literal(az);
        })(),
        isolated: isolatedSubnet(s.id),
        publicIp: s.res.Properties?.MapPublicIpOnLaunch === true,
      })),
      naclRules: aclIds.length > 0 ? entries.length : undefined,
      naclDeniesRestOfVpc: entries.some((e) => e.res.Properties?.RuleAction === 'deny' && e.res.Properties?.CidrBlock === cidr),
      securityGroup: sgText,
      interfaceEndpoints: endpointsHere.map((e) => serviceOf(e.res)).sort(),
      endpointPolicyKeys: endpointsHere.length
        ? policyKeys(endpointsHere[0].res).filter((k) => endpointsHere.every((e) => policyKeys(e.res).includes(k)))
        : [],
      endpointPrivateDns: endpointsHere.length > 0 && endpointsHere.every((e) => e.res.Properties?.PrivateDnsEnabled === true),
    };
  });
  const flowLog = byType(stack, 'AWS::EC2::FlowLog').find((f) => mentions(f.res.Properties?.ResourceId, vpc.id));
  let flowText: string | undefined;
  if (flowLog) {
    const group = target(stacks, stack, flowLog.res.Properties?.LogGroupName);
    const kms = group?.res.Properties?.KmsKeyId ? 'KMS-encrypted' : 'unencrypted';
    const days = group?.res.Properties?.RetentionInDays;
    flowText = `flow logs: ${flowLog.res.Properties?.TrafficType ?? '?'} traffic → ${flowLog.res.Properties?.LogDestinationType ?? 'log'} (${kms}${days ? `, ${days} days` : ''})`;
  }
  return {
    stackName: stack.stackName,
    stage: tagOf(vpc.res, 'Stage') ?? stack.stackName,
    cidr,
    tiers,
    gatewayEndpoints: interfaceEndpoints.filter((e) => e.res.Properties?.VpcEndpointType === 'Gateway' || !e.res.Properties?.VpcEndpointType && !e.res.Properties?.SubnetIds)
      .map((e) => `${serviceOf(e.res)} gateway endpoint${policyKeys(e.res).length ? ` (policy conditions: ${policyKeys(e.res).join(', ')})` : ''}`),
    flowLog: flowText,
    internetGateway: byType(stack, 'AWS::EC2::VPCGatewayAttachment').some((a) => mentions(a.res.Properties?.VpcId, vpc.id)),
    natGateways: byType(stack, 'AWS::EC2::NatGateway').length,
    defaultSecurityGroupRestricted: Object.values(stack.resources).some((r) => r.Type === 'Custom::VpcRestrictDefaultSG' && mentions(r.Properties?.DefaultSecurityGroupId, vpc.id)),
  };
}

function readRequestPath(stacks: StackTemplate[], api: Located, networks: NetworkModel[]): { steps: PathStep[]; capture?: PathStep } {
  const stack = api.stack;
  const props = api.res.Properties ?? {};
  const types: string[] = props.EndpointConfiguration?.Types ?? ['EDGE'];
  const statements: any[] = props.Policy?.Statement ?? [];
  const vpceDeny = statements.some((s) => s.Effect === 'Deny' && JSON.stringify(s.Condition ?? {}).includes('aws:SourceVpce'));
  const vpces = (props.EndpointConfiguration?.VpcEndpointIds ?? []).map((v: any) => {
    const t = target(stacks, stack, v);
    return t ? `${serviceOf(t.res)} endpoint (${t.stack.stackName})` : `${literal(v)} (given by ID)`;
  });
  const steps: PathStep[] = [];
  const endpointsTier = networks[0]?.tiers.find((t) => t.interfaceEndpoints.length > 0)?.name;

  steps.push({
    title: 'Client',
    where: vpceDeny ? 'inside a VPC with the endpoint' : 'anywhere',
    controls: [
      { label: 'SigV4-signed HTTPS', kind: 'identity' as ControlKind },
    ].filter(() => byType(stack, 'AWS::ApiGateway::Method').some((m) => m.res.Properties?.AuthorizationType === 'AWS_IAM')),
  });
  if (types.includes('PRIVATE')) {
    steps.push({
      title: 'VPC endpoint: execute-api',
      where: endpointsTier ? `${endpointsTier} tier` : 'interface endpoint',
      tier: endpointsTier,
      controls: [
        ...vpces.map((v: string) => ({ label: v, kind: 'network' as ControlKind })),
        ...(vpceDeny ? [{ label: 'API policy: deny unless aws:SourceVpce', kind: 'network' as ControlKind }] : []),
      ],
    });
  }

  // API Gateway: WAF, authorization, throttling, validation, logging
  const apiControls: PathStep['controls'] = [];
  const association = Object.values(stacks).flatMap((s) => byType(s, 'AWS::WAFv2::WebACLAssociation'))
    .find((a) => a.stack === stack && mentions(a.res.Properties?.ResourceArn, api.id));
  const acl = association ? target(stacks, stack, association.res.Properties?.WebACLArn) : undefined;
  for (const rule of acl?.res.Properties?.Rules ?? []) {
    const st = rule.Statement ?? {};
    if (st.RateBasedStatement) {
      apiControls.push({ label: `WAF rate rule: ${st.RateBasedStatement.Limit} req / ${(st.RateBasedStatement.EvaluationWindowSec ?? 300) / 60} min per ${st.RateBasedStatement.AggregateKeyType ?? 'IP'}`, kind: 'edge' });
    } else if (st.SizeConstraintStatement) {
      apiControls.push({ label: `WAF size rule: body > ${st.SizeConstraintStatement.Size} bytes blocked`, kind: 'edge' });
    } else if (st.ManagedRuleGroupStatement) {
      apiControls.push({ label: `WAF ${String(st.ManagedRuleGroupStatement.Name).replace(/^AWSManagedRules/, '')}`, kind: 'edge' });
    } else {
      apiControls.push({ label: `WAF rule ${rule.Name}`, kind: 'edge' });
    }
  }
  if (acl) {
    const logging = byType(stack, 'AWS::WAFv2::LoggingConfiguration').find((l) => mentions(l.res.Properties?.ResourceArn, acl.id));
    if (logging) {
      const redacted = (logging.res.Properties?.RedactedFields ?? []).map((f: any) => f.SingleHeader?.Name).filter(Boolean);
      apiControls.push({ label: `WAF logs${redacted.length ? ` (${redacted.join(', ')} redacted)` : ''}`, kind: 'logging' });
    }
  }
  const methods = byType(stack, 'AWS::ApiGateway::Method').filter((m) => mentions(m.res.Properties?.RestApiId, api.id) && m.res.Properties?.HttpMethod !== 'OPTIONS');
  const auth = [...new Set(methods.map((m) => m.res.Properties?.AuthorizationType ?? 'NONE'))];
  apiControls.push({ label: `auth: ${auth.map((a) => (a === 'AWS_IAM' ? 'IAM (SigV4)' : a)).join(', ')}`, kind: 'identity' });
  if (methods.some((m) => m.res.Properties?.ApiKeyRequired)) apiControls.push({ label: 'API key + usage plan', kind: 'identity' });
  const stage = byType(stack, 'AWS::ApiGateway::Stage').find((s) => mentions(s.res.Properties?.RestApiId, api.id));
  const settings = (stage?.res.Properties?.MethodSettings ?? []).find((m: any) => m.ResourcePath === '/*' && m.HttpMethod === '*');
  if (settings?.ThrottlingRateLimit !== undefined) {
    apiControls.push({ label: `throttling: ${settings.ThrottlingRateLimit} rps, burst ${settings.ThrottlingBurstLimit}`, kind: 'edge' });
  }
  const validated = methods.filter((m) => {
    const v = target(stacks, stack, m.res.Properties?.RequestValidatorId);
    return v?.res.Properties?.ValidateRequestBody && m.res.Properties?.RequestModels;
  });
  if (validated.length) apiControls.push({ label: 'request validator: JSON schema', kind: 'edge' });
  if (stage?.res.Properties?.AccessLogSetting) apiControls.push({ label: 'access logs (JSON)', kind: 'logging' });
  if (settings?.LoggingLevel && settings.LoggingLevel !== 'OFF') apiControls.push({ label: `execution logs ${settings.LoggingLevel}${settings.DataTraceEnabled ? ' + data' : ', no data'}`, kind: 'logging' });
  if (stage?.res.Properties?.TracingEnabled) apiControls.push({ label: 'X-Ray tracing', kind: 'logging' });
  steps.push({ title: 'API Gateway REST API', where: `${types.join(', ')} · AWS-managed`, controls: apiControls });

  // Integration → SageMaker runtime
  const integrated = methods.map((m) => m.res.Properties?.Integration).find((i) => i && literal(i.Uri).includes('runtime.sagemaker'));
  if (!integrated) return { steps };
  const endpointName = /endpoints\/([^/]+)\/invocations/.exec(literal(integrated.Uri))?.[1];
  const role = target(stacks, stack, integrated.Credentials);
  steps.push({
    title: 'SageMaker Runtime',
    where: 'InvokeEndpoint (AWS service integration)',
    controls: [
      ...(role ? [{ label: 'integration role: InvokeEndpoint on this endpoint', kind: 'identity' as ControlKind }] : []),
      ...(integrated.PassthroughBehavior === 'NEVER' ? [{ label: 'unmapped content types rejected', kind: 'edge' as ControlKind }] : []),
    ],
  });
  const endpoints = stacks.flatMap((s) => byType(s, 'AWS::SageMaker::Endpoint'));
  const endpoint = endpoints.find((e) => e.res.Properties?.EndpointName === endpointName) ?? endpoints.find((e) => e.stack === stack);
  if (!endpoint) return { steps };
  const config = target(stacks, endpoint.stack, endpoint.res.Properties?.EndpointConfigName);
  const variants: any[] = config?.res.Properties?.ProductionVariants ?? [];
  const model = variants.length ? target(stacks, endpoint.stack, variants[0].ModelName) : undefined;
  const modelSubnets: any[] = model?.res.Properties?.VpcConfig?.Subnets ?? [];
  const resolved = modelSubnets.map((s) => target(stacks, model!.stack, s)).filter((s): s is Located => !!s);
  const tier = resolved.length ? tierOfSubnet(resolved[0].res) : undefined;
  const endpointControls: PathStep['controls'] = [];
  if (model?.res.Properties?.EnableNetworkIsolation) endpointControls.push({ label: 'model network isolation', kind: 'network' });
  if (model?.res.Properties?.VpcConfig) {
    endpointControls.push({
      label: tier ? `VpcConfig: ${tier} subnets` : `VpcConfig: ${modelSubnets.length} subnets given by ID`,
      kind: 'network',
    });
  }
  if (config?.res.Properties?.KmsKeyId) endpointControls.push({ label: 'volumes: customer KMS key', kind: 'encryption' });
  for (const v of variants) {
    endpointControls.push({ label: `${v.InitialInstanceCount ?? '?'} × ${literal(v.InstanceType)}`, kind: 'resilience' });
  }
  if (stacks.some((s) => byType(s, 'AWS::ApplicationAutoScaling::ScalableTarget').some((t) => String(t.res.Properties?.ServiceNamespace) === 'sagemaker'))) {
    endpointControls.push({ label: 'autoscaling', kind: 'resilience' });
  }
  steps.push({
    title: 'SageMaker endpoint',
    where: tier ? `${tier} tier` : (model?.res.Properties?.VpcConfig ? 'subnets of a VPC given by ID' : 'SageMaker-managed network'),
    tier,
    controls: endpointControls,
  });

  const capture = config?.res.Properties?.DataCaptureConfig;
  let captureStep: PathStep | undefined;
  if (capture?.EnableCapture !== false && capture) {
    const bucketRef = (capture.DestinationS3Uri?.['Fn::Join']?.[1] ?? []).find((p: any) => typeof p === 'object' && p.Ref);
    const bucket = bucketRef ? target(stacks, endpoint.stack, bucketRef) : undefined;
    const encryption = bucket?.res.Properties?.BucketEncryption?.ServerSideEncryptionConfiguration?.[0]?.ServerSideEncryptionByDefault?.SSEAlgorithm;
    captureStep = {
      title: 'Data capture bucket',
      where: 'S3',
      controls: [
        { label: `${capture.InitialSamplingPercentage ?? 0} % of requests and responses`, kind: 'logging' },
        ...(capture.KmsKeyId ? [{ label: 'capture: customer KMS key', kind: 'encryption' as ControlKind }] : []),
        ...(encryption ? [{ label: `bucket default: ${encryption}`, kind: 'encryption' as ControlKind }] : []),
        ...(bucket?.res.Properties?.VersioningConfiguration?.Status === 'Enabled' ? [{ label: 'versioned', kind: 'resilience' as ControlKind }] : []),
        ...(bucket?.res.Properties?.ObjectLockEnabled ? [{ label: 'Object Lock', kind: 'resilience' as ControlKind }] : []),
      ],
    };
  }
  return { steps, capture: captureStep };
}

function readAround(stacks: StackTemplate[]): ArchitectureModel['around'] {
  const all = (type: string) => stacks.flatMap((s) => byType(s, type));
  const around: ArchitectureModel['around'] = [];
  const trails = all('AWS::CloudTrail::Trail');
  const alarms = all('AWS::CloudWatch::Alarm');
  const rules = all('AWS::Events::Rule');
  const topics = all('AWS::SNS::Topic');
  if (trails.length || alarms.length || rules.length) {
    const lines: { label: string; kind: ControlKind }[] = [];
    for (const t of trails) {
      const p = t.res.Properties ?? {};
      lines.push({
        label: `CloudTrail: ${[p.IsMultiRegionTrail && 'multi-Region', p.EnableLogFileValidation && 'log-file validation', p.KMSKeyId && 'KMS',
          p.CloudWatchLogsLogGroupArn && 'to CloudWatch Logs', (p.EventSelectors ?? []).some((e: any) => e.DataResources?.length) && 'S3 data events']
          .filter(Boolean).join(', ')}`,
        kind: 'logging',
      });
    }
    if (alarms.length) lines.push({ label: `${alarms.length} CloudWatch alarms`, kind: 'logging' });
    const sources = [...new Set(rules.flatMap((r) => r.res.Properties?.EventPattern?.source ?? []).map((s: string) => s.replace(/^aws\./, '')))].sort();
    if (rules.length) lines.push({ label: `${rules.length} EventBridge rules: ${sources.join(', ')}`, kind: 'logging' });
    const encryptedTopics = topics.filter((t) => t.res.Properties?.KmsMasterKeyId).length;
    if (topics.length) lines.push({ label: `${topics.length} SNS topics, ${encryptedTopics} KMS-encrypted`, kind: 'encryption' });
    around.push({ title: 'Monitoring and incident response', lines });
  }
  const buckets = all('AWS::S3::Bucket');
  const repos = all('AWS::ECR::Repository');
  const keys = all('AWS::KMS::Key');
  if (buckets.length || repos.length || keys.length) {
    const kmsBuckets = buckets.filter((b) => JSON.stringify(b.res.Properties?.BucketEncryption ?? {}).includes('aws:kms')).length;
    const lines: { label: string; kind: ControlKind }[] = [];
    const logTargets = buckets.filter((b) => !JSON.stringify(b.res.Properties?.BucketEncryption ?? {}).includes('aws:kms')
      && buckets.some((o) => mentions(o.res.Properties?.LoggingConfiguration?.DestinationBucketName, b.id))).length;
    if (buckets.length) {
      lines.push({
        label: `${buckets.length} S3 buckets: ${kmsBuckets} SSE-KMS, ${buckets.length - kmsBuckets} SSE-S3 (${logTargets} of them access-log targets)`,
        kind: 'encryption',
      });
    }
    if (buckets.length) lines.push({ label: `${buckets.filter((b) => b.res.Properties?.ObjectLockEnabled).length} with Object Lock, ${buckets.filter((b) => b.res.Properties?.LoggingConfiguration).length} with access logs`, kind: 'resilience' });
    for (const r of repos) {
      const p = r.res.Properties ?? {};
      lines.push({ label: `ECR: ${[p.ImageScanningConfiguration?.ScanOnPush && 'scan on push', p.ImageTagMutability === 'IMMUTABLE' && 'immutable tags', p.EncryptionConfiguration?.EncryptionType === 'KMS' && 'KMS', p.LifecyclePolicy && 'lifecycle'].filter(Boolean).join(', ')}`, kind: 'encryption' });
    }
    if (keys.length) lines.push({ label: `${keys.length} KMS keys, ${keys.filter((k) => k.res.Properties?.EnableKeyRotation).length} rotated`, kind: 'encryption' });
    around.push({ title: 'Data, images and keys', lines });
  }
  const roles = all('AWS::IAM::Role');
  if (roles.length) {
    const managedPolicies = all('AWS::IAM::ManagedPolicy').length;
    const inline = all('AWS::IAM::Policy').length + roles.filter((r) => r.res.Properties?.Policies?.length).length;
    const awsManaged = roles.filter((r) => JSON.stringify(r.res.Properties?.ManagedPolicyArns ?? []).includes(':iam::aws:policy/')).length;
    const guarded = roles.filter((r) => JSON.stringify(r.res.Properties?.AssumeRolePolicyDocument ?? {}).includes('aws:SourceAccount')).length;
    around.push({
      title: 'Identity',
      lines: [
        { label: `${roles.length} IAM roles, ${guarded} with aws:SourceAccount trust`, kind: 'identity' },
        { label: `${managedPolicies} customer-managed policies, ${inline} inline`, kind: 'identity' },
        { label: `${awsManaged} roles with AWS managed policies`, kind: 'identity' },
      ],
    });
  }
  return around;
}

/** Reads what the picture shows from the templates. */
export function buildModel(stacks: StackTemplate[]): ArchitectureModel {
  const vpcs = stacks.flatMap((s) => byType(s, 'AWS::EC2::VPC'));
  const networks = vpcs.map((v) => readNetwork(stacks, v));
  const stages = networks.map((n) => ({ stage: n.stage, cidr: n.cidr, stackName: n.stackName }));
  const stageNames = [...new Set(stages.map((s) => s.stage))];
  // The most production-like stage is drawn in detail; the others are listed.
  const detailStage = ['prod', 'production', 'test', 'staging', 'dev'].find((s) => stageNames.includes(s)) ?? stageNames[0];
  const network = networks.find((n) => n.stage === detailStage);
  const inStage = (s: StackTemplate) => stageOfStack(s, stageNames);
  const apis = stacks.flatMap((s) => byType(s, 'AWS::ApiGateway::RestApi'))
    .sort((a, b) => rank(a.stack) - rank(b.stack));
  function rank(s: StackTemplate): number {
    const stage = inStage(s);
    return stage === detailStage ? 0 : stage === undefined ? 1 : 2;
  }
  const api = apis.find((a) => byType(a.stack, 'AWS::ApiGateway::Method').some((m) => literal(m.res.Properties?.Integration?.Uri).includes('runtime.sagemaker'))) ?? apis[0];
  const requestPath: { steps: PathStep[]; capture?: PathStep } = api ? readRequestPath(stacks, api, network ? [network] : []) : { steps: [] };
  const links = ['AWS::EC2::VPCPeeringConnection', 'AWS::EC2::TransitGatewayAttachment', 'AWS::EC2::TransitGatewayVpcAttachment', 'AWS::EC2::VPNConnection', 'AWS::EC2::VPNGateway']
    .reduce((n, type) => n + stacks.reduce((m, s) => m + byType(s, type).length, 0), 0);
  return {
    stackCount: stacks.length,
    resourceCount: stacks.reduce((n, s) => n + Object.keys(s.resources).length, 0),
    stages,
    detailStage,
    network,
    networks,
    crossStageLinks: links,
    requestPath: requestPath.steps,
    capture: requestPath.capture,
    around: readAround(stacks),
  };
}

// ---------------------------------------------------------------------------------------------
// SVG

const W = 1280;
const FONT = 'font-family="Helvetica, Arial, sans-serif"';
const COLORS: Record<ControlKind, [string, string]> = {
  network: ['#fff1e0', '#c05800'],
  identity: ['#e3eefc', '#1f5fbf'],
  encryption: ['#e4f5e6', '#1c7a2e'],
  logging: ['#f1e8fb', '#6b3fa0'],
  edge: ['#fde6e6', '#b3261e'],
  resilience: ['#eceff1', '#455a64'],
};
const TIER_FILL = ['#fff7ec', '#eef6ff', '#f3fbf1', '#f7f2fc'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const CHAR = 6.4; // average width of a 10.5 px character, for wrapping

/** Approximate rendered width of 10.5 px text (generous: renderers may fall back to wider fonts). */
function textWidth(s: string): number {
  let w = 0;
  for (const c of s) {
    if ('il.,:;|!\'’'.includes(c)) w += 3.2;
    else if ('fjrt()[]/ -'.includes(c)) w += 4.2;
    else if ('mwMW%'.includes(c)) w += 9.6;
    else if (c >= 'A' && c <= 'Z') w += 7.6;
    else w += 6.5;
  }
  return Math.ceil(w);
}

function wrap(text: string, width: number): string[] {
  const max = Math.max(8, Math.floor(width / CHAR));
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && (line + ' ' + word).length > max) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

class Svg {
  readonly parts: string[] = [];
  rect(x: number, y: number, w: number, h: number, fill: string, stroke: string, extra = '') {
    this.parts.push(`<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="6" fill="${fill}" stroke="${stroke}" ${extra}/>`);
  }
  text(x: number, y: number, s: string, size = 11, extra = '') {
    this.parts.push(`<text x="${x}" y="${y}" font-size="${size}" ${FONT} ${extra}>${esc(s)}</text>`);
  }
  /** Control badges, wrapped in rows; returns the height used. */
  badges(x: number, y: number, width: number, items: { label: string; kind: ControlKind }[], draw = true): number {
    let cx = x;
    let cy = y;
    for (const item of items) {
      for (const piece of wrap(item.label, width - 12)) {
        const w = textWidth(piece) + 10;
        if (cx > x && cx + w > x + width) {
          cx = x;
          cy += 20;
        }
        if (draw) {
          const [fill, stroke] = COLORS[item.kind];
          this.parts.push(`<rect x="${cx}" y="${cy}" width="${w}" height="16" rx="8" fill="${fill}" stroke="${stroke}" stroke-width="0.8"/>`);
          this.text(cx + 5, cy + 12, piece, 10.5, `fill="${stroke}"`);
        }
        cx += w + 4;
      }
    }
    return items.length ? cy - y + 20 : 0;
  }
  arrow(x1: number, y1: number, x2: number, y2: number, dashed = false) {
    this.parts.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#333" stroke-width="1.6" marker-end="url(#arrow)"${dashed ? ' stroke-dasharray="5,4"' : ''}/>`);
  }
}

/** Renders the model as a standalone SVG document (deterministic: same templates, same bytes). */
export function renderSvg(model: ArchitectureModel): string {
  const svg = new Svg();
  let y = 20;
  svg.text(20, y + 16, 'cdk-secure-ai reference platform', 20, 'font-weight="bold"');
  svg.text(20, y + 36, `Generated by scripts/diagram.ts from the ${model.stackCount} synthesized stacks of examples/app.ts (${model.resourceCount} resources). Every label below is read from the templates.`, 11, 'fill="#555"');
  y += 56;

  // Stages
  const others = model.stages.filter((s) => s.stage !== model.detailStage);
  const stageLine = model.stages.length
    ? `Stages (one VPC each): ${model.stages.map((s) => `${s.stage} ${s.cidr} (${s.stackName})`).join(' · ')}. ${model.crossStageLinks === 0 ? 'No peering, transit gateway or VPN resource: no route between stages.' : `${model.crossStageLinks} peering / transit gateway / VPN resources.`}`
    : 'No VPC in the synthesized stacks.';
  for (const line of wrap(stageLine, W - 40)) {
    svg.text(20, y + 12, line, 12);
    y += 16;
  }
  if (model.network && others.length) {
    const tiers = (n?: NetworkModel) => (n?.tiers ?? []).map((t) => t.name).join(', ');
    const described = others.map((o) => {
      const other = model.networks.find((n) => n.stackName === o.stackName);
      return tiers(other) === tiers(model.network) ? `${o.stage}: the same tiers` : `${o.stage}: tiers ${tiers(other) || 'none'}`;
    });
    svg.text(20, y + 12, `Drawn in detail: ${model.detailStage}. Listed: ${described.join('; ')}.`, 12, 'fill="#555"');
    y += 16;
  }
  y += 10;

  // Network
  const net = model.network;
  if (net) {
    const top = y;
    const colW = (W - 40 - 20 - 20 * (net.tiers.length - 1)) / Math.max(1, net.tiers.length);
    const markers = (t: TierModel) => model.requestPath.map((s, i) => (s.tier === t.name ? `request path step ${i + 1}: ${s.title}` : undefined))
      .filter((m): m is string => !!m);
    const tierHeights = net.tiers.map((t) => tierHeight(svg, t, colW, markers(t)));
    const inner = Math.max(0, ...tierHeights);
    const footer: { label: string; kind: ControlKind }[] = [
      ...net.gatewayEndpoints.map((g) => ({ label: g, kind: 'network' as ControlKind })),
      ...(net.flowLog ? [{ label: net.flowLog, kind: 'logging' as ControlKind }] : []),
      { label: net.internetGateway ? 'internet gateway attached' : 'no internet gateway', kind: 'network' },
      { label: `${net.natGateways} NAT gateways`, kind: 'network' },
      ...(net.defaultSecurityGroupRestricted ? [{ label: 'default security group: rules removed', kind: 'network' as ControlKind }] : []),
    ];
    const footH = svg.badges(40, 0, W - 80, footer, false);
    const h = 34 + inner + 12 + footH + 10;
    svg.rect(20, top, W - 40, h, '#fafafa', '#8a8a8a', 'stroke-width="1.5"');
    svg.text(32, top + 22, `VPC ${net.cidr} · stage ${net.stage} · stack ${net.stackName}`, 14, 'font-weight="bold"');
    net.tiers.forEach((t, i) => drawTier(svg, t, 30 + i * (colW + 20), top + 34, colW, inner, TIER_FILL[i % TIER_FILL.length], markers(t)));
    svg.badges(40, top + 34 + inner + 12, W - 80, footer);
    y = top + h + 20;
  }

  // Request path: one row per step, top to bottom
  const steps = model.requestPath;
  if (steps.length) {
    svg.text(20, y + 14, 'Request path of an inference call', 15, 'font-weight="bold"');
    y += 26;
    const cap = model.capture;
    const rows = cap ? [...steps, cap] : steps;
    const labelW = 300;
    rows.forEach((s, i) => {
      const h = Math.max(44, svg.badges(0, 0, W - 40 - labelW - 16, s.controls, false) + 12);
      const tierIndex = net && s.tier ? net.tiers.findIndex((t) => t.name === s.tier) : -1;
      if (i > 0) {
        const dashed = s === cap;
        svg.arrow(60, y - 18, 60, y - 1, dashed);
        if (dashed) svg.text(68, y - 6, 'data capture (asynchronous)', 10.5, 'fill="#555"');
      }
      svg.rect(20, y, W - 40, h, tierIndex >= 0 ? TIER_FILL[tierIndex % TIER_FILL.length] : '#ffffff', '#555');
      svg.text(30, y + 18, s === cap ? s.title : `${i + 1}. ${s.title}`, 12.5, 'font-weight="bold"');
      svg.text(30, y + 34, s.where, 10.5, 'fill="#555" font-style="italic"');
      svg.badges(20 + labelW, y + 6, W - 40 - labelW - 16, s.controls);
      y += h + 20;
    });
  } else {
    svg.text(20, y + 14, 'No API Gateway REST API in the synthesized stacks: no inference request path to draw.', 13);
    y += 34;
  }

  // Around it: one row per concern, like the request path
  if (model.around.length) {
    svg.text(20, y + 14, 'Around it (all stacks)', 15, 'font-weight="bold"');
    y += 26;
    const labelW = 300;
    for (const a of model.around) {
      const h = Math.max(30, svg.badges(0, 0, W - 40 - labelW - 16, a.lines, false) + 12);
      svg.rect(20, y, W - 40, h, '#ffffff', '#555');
      svg.text(30, y + 19, a.title, 12.5, 'font-weight="bold"');
      svg.badges(20 + labelW, y + 6, W - 40 - labelW - 16, a.lines);
      y += h + 10;
    }
    y += 10;
  }

  // Legend
  let lx = 20;
  svg.text(lx, y + 12, 'Controls:', 11, 'font-weight="bold"');
  lx += 62;
  for (const kind of Object.keys(COLORS) as ControlKind[]) {
    const [fill, stroke] = COLORS[kind];
    svg.parts.push(`<rect x="${lx}" y="${y}" width="${textWidth(kind) + 10}" height="16" rx="8" fill="${fill}" stroke="${stroke}" stroke-width="0.8"/>`);
    svg.text(lx + 5, y + 12, kind, 10.5, `fill="${stroke}"`);
    lx += textWidth(kind) + 18;
  }
  y += 30;

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${Math.ceil(y)}" viewBox="0 0 ${W} ${Math.ceil(y)}">`,
    '<!-- Generated by scripts/diagram.ts from the synthesized templates. Do not edit by hand: run `npx projen docs`. -->',
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#333"/></marker></defs>',
    `<rect x="0" y="0" width="${W}" height="${Math.ceil(y)}" fill="#ffffff"/>`,
    ...svg.parts,
    '</svg>',
    '',
  ].join('\n');
}

function tierLines(t: TierModel): { label: string; kind: ControlKind }[] {
  const lines: { label: string; kind: ControlKind }[] = [];
  const isolated = t.subnets.every((s) => s.isolated);
  lines.push({ label: isolated ? 'isolated: no internet route' : 'has an internet route', kind: 'network' });
  if (t.subnets.every((s) => !s.publicIp)) lines.push({ label: 'no public IPs', kind: 'network' });
  if (t.naclRules !== undefined) lines.push({ label: `NACL: ${t.naclRules} entries${t.naclDeniesRestOfVpc ? ', denies rest of VPC' : ''}`, kind: 'network' });
  if (t.securityGroup) lines.push({ label: t.securityGroup, kind: 'network' });
  return lines;
}

function tierHeight(svg: Svg, t: TierModel, w: number, markers: string[]): number {
  const endpoints = t.interfaceEndpoints.length ? 18 + svg.badges(0, 0, w - 16, t.interfaceEndpoints.map((e) => ({ label: e, kind: 'network' })), false) : 0;
  return 24 + t.subnets.length * 15 + markers.length * 15 + 6 + svg.badges(0, 0, w - 16, tierLines(t), false) + endpoints + 6;
}

function drawTier(svg: Svg, t: TierModel, x: number, y: number, w: number, h: number, fill: string, markers: string[]) {
  svg.rect(x, y, w, h, fill, '#777');
  svg.text(x + 8, y + 17, `${t.name} tier`, 13, 'font-weight="bold"');
  let cy = y + 24;
  for (const m of markers) {
    svg.text(x + 8, cy + 11, `▶ ${m}`, 11, 'font-weight="bold" fill="#b3261e"');
    cy += 15;
  }
  for (const s of t.subnets) {
    svg.text(x + 8, cy + 11, `subnet ${s.cidr} · ${s.az}`, 11, 'fill="#333"');
    cy += 15;
  }
  cy += 6;
  cy += svg.badges(x + 8, cy, w - 16, tierLines(t));
  if (t.interfaceEndpoints.length) {
    const notes = [t.endpointPrivateDns ? 'private DNS' : 'no private DNS', t.endpointPolicyKeys.length ? `policy: ${t.endpointPolicyKeys.join(', ')}` : 'no policy condition'];
    svg.text(x + 8, cy + 12, `interface endpoints (${notes.join('; ')}):`, 10.5, 'fill="#555"');
    cy += 18;
    svg.badges(x + 8, cy, w - 16, t.interfaceEndpoints.map((e) => ({ label: e, kind: 'network' })));
  }
}

if (require.main === module) {
  let dir = process.argv[2];
  let tmp: string | undefined;
  if (!dir) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'diagram-'));
    dir = tmp;
    synthesize(dir);
  }
  fs.mkdirSync(path.dirname(ARCHITECTURE_SVG), { recursive: true });
  fs.writeFileSync(ARCHITECTURE_SVG, renderSvg(buildModel(loadTemplates(dir))));
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  console.log(`wrote ${path.relative(ROOT, ARCHITECTURE_SVG)}`);
}
