import { coversInvoke, wildcardMatches } from './statements';
import { AiSecRule, Level, NA, OK, defineRule, fail } from '../../rule';
import { IDENTITY_POLICY_TYPES, identityStatements } from '../iam/policy';

/** ARNs of models nobody names: a resource pattern that matches them matches every model. */
const PROBES = [
  'arn:aws:bedrock:us-east-1::foundation-model/probe-provider.unnamed-model-v9:0',
  'arn:aws:bedrock:eu-west-1:111111111111:inference-profile/eu.probe-provider.unnamed-model-v9:0',
  'arn:aws:bedrock:us-west-2:111111111111:application-inference-profile/probe0unnamed',
];

/** Identity policies allow Bedrock inference on named models only. */
export const IAMBedrockInvokeNamedModels: AiSecRule = defineRule({
  name: 'IAMBedrockInvokeNamedModels',
  level: Level.ERROR,
  resourceTypes: IDENTITY_POLICY_TYPES,
  info: 'An identity policy allows bedrock:InvokeModel or InvokeModelWithResponseStream (Converse, ConverseStream) on every model (`*`, `foundation-model/*`, `inference-profile/*` or a NotResource).',
  rationale: 'A caller allowed every model can switch to one the organization has not reviewed, to a costlier one, or to one in another Region; least privilege names the models the workload uses.',
  guide: 'Implement Least Privilege Access ("grant only the permissions required")',
  controls: ['Security Hub IAM.21 (no wildcard actions) is nearest; AwsSolutions-IAM5 reports wildcard resources without judging them'],
  judge: (s) => {
    const statements = identityStatements(s);
    if (!statements) return NA;
    const broad = statements.filter((st) => st.allow && coversInvoke(st)).flatMap((st) => (st.resources === undefined ? ['NotResource']
      : st.resources.filter((r) => PROBES.some((probe) => wildcardMatches(r, probe)))));
    return broad.length === 0 ? OK : fail(`allows Bedrock inference on ${[...new Set(broad)].join(', ')}`);
  },
});
