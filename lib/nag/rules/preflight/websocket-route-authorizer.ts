import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { literal, targetOf } from '../values';

/** WebSocket API routes other than $connect carry no authorizer. */
export const PreflightWebSocketRouteAuthorizer: AiSecRule = defineRule({
  name: 'PreflightWebSocketRouteAuthorizer',
  level: Level.ERROR,
  preflight: true,
  resourceTypes: ['AWS::ApiGatewayV2::Route'],
  info: 'The WebSocket API route sets an authorizer on a route other than $connect; API Gateway authorizes WebSocket connections on $connect only.',
  rationale: 'A WebSocket connection is authorized once, when it is established: API Gateway accepts an authorization type only on the $connect route and rejects it elsewhere. Put the authorizer on $connect; the other routes run on the authorized connection.',
  guide: 'Secure AI Model Endpoints ("Implement authentication and authorization")',
  controls: ['preflight: deploy-time constraint, no compliance control'],
  source: 'Amazon API Gateway Developer Guide, "Manage connected users and client apps: $connect and $disconnect routes" (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-route-keys-connect-disconnect.html): "you can configure authorization on the $connect route only"',
  judge: (s) => {
    const api = targetOf(s.index, s.r.stack, s.r.props.ApiId);
    if (api?.type !== 'AWS::ApiGatewayV2::Api' || api.props.ProtocolType !== 'WEBSOCKET') return NA;
    const routeKey = literal(s, s.r.props.RouteKey, 'RouteKey');
    if (routeKey === '$connect') return NA;
    const type = literal(s, s.r.props.AuthorizationType, 'AuthorizationType');
    const authorized = (type !== undefined && String(type).toUpperCase() !== 'NONE') || s.r.props.AuthorizerId !== undefined;
    return authorized ? fail(`route ${routeKey} sets AuthorizationType ${type ?? 'NONE'}${s.r.props.AuthorizerId ? ' and an AuthorizerId' : ''}`) : OK;
  },
});
