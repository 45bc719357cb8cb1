import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { flatten, mentions } from '../values';

/** WAF web ACLs log to a destination (an AWS::WAFv2::LoggingConfiguration in the same stack). */
export const WAFv2Logging: AiSecRule = defineRule({
  name: 'WAFv2Logging',
  level: Level.ERROR,
  resourceTypes: ['AWS::WAFv2::WebACL'],
  info: 'The WAF web ACL has no logging configuration in its stack.',
  rationale: 'Without WAF logs, blocked and allowed requests to the model API leave no record: attacks cannot be detected, investigated or tuned against.',
  guide: 'Continuous Monitoring and Logging ("Monitor all access attempts ... Set up alerts for suspicious activities")',
  controls: ['Security Hub WAF.11 (web ACL logging should be enabled)', 'cdk-nag HIPAA.Security / NIST.800.53.R5 / PCI.DSS.321 WAFv2LoggingEnabled'],
  judge: (s) => {
    const name = typeof s.r.props.Name === 'string' ? s.r.props.Name : undefined;
    const logged = s.index.ofType('AWS::WAFv2::LoggingConfiguration').some((config) => {
      const arn = flatten(s.index, config.stack, config.props.ResourceArn);
      return mentions(arn, s.r) || (name !== undefined && arn.includes(`webacl/${name}/`));
    });
    return logged ? OK : fail('no AWS::WAFv2::LoggingConfiguration in any stack of the app names this web ACL');
  },
});

