import { CfnResource } from 'aws-cdk-lib';
import { CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isFalse, leaf, resolve } from '../resolve';

/** SageMaker endpoint configs capture inference requests and responses. */
export const SageMakerEndpointConfigDataCapture: AiSecRule = {
  name: 'SageMakerEndpointConfigDataCapture',
  level: NagMessageLevel.WARN,
  resourceTypes: [CfnEndpointConfig.CFN_RESOURCE_TYPE_NAME],
  info: 'The SageMaker endpoint config does not capture inference data (no DataCaptureConfig, or EnableCapture is false).',
  rationale: 'Without data capture there is no record of what the model was asked and answered: adversarial inputs, data drift and abuse go unnoticed and cannot be investigated.',
  guide: 'Issue 4, model monitoring ("Monitor input data for anomalies. Log all inference requests and responses")',
  controls: ['no Security Hub or Control Tower control (SageMaker Model Monitor relies on data capture)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnEndpointConfig)) return NagRuleCompliance.NOT_APPLICABLE;
    const capture = resolve(node, node.dataCaptureConfig);
    if (capture === undefined) return NagRuleCompliance.NON_COMPLIANT;
    return isFalse(leaf(capture.enableCapture, 'DataCaptureConfig.EnableCapture'))
      ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
