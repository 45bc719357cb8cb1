/**
 * What a synthesized cloud assembly holds, stack by stack: resources, template bytes and the
 * Lambda-backed custom resources (each with the reason the library documents for it, if any).
 */
import * as fs from 'fs';
import * as path from 'path';
import { Template } from './cost';

/** A stack of the cloud assembly, found through manifest.json (nested assemblies of Stages included). */
export interface AssemblyStack {
  /** The artifact ID, e.g. `CdkSecureAi-Network-Dev` or `Dev/Network` inside a Stage. */
  readonly id: string;
  readonly templateFile: string;
}

/** Lists every CloudFormation stack of the cloud assembly in `dir`, nested Stage assemblies included. */
export function assemblyStacks(dir: string): AssemblyStack[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  const stacks: AssemblyStack[] = [];
  for (const [id, artifact] of Object.entries<any>(manifest.artifacts ?? {})) {
    if (artifact.type === 'aws:cloudformation:stack') {
      stacks.push({ id: artifact.displayName ?? id, templateFile: path.join(dir, artifact.properties.templateFile) });
    } else if (artifact.type === 'cdk:cloud-assembly') {
      stacks.push(...assemblyStacks(path.join(dir, artifact.properties.directoryName)));
    }
  }
  return stacks;
}

/**
 * The stage a stack belongs to: its ID without the last `-<part>` or `/<part>` (`SecureAi-Prod-Data`
 * → `SecureAi-Prod`, `Prod/Data` → `Prod`). The reference platform names its stacks
 * `SecureAi-<stage>-<part>` and each stage is meant for its own account (README), so the stacks of
 * a stage are the templates of one account and Region.
 */
export function stageOf(stackId: string): string {
  const cut = Math.max(stackId.lastIndexOf('-'), stackId.lastIndexOf('/'));
  return cut > 0 ? stackId.slice(0, cut) : stackId;
}

/** A documented custom resource (scripts/bench/custom-resources.json). */
export interface CustomResourceReason {
  /** The CloudFormation type, e.g. `Custom::VpcRestrictDefaultSG`. */
  readonly type: string;
  /** The library construct that deploys it. */
  readonly construct: string;
  /** Why CloudFormation alone cannot do it. */
  readonly reason: string;
  /** The library file that documents it. */
  readonly documentedIn: string;
  /** A sentence of that file's documentation (a test checks it is still there). */
  readonly quote: string;
}

/** A custom resource found in a template. */
export interface FoundCustomResource {
  readonly logicalId: string;
  readonly type: string;
  /** `lambda` when its ServiceToken is a Lambda function of the template, `sns` for a topic, else `external`. */
  readonly backend: 'lambda' | 'sns' | 'external';
  /** The documented reason, or undefined when the library documents none. */
  readonly reason?: CustomResourceReason;
}

/** Resource count, template size and custom resources of one template. */
export interface StackInventory {
  readonly resources: number;
  readonly templateBytes: number;
  readonly customResources: FoundCustomResource[];
}

/** Inventories a template (`bytes` is the size of its file as synthesized). */
export function inventory(template: Template, bytes: number, reasons: CustomResourceReason[]): StackInventory {
  const resources = template.Resources ?? {};
  const customResources: FoundCustomResource[] = [];
  for (const [logicalId, r] of Object.entries(resources)) {
    if (!r.Type.startsWith('Custom::') && r.Type !== 'AWS::CloudFormation::CustomResource') continue;
    const token = r.Properties?.ServiceToken;
    const targetId = token?.['Fn::GetAtt']?.[0] ?? token?.Ref;
    const targetType = typeof targetId === 'string' ? resources[targetId]?.Type : undefined;
    const backend = targetType === 'AWS::Lambda::Function' ? 'lambda' : targetType === 'AWS::SNS::Topic' ? 'sns' : 'external';
    customResources.push({ logicalId, type: r.Type, backend, reason: reasons.find((x) => x.type === r.Type) });
  }
  return { resources: Object.keys(resources).length, templateBytes: bytes, customResources };
}
