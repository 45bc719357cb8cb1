import { AiSecRule, Level, OK, defineRule, fail } from '../../rule';
import { isGiven, prop } from '../values';

/** Where each resource type names its customer-managed key. */
const KEY_PROPERTY: Record<string, string> = {
  'AWS::Bedrock::Guardrail': 'KmsKeyArn',
  'AWS::Bedrock::Agent': 'CustomerEncryptionKeyArn',
  'AWS::Bedrock::Flow': 'CustomerEncryptionKeyArn',
  'AWS::Bedrock::DataSource': 'ServerSideEncryptionConfiguration.KmsKeyArn',
};

/** Bedrock guardrails, agents, knowledge-base data sources and flows are encrypted with a customer-managed KMS key. */
export const BedrockCustomerManagedKey: AiSecRule = defineRule({
  name: 'BedrockCustomerManagedKey',
  level: Level.ERROR,
  resourceTypes: Object.keys(KEY_PROPERTY),
  info: 'The Bedrock resource names no customer-managed KMS key (guardrail KmsKeyArn, agent or flow CustomerEncryptionKeyArn, data source ServerSideEncryptionConfiguration.KmsKeyArn).',
  rationale: 'Guardrail policies, agent sessions and instructions, flow definitions and transient ingestion data are encrypted with an AWS owned key otherwise: their use cannot be restricted or audited with key policies and CloudTrail. (A knowledge base itself has no key property: its vector store is encrypted by the store\'s own resource.)',
  guide: 'Encrypt Data at Rest and in Transit ("Use cloud provider services like AWS KMS")',
  controls: ['no Security Hub or Control Tower control (Bedrock User Guide: "Data encryption")'],
  judge: (s) => {
    const path = KEY_PROPERTY[s.r.type];
    return isGiven(prop(s.r.props, path)) ? OK : fail(`${path} is absent (an AWS owned key)`);
  },
});
