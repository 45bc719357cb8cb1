import { CfnResource } from 'aws-cdk-lib';
import { CfnLoggingConfiguration, CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { logicalIdOf, resolve, resourcesInStack } from '../resolve';

/** WAF web ACLs log to a destination (an AWS::WAFv2::LoggingConfiguration in the same stack). */
export const WAFv2Logging: AiSecRule = {
  name: 'WAFv2Logging',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnWebACL.CFN_RESOURCE_TYPE_NAME],
  info: 'The WAF web ACL has no logging configuration in its stack.',
  rationale: 'Without WAF logs, blocked and allowed requests to the model API leave no record: attacks cannot be detected, investigated or tuned against.',
  guide: 'Continuous Monitoring and Logging ("Monitor all access attempts ... Set up alerts for suspicious activities")',
  controls: ['Security Hub WAF.11 (web ACL logging should be enabled)', 'cdk-nag HIPAA.Security / NIST.800.53.R5 / PCI.DSS.321 WAFv2LoggingEnabled'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnWebACL)) return NagRuleCompliance.NOT_APPLICABLE;
    const logicalId = logicalIdOf(node);
    const name = resolve(node, node.name);
    const references = new RegExp(`"${logicalId}"|webacl/${typeof name === 'string' ? escape(name) : '\\0'}/`);
    const logged = resourcesInStack(node, CfnLoggingConfiguration)
      .some((config) => references.test(JSON.stringify(resolve(config, config.resourceArn))));
    return logged ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
