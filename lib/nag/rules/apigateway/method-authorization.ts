import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { literal, targetOf } from '../values';

/** API methods and routes require authorization (AuthorizationType is not NONE). */
export const APIGWMethodAuthorization: AiSecRule = defineRule({
  name: 'APIGWMethodAuthorization',
  level: Level.ERROR,
  resourceTypes: ['AWS::ApiGateway::Method', 'AWS::ApiGatewayV2::Route'],
  info: 'The API method or route has authorization type NONE (or none set). CORS preflight OPTIONS methods with a MOCK integration are exempt.',
  rationale: 'An unauthenticated inference method lets anyone query the model: abuse, cost, data exfiltration and model extraction.',
  guide: 'Secure AI Model Endpoints ("Implement strong authentication and authorization"); Issue 5',
  controls: ['Security Hub APIGateway.8 (routes should specify an authorization type)', 'Control Tower CT.APIGATEWAY.PR.5 (api_gw_v2_authorization_type_configured_check)', 'cdk-nag AwsSolutions-APIG4'],
  judge: (s) => {
    const { r } = s;
    if (r.type === 'AWS::ApiGateway::Method') {
      const method = literal(s, r.props.HttpMethod, 'HttpMethod');
      if (method === 'OPTIONS' && r.props.Integration?.Type === 'MOCK') return NA;
    } else {
      const routeKey = literal(s, r.props.RouteKey, 'RouteKey');
      const api = targetOf(s.index, r.stack, r.props.ApiId);
      const protocol = api?.type === 'AWS::ApiGatewayV2::Api' ? api.props.ProtocolType : undefined;
      const webSocket = protocol === 'WEBSOCKET' || (protocol === undefined && typeof routeKey === 'string'
        && routeKey !== '$default' && !routeKey.includes(' '));
      // WebSocket APIs authorize on $connect only; other routes cannot carry an authorizer.
      if (webSocket && routeKey !== '$connect') return NA;
    }
    const type = literal(s, r.props.AuthorizationType, 'AuthorizationType');
    return type === undefined || String(type).toUpperCase() === 'NONE' ? fail(`AuthorizationType is ${type ?? 'absent (NONE)'}`) : OK;
  },
});
