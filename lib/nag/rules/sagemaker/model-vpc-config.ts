import { CfnResource } from 'aws-cdk-lib';
import { CfnModel } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isGiven, resolve } from '../resolve';

/** SageMaker models are placed in a VPC (VpcConfig with subnets and security groups). */
export const SageMakerModelVpcConfig: AiSecRule = {
  name: 'SageMakerModelVpcConfig',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnModel.CFN_RESOURCE_TYPE_NAME],
  info: 'The SageMaker model has no VpcConfig with subnets and security groups.',
  rationale: 'Without a VpcConfig the model\'s containers run in a SageMaker-managed network, outside your subnets, security groups, VPC endpoints and flow logs.',
  guide: 'Network Segmentation ("Use virtual private clouds (VPCs) and subnets. Implement strict firewall rules")',
  controls: ['no Security Hub or Control Tower control checks models (nearest: Security Hub SageMaker.2 / CT.SAGEMAKER.PR.2 for notebooks)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnModel)) return NagRuleCompliance.NOT_APPLICABLE;
    const vpc = resolve(node, node.vpcConfig);
    if (vpc === undefined) return NagRuleCompliance.NON_COMPLIANT;
    return isGiven(vpc.subnets) && isGiven(vpc.securityGroupIds)
      ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
