import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isTrue, leaf } from '../resolve';
import { MONITORING_TYPES, monitoringNetworkConfig } from './monitoring';

/** Model-monitoring jobs encrypt traffic between their containers. */
export const SageMakerMonitoringInterContainerEncryption: AiSecRule = {
  name: 'SageMakerMonitoringInterContainerEncryption',
  level: NagMessageLevel.ERROR,
  resourceTypes: MONITORING_TYPES,
  info: 'The SageMaker monitoring job does not encrypt inter-container traffic (NetworkConfig.EnableInterContainerTrafficEncryption is not true).',
  rationale: 'Distributed monitoring jobs exchange captured inference data between instances; unencrypted, that traffic is readable on the network.',
  guide: 'Encrypt Data at Rest and in Transit ("Ensure all network traffic uses TLS/SSL")',
  controls: ['Security Hub SageMaker.9 (data quality), SageMaker.10 (model explainability), SageMaker.13 (model quality), SageMaker.15 (model bias) job definitions should have inter-container traffic encryption enabled'],
  check: (node: CfnResource) => {
    const network = monitoringNetworkConfig(node);
    if (network === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    return isTrue(leaf(network.config?.enableInterContainerTrafficEncryption, 'NetworkConfig.EnableInterContainerTrafficEncryption'))
      ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
