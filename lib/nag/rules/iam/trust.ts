import { CfnRole } from 'aws-cdk-lib/aws-iam';
import { resolve } from '../resolve';
import { Statement, statementsOf } from './policy';

/** The Allow statements of a role's trust policy that let the SageMaker service assume it. */
export function sageMakerTrustStatements(role: CfnRole): Statement[] {
  return statementsOf(resolve(role, role.assumeRolePolicyDocument), 'AssumeRolePolicyDocument')
    .filter((s) => s.allow && JSON.stringify((s.principal as any)?.Service ?? '').includes('sagemaker.amazonaws.com'));
}
