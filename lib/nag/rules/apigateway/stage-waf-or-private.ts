import { CfnResource } from 'aws-cdk-lib';
import { CfnRestApi, CfnStage } from 'aws-cdk-lib/aws-apigateway';
import { CfnWebACLAssociation } from 'aws-cdk-lib/aws-wafv2';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { leaf, list, logicalIdOf, resolve, resourcesInStack } from '../resolve';

/**
 * REST API stages are protected by a WAF web ACL (an AWS::WAFv2::WebACLAssociation for the
 * stage in the same stack) or belong to a PRIVATE API (only reachable through VPC endpoints).
 */
export const APIGWStageWafOrPrivate: AiSecRule = {
  name: 'APIGWStageWafOrPrivate',
  level: NagMessageLevel.ERROR,
  resourceTypes: [CfnStage.CFN_RESOURCE_TYPE_NAME],
  info: 'The REST API stage is neither associated with a WAF web ACL nor part of a PRIVATE API.',
  rationale: 'A public model API without a web ACL takes every request from the internet straight to the model: no rate-based blocking, IP reputation or bad-input filtering in front of it.',
  guide: 'Issue 5, insecure API endpoints ("Enable Web Application Firewalls (WAFs) to filter malicious traffic"); Network Segmentation',
  controls: ['Security Hub APIGateway.4 (API Gateway should be associated with a WAF web ACL)', 'cdk-nag AwsSolutions-APIG3 (warning only)'],
  check: (node: CfnResource) => {
    if (!(node instanceof CfnStage)) return NagRuleCompliance.NOT_APPLICABLE;
    const apiId = idOf(resolve(node, node.restApiId));
    const api = resourcesInStack(node, CfnRestApi).find((candidate) => logicalIdOf(candidate) === apiId);
    if (api) {
      const endpoint = resolve(api, api.endpointConfiguration);
      const types = list(endpoint?.types, 'RestApi EndpointConfiguration.Types').map((t) => leaf(t, 'RestApi EndpointConfiguration.Types[]'));
      if (types.includes('PRIVATE')) return NagRuleCompliance.COMPLIANT;
    }
    const stageName = resolve(node, node.stageName);
    const stage = [logicalIdOf(node), ...(typeof stageName === 'string' ? [escape(stageName)] : [])].join('|');
    const pattern = new RegExp(`(?<![\\w-])${escape(String(apiId))}(?![\\w-]).+(?<![\\w-])(${stage})(?![\\w-])`);
    const associated = resourcesInStack(node, CfnWebACLAssociation)
      .some((association) => pattern.test(JSON.stringify(resolve(association, association.resourceArn))));
    return associated ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};

/** The logical ID a `Ref`/`Fn::GetAtt` points to, or the literal value. */
function idOf(value: any): unknown {
  if (value?.Ref !== undefined) return value.Ref;
  if (Array.isArray(value?.['Fn::GetAtt'])) return value['Fn::GetAtt'][0];
  return value;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
