import { IDENTITY_POLICY_TYPES, Statement, coversAction, denyingKeys, identityStatements, requiredKeys } from './policy';
import { AiSecRule, Level, NA, defineRule, findings } from '../../rule';

/** A requirement: at least one of these condition keys. */
type KeyGroup = string[];
const VPC: KeyGroup = ['sagemaker:VpcSubnets', 'sagemaker:VpcSecurityGroupIds'];
// `sagemaker:VolumeKmsKey` is deprecated: the service no longer lists it for these actions.
const VOLUME_KMS: KeyGroup = ['sagemaker:VolumeKmsKeyArn'];
const NETWORK_ISOLATION: KeyGroup = ['sagemaker:NetworkIsolation'];

/**
 * The SageMaker actions that start compute on your data or models, with the condition keys
 * that must constrain them. Each key applies to its action (checked against the service
 * authorization reference data in the tests).
 */
export const GUARDED_SAGEMAKER_ACTIONS: Record<string, KeyGroup[]> = {
  'sagemaker:CreateTrainingJob': [VPC, VOLUME_KMS, NETWORK_ISOLATION],
  'sagemaker:CreateProcessingJob': [VPC, VOLUME_KMS, NETWORK_ISOLATION],
  'sagemaker:CreateHyperParameterTuningJob': [VPC, VOLUME_KMS, NETWORK_ISOLATION],
  'sagemaker:CreateModel': [VPC, NETWORK_ISOLATION],
};

/**
 * Policies allow creating SageMaker jobs and models only under the VPC, KMS and
 * network-isolation condition keys. A key counts when the Allow statement for the action
 * requires it (see `requiredKeys`: `ForAllValues:` alone, `...IfExists`, negated operators and
 * `Null` do not), or when a Deny statement of the same resource covering the action denies its
 * absence (see `denyingKeys`: the guard-rail pattern `Deny ... Null: { sagemaker:VpcSubnets: true }`).
 * Findings: `Action::<action>`.
 */
export const IAMSageMakerCreateConditions: AiSecRule = defineRule({
  name: 'IAMSageMakerCreateConditions',
  level: Level.ERROR,
  resourceTypes: IDENTITY_POLICY_TYPES,
  info: 'The policy allows creating SageMaker training/processing/tuning jobs or models without conditions on sagemaker:VpcSubnets/VpcSecurityGroupIds, sagemaker:VolumeKmsKeyArn (jobs) and sagemaker:NetworkIsolation.',
  rationale: 'Unconditioned, whoever holds the policy can start compute on your data outside your VPC, unencrypted and with network access (the guide\'s own example grants sagemaker:*Job* on "*"). The condition keys make the secure settings mandatory at the API.',
  guide: 'Implement Strong Identity and Access Management (its example grants sagemaker:*Job* on "*": scope it with condition keys); Network Segmentation; Encrypt Data at Rest',
  controls: ['no Security Hub or Control Tower control (SageMaker condition keys: service authorization reference)'],
  judge: (s) => {
    const statements = identityStatements(s);
    if (statements === undefined) return NA;
    const found: Record<string, string> = {};
    for (const [action, groups] of Object.entries(GUARDED_SAGEMAKER_ACTIONS)) {
      const denied = statements.filter((st) => !st.allow && coversAction(st, action)).flatMap(denyingKeys);
      const missing = new Set<string>();
      for (const st of statements.filter((x) => x.allow && coversAction(x, action))) {
        for (const group of groups) if (!constrains(st, group, denied)) missing.add(group.join(' or '));
      }
      if (missing.size > 0) found[`Action::${action}`] = `${action} is allowed without requiring ${[...missing].join(', ')}`;
    }
    return findings(found);
  },
});

function constrains(statement: Statement, group: KeyGroup, denied: string[]): boolean {
  const keys = [...requiredKeys(statement), ...denied];
  return group.some((key) => keys.includes(key.toLowerCase()));
}
