import { AiSecRule, Level, NA, OK, Verdict, defineRule, expandConditions, fail } from '../../rule';
import { AppIndex, Rendered } from '../render';
import { Subject, isFalse, isIntrinsic } from '../values';
import { DeployedName, ScheduleInput, deployedName, nameRef, readsEndpoint, scheduleInputs } from './monitoring-references';
import { onlyServerless } from './variants';

const SCHEDULE = 'AWS::SageMaker::MonitoringSchedule';

/**
 * An endpoint whose endpoint config captures inference data is read by a SageMaker Model
 * Monitor schedule. Opt-in (`requireModelMonitoring`): Model Monitor is closed to new customers.
 */
export const SageMakerEndpointMonitoringSchedule: AiSecRule = defineRule({
  name: 'SageMakerEndpointMonitoringSchedule',
  level: Level.WARN,
  enabledBy: 'requireModelMonitoring',
  resourceTypes: ['AWS::SageMaker::Endpoint'],
  info: 'The SageMaker endpoint captures inference data, but no SageMaker Model Monitor schedule (AWS::SageMaker::MonitoringSchedule) of the app reads it.',
  rationale: 'Captured requests and responses only help when something reads them: without a monitoring schedule, drift, anomalous inputs and adversarial probing sit unread in S3 until an incident. '
    + 'A schedule reads the endpoint through its EndpointName, the EndpointInput of its inline job definition, or the job definition it names (data quality, model quality, model bias or model explainability).',
  guide: 'Issue 4, model monitoring ("Implement continuous model monitoring. Track model performance metrics. Monitor input data for anomalies")',
  controls: ['no Security Hub or Control Tower control (builds on AiSec-SageMakerEndpointConfigDataCapture: Model Monitor reads the captured data)'],
  source: 'Amazon SageMaker AI Developer Guide, "Amazon SageMaker Model Monitor availability change" (Model Monitor is no longer open to new customers, which is why the rule is off by default); AWS CloudFormation User Guide, AWS::SageMaker::MonitoringSchedule and AWS::SageMaker::DataQualityJobDefinition',
  limits: 'the endpoint is judged only when its EndpointConfigName resolves (Ref, Fn::GetAtt, or a literal name) to an endpoint config in its own stack, and only when that config\'s EnableCapture is absent or a literal that is not false in every branch of its conditions (a serverless-only config, which cannot capture, is left to AiSec-PreflightSageMakerServerlessDataCapture); '
    + 'a schedule anywhere in the app counts, by a reference to the endpoint (Ref, Fn::GetAtt, Fn::Sub, Fn::ImportValue of an export of the app, Fn::Select/Fn::Split of one) or by a literal equal to the endpoint\'s literal EndpointName; '
    + 'when a reference synth cannot follow (a parameter, a pseudo parameter, an import from outside the app, a job definition named by a literal no job definition of the app has) could read the endpoint, the rule does not report it: it prefers a missed finding to a false one. '
    + 'Schedules created outside the app (the console, the SageMaker Python SDK, another CDK app) are not seen: acknowledge the finding on the endpoint, naming the schedule.',
  judge: (s) => {
    const config = endpointConfigOf(s);
    // Serverless Inference supports no data capture: AiSec-PreflightSageMakerServerlessDataCapture reports that config.
    if (config === undefined || onlyServerless({ r: config, index: s.index }) || !capturesInEveryBranch(config)) return NA;
    const name = deployedName(s.r, s.index, 'EndpointName');
    const inputs = schedulesOf(s.index);
    const reads = inputs.map((input) => readsEndpoint(input.ref, s.r, name));
    if (reads.includes('yes')) return OK;
    if (reads.includes('maybe')) return NA;
    return unmonitored(s.index, config, name);
  },
});

/** The endpoint config of the endpoint's stack its EndpointConfigName names, if synth can tell. */
function endpointConfigOf(s: Subject): Rendered | undefined {
  const ref = nameRef(s.index, s.r.stack, s.r.props.EndpointConfigName);
  if (ref?.kind === 'resource') {
    return ref.r.type === 'AWS::SageMaker::EndpointConfig' && ref.r.stack === s.r.stack ? ref.r : undefined;
  }
  if (ref?.kind !== 'literal') return undefined;
  const named = s.index.inStack(s.r.stack, 'AWS::SageMaker::EndpointConfig').filter((config) => {
    const own = deployedName(config, s.index, 'EndpointConfigName');
    return own.kind === 'literal' && own.value === ref.value;
  });
  return named.length === 1 ? named[0] : undefined;
}

/** Whether the config captures data in every branch of its conditions (an open EnableCapture does not count). */
function capturesInEveryBranch(config: Rendered): boolean {
  return expandConditions(config.props).every(({ props }) => {
    const capture = props.DataCaptureConfig;
    if (capture === undefined || capture === null || typeof capture !== 'object' || isIntrinsic(capture)) return false;
    const enabled = capture.EnableCapture;
    if (enabled === undefined) return true;
    const value = Array.isArray(enabled) && enabled.length === 1 ? enabled[0] : enabled;
    return (value === null || typeof value !== 'object') && !isFalse(value);
  });
}

/** The endpoint references of every monitoring schedule of the app (computed once per validation). */
function schedulesOf(index: AppIndex): ScheduleInput[] {
  return index.memo(`${SCHEDULE}:inputs`, () => index.ofType(SCHEDULE).flatMap((schedule) => scheduleInputs(index, schedule)));
}

function unmonitored(index: AppIndex, config: Rendered, name: DeployedName): Verdict {
  const named = name.kind === 'literal' ? ` (EndpointName ${name.value})` : '';
  const schedules = index.ofType(SCHEDULE).map((schedule) => schedule.logicalId);
  const others = schedules.length === 0 ? 'the app has no AWS::SageMaker::MonitoringSchedule'
    : `none of the monitoring schedules of the app (${schedules.join(', ')}) reads it`;
  return fail(`${config.logicalId} captures inference data for this endpoint${named}, but ${others}`);
}
