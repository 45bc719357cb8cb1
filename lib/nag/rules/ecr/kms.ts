import { CfnResource } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isGiven, leaf, resolve } from '../resolve';

/** ECR repositories encrypt images with a customer-managed KMS key. */
export const ECRKms: AiSecRule = {
  name: 'ECRKms',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnRepository.CFN_RESOURCE_TYPE_NAME],
  info: 'The ECR repository does not encrypt images with a customer-managed KMS key (EncryptionConfiguration KMS with a KmsKey).',
  rationale: 'Images can embed model weights and code; a customer-managed key lets key policies and CloudTrail control and record who decrypts them.',
  guide: 'Encrypt Data at Rest and in Transit; Secure Your Container Images',
  controls: ['Security Hub ECR.5 (repositories should be encrypted with customer managed AWS KMS keys)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnRepository)) return NagRuleCompliance.NOT_APPLICABLE;
    const encryption = resolve(node, node.encryptionConfiguration);
    const type = leaf(encryption?.encryptionType, 'EncryptionConfiguration.EncryptionType');
    return (type === 'KMS' || type === 'KMS_DSSE') && isGiven(encryption.kmsKey)
      ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
