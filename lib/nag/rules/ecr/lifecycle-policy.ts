import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { isGiven } from '../values';

/** ECR repositories expire old images with a lifecycle policy. */
export const ECRLifecyclePolicy: AiSecRule = defineRule({
  name: 'ECRLifecyclePolicy',
  level: Level.WARN,
  resourceTypes: ['AWS::ECR::Repository'],
  info: 'The ECR repository has no lifecycle policy (LifecyclePolicy.LifecyclePolicyText).',
  rationale: 'Old, unpatched images stay pullable forever without a lifecycle policy, and keep being reported by scans nobody acts on.',
  guide: 'Vulnerability Management ("Keep all software and dependencies updated")',
  controls: ['Security Hub ECR.3 (repositories should have at least one lifecycle policy configured)', 'Control Tower CT.ECR.PR.1 (ecr_private_lifecycle_policy_configured_check)'],
  judge: ({ r }) => (isGiven(r.props.LifecyclePolicy?.LifecyclePolicyText) ? OK : fail('LifecyclePolicy.LifecyclePolicyText is absent')),
});
