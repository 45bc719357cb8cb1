import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { isGiven } from '../values';

/** SageMaker Studio domains encrypt their EFS volume with a customer-managed KMS key. */
export const SageMakerDomainKms: AiSecRule = defineRule({
  name: 'SageMakerDomainKms',
  level: Level.ERROR,
  resourceTypes: ['AWS::SageMaker::Domain'],
  info: 'The SageMaker domain names no KMS key (KmsKeyId) for its home-directory EFS volume.',
  rationale: 'Studio home directories hold notebooks, datasets and credentials users saved; encrypted with an AWS owned key, their use cannot be restricted or audited with key policies and CloudTrail.',
  guide: 'Encrypt Data at Rest and in Transit ("Use cloud provider services like AWS KMS")',
  controls: ['no Security Hub or Control Tower control (nearest: cdk-nag SageMakerNotebookInstanceKMSKeyConfigured for notebooks)'],
  judge: ({ r }) => {
    if (isGiven(r.props.KmsKeyId)) return OK;
    return r.props.KmsKeyId === undefined ? fail('KmsKeyId is absent') : fail('KmsKeyId is empty');
  },
});
