import { App, Stack } from 'aws-cdk-lib';
import { CDK_JSON_CONTEXT } from '../support/app';
import { PathEvaluator, templateOf } from '../support/paths';

/**
 * An App configured like the example app (cdk.json feature flags), without validation plugins or
 * CloudFormation schema validation: the path tables judge function; compliance and schema are
 * proven by the construct tests. Keeps the path tests fast.
 */
export function pathApp(): App {
  return new App({ context: CDK_JSON_CONTEXT, builtinCloudFormationValidation: false });
}

/** A stack for a construct's path table. */
export function pathStack(id: string): Stack {
  return new Stack(pathApp(), id);
}

/** The evaluator of a stack, synthesized once. */
export function evaluatorOf(stack: Stack): PathEvaluator {
  return new PathEvaluator(templateOf(stack));
}

/** An identity policy allowing actions on resources (for principals outside the template: an attacker's own rights). */
export function allow(actions: string | string[], resources: string | string[] = '*') {
  return { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resources }] };
}

/** The interface endpoint of a service in a template, by the suffix of its service name (`ecr.api`, `logs`, `execute-api`). */
export function interfaceEndpoint(ev: PathEvaluator, suffix: string): string {
  const ids = ev.ids('AWS::EC2::VPCEndpoint').filter((id) => {
    const p = ev.template.Resources[id].Properties;
    return p.VpcEndpointType === 'Interface' && (ev.sim.resolve(p.ServiceName) as string).endsWith(`.${suffix}`);
  });
  if (ids.length !== 1) throw new Error(`${ids.length} interface endpoints for ${suffix}`);
  return ids[0];
}
