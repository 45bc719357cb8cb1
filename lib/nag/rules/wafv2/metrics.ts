import { CfnResource } from 'aws-cdk-lib';
import { CfnWebACL } from 'aws-cdk-lib/aws-wafv2';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isTrue, leaf, list, resolve } from '../resolve';

/** WAF web ACLs and each of their rules publish CloudWatch metrics. */
export const WAFv2Metrics: AiSecRule = {
  name: 'WAFv2Metrics',
  level: NagMessageLevel.WARN,
  resourceTypes: [CfnWebACL.CFN_RESOURCE_TYPE_NAME],
  info: 'The WAF web ACL, or one of its rules, does not publish CloudWatch metrics (VisibilityConfig.CloudWatchMetricsEnabled is not true).',
  rationale: 'Rule metrics are what alarms on blocked and rate-limited requests are built on; without them an attack on the model API is visible only in raw logs.',
  guide: 'Secure AI Model Endpoints ("Monitor endpoint traffic for anomalies")',
  controls: ['Security Hub WAF.12 (rules should have CloudWatch metrics enabled)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnWebACL)) return NagRuleCompliance.NOT_APPLICABLE;
    const enabled = (visibility: any, what: string) => isTrue(leaf(visibility?.cloudWatchMetricsEnabled, what));
    if (!enabled(resolve(node, node.visibilityConfig), 'VisibilityConfig.CloudWatchMetricsEnabled')) return NagRuleCompliance.NON_COMPLIANT;
    const rules = list(resolve(node, node.rules), 'Rules');
    return rules.every((rule) => enabled(rule?.visibilityConfig, 'Rules[].VisibilityConfig.CloudWatchMetricsEnabled'))
      ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
