import { CfnResource } from 'aws-cdk-lib';
import { CfnDomain } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isGiven, resolve } from '../resolve';

/** SageMaker Studio domains encrypt their EFS volume with a customer-managed KMS key. */
export const SageMakerDomainKms: AiSecRule = {
  name: 'SageMakerDomainKms',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnDomain.CFN_RESOURCE_TYPE_NAME],
  info: 'The SageMaker domain names no KMS key (KmsKeyId) for its home-directory EFS volume.',
  rationale: 'Studio home directories hold notebooks, datasets and credentials users saved; encrypted with an AWS owned key, their use cannot be restricted or audited with key policies and CloudTrail.',
  guide: 'Encrypt Data at Rest and in Transit ("Use cloud provider services like AWS KMS")',
  controls: ['no Security Hub or Control Tower control (nearest: cdk-nag SageMakerNotebookInstanceKMSKeyConfigured for notebooks)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnDomain)) return NagRuleCompliance.NOT_APPLICABLE;
    return isGiven(resolve(node, node.kmsKeyId)) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
