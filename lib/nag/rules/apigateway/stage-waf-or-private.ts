import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { flatten, listOf, literal, mentions, targetOf } from '../values';

/**
 * REST API stages are protected by a WAF web ACL (an AWS::WAFv2::WebACLAssociation for the
 * stage in the same stack) or belong to a PRIVATE API (only reachable through VPC endpoints).
 */
export const APIGWStageWafOrPrivate: AiSecRule = defineRule({
  name: 'APIGWStageWafOrPrivate',
  level: Level.ERROR,
  resourceTypes: ['AWS::ApiGateway::Stage'],
  info: 'The REST API stage is neither associated with a WAF web ACL nor part of a PRIVATE API.',
  rationale: 'A public model API without a web ACL takes every request from the internet straight to the model: no rate-based blocking, IP reputation or bad-input filtering in front of it.',
  guide: 'Issue 5, insecure API endpoints ("Enable Web Application Firewalls (WAFs) to filter malicious traffic"); Network Segmentation',
  controls: ['Security Hub APIGateway.4 (API Gateway should be associated with a WAF web ACL)', 'cdk-nag AwsSolutions-APIG3 (warning only)'],
  judge: (s) => {
    const { r, index } = s;
    const api = targetOf(index, r.stack, r.props.RestApiId);
    if (api?.type === 'AWS::ApiGateway::RestApi') {
      const types = listOf({ r: api, index }, api.props.EndpointConfiguration?.Types, 'RestApi EndpointConfiguration.Types')
        .map((t) => literal({ r: api, index }, t, 'RestApi EndpointConfiguration.Types[]'));
      if (types.includes('PRIVATE')) return OK;
    }
    const apiText = flatten(index, r.stack, r.props.RestApiId);
    const stageName = typeof r.props.StageName === 'string' ? r.props.StageName : undefined;
    const associated = index.ofType('AWS::WAFv2::WebACLAssociation').some((association) => {
      const arn = flatten(index, association.stack, association.props.ResourceArn);
      return apiText !== '' && arn.includes(apiText)
        && (mentions(arn, r) || (stageName !== undefined && new RegExp(`/stages/${escape(stageName)}($|[^\\w-])`).test(arn)));
    });
    return associated ? OK : fail('no AWS::WAFv2::WebACLAssociation in any stack of the app names this stage, and the API is not PRIVATE');
  },
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
