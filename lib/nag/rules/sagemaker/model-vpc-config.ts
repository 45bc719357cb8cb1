import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { isGiven } from '../values';
import { servedOnlyServerless } from './variants';

/** SageMaker models are placed in a VPC (VpcConfig with subnets and security groups). */
export const SageMakerModelVpcConfig: AiSecRule = defineRule({
  name: 'SageMakerModelVpcConfig',
  level: Level.ERROR,
  resourceTypes: ['AWS::SageMaker::Model'],
  info: 'The SageMaker model has no VpcConfig with subnets and security groups.',
  rationale: 'Without a VpcConfig the model\'s containers run in a SageMaker-managed network, outside your subnets, security groups, VPC endpoints and flow logs.',
  guide: 'Network Segmentation ("Use virtual private clouds (VPCs) and subnets. Implement strict firewall rules")',
  controls: ['no Security Hub or Control Tower control checks models (nearest: Security Hub SageMaker.2 / CT.SAGEMAKER.PR.2 for notebooks)'],
  judge: (s) => {
    if (servedOnlyServerless(s)) return NA;
    const vpc = s.r.props.VpcConfig;
    if (vpc === undefined) return fail('VpcConfig is absent');
    return isGiven(vpc.Subnets) && isGiven(vpc.SecurityGroupIds) ? OK : fail('VpcConfig has no Subnets or no SecurityGroupIds');
  },
});
