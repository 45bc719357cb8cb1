import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { isTrue, literal } from '../values';
import { MONITORING_TYPES, monitoringNetworkConfig } from './monitoring';

/** Model-monitoring jobs encrypt traffic between their containers. */
export const SageMakerMonitoringInterContainerEncryption: AiSecRule = defineRule({
  name: 'SageMakerMonitoringInterContainerEncryption',
  level: Level.ERROR,
  resourceTypes: MONITORING_TYPES,
  info: 'The SageMaker monitoring job does not encrypt inter-container traffic (NetworkConfig.EnableInterContainerTrafficEncryption is not true).',
  rationale: 'Distributed monitoring jobs exchange captured inference data between instances; unencrypted, that traffic is readable on the network.',
  guide: 'Encrypt Data at Rest and in Transit ("Ensure all network traffic uses TLS/SSL")',
  controls: ['Security Hub SageMaker.9 (data quality), SageMaker.10 (model explainability), SageMaker.13 (model quality), SageMaker.15 (model bias) job definitions should have inter-container traffic encryption enabled'],
  judge: (s) => {
    const network = monitoringNetworkConfig(s);
    if (network === undefined) return NA;
    const value = literal(s, network.config?.EnableInterContainerTrafficEncryption, 'NetworkConfig.EnableInterContainerTrafficEncryption');
    return isTrue(value) ? OK : fail(`NetworkConfig.EnableInterContainerTrafficEncryption is ${value ?? 'absent'}`);
  },
});
