import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { isGiven } from '../values';
import { localStorageVariants, onlyServerless } from './variants';

/** SageMaker endpoint configs encrypt the instance storage with a KMS key. */
export const SageMakerEndpointConfigKms: AiSecRule = defineRule({
  name: 'SageMakerEndpointConfigKms',
  level: Level.ERROR,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  info: 'The SageMaker endpoint config names no KMS key (KmsKeyId) for the ML storage volumes.',
  rationale: 'Model artifacts and inference data on the endpoint\'s storage volumes should be encrypted under a key you control and audit. (Instance types with only local NVMe storage, which is hardware-encrypted, reject KmsKeyId: acknowledge the finding for those.)',
  guide: 'Encrypt Data at Rest and in Transit ("Use cloud provider services like AWS KMS")',
  controls: ['cdk-nag HIPAA.Security / NIST.800.53.R5 / PCI.DSS.321 SageMakerEndpointConfigurationKMSKeyConfigured', 'no Security Hub control'],
  judge: (s) => {
    // Serverless variants have no storage volume to encrypt; instance types with local storage
    // are encrypted by the instance's hardware module and take no KmsKeyId (see
    // PreflightSageMakerKmsOnLocalStorage).
    if (onlyServerless(s) || localStorageVariants(s).length > 0) return NA;
    return isGiven(s.r.props.KmsKeyId) ? OK : fail('KmsKeyId is absent');
  },
});
