import { CfnResource } from 'aws-cdk-lib';
import { CfnNotebookInstance } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { primitive } from '../resolve';

/** SageMaker notebook instances disable root access. */
export const SageMakerNotebookRootAccess: AiSecRule = {
  name: 'SageMakerNotebookRootAccess',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnNotebookInstance.CFN_RESOURCE_TYPE_NAME],
  info: 'The SageMaker notebook instance does not set RootAccess to Disabled (root access is enabled by default).',
  rationale: 'Root on a notebook lets any user change its software, disable its controls and read every credential on it.',
  guide: 'Least Privilege Access ("Grant only necessary permissions. This principle applies to users, services, and AI components")',
  controls: ['Security Hub SageMaker.3 (users should not have root access to notebook instances)', 'Control Tower CT.SAGEMAKER.PR.3 (sagemaker_notebook_instance_root_access_check)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnNotebookInstance)) return NagRuleCompliance.NOT_APPLICABLE;
    return primitive(node, node.rootAccess, 'RootAccess') === 'Disabled'
      ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
