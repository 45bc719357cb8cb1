import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { flatten, listOf, targetOf } from '../values';

const NAME_PROPERTY: Record<string, string> = {
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::KinesisFirehose::DeliveryStream': 'DeliveryStreamName',
};

/** WAF logging destinations are named aws-waf-logs-*. */
export const PreflightWafLoggingDestinationName: AiSecRule = defineRule({
  name: 'PreflightWafLoggingDestinationName',
  level: Level.ERROR,
  preflight: true,
  resourceTypes: ['AWS::WAFv2::LoggingConfiguration'],
  info: 'The WAF logging configuration sends logs to a destination whose name does not start with aws-waf-logs-, which AWS WAF rejects.',
  rationale: 'AWS WAF only logs to a CloudWatch Logs log group, S3 bucket or Firehose stream whose name starts with aws-waf-logs-; any other name makes PutLoggingConfiguration fail and the stack roll back. A destination without an explicit name gets a generated one, which never has the prefix.',
  guide: 'Continuous Monitoring and Logging (WAF logs that actually arrive)',
  controls: ['preflight: deploy-time constraint, no compliance control'],
  source: 'AWS WAF API Reference, LoggingConfiguration (https://docs.aws.amazon.com/waf/latest/APIReference/API_LoggingConfiguration.html): "The name that you give the destination must start with aws-waf-logs-"',
  judge: (s) => {
    const wrong: string[] = [];
    for (const destination of listOf(s, s.r.props.LogDestinationConfigs, 'LogDestinationConfigs')) {
      const target = targetOf(s.index, s.r.stack, destination);
      if (target && NAME_PROPERTY[target.type]) {
        const name = target.props[NAME_PROPERTY[target.type]];
        if (name === undefined) wrong.push(`${target.logicalId} (no ${NAME_PROPERTY[target.type]}: a generated name)`);
        else if (typeof name === 'string' && !name.startsWith('aws-waf-logs-')) wrong.push(`${target.logicalId} (${name})`);
        continue;
      }
      const text = flatten(s.index, s.r.stack, destination);
      const name = /:(?:log-group:|deliverystream\/|::)([^:/«]+)/.exec(text)?.[1];
      if (name !== undefined && !text.includes('«') && !name.startsWith('aws-waf-logs-')) wrong.push(name);
    }
    return wrong.length === 0 ? OK : fail(`destination ${wrong.join(', ')} is not named aws-waf-logs-*`);
  },
});
