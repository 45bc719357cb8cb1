import { CfnResource } from 'aws-cdk-lib';
import { CfnModel } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isTrue, primitive } from '../resolve';

/** SageMaker models run with network isolation (EnableNetworkIsolation: true). */
export const SageMakerModelNetworkIsolation: AiSecRule = {
  name: 'SageMakerModelNetworkIsolation',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnModel.CFN_RESOURCE_TYPE_NAME],
  info: 'The SageMaker model does not enable network isolation (EnableNetworkIsolation is not true).',
  rationale: 'A model container without network isolation can make outbound calls: a compromised or malicious model image can exfiltrate inference data or model weights.',
  guide: 'Network Segmentation ("Isolate your AI environments"); Issue 5, model theft and data exfiltration',
  controls: ['Security Hub SageMaker.5 (models should have network isolation enabled)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnModel)) return NagRuleCompliance.NOT_APPLICABLE;
    return isTrue(primitive(node, node.enableNetworkIsolation, 'EnableNetworkIsolation'))
      ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
