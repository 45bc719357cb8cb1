import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { coversInvoke, IDENTITY_TYPES, identityDocuments, wildcardMatches } from './statements';
import { AiSecRule } from '../../rule';

/** ARNs of models nobody names: a resource pattern that matches them matches every model. */
const PROBES = [
  'arn:aws:bedrock:us-east-1::foundation-model/probe-provider.unnamed-model-v9:0',
  'arn:aws:bedrock:eu-west-1:111111111111:inference-profile/eu.probe-provider.unnamed-model-v9:0',
  'arn:aws:bedrock:us-west-2:111111111111:application-inference-profile/probe0unnamed',
];

/** Identity policies allow Bedrock inference on named models only. */
export const IAMBedrockInvokeNamedModels: AiSecRule = {
  name: 'IAMBedrockInvokeNamedModels',
  level: NagMessageLevel.ERROR,
  resourceTypes: IDENTITY_TYPES,
  info: 'An identity policy allows bedrock:InvokeModel or InvokeModelWithResponseStream (Converse, ConverseStream) on every model (`*`, `foundation-model/*`, `inference-profile/*` or a NotResource).',
  rationale: 'A caller allowed every model can switch to one the organization has not reviewed, to a costlier one, or to one in another Region; least privilege names the models the workload uses.',
  guide: 'Implement Least Privilege Access ("grant only the permissions required")',
  controls: ['Security Hub IAM.21 (no wildcard actions) is nearest; AwsSolutions-IAM5 reports wildcard resources without judging them'],
  check: (node: CfnResource) => {
    const documents = identityDocuments(node);
    if (!documents) return NagRuleCompliance.NOT_APPLICABLE;
    const broad = documents.flat().some((s) => s.allow && coversInvoke(s)
      && (s.notResource || (s.resources ?? []).some((r) => PROBES.some((probe) => wildcardMatches(r, probe)))));
    return broad ? NagRuleCompliance.NON_COMPLIANT : NagRuleCompliance.COMPLIANT;
  },
};
