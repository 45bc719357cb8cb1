import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { isTrue, listOf, literal } from '../values';

/** WAF web ACLs and each of their rules publish CloudWatch metrics. */
export const WAFv2Metrics: AiSecRule = defineRule({
  name: 'WAFv2Metrics',
  level: Level.WARN,
  resourceTypes: ['AWS::WAFv2::WebACL'],
  info: 'The WAF web ACL, or one of its rules, does not publish CloudWatch metrics (VisibilityConfig.CloudWatchMetricsEnabled is not true).',
  rationale: 'Rule metrics are what alarms on blocked and rate-limited requests are built on; without them an attack on the model API is visible only in raw logs.',
  guide: 'Secure AI Model Endpoints ("Monitor endpoint traffic for anomalies")',
  controls: ['Security Hub WAF.12 (rules should have CloudWatch metrics enabled)'],
  judge: (s) => {
    const enabled = (visibility: any, what: string) => isTrue(literal(s, visibility?.CloudWatchMetricsEnabled, what));
    if (!enabled(s.r.props.VisibilityConfig, 'VisibilityConfig.CloudWatchMetricsEnabled')) return fail('VisibilityConfig.CloudWatchMetricsEnabled is not true');
    const off = listOf(s, s.r.props.Rules, 'Rules')
      .filter((rule) => !enabled(rule?.VisibilityConfig, 'Rules[].VisibilityConfig.CloudWatchMetricsEnabled'));
    return off.length === 0 ? OK : fail(`rule ${off.map((rule) => rule?.Name).join(', ')} has CloudWatch metrics off`);
  },
});
