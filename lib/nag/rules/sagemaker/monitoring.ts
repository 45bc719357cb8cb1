import { CfnResource } from 'aws-cdk-lib';
import {
  CfnDataQualityJobDefinition,
  CfnModelBiasJobDefinition,
  CfnModelExplainabilityJobDefinition,
  CfnModelQualityJobDefinition,
  CfnMonitoringSchedule,
} from 'aws-cdk-lib/aws-sagemaker';
import { resolve } from '../resolve';

/** The resource types that define a SageMaker model-monitoring job's network settings. */
export const MONITORING_TYPES = [
  CfnMonitoringSchedule.CFN_RESOURCE_TYPE_NAME,
  CfnDataQualityJobDefinition.CFN_RESOURCE_TYPE_NAME,
  CfnModelQualityJobDefinition.CFN_RESOURCE_TYPE_NAME,
  CfnModelBiasJobDefinition.CFN_RESOURCE_TYPE_NAME,
  CfnModelExplainabilityJobDefinition.CFN_RESOURCE_TYPE_NAME,
];

/**
 * The resolved NetworkConfig of a monitoring job: `{ config }` (config undefined when absent),
 * or undefined when `node` defines no monitoring job (not a monitoring type, or a schedule that
 * names a separately defined job definition, which is checked on its own).
 */
export function monitoringNetworkConfig(node: CfnResource): { config: any } | undefined {
  if (node instanceof CfnMonitoringSchedule) {
    const schedule = resolve(node, node.monitoringScheduleConfig);
    const job = schedule?.monitoringJobDefinition;
    return job === undefined ? undefined : { config: job.networkConfig };
  }
  if (node instanceof CfnDataQualityJobDefinition || node instanceof CfnModelQualityJobDefinition
    || node instanceof CfnModelBiasJobDefinition || node instanceof CfnModelExplainabilityJobDefinition) {
    return { config: resolve(node, node.networkConfig) };
  }
  return undefined;
}
