import { CfnResource } from 'aws-cdk-lib';
import { CfnMethod } from 'aws-cdk-lib/aws-apigateway';
import { CfnRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { primitive, resolve } from '../resolve';

/** API methods and routes require authorization (AuthorizationType is not NONE). */
export const APIGWMethodAuthorization: AiSecRule = {
  name: 'APIGWMethodAuthorization',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnMethod.CFN_RESOURCE_TYPE_NAME, CfnRoute.CFN_RESOURCE_TYPE_NAME],
  info: 'The API method or route has authorization type NONE (or none set). CORS preflight OPTIONS methods with a MOCK integration are exempt.',
  rationale: 'An unauthenticated inference method lets anyone query the model: abuse, cost, data exfiltration and model extraction.',
  guide: 'Secure AI Model Endpoints ("Implement strong authentication and authorization"); Issue 5',
  controls: ['Security Hub APIGateway.8 (routes should specify an authorization type)', 'Control Tower CT.APIGATEWAY.PR.5 (api_gw_v2_authorization_type_configured_check)', 'cdk-nag AwsSolutions-APIG4'],
  check: (node: CfnResource) => {
    if (node instanceof CfnMethod) {
      const method = primitive(node, node.httpMethod, 'HttpMethod');
      const integration = resolve(node, node.integration);
      if (method === 'OPTIONS' && integration?.type === 'MOCK') return NagRuleCompliance.NOT_APPLICABLE;
    } else if (!(node instanceof CfnRoute)) {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    const type = primitive(node, node.authorizationType, 'AuthorizationType');
    return type === undefined || String(type).toUpperCase() === 'NONE'
      ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
