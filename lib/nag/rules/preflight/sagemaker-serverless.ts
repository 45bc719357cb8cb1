import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { variantsOf } from '../sagemaker/variants';
import { isFalse, isTrue, literal, targetOf } from '../values';

const SERVERLESS_GUIDE = 'Amazon SageMaker AI Developer Guide, "Deploy models with Amazon SageMaker Serverless Inference", feature exclusions (https://docs.aws.amazon.com/sagemaker/latest/dg/serverless-endpoints.html)';

/** A production variant is serverless or instance-based, not both. */
export const PreflightSageMakerServerlessInstanceSettings: AiSecRule = defineRule({
  name: 'PreflightSageMakerServerlessInstanceSettings',
  level: Level.ERROR,
  preflight: true,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  info: 'A production variant of the endpoint config has a ServerlessConfig and also instance settings (InstanceType, InitialInstanceCount).',
  rationale: 'ServerlessConfig specifies a serverless endpoint configuration instead of an instance-based one: a variant that also names an instance type or count is rejected by CreateEndpointConfig.',
  guide: 'Secure AI Model Endpoints (an endpoint that deploys as designed)',
  controls: ['preflight: deploy-time constraint, no compliance control'],
  source: `Amazon SageMaker API Reference, ProductionVariant (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_ProductionVariant.html), ServerlessConfig: "Specifies a serverless endpoint configuration instead of an instance-based endpoint configuration"; ${SERVERLESS_GUIDE}`,
  judge: (s) => {
    const both = variantsOf(s).filter((v) => v?.ServerlessConfig !== undefined
      && (v.InstanceType !== undefined || v.InitialInstanceCount !== undefined));
    return both.length === 0 ? OK : fail(`variant ${both.map((v) => v.VariantName).join(', ')} has ServerlessConfig and ${both.map((v) => (v.InstanceType !== undefined ? 'InstanceType' : 'InitialInstanceCount')).join(', ')}`);
  },
});

/** Serverless endpoint configs capture no data. */
export const PreflightSageMakerServerlessDataCapture: AiSecRule = defineRule({
  name: 'PreflightSageMakerServerlessDataCapture',
  level: Level.ERROR,
  preflight: true,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  info: 'The endpoint config has serverless variants and turns on data capture, which Serverless Inference does not support.',
  rationale: 'Data capture (and Model Monitor) is one of the features Serverless Inference excludes: the endpoint cannot be created with it. Capture inputs and outputs in the calling service, or use an instance-based variant.',
  guide: 'Continuous Monitoring and Logging (monitoring that can actually run)',
  controls: ['preflight: deploy-time constraint, no compliance control'],
  source: SERVERLESS_GUIDE,
  judge: (s) => {
    const serverless = variantsOf(s).filter((v) => v?.ServerlessConfig !== undefined);
    const capture = s.r.props.DataCaptureConfig;
    if (serverless.length === 0 || capture === undefined) return NA;
    return isFalse(literal(s, capture.EnableCapture, 'DataCaptureConfig.EnableCapture')) ? OK
      : fail(`variant ${serverless.map((v) => v.VariantName).join(', ')} is serverless and DataCaptureConfig is enabled`);
  },
});

/** Models behind serverless variants have no VPC configuration and no network isolation. */
export const PreflightSageMakerServerlessModelNetwork: AiSecRule = defineRule({
  name: 'PreflightSageMakerServerlessModelNetwork',
  level: Level.ERROR,
  preflight: true,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  info: 'A serverless variant of the endpoint config serves a model of the app that has a VpcConfig or network isolation, which Serverless Inference does not support.',
  rationale: 'VPC configuration and network isolation are excluded from Serverless Inference: an endpoint serving such a model serverless fails to create. Serve it from an instance-based variant, or drop the settings for the serverless model (the AiSec network rules do not demand them there).',
  guide: 'Network Segmentation (segmentation that deploys)',
  controls: ['preflight: deploy-time constraint, no compliance control'],
  source: SERVERLESS_GUIDE,
  judge: (s) => {
    const serverless = variantsOf(s).filter((v) => v?.ServerlessConfig !== undefined);
    if (serverless.length === 0) return NA;
    const wrong: string[] = [];
    for (const variant of serverless) {
      const model = targetOf(s.index, s.r.stack, variant.ModelName);
      if (model?.type !== 'AWS::SageMaker::Model') continue;
      if (model.props.VpcConfig !== undefined) wrong.push(`${model.logicalId} has a VpcConfig`);
      if (isTrue(model.props.EnableNetworkIsolation)) wrong.push(`${model.logicalId} enables network isolation`);
    }
    return wrong.length === 0 ? OK : fail(`serverless variant serves a model that is not supported there: ${wrong.join(', ')}`);
  },
});
