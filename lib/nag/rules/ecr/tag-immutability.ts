import { CfnResource } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { primitive } from '../resolve';

const IMMUTABLE = ['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION'];

/** ECR repositories make image tags immutable. */
export const ECRTagImmutability: AiSecRule = {
  name: 'ECRTagImmutability',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnRepository.CFN_RESOURCE_TYPE_NAME],
  info: 'The ECR repository does not make image tags immutable (ImageTagMutability is not IMMUTABLE).',
  rationale: 'With mutable tags, whoever can push can replace the image an endpoint or training job pulls by tag, without changing any infrastructure: a supply-chain attack path.',
  guide: 'Supply Chain Security; Issue 3 ("Pin specific versions to avoid unexpected changes")',
  controls: ['Security Hub ECR.2 (private repositories should have tag immutability configured)', 'Control Tower CT.ECR.PR.3 (ecr_private_tag_immutability_enabled_check)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnRepository)) return NagRuleCompliance.NOT_APPLICABLE;
    const mutability = primitive(node, node.imageTagMutability, 'ImageTagMutability');
    return IMMUTABLE.includes(String(mutability)) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
