import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { isFalse, isGiven, literal } from '../values';

/** Captured inference data is encrypted with a KMS key. */
export const SageMakerEndpointConfigDataCaptureKms: AiSecRule = defineRule({
  name: 'SageMakerEndpointConfigDataCaptureKms',
  level: Level.ERROR,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  info: 'The SageMaker endpoint config captures inference data without a KMS key (DataCaptureConfig.KmsKeyId).',
  rationale: 'Captured requests and responses are often the most sensitive data of an ML system (prompts, personal data, predictions); written to S3 they should be encrypted under a key you control.',
  guide: 'Encrypt Data at Rest and in Transit; Issue 2, unencrypted sensitive data',
  controls: ['no Security Hub or Control Tower control'],
  judge: (s) => {
    const capture = s.r.props.DataCaptureConfig;
    if (capture === undefined || isFalse(literal(s, capture.EnableCapture, 'DataCaptureConfig.EnableCapture'))) return NA;
    return isGiven(capture.KmsKeyId) ? OK : fail('DataCaptureConfig.KmsKeyId is absent');
  },
});
