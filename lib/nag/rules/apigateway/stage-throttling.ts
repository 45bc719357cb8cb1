import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { isGiven, listOf, literal } from '../values';

/** API stages set default throttling (a burst and a rate limit for every method). */
export const APIGWStageThrottling: AiSecRule = defineRule({
  name: 'APIGWStageThrottling',
  level: Level.ERROR,
  resourceTypes: ['AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage'],
  info: 'The API stage sets no default throttling (MethodSettings for "*" "/*", or DefaultRouteSettings, with ThrottlingBurstLimit and ThrottlingRateLimit).',
  rationale: 'Without stage throttling the account-wide limit is all that stands between one client and the model backend: inference cost and capacity can be exhausted.',
  guide: 'Secure AI Model Endpoints ("Apply rate limiting to prevent abuse"); Issue 5 ("Apply rate limiting and throttling")',
  controls: ['cdk-nag Serverless-APIGWDefaultThrottling', 'no Security Hub or Control Tower control'],
  judge: (s) => {
    const limited = (settings: any) => isGiven(settings?.ThrottlingBurstLimit) && isGiven(settings?.ThrottlingRateLimit);
    if (s.r.type === 'AWS::ApiGateway::Stage') {
      const settings = listOf(s, s.r.props.MethodSettings, 'MethodSettings');
      return settings.some((m) => literal(s, m?.HttpMethod, 'MethodSettings[].HttpMethod') === '*'
        && literal(s, m?.ResourcePath, 'MethodSettings[].ResourcePath') === '/*' && limited(m))
        ? OK : fail('no MethodSettings entry for HttpMethod * and ResourcePath /* sets both ThrottlingBurstLimit and ThrottlingRateLimit');
    }
    return limited(s.r.props.DefaultRouteSettings) ? OK : fail('DefaultRouteSettings does not set both ThrottlingBurstLimit and ThrottlingRateLimit');
  },
});
