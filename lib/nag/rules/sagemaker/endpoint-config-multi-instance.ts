import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { listOf, literal } from '../values';

/** Instance-backed production variants start with more than one instance. */
export const SageMakerEndpointConfigMultiInstance: AiSecRule = defineRule({
  name: 'SageMakerEndpointConfigMultiInstance',
  level: Level.WARN,
  resourceTypes: ['AWS::SageMaker::EndpointConfig'],
  info: 'A production variant of the SageMaker endpoint config has an InitialInstanceCount of 1 or none.',
  rationale: 'With one instance, an instance failure or an Availability Zone outage takes the endpoint down; SageMaker spreads two or more instances across Availability Zones. Serverless variants are not instance-backed and are not checked.',
  guide: 'Secure AI Model Endpoints (availability of the inference service); Incident Response Planning',
  controls: ['Security Hub SageMaker.4 (endpoint production variants should have an initial instance count greater than 1)'],
  judge: (s) => {
    const variants = listOf(s, s.r.props.ProductionVariants, 'ProductionVariants');
    const instanceBacked = variants.filter((v) => v?.ServerlessConfig === undefined);
    if (instanceBacked.length === 0) return NA;
    const single = instanceBacked.filter((v) => {
      const count = literal(s, v.InitialInstanceCount, 'ProductionVariants[].InitialInstanceCount');
      return count === undefined || Number(count) <= 1;
    });
    return single.length === 0 ? OK
      : fail(`variant ${single.map((v) => v.VariantName ?? '?').join(', ')} has InitialInstanceCount ${single.map((v) => v.InitialInstanceCount ?? 'absent').join(', ')}`);
  },
});
