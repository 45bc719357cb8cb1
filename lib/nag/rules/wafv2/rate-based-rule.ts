import { CfnResource } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { list, resolve } from '../resolve';

const LIMITING_ACTIONS = ['block', 'captcha', 'challenge'];

/** WAF web ACLs have a rate-based rule that blocks (or challenges), not only counts. */
export const WAFv2RateBasedRule: AiSecRule = {
  name: 'WAFv2RateBasedRule',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnWebACL.CFN_RESOURCE_TYPE_NAME],
  info: 'The WAF web ACL has no rate-based rule whose action is Block, Captcha or Challenge.',
  rationale: 'Inference is expensive and model extraction needs many queries: without a rate-based rule one client can exhaust capacity or systematically query the model.',
  guide: 'Secure AI Model Endpoints ("Apply rate limiting to prevent abuse"); Issue 5 ("Enable Web Application Firewalls (WAFs)")',
  controls: ['no Security Hub or Control Tower control (nearest: Security Hub WAF.10 / CT.WAFV2.PR.1, web ACLs should have at least one rule)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnWebACL)) return NagRuleCompliance.NOT_APPLICABLE;
    const rules = list(resolve(node, node.rules), 'Rules');
    const limiting = rules.some((rule) => rule?.statement?.rateBasedStatement !== undefined
      && Object.keys(rule.action ?? {}).some((action) => LIMITING_ACTIONS.includes(action.toLowerCase())));
    return limiting ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
