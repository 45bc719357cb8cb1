import { CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { pathApp } from './support';
import { STAGES } from '../../examples/platform/config';
import { addPlatformStage, PlatformStage } from '../../examples/platform/platform';
import { NetworkTier } from '../../lib';
import { CfnTemplate, mergeStacks, PathEvaluator } from '../support/paths';

/** The logical ID of a construct's CloudFormation resource. */
export function lid(construct: IConstruct): string {
  const element = CfnElement.isCfnElement(construct) ? construct : construct.node.defaultChild;
  if (!element || !CfnElement.isCfnElement(element)) throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).resolve((element as CfnElement).logicalId);
}

export interface ProdPlatform {
  readonly stage: PlatformStage;
  readonly template: CfnTemplate;
  readonly ev: PathEvaluator;
  /** Subnet logical IDs of a tier. */
  subnets(tier: NetworkTier): string[];
  /** Logical ID of the interface endpoint of a service (`ecr.api`, `logs`, …), by the endpoint's service name suffix. */
  endpoint(serviceSuffix: string): string;
}

/**
 * The Prod stage of the reference platform, synthesized once: its stacks merged into one
 * template with the cross-stack references resolved, as CloudFormation resolves them at deploy.
 */
export function synthProd(): ProdPlatform {
  const app = pathApp();
  const stage = addPlatformStage(app, STAGES.find((s) => s.name === 'Prod')!);
  const assembly = app.synth();
  // Every stack of the stage (a stage may gain stacks, e.g. account-level settings), merged.
  const names = assembly.stacks.map((s) => s.stackName).filter((name) => name.startsWith('SecureAi-Prod-'));
  const template = mergeStacks(assembly, names);
  const ev = new PathEvaluator(template);
  const vpc = stage.network.network;
  return {
    stage,
    template,
    ev,
    subnets: (tier) => vpc.vpc.selectSubnets(vpc.subnetsOf(tier)).subnets.map((s) => lid(s)),
    endpoint: (suffix) => {
      const ids = ev.ids('AWS::EC2::VPCEndpoint').filter((id) => {
        const name = ev.sim.resolve(template.Resources[id].Properties.ServiceName) as string;
        return name.endsWith(`.${suffix}`) && template.Resources[id].Properties.VpcEndpointType === 'Interface';
      });
      if (ids.length !== 1) throw new Error(`${ids.length} interface endpoints for ${suffix}`);
      return ids[0];
    },
  };
}
