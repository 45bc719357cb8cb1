import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isTrue, leaf } from '../resolve';
import { MONITORING_TYPES, monitoringNetworkConfig } from './monitoring';

/** Model-monitoring jobs run with network isolation. */
export const SageMakerMonitoringNetworkIsolation: AiSecRule = {
  name: 'SageMakerMonitoringNetworkIsolation',
  level: NagMessageLevel.ERROR,
  resourceTypes: MONITORING_TYPES,
  info: 'The SageMaker monitoring job does not enable network isolation (NetworkConfig.EnableNetworkIsolation is not true).',
  rationale: 'Monitoring jobs read captured inference data and baselines; without network isolation their containers can reach the network and leak that data.',
  guide: 'Network Segmentation; Issue 4, model monitoring',
  controls: ['Security Hub SageMaker.11 (data quality job definitions), SageMaker.12 (model bias job definitions), SageMaker.14 (monitoring schedules) should have network isolation enabled'],
  check: (node: CfnResource) => {
    const network = monitoringNetworkConfig(node);
    if (network === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    return isTrue(leaf(network.config?.enableNetworkIsolation, 'NetworkConfig.EnableNetworkIsolation'))
      ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
