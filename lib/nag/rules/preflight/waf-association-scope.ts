import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { literal, targetOf } from '../values';

/** Web ACL associations name REGIONAL web ACLs (a CLOUDFRONT web ACL is set on the distribution). */
export const PreflightWafAssociationScope: AiSecRule = defineRule({
  name: 'PreflightWafAssociationScope',
  level: Level.ERROR,
  preflight: true,
  resourceTypes: ['AWS::WAFv2::WebACLAssociation'],
  info: 'The web ACL association names a web ACL of scope CLOUDFRONT; associations only take REGIONAL web ACLs.',
  rationale: 'AWS::WAFv2::WebACLAssociation protects regional resources (API Gateway stages, load balancers...) with a REGIONAL web ACL; a CLOUDFRONT web ACL is attached through the distribution\'s WebACLId, and the association fails to create.',
  guide: 'Issue 5, insecure API endpoints ("Enable Web Application Firewalls (WAFs)")',
  controls: ['preflight: deploy-time constraint, no compliance control'],
  source: 'AWS CloudFormation, AWS::WAFv2::WebACLAssociation (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-wafv2-webaclassociation.html): "For Amazon CloudFront, don\'t use this resource"',
  judge: (s) => {
    const acl = targetOf(s.index, s.r.stack, s.r.props.WebACLArn);
    if (!acl || acl.type !== 'AWS::WAFv2::WebACL') return NA;
    const scope = literal({ r: acl, index: s.index }, acl.props.Scope, 'WebACL Scope');
    return scope === 'CLOUDFRONT' ? fail(`web ACL ${acl.logicalId} has Scope CLOUDFRONT`) : OK;
  },
});
