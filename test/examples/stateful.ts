import { App } from 'aws-cdk-lib';

/** Resource types that hold data: replacing one loses (or orphans) it. */
export const STATEFUL_TYPES = [
  'AWS::S3::Bucket',
  'AWS::KMS::Key',
  'AWS::Logs::LogGroup',
  'AWS::ECR::Repository',
  'AWS::SQS::Queue',
  'AWS::DynamoDB::Table',
  'AWS::EFS::FileSystem',
  'AWS::RDS::DBCluster',
  'AWS::RDS::DBInstance',
];

const KEEPING_POLICIES = ['Retain', 'RetainExceptOnCreate', 'Snapshot'];

/** stack name → logical ID → resource type, for every stateful or retained resource. */
export type StatefulResources = Record<string, Record<string, string>>;

interface Resource { Type: string; DeletionPolicy?: string }

/** The stateful resources of a synthesized app: a stateful type, or a deletion policy that keeps the resource. */
export function statefulResourcesOf(app: App): StatefulResources {
  const assembly = app.synth();
  const found: StatefulResources = {};
  for (const stack of assembly.stacks) {
    const resources = (stack.template.Resources ?? {}) as Record<string, Resource>;
    for (const [logicalId, resource] of Object.entries(resources)) {
      if (STATEFUL_TYPES.includes(resource.Type) || KEEPING_POLICIES.includes(resource.DeletionPolicy ?? 'Delete')) {
        (found[stack.stackName] ??= {})[logicalId] = resource.Type;
      }
    }
  }
  return found;
}

/** Stateful resources of a synthesized app whose deletion policy would delete them. */
export function unretainedOf(app: App): string[] {
  const assembly = app.synth();
  return assembly.stacks.flatMap((stack) => Object.entries((stack.template.Resources ?? {}) as Record<string, Resource>)
    .filter(([, r]) => STATEFUL_TYPES.includes(r.Type) && !KEEPING_POLICIES.includes(r.DeletionPolicy ?? 'Delete'))
    .map(([id, r]) => `${stack.stackName}/${id} (${r.Type}, DeletionPolicy ${r.DeletionPolicy ?? 'Delete'})`));
}

/**
 * What an upgrade would do to the reviewed stateful resources: each problem is one sentence
 * naming the stack, the logical ID, the type and what to do.
 */
export function compareStateful(reviewed: StatefulResources, actual: StatefulResources): string[] {
  const problems: string[] = [];
  for (const [stack, resources] of Object.entries(reviewed)) {
    for (const [logicalId, type] of Object.entries(resources)) {
      const now = actual[stack]?.[logicalId];
      if (now === undefined) {
        problems.push(`${stack}/${logicalId} (${type}) is gone: its logical ID changed or it was removed, so CloudFormation would replace or orphan it and its data. Restore the construct ID, or use overrideLogicalId to keep the old logical ID.`);
      } else if (now !== type) {
        problems.push(`${stack}/${logicalId} changed type from ${type} to ${now}: CloudFormation would replace it.`);
      }
    }
  }
  for (const [stack, resources] of Object.entries(actual)) {
    for (const [logicalId, type] of Object.entries(resources)) {
      if (reviewed[stack]?.[logicalId] === undefined) {
        problems.push(`${stack}/${logicalId} (${type}) is a new stateful resource: review it, then add "${logicalId}": "${type}" under "${stack}" in test/examples/stateful-resources.json.`);
      }
    }
  }
  return problems;
}
