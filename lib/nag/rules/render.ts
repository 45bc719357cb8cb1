import { CfnElement, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * One resource as CloudFormation will deploy it: its type string and its properties after
 * escape-hatch overrides, resolved against its stack. Built from `_toCloudFormation()`, so a
 * typed L1, a plain `CfnResource`, a resource loaded with `cloudformation-include` and one
 * built against another copy of aws-cdk-lib are all seen the same way.
 */
export interface Rendered {
  readonly node: CfnResource;
  readonly stack: Stack;
  readonly type: string;
  readonly logicalId: string;
  /** The resolved `Properties` (an empty object when the resource has none). */
  readonly props: any;
  /** The resource-level `Condition`, if any. */
  readonly condition?: string;
  /** Why the resource could not be rendered (CDK would fail to synthesize it too). */
  readonly error?: string;
}

/** Parameters, conditions and outputs of one stack, rendered. */
interface StackElements {
  readonly parameters: Record<string, any>;
  readonly conditions: Record<string, any>;
  readonly outputs: Record<string, any>;
}

/** Renders one resource; undefined when it cannot be rendered. */
export function render(node: CfnResource): Rendered | undefined {
  const stack = Stack.of(node);
  let cfn: any;
  try {
    // Through JSON, as in the synthesized template: absent properties (undefined) disappear.
    cfn = JSON.parse(JSON.stringify(stack.resolve((node as any)._toCloudFormation())));
  } catch (error) {
    return { node, stack, type: node.cfnResourceType, logicalId: stack.resolve(node.logicalId), props: {}, error: (error as Error).message };
  }
  const entries = Object.entries(cfn?.Resources ?? {});
  if (entries.length !== 1) return undefined;
  const [logicalId, body] = entries[0] as [string, any];
  return { node, stack, type: body.Type, logicalId, props: body.Properties ?? {}, condition: body.Condition };
}

const INDEXES = new WeakMap<IConstruct, AppIndex>();

/**
 * Every resource of an app, by type, rendered on demand and at most once: rules that look
 * beyond one resource (bucket policies, web ACL associations, logging configurations in any
 * stack of the app) read it here instead of scanning the tree per resource.
 * `AiSecurityChecks` resets it at the start of each validation; a resource missing from the
 * index (added after it was built) also triggers a rebuild.
 */
export class AppIndex {
  /** The index of the app `node` belongs to. */
  public static of(node: IConstruct): AppIndex {
    const root = node.node.root;
    let index = INDEXES.get(root);
    if (!index || (CfnResource.isCfnResource(node) && !index.all.has(node))) {
      index = new AppIndex(root);
      INDEXES.set(root, index);
    }
    return index;
  }

  /** Forgets the index of the app `scope` belongs to (the tree may have changed). */
  public static reset(scope: IConstruct): void {
    INDEXES.delete(scope.node.root);
  }

  private readonly byType = new Map<string, CfnResource[]>();
  private readonly all = new Set<IConstruct>();
  private readonly renders = new Map<CfnResource, Rendered | undefined>();
  private readonly elements = new Map<Stack, StackElements>();
  private readonly otherElements: CfnElement[] = [];
  private readonly memos = new Map<string, unknown>();
  private ids?: Map<Stack, Map<string, CfnResource>>;
  private exportsByName?: Map<string, { stack: Stack; value: unknown }>;

  private constructor(root: IConstruct) {
    for (const child of root.node.findAll()) {
      if (CfnResource.isCfnResource(child)) {
        this.all.add(child);
        const list = this.byType.get(child.cfnResourceType) ?? [];
        list.push(child);
        this.byType.set(child.cfnResourceType, list);
      } else if (CfnElement.isCfnElement(child)) {
        this.otherElements.push(child);
      }
    }
  }

  /** The rendered form of a resource (memoized). */
  public rendered(node: CfnResource): Rendered | undefined {
    if (!this.renders.has(node)) this.renders.set(node, render(node));
    return this.renders.get(node);
  }

  /** Every resource of a type in the app, rendered. */
  public ofType(type: string): Rendered[] {
    return (this.byType.get(type) ?? []).map((n) => this.rendered(n)).filter((r): r is Rendered => r !== undefined);
  }

  /** Every resource of a type in one stack, rendered. */
  public inStack(stack: Stack, type: string): Rendered[] {
    return this.ofType(type).filter((r) => r.stack === stack);
  }

  /** A resource of `stack` by logical ID. */
  public byLogicalId(stack: Stack, logicalId: string): Rendered | undefined {
    if (!this.ids) {
      this.ids = new Map();
      for (const node of this.all as Set<CfnResource>) {
        const owner = Stack.of(node);
        const ids = this.ids.get(owner) ?? new Map<string, CfnResource>();
        ids.set(owner.resolve(node.logicalId), node);
        this.ids.set(owner, ids);
      }
    }
    const node = this.ids.get(stack)?.get(logicalId);
    return node ? this.rendered(node) : undefined;
  }

  /** A value computed once per validation (per-stack indexes of rules). */
  public memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }

  /** The logical IDs of a stack's parameters, with their rendered definition. */
  public parameters(stack: Stack): Record<string, any> {
    return this.stackElements(stack).parameters;
  }

  /** The value an export of the app stands for, with the stack that exports it. */
  public exportNamed(name: string): { stack: Stack; value: unknown } | undefined {
    if (!this.exportsByName) {
      this.exportsByName = new Map();
      for (const element of this.otherElements) {
        const stack = Stack.of(element);
        for (const output of Object.values(this.stackElements(stack).outputs)) {
          const exportName = output?.Export?.Name;
          if (typeof exportName === 'string') this.exportsByName.set(exportName, { stack, value: output.Value });
        }
      }
    }
    return this.exportsByName.get(name);
  }

  private stackElements(stack: Stack): StackElements {
    let found = this.elements.get(stack);
    if (!found) {
      found = { parameters: {}, conditions: {}, outputs: {} };
      for (const element of this.otherElements.filter((e) => Stack.of(e) === stack)) {
        let cfn: any;
        try {
          cfn = JSON.parse(JSON.stringify(stack.resolve((element as any)._toCloudFormation())));
        } catch {
          continue;
        }
        Object.assign(found.parameters, cfn?.Parameters ?? {});
        Object.assign(found.conditions, cfn?.Conditions ?? {});
        Object.assign(found.outputs, cfn?.Outputs ?? {});
      }
      this.elements.set(stack, found);
    }
    return found;
  }
}
