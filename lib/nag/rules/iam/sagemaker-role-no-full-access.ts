import { AiSecRule, Level, NA, defineRule, findings } from '../../rule';
import { flatten, listOf, unknowable } from '../values';
import { sageMakerTrustStatements } from './trust';

const BROAD = /^(AdministratorAccess|PowerUserAccess|.*FullAccess.*)$/;

/**
 * Roles that SageMaker can assume carry no AWS managed full-access policy
 * (AmazonSageMakerFullAccess, AmazonS3FullAccess, AdministratorAccess, ...).
 * Findings: `Policy::<managed policy name>`.
 */
export const IAMSageMakerRoleNoFullAccess: AiSecRule = defineRule({
  name: 'IAMSageMakerRoleNoFullAccess',
  level: Level.ERROR,
  resourceTypes: ['AWS::IAM::Role'],
  info: 'A role that SageMaker can assume has an AWS managed full-access policy (AmazonSageMakerFullAccess, *FullAccess, AdministratorAccess or PowerUserAccess).',
  rationale: 'Every training job, model and notebook runs with its execution role: with AmazonSageMakerFullAccess a compromised container can create endpoints, read every bucket named "sagemaker" and pass roles.',
  guide: 'Issue 1, over-privileged IAM roles ("Always review default permissions. Custom policies are often better than managed ones")',
  controls: ['no Security Hub or Control Tower control (nearest: cdk-nag AwsSolutions-IAM4, AWS managed policies; Security Hub IAM.1 for customer policies)'],
  judge: (s) => {
    if (sageMakerTrustStatements(s).length === 0) return NA;
    const found: Record<string, string> = {};
    for (const arn of listOf(s, s.r.props.ManagedPolicyArns, 'ManagedPolicyArns')) {
      const text = flatten(s.index, s.r.stack, arn);
      const parameter = Object.keys(s.index.parameters(s.r.stack)).find((p) => text.includes(`#${p}»`));
      if (parameter) throw unknowable(s, { Ref: parameter }, 'ManagedPolicyArns');
      const name = /:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)/.exec(text)?.[1];
      if (name && BROAD.test(name)) found[`Policy::${name}`] = `the SageMaker role has the AWS managed policy ${name}`;
    }
    return findings(found);
  },
});
