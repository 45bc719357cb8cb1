import { Stack } from 'aws-cdk-lib';
import { expandConditions } from '../../rule';
import { AppIndex, Rendered } from '../render';
import { asList, flatten, targetOf } from '../values';

/**
 * What a name-valued property of a template points to, as far as synth can tell: a resource of
 * the app (`Ref`, `Fn::GetAtt`, `Fn::Sub: "${X}"`, `Fn::ImportValue` of an export of the app, or
 * `Fn::Select`/`Fn::Split` of one of those, as the library's monitor takes a job definition's name
 * from its ARN), a literal string, or unknown (a parameter, a pseudo parameter, an import from
 * outside the app, a value built from one of those).
 */
export type NameRef =
  | { readonly kind: 'resource'; readonly r: Rendered }
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'unknown' };

const UNKNOWN: NameRef = { kind: 'unknown' };

/** Resolves a name-valued property (undefined when the property is absent). */
export function nameRef(index: AppIndex, stack: Stack, value: unknown, depth = 0): NameRef | undefined {
  if (value === undefined || value === null) return undefined;
  if (depth > 10) return UNKNOWN;
  if (typeof value === 'string' || typeof value === 'number') return { kind: 'literal', value: String(value) };
  if (Array.isArray(value)) return value.length === 1 ? nameRef(index, stack, value[0], depth + 1) : UNKNOWN;
  if (typeof value !== 'object') return UNKNOWN;
  const v = value as any;
  const select = v['Fn::Select'];
  if (Array.isArray(select) && select.length === 2) {
    const [position, list] = select;
    const split = list?.['Fn::Split'];
    if (Array.isArray(split) && split.length === 2 && typeof split[0] === 'string') {
      const inner = nameRef(index, stack, split[1], depth + 1);
      if (inner?.kind === 'resource') return inner;
      if (inner?.kind === 'literal' && typeof position !== 'object') {
        const part = inner.value.split(split[0])[Number(position)];
        return part === undefined ? UNKNOWN : { kind: 'literal', value: part };
      }
      return UNKNOWN;
    }
    if (Array.isArray(list) && typeof position !== 'object') return nameRef(index, stack, list[Number(position)], depth + 1);
    return UNKNOWN;
  }
  const target = targetOf(index, stack, value);
  if (target) return { kind: 'resource', r: target };
  if (v['Fn::Join'] !== undefined || v['Fn::Sub'] !== undefined) {
    // A name built from literals only is a literal; one built from anything else is unknown.
    const text = flatten(index, stack, value);
    return text.includes('«') || text.includes('{') ? UNKNOWN : { kind: 'literal', value: text };
  }
  if (v['Fn::ImportValue'] !== undefined) {
    const name = flatten(index, stack, v['Fn::ImportValue']);
    const exported = index.exportNamed(name);
    return exported ? nameRef(index, exported.stack, exported.value, depth + 1) ?? UNKNOWN : UNKNOWN;
  }
  return UNKNOWN;
}

/** Whether a reference reads one endpoint: yes, no, or maybe (synth cannot tell). */
export type Reads = 'yes' | 'no' | 'maybe';

/**
 * The name a resource is deployed under: its literal name property, `generated` when the
 * property is absent (CloudFormation generates one, which no literal elsewhere can know), or
 * unknown (a parameter, an import).
 */
export type DeployedName = { readonly kind: 'literal'; readonly value: string } | { readonly kind: 'generated' } | { readonly kind: 'unknown' };

/** The deployed name of a resource from its name property (`EndpointName`, `JobDefinitionName`...). */
export function deployedName(r: Rendered, index: AppIndex, property: string): DeployedName {
  const ref = nameRef(index, r.stack, r.props?.[property]);
  if (ref === undefined) return { kind: 'generated' };
  return ref.kind === 'literal' ? ref : { kind: 'unknown' };
}

/**
 * Whether a reference reads `endpoint`: a Ref/GetAtt to it (in any form `nameRef` follows) or a
 * literal equal to its literal EndpointName (SageMaker endpoint names are not case sensitive).
 * A reference to another endpoint, or a literal when the endpoint's name is another literal or
 * generated, is no; a reference synth cannot follow is maybe.
 */
export function readsEndpoint(ref: NameRef | undefined, endpoint: Rendered, name: DeployedName): Reads {
  if (ref === undefined) return 'no';
  if (ref.kind === 'resource') {
    if (ref.r.node === endpoint.node) return 'yes';
    return ref.r.type === 'AWS::SageMaker::Endpoint' ? 'no' : 'maybe';
  }
  if (ref.kind === 'literal') {
    if (name.kind === 'literal') return ref.value.toLowerCase() === name.value.toLowerCase() ? 'yes' : 'no';
    return name.kind === 'generated' ? 'no' : 'maybe';
  }
  return 'maybe';
}

/** The monitoring job definition types, and the property holding each one's job input. */
export const JOB_DEFINITION_INPUTS: Record<string, string> = {
  'AWS::SageMaker::DataQualityJobDefinition': 'DataQualityJobInput',
  'AWS::SageMaker::ModelQualityJobDefinition': 'ModelQualityJobInput',
  'AWS::SageMaker::ModelBiasJobDefinition': 'ModelBiasJobInput',
  'AWS::SageMaker::ModelExplainabilityJobDefinition': 'ModelExplainabilityJobInput',
};

/** One endpoint reference of a monitoring schedule, with where it was found (for the finding's text). */
export interface ScheduleInput {
  readonly schedule: Rendered;
  readonly where: string;
  readonly ref: NameRef;
}

/**
 * The endpoint references of a monitoring schedule, in every branch of its conditions: its
 * `EndpointName`, the `EndpointInput.EndpointName` of its inline `MonitoringJobDefinition`, and
 * those of the job definition its `MonitoringJobDefinitionName` names (the job definition's own
 * `EndpointName` and its `<Type>JobInput.EndpointInput.EndpointName`). A job definition name or
 * an input list synth cannot follow gives an `unknown` reference.
 */
export function scheduleInputs(index: AppIndex, schedule: Rendered): ScheduleInput[] {
  const found: ScheduleInput[] = [];
  const add = (where: string, value: unknown, stack = schedule.stack) => {
    const ref = nameRef(index, stack, value);
    if (ref !== undefined) found.push({ schedule, where, ref });
  };
  for (const { props } of expandConditions(schedule.props)) {
    add('EndpointName', props.EndpointName);
    const config = props.MonitoringScheduleConfig;
    const inline = config?.MonitoringJobDefinition;
    if (inline !== undefined) {
      const inputs = inline.MonitoringInputs;
      if (inputs !== undefined && !Array.isArray(inputs)) found.push({ schedule, where: 'MonitoringJobDefinition.MonitoringInputs', ref: UNKNOWN });
      for (const input of asList(inputs)) add('MonitoringJobDefinition.MonitoringInputs[].EndpointInput.EndpointName', (input as any)?.EndpointInput?.EndpointName);
    }
    const jobName = nameRef(index, schedule.stack, config?.MonitoringJobDefinitionName);
    if (jobName === undefined) continue;
    for (const job of jobDefinitions(index, jobName)) {
      if (job === 'unknown') {
        found.push({ schedule, where: 'MonitoringJobDefinitionName', ref: UNKNOWN });
        continue;
      }
      const input = JOB_DEFINITION_INPUTS[job.type];
      for (const variant of expandConditions(job.props)) {
        add(`${job.logicalId}.EndpointName`, variant.props.EndpointName, job.stack);
        add(`${job.logicalId}.${input}.EndpointInput.EndpointName`, variant.props[input]?.EndpointInput?.EndpointName, job.stack);
      }
    }
  }
  return found;
}

/**
 * The job definitions of the app a `MonitoringJobDefinitionName` names: the referenced one, or
 * those whose literal JobDefinitionName equals the literal; `unknown` when the name points
 * outside the app or to something synth cannot follow.
 */
function jobDefinitions(index: AppIndex, name: NameRef): (Rendered | 'unknown')[] {
  if (name.kind === 'resource') return name.r.type in JOB_DEFINITION_INPUTS ? [name.r] : ['unknown'];
  if (name.kind === 'unknown') return ['unknown'];
  const named = Object.keys(JOB_DEFINITION_INPUTS).flatMap((type) => index.ofType(type)).filter((job) => {
    const own = deployedName(job, index, 'JobDefinitionName');
    return own.kind === 'literal' && own.value === name.value;
  });
  return named.length > 0 ? named : ['unknown'];
}
