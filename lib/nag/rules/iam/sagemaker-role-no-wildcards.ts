import { matches, roleStatements } from './policy';
import { sageMakerTrustStatements } from './trust';
import { AiSecRule, Level, NA, defineRule, findings } from '../../rule';

/**
 * Actions that support no resource-level permissions (the service authorization reference
 * lists `*` as their only resource): `Resource: *` is the only way to grant them.
 */
const ONLY_STAR = [
  'ecr:GetAuthorizationToken', 'cloudwatch:PutMetricData', 'logs:DescribeLogGroups', 'ec2:Describe*',
  'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface',
  'ec2:DeleteNetworkInterfacePermission', 'sagemaker:List*', 'sagemaker:Search', 'xray:PutTraceSegments',
  'xray:PutTelemetryRecords', 'kms:ListAliases', 'sts:GetCallerIdentity',
];

/**
 * Roles SageMaker assumes get no `*` action and no `*` resource from their inline policies or
 * from the customer-managed policies and AWS::IAM::Policy resources of the app attached to them.
 * Findings: `Action::<pattern>`, `Resource::*[<action>]`.
 */
export const IAMSageMakerRoleNoWildcards: AiSecRule = defineRule({
  name: 'IAMSageMakerRoleNoWildcards',
  level: Level.ERROR,
  resourceTypes: ['AWS::IAM::Role'],
  info: 'A role SageMaker assumes is allowed a wildcard action (service:*, *) or an action on every resource (*) by its inline or attached policies.',
  rationale: 'Training jobs, models and notebooks run whatever code their image holds: a wildcard in the role they assume turns one compromised container into access to every bucket, key or endpoint of the account, which is the guide\'s own example of what not to grant ("sagemaker:*Job*" on "*").',
  guide: 'Implement Least Privilege Access (IAM example: scope actions and resources)',
  controls: ['cdk-nag AwsSolutions-IAM5 (wildcards, any role)', 'Security Hub IAM.1 / IAM.21 (nearest: no full "*" administrative privileges, no wildcard actions for services)'],
  judge: (s) => {
    if (sageMakerTrustStatements(s).length === 0) return NA;
    const { statements, sources } = roleStatements(s);
    const found: Record<string, string> = {};
    for (const st of statements.filter((x) => x.allow)) {
      for (const action of st.actions ?? ['NotAction']) {
        if (action === 'NotAction' || action === '*' || /^[\w-]+:\*$/.test(action)) {
          found[`Action::${action}`] = `${action === 'NotAction' ? 'a NotAction statement' : action} is allowed (policies: ${sources.join(', ')})`;
        }
      }
      if (st.resources === undefined || st.resources.includes('*')) {
        const scoped = (st.actions ?? []).filter((a) => !ONLY_STAR.some((p) => matches(p, a) || p === a));
        for (const action of scoped) found[`Resource::*[${action}]`] = `${action} is allowed on every resource (policies: ${sources.join(', ')})`;
      }
    }
    return findings(found);
  },
});
