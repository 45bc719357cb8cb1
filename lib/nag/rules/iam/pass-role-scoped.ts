import { IDENTITY_POLICY_TYPES, coversAction, everyResource, identityStatements, requiredKeys } from './policy';
import { AiSecRule, Level, NA, defineRule, findings } from '../../rule';

/**
 * Policies allow `iam:PassRole` only on named roles and only to named services
 * (`iam:PassedToService`). Findings: `Resource::*` (on every role), `Condition::iam:PassedToService`.
 */
export const IAMPassRoleScoped: AiSecRule = defineRule({
  name: 'IAMPassRoleScoped',
  level: Level.ERROR,
  resourceTypes: IDENTITY_POLICY_TYPES,
  info: 'The policy allows iam:PassRole on every role ("*") or without an iam:PassedToService condition.',
  rationale: 'Whoever can pass any role to SageMaker can run a training job or notebook as that role, with all its permissions: the classic privilege escalation path of ML platforms.',
  guide: 'Implement Strong Identity and Access Management ("Grant only necessary permissions"); Issue 1, over-privileged roles',
  controls: ['no Security Hub or Control Tower control (nearest: cdk-nag AwsSolutions-IAM5, wildcard permissions)'],
  judge: (s) => {
    const statements = identityStatements(s);
    if (statements === undefined) return NA;
    const found: Record<string, string> = {};
    for (const statement of statements.filter((st) => st.allow && coversAction(st, 'iam:PassRole'))) {
      if (everyResource(statement, 'role')) found['Resource::*'] = `iam:PassRole is allowed on every role (${(statement.resources ?? ['NotResource']).join(', ')})`;
      if (!requiredKeys(statement).includes('iam:passedtoservice')) found['Condition::iam:PassedToService'] = 'iam:PassRole is allowed without requiring iam:PassedToService';
    }
    return findings(found);
  },
});
