import { Subject } from '../values';

export const MONITORING_TYPES = [
  'AWS::SageMaker::MonitoringSchedule',
  'AWS::SageMaker::DataQualityJobDefinition',
  'AWS::SageMaker::ModelQualityJobDefinition',
  'AWS::SageMaker::ModelBiasJobDefinition',
  'AWS::SageMaker::ModelExplainabilityJobDefinition',
];

/**
 * The rendered NetworkConfig of a monitoring job: `{ config }` (config undefined when absent),
 * or undefined when the resource defines no monitoring job (not a monitoring type, or a
 * schedule that names a separately defined job definition, which is checked on its own).
 */
export function monitoringNetworkConfig(s: Subject): { config: any } | undefined {
  const { r } = s;
  if (r.type === 'AWS::SageMaker::MonitoringSchedule') {
    const job = r.props.MonitoringScheduleConfig?.MonitoringJobDefinition;
    return job === undefined ? undefined : { config: job.NetworkConfig };
  }
  if (MONITORING_TYPES.includes(r.type)) return { config: r.props.NetworkConfig };
  return undefined;
}
