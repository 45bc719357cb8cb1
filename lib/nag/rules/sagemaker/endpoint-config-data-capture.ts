import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { isFalse, literal } from '../values';
import { onlyServerless } from './variants';

/** SageMaker endpoint configs capture inference requests and responses. */
export const SageMakerEndpointConfigDataCapture: AiSecRule = defineRule({
  name: 'SageMakerEndpointConfigDataCapture',
  level: Level.WARN,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  info: 'The SageMaker endpoint config does not capture inference data (no DataCaptureConfig, or EnableCapture is false).',
  rationale: 'Without data capture there is no record of what the model was asked and answered: adversarial inputs, data drift and abuse go unnoticed and cannot be investigated.',
  guide: 'Issue 4, model monitoring ("Monitor input data for anomalies. Log all inference requests and responses")',
  controls: ['no Security Hub or Control Tower control (SageMaker Model Monitor relies on data capture)'],
  judge: (s) => {
    if (onlyServerless(s)) return NA;
    const capture = s.r.props.DataCaptureConfig;
    if (capture === undefined) return fail('DataCaptureConfig is absent');
    return isFalse(literal(s, capture.EnableCapture, 'DataCaptureConfig.EnableCapture')) ? fail('DataCaptureConfig.EnableCapture is false') : OK;
  },
});
