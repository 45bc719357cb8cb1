import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { coversAction, IDENTITY_POLICY_TYPES, identityStatements, requiredKeys } from './policy';
import { AiSecRule } from '../../rule';

/**
 * Policies allow `iam:PassRole` only on named roles and only to named services
 * (`iam:PassedToService`). Findings: `Resource::*` (on every role), `Condition::iam:PassedToService`.
 */
export const IAMPassRoleScoped: AiSecRule = {
  name: 'IAMPassRoleScoped',
  level: NagMessageLevel.ERROR,
  resourceTypes: IDENTITY_POLICY_TYPES,
  info: 'The policy allows iam:PassRole on every role ("*") or without an iam:PassedToService condition.',
  rationale: 'Whoever can pass any role to SageMaker can run a training job or notebook as that role, with all its permissions: the classic privilege escalation path of ML platforms.',
  guide: 'Implement Strong Identity and Access Management ("Grant only necessary permissions"); Issue 1, over-privileged roles',
  controls: ['no Security Hub or Control Tower control (nearest: cdk-nag AwsSolutions-IAM5, wildcard permissions)'],
  check: (node: CfnResource) => {
    const statements = identityStatements(node);
    if (statements === undefined) return NagRuleCompliance.NOT_APPLICABLE;
    const findings = new Set<string>();
    for (const statement of statements.filter((s) => s.allow && coversAction(s, 'iam:PassRole'))) {
      if (statement.resources === undefined || statement.resources.includes('*')) findings.add('Resource::*');
      if (!requiredKeys(statement).includes('iam:passedtoservice')) findings.add('Condition::iam:PassedToService');
    }
    return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
  },
};
