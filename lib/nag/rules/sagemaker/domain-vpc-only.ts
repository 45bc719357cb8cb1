import { CfnResource } from 'aws-cdk-lib';
import { CfnDomain } from 'aws-cdk-lib/aws-sagemaker';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { primitive } from '../resolve';

/** SageMaker Studio domains send all traffic through the VPC (AppNetworkAccessType: VpcOnly). */
export const SageMakerDomainVpcOnly: AiSecRule = {
  name: 'SageMakerDomainVpcOnly',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnDomain.CFN_RESOURCE_TYPE_NAME],
  info: 'The SageMaker domain does not set AppNetworkAccessType to VpcOnly (the default, PublicInternetOnly, gives Studio apps direct internet access).',
  rationale: 'With PublicInternetOnly, Studio notebooks reach the internet outside your VPC: data can leave without passing your security groups, firewalls, endpoints or flow logs.',
  guide: 'Network Segmentation ("Isolate your AI environments ... Implement strict firewall rules")',
  controls: ['no Security Hub control for domains (nearest: Security Hub SageMaker.1 / CT.SAGEMAKER.PR.1, notebooks without direct internet access)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnDomain)) return NagRuleCompliance.NOT_APPLICABLE;
    return primitive(node, node.appNetworkAccessType, 'AppNetworkAccessType') === 'VpcOnly'
      ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
