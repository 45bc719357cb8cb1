import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { isTrue, literal } from '../values';
import { MONITORING_TYPES, monitoringNetworkConfig } from './monitoring';

/** Model-monitoring jobs run with network isolation. */
export const SageMakerMonitoringNetworkIsolation: AiSecRule = defineRule({
  name: 'SageMakerMonitoringNetworkIsolation',
  level: Level.ERROR,
  resourceTypes: MONITORING_TYPES,
  info: 'The SageMaker monitoring job does not enable network isolation (NetworkConfig.EnableNetworkIsolation is not true).',
  rationale: 'Monitoring jobs read captured inference data and baselines; without network isolation their containers can reach the network and leak that data.',
  guide: 'Network Segmentation; Issue 4, model monitoring',
  controls: ['Security Hub SageMaker.11 (data quality job definitions), SageMaker.12 (model bias job definitions), SageMaker.14 (monitoring schedules) should have network isolation enabled'],
  judge: (s) => {
    const network = monitoringNetworkConfig(s);
    if (network === undefined) return NA;
    const value = literal(s, network.config?.EnableNetworkIsolation, 'NetworkConfig.EnableNetworkIsolation');
    return isTrue(value) ? OK : fail(`NetworkConfig.EnableNetworkIsolation is ${value ?? 'absent'}`);
  },
});
