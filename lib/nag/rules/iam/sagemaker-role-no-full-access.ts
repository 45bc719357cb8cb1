import { CfnResource } from 'aws-cdk-lib';
import { CfnRole } from 'aws-cdk-lib/aws-iam';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { list, referencesParameter, resolve } from '../resolve';
import { sageMakerTrustStatements } from './trust';

const BROAD = /^(AdministratorAccess|PowerUserAccess|.*FullAccess.*)$/;

/**
 * Roles that SageMaker can assume carry no AWS managed full-access policy
 * (AmazonSageMakerFullAccess, AmazonS3FullAccess, AdministratorAccess, ...).
 * Findings: `Policy::<managed policy name>`.
 */
export const IAMSageMakerRoleNoFullAccess: AiSecRule = {
  name: 'IAMSageMakerRoleNoFullAccess',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnRole.CFN_RESOURCE_TYPE_NAME],
  info: 'A role that SageMaker can assume has an AWS managed full-access policy (AmazonSageMakerFullAccess, *FullAccess, AdministratorAccess or PowerUserAccess).',
  rationale: 'Every training job, model and notebook runs with its execution role: with AmazonSageMakerFullAccess a compromised container can create endpoints, read every bucket named "sagemaker" and pass roles.',
  guide: 'Issue 1, over-privileged IAM roles ("Always review default permissions. Custom policies are often better than managed ones")',
  controls: ['no Security Hub or Control Tower control (nearest: cdk-nag AwsSolutions-IAM4, AWS managed policies; Security Hub IAM.1 for customer policies)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnRole) || sageMakerTrustStatements(node).length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    const arns = list(resolve(node, node.managedPolicyArns), 'ManagedPolicyArns');
    const findings = new Set<string>();
    for (const arn of arns) {
      const parameter = referencesParameter(node, arn);
      if (parameter) {
        throw new Error(`ManagedPolicyArns references the parameter ${parameter}, which the rule cannot evaluate: `
          + 'name the policy, or acknowledge the finding after checking the value deployed');
      }
      const name = /:iam::aws:policy\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)/.exec(typeof arn === 'string' ? arn : JSON.stringify(arn))?.[1];
      if (name && BROAD.test(name)) findings.add(`Policy::${name}`);
    }
    return findings.size > 0 ? [...findings] : NagRuleCompliance.COMPLIANT;
  },
};
