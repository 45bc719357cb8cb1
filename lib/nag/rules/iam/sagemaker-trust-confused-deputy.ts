import { CfnResource } from 'aws-cdk-lib';
import { CfnRole } from 'aws-cdk-lib/aws-iam';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { requiredKeys } from './policy';
import { sageMakerTrustStatements } from './trust';
import { AiSecRule } from '../../rule';

/** Trust policies that let SageMaker assume a role carry aws:SourceAccount or aws:SourceArn. */
export const IAMSageMakerTrustConfusedDeputy: AiSecRule = {
  name: 'IAMSageMakerTrustConfusedDeputy',
  level: NagMessageLevel.WARN,
  resourceTypes: [CfnRole.CFN_RESOURCE_TYPE_NAME],
  info: 'The role trusts sagemaker.amazonaws.com without an aws:SourceAccount or aws:SourceArn condition.',
  rationale: 'Without a source condition, SageMaker acting for another account could be made to assume the role (confused deputy). A warning: check that every SageMaker feature the role serves sends the source keys before adding them.',
  guide: 'Implement Strong Identity and Access Management; Least Privilege Access ("applies to users, services, and AI components")',
  controls: ['no Security Hub or Control Tower control (AWS guidance: cross-service confused deputy prevention)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnRole)) return NagRuleCompliance.NOT_APPLICABLE;
    const statements = sageMakerTrustStatements(node);
    if (statements.length === 0) return NagRuleCompliance.NOT_APPLICABLE;
    return statements.every((s) => requiredKeys(s).some((key) => key === 'aws:sourceaccount' || key === 'aws:sourcearn'))
      ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
