import { Subject } from '../values';
import { Statement, statementsOf } from './policy';

/**
 * The Allow statements of a role's trust policy that let the SageMaker service assume it. The
 * principal is compared flattened, so `Fn::Sub: sagemaker.${AWS::URLSuffix}` and the
 * `Fn::Join` form count like the literal `sagemaker.amazonaws.com`.
 */
export function sageMakerTrustStatements(s: Subject): Statement[] {
  if (s.r.type !== 'AWS::IAM::Role') return [];
  return statementsOf(s, s.r.props.AssumeRolePolicyDocument, 'AssumeRolePolicyDocument')
    .filter((st) => st.allow && /(^|[^\w.-])sagemaker\.amazonaws\.com/.test(st.principal));
}
