import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { Subject, listOf, targetOf } from '../values';

const LIMITING_ACTIONS = ['block', 'captcha', 'challenge'];

/** WAF web ACLs have a rate-based rule that blocks (or challenges), not only counts. */
export const WAFv2RateBasedRule: AiSecRule = defineRule({
  name: 'WAFv2RateBasedRule',
  level: Level.ERROR,
  resourceTypes: ['AWS::WAFv2::WebACL'],
  info: 'The WAF web ACL has no rate-based rule whose action is Block, Captcha or Challenge.',
  rationale: 'Inference is expensive and model extraction needs many queries: without a rate-based rule one client can exhaust capacity or systematically query the model.',
  guide: 'Secure AI Model Endpoints ("Apply rate limiting to prevent abuse"); Issue 5 ("Enable Web Application Firewalls (WAFs)")',
  controls: ['no Security Hub or Control Tower control (nearest: Security Hub WAF.10 / CT.WAFV2.PR.1, web ACLs should have at least one rule)'],
  judge: (s) => {
    const rules = listOf(s, s.r.props.Rules, 'Rules');
    if (rules.some((rule) => rule?.Statement?.RateBasedStatement !== undefined && limits(rule.Action))) return OK;
    for (const rule of rules) {
      const reference = rule?.Statement?.RuleGroupReferenceStatement;
      if (!reference) continue;
      const group = targetOf(s.index, s.r.stack, reference.Arn);
      if (!group || group.type !== 'AWS::WAFv2::RuleGroup') continue;
      const overridden = new Set(listOf(s, reference.RuleActionOverrides, 'RuleActionOverrides')
        .filter((o: any) => !limits(o?.ActionToUse)).map((o: any) => o?.Name));
      if (Object.keys(rule.OverrideAction ?? {}).some((a) => a.toLowerCase() === 'count')) continue;
      const inner = listOf({ r: group, index: s.index } as Subject, group.props.Rules, 'RuleGroup Rules');
      if (inner.some((g: any) => g?.Statement?.RateBasedStatement !== undefined && limits(g.Action) && !overridden.has(g.Name))) return OK;
    }
    return fail('no rule, and no rule of a referenced rule group of the app, is a rate-based rule that blocks, challenges or asks for a CAPTCHA');
  },
});

function limits(action: any): boolean {
  return Object.keys(action ?? {}).some((a) => LIMITING_ACTIONS.includes(a.toLowerCase()));
}
