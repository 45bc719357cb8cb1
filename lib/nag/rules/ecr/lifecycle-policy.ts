import { CfnResource } from 'aws-cdk-lib';
import { CfnRepository } from 'aws-cdk-lib/aws-ecr';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isGiven, resolve } from '../resolve';

/** ECR repositories expire old images with a lifecycle policy. */
export const ECRLifecyclePolicy: AiSecRule = {
  name: 'ECRLifecyclePolicy',
  level: NagMessageLevel.WARN,
  resourceTypes: [CfnRepository.CFN_RESOURCE_TYPE_NAME],
  info: 'The ECR repository has no lifecycle policy (LifecyclePolicy.LifecyclePolicyText).',
  rationale: 'Old, unpatched images stay pullable forever without a lifecycle policy, and keep being reported by scans nobody acts on.',
  guide: 'Vulnerability Management ("Keep all software and dependencies updated")',
  controls: ['Security Hub ECR.3 (repositories should have at least one lifecycle policy configured)', 'Control Tower CT.ECR.PR.1 (ecr_private_lifecycle_policy_configured_check)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnRepository)) return NagRuleCompliance.NOT_APPLICABLE;
    const lifecycle = resolve(node, node.lifecyclePolicy);
    return isGiven(lifecycle?.lifecyclePolicyText) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
