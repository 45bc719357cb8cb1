import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { isGiven, isTrue, literal } from '../values';
import { variantsOf } from './variants';

/**
 * Endpoint configs for inference components (variants without a ModelName: the models come
 * from AWS::SageMaker::InferenceComponent resources) isolate the containers and run in a VPC:
 * there the endpoint config, not the model, carries EnableNetworkIsolation and VpcConfig.
 */
export const SageMakerEndpointConfigInferenceComponentIsolation: AiSecRule = defineRule({
  name: 'SageMakerEndpointConfigInferenceComponentIsolation',
  level: Level.ERROR,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  info: 'The endpoint config hosts inference components but does not enable network isolation and a VpcConfig for them.',
  rationale: 'With inference components the model network settings of AWS::SageMaker::Model do not apply: the endpoint config\'s EnableNetworkIsolation and VpcConfig decide whether the containers can call out. Without them a compromised model image can exfiltrate inference data.',
  guide: 'Network Segmentation ("Isolate your AI environments"); Issue 5, model theft and data exfiltration',
  controls: ['Security Hub SageMaker.5 (nearest: models should have network isolation enabled)'],
  source: 'Amazon SageMaker API Reference, CreateEndpointConfig (https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_CreateEndpointConfig.html): EnableNetworkIsolation, VpcConfig, ExecutionRoleArn',
  judge: (s) => {
    const components = variantsOf(s).filter((v) => v?.ModelName === undefined && v?.ServerlessConfig === undefined);
    if (components.length === 0) return NA;
    const missing: string[] = [];
    const isolation = literal(s, s.r.props.EnableNetworkIsolation, 'EnableNetworkIsolation');
    if (!isTrue(isolation)) missing.push(`EnableNetworkIsolation is ${isolation ?? 'absent'}`);
    const vpc = s.r.props.VpcConfig;
    if (!isGiven(vpc?.Subnets) || !isGiven(vpc?.SecurityGroupIds)) missing.push('VpcConfig is absent or incomplete');
    return missing.length === 0 ? OK : fail(`variant ${components.map((v) => v.VariantName).join(', ')} hosts inference components and ${missing.join(', ')}`);
  },
});
