import { CfnResource } from 'aws-cdk-lib';
import { CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isFalse, isGiven, leaf, resolve } from '../resolve';

/** Captured inference data is encrypted with a KMS key. */
export const SageMakerEndpointConfigDataCaptureKms: AiSecRule = {
  name: 'SageMakerEndpointConfigDataCaptureKms',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnEndpointConfig.CFN_RESOURCE_TYPE_NAME],
  info: 'The SageMaker endpoint config captures inference data without a KMS key (DataCaptureConfig.KmsKeyId).',
  rationale: 'Captured requests and responses are often the most sensitive data of an ML system (prompts, personal data, predictions); written to S3 they should be encrypted under a key you control.',
  guide: 'Encrypt Data at Rest and in Transit; Issue 2, unencrypted sensitive data',
  controls: ['no Security Hub or Control Tower control'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnEndpointConfig)) return NagRuleCompliance.NOT_APPLICABLE;
    const capture = resolve(node, node.dataCaptureConfig);
    if (capture === undefined || isFalse(leaf(capture.enableCapture, 'DataCaptureConfig.EnableCapture'))) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return isGiven(capture.kmsKeyId) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
