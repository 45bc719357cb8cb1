import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { ACCOUNT, REGION } from '../iam';

type Json = any;

/** A CloudFormation template: the part the path evaluator reads. */
export interface CfnTemplate {
  Resources: Record<string, { Type: string; Properties?: Json; [k: string]: Json }>;
  Outputs?: Record<string, { Value: Json; Export?: { Name: Json } }>;
}

/** The template of one stack, as CloudFormation receives it. */
export function templateOf(stack: Stack): CfnTemplate {
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

/**
 * Several stacks of one account and Region merged into one template, with every cross-stack
 * reference replaced by what the producing stack exports — as CloudFormation resolves it at
 * deploy time:
 * - `Fn::ImportValue: <export name>` → the `Value` of the output whose `Export.Name` it is;
 * - `Fn::GetStackOutput: { StackName, OutputName }` → the `Value` of that output of that stack.
 * The values refer to the producer's logical IDs, which stay unique in the merged template
 * (a collision throws, so no reference is resolved to the wrong resource).
 */
export function mergeStacks(assembly: CloudAssembly, stackNames: string[]): CfnTemplate {
  const templates = new Map<string, CfnTemplate>(stackNames.map((name) => [name, assembly.getStackByName(name).template as CfnTemplate]));
  const exports = new Map<string, Json>();
  for (const t of templates.values()) {
    for (const output of Object.values(t.Outputs ?? {})) {
      if (output.Export && typeof output.Export.Name === 'string') exports.set(output.Export.Name, output.Value);
    }
  }
  const substitute = (value: Json, depth = 0): Json => {
    if (depth > 20) throw new Error('cross-stack references nest too deep');
    if (Array.isArray(value)) return value.map((v) => substitute(v, depth));
    if (value === null || typeof value !== 'object') return value;
    if ('Fn::ImportValue' in value) {
      const name = value['Fn::ImportValue'];
      if (typeof name !== 'string' || !exports.has(name)) throw new Error(`no stack of ${stackNames.join(', ')} exports ${JSON.stringify(name)}`);
      return substitute(exports.get(name), depth + 1);
    }
    if ('Fn::GetStackOutput' in value) {
      const { StackName: stack, OutputName: output } = value['Fn::GetStackOutput'];
      const producer = templates.get(stack);
      if (!producer?.Outputs?.[output]) throw new Error(`no output ${output} of stack ${stack} among ${stackNames.join(', ')}`);
      return substitute(producer.Outputs[output].Value, depth + 1);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, depth)]));
  };
  const merged: CfnTemplate = { Resources: {} };
  for (const [name, t] of templates) {
    for (const [id, resource] of Object.entries(t.Resources)) {
      if (merged.Resources[id]) throw new Error(`logical ID ${id} of ${name} is also in another stack: cannot merge`);
      merged.Resources[id] = substitute(resource);
    }
  }
  return merged;
}

/**
 * Resolves the values the network layers read (subnet, security group, VPC, route table and
 * endpoint IDs, CIDR blocks, prefix lists) to the names the evaluator uses: a resource's logical
 * ID for `Ref` and `Fn::GetAtt <sg>.GroupId` (the IAM simulator names security groups
 * `sg-<logical id>` and endpoints by logical ID; `idOf` accepts both), the literal CIDR of a
 * VPC for `Fn::GetAtt <vpc>.CidrBlock`. Anything else throws: nothing is guessed.
 */
export class NetworkResolver {
  constructor(private readonly template: CfnTemplate) {}

  public get resources() {
    return this.template.Resources;
  }

  public resolve(value: Json): Json {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (value && typeof value === 'object') {
      if ('Ref' in value) {
        const pseudo: Record<string, string> = { 'AWS::AccountId': ACCOUNT, 'AWS::Region': REGION, 'AWS::Partition': 'aws', 'AWS::URLSuffix': 'amazonaws.com' };
        if (pseudo[value.Ref]) return pseudo[value.Ref];
        if (!this.resources[value.Ref]) throw new Error(`Ref to ${value.Ref}, which is not in the template`);
        return value.Ref;
      }
      if ('Fn::GetAtt' in value) {
        const [id, attribute] = value['Fn::GetAtt'];
        const r = this.resources[id];
        if (!r) throw new Error(`Fn::GetAtt of ${id}, which is not in the template`);
        if (attribute === 'GroupId' && r.Type === 'AWS::EC2::SecurityGroup') return id;
        if (attribute === 'CidrBlock' && r.Type === 'AWS::EC2::VPC') return this.resolve(r.Properties.CidrBlock);
        if (attribute === 'DefaultSecurityGroup' && r.Type === 'AWS::EC2::VPC') return `${id}.DefaultSecurityGroup`;
        throw new Error(`cannot resolve Fn::GetAtt ${id}.${attribute} for the network layers`);
      }
      if ('Fn::Join' in value) {
        const [separator, parts] = value['Fn::Join'];
        return this.resolve(parts).join(separator);
      }
    }
    throw new Error(`cannot resolve ${JSON.stringify(value)} for the network layers`);
  }

  /** A logical ID from an ID the tests may give in either form (`sg-<lower-case logical id>` or the logical ID). */
  public idOf(id: string): string {
    if (this.resources[id]) return id;
    const found = Object.keys(this.resources).find((k) => `sg-${k.toLowerCase()}` === id);
    if (!found) throw new Error(`no resource ${id} in the template`);
    return found;
  }

  public ofType(type: string): [string, Json][] {
    return Object.entries(this.resources).filter(([, r]) => r.Type === type).map(([id, r]) => [id, r.Properties ?? {}]);
  }
}
