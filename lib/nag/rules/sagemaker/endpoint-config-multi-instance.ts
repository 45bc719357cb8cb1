import { CfnResource } from 'aws-cdk-lib';
import { CfnEndpointConfig } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { leaf, list, resolve } from '../resolve';

/** Instance-backed production variants start with more than one instance. */
export const SageMakerEndpointConfigMultiInstance: AiSecRule = {
  name: 'SageMakerEndpointConfigMultiInstance',
  level: NagMessageLevel.WARN,
  resourceTypes: [CfnEndpointConfig.CFN_RESOURCE_TYPE_NAME],
  info: 'A production variant of the SageMaker endpoint config has an InitialInstanceCount of 1 or none.',
  rationale: 'With one instance, an instance failure or an Availability Zone outage takes the endpoint down; SageMaker spreads two or more instances across Availability Zones. Serverless variants are not instance-backed and are not checked.',
  guide: 'Secure AI Model Endpoints (availability of the inference service); Incident Response Planning',
  controls: ['Security Hub SageMaker.4 (endpoint production variants should have an initial instance count greater than 1)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnEndpointConfig)) return NagRuleCompliance.NOT_APPLICABLE;
    const variants = list(resolve(node, node.productionVariants), 'ProductionVariants');
    const instanceBacked = variants.filter((v) => v?.serverlessConfig === undefined);
    if (instanceBacked.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const single = instanceBacked.some((v) => {
      const count = leaf(v.initialInstanceCount, 'ProductionVariants[].InitialInstanceCount');
      return count === undefined || Number(count) <= 1;
    });
    return single ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
