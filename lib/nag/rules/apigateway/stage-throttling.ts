import { CfnResource } from 'aws-cdk-lib';
import { CfnStage } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage as CfnHttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isGiven, leaf, list, resolve } from '../resolve';

/** API stages set default throttling (a burst and a rate limit for every method). */
export const APIGWStageThrottling: AiSecRule = {
  name: 'APIGWStageThrottling',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnStage.CFN_RESOURCE_TYPE_NAME, CfnHttpStage.CFN_RESOURCE_TYPE_NAME],
  info: 'The API stage sets no default throttling (MethodSettings for "*" "/*", or DefaultRouteSettings, with ThrottlingBurstLimit and ThrottlingRateLimit).',
  rationale: 'Without stage throttling the account-wide limit is all that stands between one client and the model backend: inference cost and capacity can be exhausted.',
  guide: 'Secure AI Model Endpoints ("Apply rate limiting to prevent abuse"); Issue 5 ("Apply rate limiting and throttling")',
  controls: ['cdk-nag Serverless-APIGWDefaultThrottling', 'no Security Hub or Control Tower control'],
  check: (node: CfnResource) => {
    const limited = (settings: any) => isGiven(settings?.throttlingBurstLimit) && isGiven(settings?.throttlingRateLimit);
    if (node instanceof CfnStage) {
      const settings = list(resolve(node, node.methodSettings), 'MethodSettings');
      return settings.some((s) => leaf(s?.httpMethod, 'MethodSettings[].HttpMethod') === '*'
        && leaf(s?.resourcePath, 'MethodSettings[].ResourcePath') === '/*' && limited(s))
        ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    if (node instanceof CfnHttpStage) {
      return limited(resolve(node, node.defaultRouteSettings)) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
    }
    return NagRuleCompliance.NOT_APPLICABLE;
  },
};
