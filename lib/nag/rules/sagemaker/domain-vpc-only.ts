import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { literal } from '../values';

/** SageMaker Studio domains send all traffic through the VPC (AppNetworkAccessType: VpcOnly). */
export const SageMakerDomainVpcOnly: AiSecRule = defineRule({
  name: 'SageMakerDomainVpcOnly',
  level: Level.ERROR,
  resourceTypes: ['AWS::SageMaker::Domain'],
  info: 'The SageMaker domain does not set AppNetworkAccessType to VpcOnly (the default, PublicInternetOnly, gives Studio apps direct internet access).',
  rationale: 'With PublicInternetOnly, Studio notebooks reach the internet outside your VPC: data can leave without passing your security groups, firewalls, endpoints or flow logs.',
  guide: 'Network Segmentation ("Isolate your AI environments ... Implement strict firewall rules")',
  controls: ['no Security Hub control for domains (nearest: Security Hub SageMaker.1 / CT.SAGEMAKER.PR.1, notebooks without direct internet access)'],
  judge: (s) => {
    const access = literal(s, s.r.props.AppNetworkAccessType, 'AppNetworkAccessType');
    return access === 'VpcOnly' ? OK : fail(`AppNetworkAccessType is ${access ?? 'absent (PublicInternetOnly)'}`);
  },
});
