import { CfnResource } from 'aws-cdk-lib';
import { CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isGiven, resolve } from '../resolve';

/** SageMaker endpoint configs encrypt the instance storage with a KMS key. */
export const SageMakerEndpointConfigKms: AiSecRule = {
  name: 'SageMakerEndpointConfigKms',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnEndpointConfig.CFN_RESOURCE_TYPE_NAME],
  info: 'The SageMaker endpoint config names no KMS key (KmsKeyId) for the ML storage volumes.',
  rationale: 'Model artifacts and inference data on the endpoint\'s storage volumes should be encrypted under a key you control and audit. (Instance types with only local NVMe storage, which is hardware-encrypted, reject KmsKeyId: acknowledge the finding for those.)',
  guide: 'Encrypt Data at Rest and in Transit ("Use cloud provider services like AWS KMS")',
  controls: ['cdk-nag HIPAA.Security / NIST.800.53.R5 / PCI.DSS.321 SageMakerEndpointConfigurationKMSKeyConfigured', 'no Security Hub control'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnEndpointConfig)) return NagRuleCompliance.NOT_APPLICABLE;
    return isGiven(resolve(node, node.kmsKeyId)) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
