import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { isGiven, literal } from '../values';

/** ECR repositories encrypt images with a customer-managed KMS key. */
export const ECRKms: AiSecRule = defineRule({
  name: 'ECRKms',
  level: Level.ERROR,
  resourceTypes: ['AWS::ECR::Repository'],
  info: 'The ECR repository does not encrypt images with a customer-managed KMS key (EncryptionConfiguration KMS with a KmsKey).',
  rationale: 'Images can embed model weights and code; a customer-managed key lets key policies and CloudTrail control and record who decrypts them.',
  guide: 'Encrypt Data at Rest and in Transit; Secure Your Container Images',
  controls: ['Security Hub ECR.5 (repositories should be encrypted with customer managed AWS KMS keys)'],
  judge: (s) => {
    const encryption = s.r.props.EncryptionConfiguration;
    const type = literal(s, encryption?.EncryptionType, 'EncryptionConfiguration.EncryptionType');
    if (type !== 'KMS' && type !== 'KMS_DSSE') return fail(`EncryptionConfiguration.EncryptionType is ${type ?? 'absent (AES256)'}`);
    return isGiven(encryption.KmsKey) ? OK : fail(`EncryptionType is ${type} with no KmsKey (the AWS managed key)`);
  },
});
