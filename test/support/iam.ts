import { runSimulation, type RequestAnalysis } from '@cloud-copilot/iam-simulate';
import { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';

/** The account, Region and partition the simulated templates are "deployed" to. */
export const ACCOUNT = '111122223333';
export const REGION = 'us-east-1';
export const OTHER_ACCOUNT = '444455556666';

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** An unsigned request (e.g. an API call authorized by a Cognito token, not by IAM): no principal, no identity policy. */
export const ANONYMOUS = 'anonymous';

/** A role (or user) of the template named by its logical ID (for templates built without a Stack). */
export interface TemplatePrincipal {
  readonly templateLogicalId: string;
}

/** Who makes a simulated request. */
export type Principal =
  /** A role (or user) of the template: its identity policies and boundary are simulated. */
  | IConstruct
  | TemplatePrincipal
  /**
   * Any other principal, by ARN, with no identity policy: it gets only what resource policies grant.
   * A service principal (`events.amazonaws.com`) is given as its name; ANONYMOUS is an unsigned caller.
   */
  | string;

function isServicePrincipal(principal: string): boolean {
  return /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(principal);
}

export interface SimulatedRequest {
  readonly principal: Principal;
  readonly action: string;
  /** The ARN of the resource; its resource policy (bucket, key…) is found in the template. */
  readonly resource: string;
  /** Request context, e.g. `{ 'aws:SecureTransport': 'true' }`. */
  readonly context?: Record<string, string | string[]>;
  /** VPC endpoint policies the request passes through. */
  readonly vpcEndpointPolicies?: unknown[];
  /** Identity policies of a principal given by ARN (one outside the template). */
  readonly identityPolicies?: unknown[];
  /** The resource policy of a resource outside the template (it overrides the template lookup). */
  readonly resourcePolicy?: unknown;
  /** The account owning the resource, when its ARN names none (S3). @default ACCOUNT */
  readonly resourceAccount?: string;
  /** Permissions boundaries of a principal given by ARN. */
  readonly permissionBoundaryPolicies?: unknown[];
}

export interface SimulationResult {
  readonly decision: Decision;
  /** Context keys the simulator dropped because they do not apply to the action. */
  readonly ignoredContextKeys: string[];
  /** The simulator's analysis per policy type (identity, boundary, resource, endpoint), for explanations. */
  readonly analysis?: RequestAnalysis;
}

type Json = any; // CloudFormation JSON

/**
 * Simulates requests against the IAM policies of a synthesized stack with
 * `@cloud-copilot/iam-simulate`: identity policies of the principal, its permissions boundary,
 * and the resource policy of the resource (bucket policy, key policy, ECR repository policy, SNS
 * topic policy, SQS queue policy, …).
 *
 * CloudFormation references are resolved to fixed names: `Ref` of a resource is its logical ID
 * (lower-cased for buckets; for an SNS topic or a SageMaker endpoint, whose `Ref` CloudFormation
 * documents as the ARN, its ARN), ARNs are built from the resource type, pseudo parameters are
 * ACCOUNT / REGION / aws. An intrinsic it cannot resolve throws, so no policy is simulated
 * with a guessed value.
 */
export class PolicySimulator {
  private readonly template: Json;
  private readonly resources: Record<string, Json>;
  private readonly stack?: Stack;

  /**
   * @param source a stack, or a synthesized template (e.g. several stacks merged with their
   * cross-stack references resolved); with a template, principals are given by ARN or by
   * `{ templateLogicalId }`.
   */
  constructor(source: Stack | Json) {
    if (Stack.isStack(source)) {
      this.stack = source;
      this.template = Template.fromStack(source).toJSON();
    } else {
      this.template = source;
    }
    this.resources = this.template.Resources ?? {};
  }

  /** The ARN the simulator gives the resource with this logical ID. */
  public arnOfResource(logicalId: string): string {
    return this.arnOfLogicalId(logicalId);
  }

  /** The ARN the simulator gives the resource behind `construct` (or its default child). */
  public arnOf(construct: IConstruct): string {
    return this.arnOfLogicalId(this.logicalIdOf(construct));
  }

  /** Decides a request; fails on simulator errors and on context keys that do not apply. */
  public async simulate(request: SimulatedRequest, options: { allowIgnoredContextKeys?: boolean } = {}): Promise<SimulationResult> {
    const principal = typeof request.principal === 'string'
      ? {
        arn: request.principal,
        policies: (request.identityPolicies ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
        boundaries: (request.permissionBoundaryPolicies ?? []).map((policy, i) => ({ name: `boundary-${i}`, policy })),
      }
      : this.principalOf(request.principal);
    // sts:AssumeRole is decided by the role's trust policy, which acts as its resource policy.
    const resourcePolicy = request.resourcePolicy
      ?? (request.action === 'sts:AssumeRole' ? this.trustPolicyFor(request.resource) : this.resourcePolicyFor(request.resource));
    const accountId = request.resourceAccount ?? this.accountOfResource(request.resource);
    const anonymous = request.principal === ANONYMOUS;
    const response = await runSimulation({
      request: {
        principal: anonymous ? { type: 'Anonymous' } : principal.arn,
        action: request.action,
        resource: { resource: request.resource, accountId },
        contextVariables: anonymous
          ? { 'aws:ResourceAccount': accountId, ...request.context }
          : isServicePrincipal(principal.arn)
            // A service principal (`events.amazonaws.com`): no principal ARN or account; it is an AWS service.
            ? { 'aws:PrincipalIsAWSService': 'true', 'aws:PrincipalServiceName': principal.arn, 'aws:ResourceAccount': accountId, ...request.context }
            : {
              'aws:PrincipalArn': principal.arn,
              'aws:PrincipalAccount': principal.arn.split(':')[4],
              'aws:ResourceAccount': accountId, // AWS sets it on every request, as it does aws:PrincipalAccount
              ...request.context,
            },
      },
      identityPolicies: principal.policies,
      permissionBoundaryPolicies: principal.boundaries.length > 0 ? principal.boundaries : undefined,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
      vpcEndpointPolicies: request.vpcEndpointPolicies?.map((policy, i) => ({ name: `vpce-${i}`, policy })),
    }, {});
    if (response.resultType === 'error') {
      throw new Error(`simulation error: ${response.errors.message}\n${JSON.stringify(response.errors, undefined, 2)}`);
    }
    const ignored = response.resultType === 'single'
      ? response.result.ignoredContextKeys ?? []
      : response.results.flatMap((r) => r.ignoredContextKeys ?? []);
    const unexpected = ignored.filter((k) => !k.startsWith('aws:Principal') && k !== 'aws:ResourceAccount');
    if (unexpected.length > 0 && !options.allowIgnoredContextKeys) {
      throw new Error(`context keys ${unexpected.join(', ')} do not apply to ${request.action}: a condition on them would decide nothing`);
    }
    const analysis = response.resultType === 'single' ? response.result.analysis : response.results[0]?.analysis;
    return { decision: response.overallResult as Decision, ignoredContextKeys: ignored, analysis };
  }

  /** Shorthand: the decision only. */
  public async decide(request: SimulatedRequest): Promise<Decision> {
    return (await this.simulate(request)).decision;
  }

  /** The resolved identity policies attached to a role or user of the template. */
  public identityPoliciesOf(construct: IConstruct | TemplatePrincipal): { name: string; policy: Json }[] {
    return this.principalOf(construct).policies;
  }

  private principalOf(construct: IConstruct | TemplatePrincipal) {
    const logicalId = 'templateLogicalId' in construct ? construct.templateLogicalId : this.logicalIdOf(construct);
    const name = 'templateLogicalId' in construct ? logicalId : construct.node.path;
    const resource = this.resources[logicalId];
    if (!resource || !['AWS::IAM::Role', 'AWS::IAM::User'].includes(resource.Type)) {
      throw new Error(`${name} is not a role or user of the template`);
    }
    const attachedTo = (r: Json) => (r.Properties?.Roles ?? r.Properties?.Users ?? [])
      .some((ref: Json) => ref?.Ref === logicalId);
    const policies: { name: string; policy: Json }[] = [];
    for (const [id, r] of Object.entries<Json>(this.resources)) {
      if ((r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy') && attachedTo(r)) {
        policies.push({ name: id, policy: this.resolve(r.Properties.PolicyDocument) });
      }
    }
    for (const inline of resource.Properties?.Policies ?? []) {
      policies.push({ name: inline.PolicyName, policy: this.resolve(inline.PolicyDocument) });
    }
    for (const managed of resource.Properties?.ManagedPolicyArns ?? []) {
      const ref = managed?.Ref;
      if (!ref || this.resources[ref]?.Type !== 'AWS::IAM::ManagedPolicy') {
        throw new Error(`${name} has a managed policy the simulator cannot read: ${JSON.stringify(managed)}`);
      }
      policies.push({ name: ref, policy: this.resolve(this.resources[ref].Properties.PolicyDocument) });
    }
    const boundaries: { name: string; policy: Json }[] = [];
    const boundary = resource.Properties?.PermissionsBoundary;
    if (boundary) {
      const ref = boundary.Ref;
      if (!ref || this.resources[ref]?.Type !== 'AWS::IAM::ManagedPolicy') {
        throw new Error(`${name} has a permissions boundary the simulator cannot read: ${JSON.stringify(boundary)}`);
      }
      boundaries.push({ name: ref, policy: this.resolve(this.resources[ref].Properties.PolicyDocument) });
    }
    return { arn: this.arnOfLogicalId(logicalId), policies, boundaries };
  }

  private resourcePolicyFor(arn: string): Json | undefined {
    for (const [id, r] of Object.entries<Json>(this.resources)) {
      if (r.Type === 'AWS::S3::BucketPolicy') {
        const bucket = this.resolve(r.Properties.Bucket);
        if (arn === `arn:aws:s3:::${bucket}` || arn.startsWith(`arn:aws:s3:::${bucket}/`)) return this.resolve(r.Properties.PolicyDocument);
      }
      if (r.Type === 'AWS::KMS::Key' && arn === this.arnOfLogicalId(id)) return this.resolve(r.Properties.KeyPolicy);
      if (r.Type === 'AWS::ECR::Repository' && arn === this.arnOfLogicalId(id)) return this.resolve(r.Properties.RepositoryPolicyText);
      if (r.Type === 'AWS::SNS::TopicPolicy' && this.resolve(r.Properties.Topics).includes(arn)) return this.resolve(r.Properties.PolicyDocument);
      // Queues are listed by URL (`Ref`): match the queue resource behind each reference.
      if (r.Type === 'AWS::SQS::QueuePolicy' && r.Properties.Queues.some((q: Json) => q?.Ref && this.arnOfLogicalId(q.Ref) === arn)) {
        return this.resolve(r.Properties.PolicyDocument);
      }
      // execute-api ARNs: arn:aws:execute-api:<region>:<account>:<rest-api-id>/<stage>/<method>/<path>
      if (r.Type === 'AWS::ApiGateway::RestApi' && r.Properties?.Policy && arn.startsWith(`arn:aws:execute-api:${REGION}:${ACCOUNT}:${this.nameOf(id)}/`)) {
        return this.resolve(r.Properties.Policy);
      }
    }
    return undefined;
  }

  /** The trust policy (AssumeRolePolicyDocument) of the role of the template with this ARN. */
  private trustPolicyFor(arn: string): Json {
    for (const [id, r] of Object.entries<Json>(this.resources)) {
      if (r.Type === 'AWS::IAM::Role' && arn === this.arnOfLogicalId(id)) return this.resolve(r.Properties.AssumeRolePolicyDocument);
    }
    throw new Error(`no role ${arn} in the template: cannot simulate sts:AssumeRole`);
  }

  private accountOfResource(arn: string): string {
    const account = arn.split(':')[4];
    return account && account !== '' ? account : ACCOUNT; // S3 ARNs carry no account
  }

  private logicalIdOf(construct: IConstruct): string {
    const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
    if (!element || !CfnElement.isCfnElement(element)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
    return (this.stack ?? (element as CfnElement).stack).resolve((element as CfnElement).logicalId);
  }

  private nameOf(logicalId: string): string {
    const r = this.resources[logicalId];
    if (!r) throw new Error(`no resource ${logicalId} in the template`);
    switch (r.Type) {
      case 'AWS::S3::Bucket': return r.Properties?.BucketName ?? logicalId.toLowerCase();
      case 'AWS::KMS::Key': return `key-${logicalId.toLowerCase()}`;
      case 'AWS::IAM::Role': return r.Properties?.RoleName ?? logicalId;
      case 'AWS::IAM::User': return r.Properties?.UserName ?? logicalId;
      case 'AWS::ECR::Repository': return r.Properties?.RepositoryName ?? logicalId.toLowerCase();
      case 'AWS::SNS::Topic': return r.Properties?.TopicName ?? logicalId;
      case 'AWS::Events::Rule': return r.Properties?.Name ?? logicalId;
      case 'AWS::SQS::Queue': return r.Properties?.QueueName ?? logicalId;
      case 'AWS::ApiGateway::Stage': return r.Properties.StageName; // Ref of a stage is its name
      case 'AWS::SageMaker::Endpoint': return r.Properties?.EndpointName ?? logicalId;
      case 'AWS::Logs::LogGroup': return r.Properties?.LogGroupName ?? logicalId;
      case 'AWS::Bedrock::Guardrail': return logicalId.toLowerCase();
      default: return logicalId;
    }
  }

  private arnOfLogicalId(logicalId: string): string {
    const r = this.resources[logicalId];
    const name = this.nameOf(logicalId);
    switch (r.Type) {
      case 'AWS::S3::Bucket': return `arn:aws:s3:::${name}`;
      case 'AWS::KMS::Key': return `arn:aws:kms:${REGION}:${ACCOUNT}:key/${name}`;
      case 'AWS::IAM::Role': return `arn:aws:iam::${ACCOUNT}:role/${name}`;
      case 'AWS::IAM::User': return `arn:aws:iam::${ACCOUNT}:user/${name}`;
      case 'AWS::ECR::Repository': return `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`;
      case 'AWS::SNS::Topic': return `arn:aws:sns:${REGION}:${ACCOUNT}:${name}`;
      case 'AWS::Events::Rule': return `arn:aws:events:${REGION}:${ACCOUNT}:rule/${name}`;
      case 'AWS::SQS::Queue': return `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
      case 'AWS::SageMaker::Endpoint': return `arn:aws:sagemaker:${REGION}:${ACCOUNT}:endpoint/${name.toLowerCase()}`;
      // Fn::GetAtt <log group>.Arn ends in ":*" (AWS::Logs::LogGroup return values)
      case 'AWS::Logs::LogGroup': return `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`;
      case 'AWS::Bedrock::Guardrail': return `arn:aws:bedrock:${REGION}:${ACCOUNT}:guardrail/${name}`;
      case 'AWS::CloudWatch::Alarm': return `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${r.Properties?.AlarmName ?? logicalId}`;
      case 'AWS::CodeBuild::Project': return `arn:aws:codebuild:${REGION}:${ACCOUNT}:project/${r.Properties?.Name ?? logicalId}`;
      default: throw new Error(`the simulator does not know the ARN format of ${r.Type} (${logicalId})`);
    }
  }

  /** Resolves CloudFormation intrinsics in a policy document. */
  public resolve(value: Json): Json {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value === null || typeof value !== 'object') return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return this.intrinsic(keys[0], value[keys[0]]);
    return Object.fromEntries(keys.map((k) => [k, this.resolve(value[k])]));
  }

  private intrinsic(fn: string, arg: Json): Json {
    switch (fn) {
      case 'Ref': {
        const pseudo: Record<string, string> = {
          'AWS::AccountId': ACCOUNT, 'AWS::Region': REGION, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com',
        };
        if (pseudo[arg]) return pseudo[arg];
        if (this.resources[arg]?.Type === 'AWS::SNS::Topic') return this.arnOfLogicalId(arg); // Ref of a topic is its ARN
        // Ref of an endpoint is its ARN (CloudFormation template reference, AWS::SageMaker::Endpoint, Return values)
        if (this.resources[arg]?.Type === 'AWS::SageMaker::Endpoint') return this.arnOfLogicalId(arg);
        return this.nameOf(arg);
      }
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(arg) ? arg : String(arg).split('.');
        if (attribute === 'Arn' || (attribute === 'TopicArn' && this.resources[logicalId]?.Type === 'AWS::SNS::Topic')) return this.arnOfLogicalId(logicalId);
        if (attribute === 'GroupId' && this.resources[logicalId]?.Type === 'AWS::EC2::SecurityGroup') return `sg-${logicalId.toLowerCase()}`;
        // Fn::GetAtt <endpoint>.EndpointName is its name (AWS::SageMaker::Endpoint, Return values)
        if (attribute === 'EndpointName' && this.resources[logicalId]?.Type === 'AWS::SageMaker::Endpoint') return this.nameOf(logicalId);
        // Bedrock guardrails: ID = lower-cased logical ID; a version resource is version 1 of its guardrail.
        if (this.resources[logicalId]?.Type === 'AWS::Bedrock::Guardrail' && attribute === 'GuardrailArn') return this.arnOfLogicalId(logicalId);
        if (this.resources[logicalId]?.Type === 'AWS::Bedrock::Guardrail' && attribute === 'GuardrailId') return this.nameOf(logicalId);
        if (this.resources[logicalId]?.Type === 'AWS::Bedrock::GuardrailVersion' && attribute === 'Version') return '1';
        throw new Error(`cannot resolve Fn::GetAtt ${logicalId}.${attribute}`);
      }
      case 'Fn::Join': {
        const [separator, parts] = arg;
        return this.resolve(parts).join(separator);
      }
      case 'Fn::Sub': {
        if (typeof arg !== 'string') throw new Error(`cannot resolve Fn::Sub with variables: ${JSON.stringify(arg)}`);
        return arg.replace(/\$\{([^}]+)\}/g, (_, name: string) => (name.includes('.')
          ? this.intrinsic('Fn::GetAtt', name.split('.'))
          : this.intrinsic('Ref', name)));
      }
      default:
        throw new Error(`cannot resolve ${fn}: ${JSON.stringify(arg)}`);
    }
  }
}
