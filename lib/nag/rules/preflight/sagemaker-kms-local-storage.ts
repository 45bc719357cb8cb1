import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { localStorageVariants } from '../sagemaker/variants';
import { isGiven } from '../values';

/** An endpoint config with instance types that have local storage takes no KmsKeyId. */
export const PreflightSageMakerKmsOnLocalStorage: AiSecRule = defineRule({
  name: 'PreflightSageMakerKmsOnLocalStorage',
  level: Level.ERROR,
  preflight: true,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  info: 'The endpoint config sets KmsKeyId and a variant uses an instance type with local (instance store) storage, which CreateEndpointConfig rejects.',
  rationale: 'Instance store volumes of Nitro instances are encrypted by a hardware module; SageMaker cannot use a KMS key for them and fails CreateEndpointConfig when KmsKeyId is given with such an instance type. Drop KmsKeyId for these instance types (their storage is already encrypted), or choose an instance type without local storage.',
  guide: 'Encrypt Data at Rest and in Transit (encryption that deploys)',
  controls: ['preflight: deploy-time constraint, no compliance control'],
  source: 'Amazon SageMaker API Reference, CreateEndpointConfig (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html), KmsKeyId: "If you specify a value for KmsKeyId when using any nitro-based instances with local storage, the call to CreateEndpointConfig fails"',
  judge: (s) => {
    if (!isGiven(s.r.props.KmsKeyId)) return NA;
    const local = localStorageVariants(s);
    return local.length === 0 ? OK : fail(`KmsKeyId is set and variant ${local.map((v) => `${v.VariantName} (${v.InstanceType})`).join(', ')} has local storage`);
  },
});
