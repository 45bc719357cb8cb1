import { CfnResource } from 'aws-cdk-lib';
import { CfnAgent, CfnDataSource, CfnFlow, CfnGuardrail } from 'aws-cdk-lib/aws-bedrock';
import { NagMessageLevel, NagRuleCompliance } from 'cdk-nag';
import { AiSecRule } from '../../rule';
import { isGiven, resolve } from '../resolve';

/** Bedrock guardrails, agents, knowledge-base data sources and flows are encrypted with a customer-managed KMS key. */
export const BedrockCustomerManagedKey: AiSecRule = {
  name: 'BedrockCustomerManagedKey',
  level: NagMessageLevel.ERROR,
  resourceTypes: [
    CfnGuardrail.CFN_RESOURCE_TYPE_NAME, CfnAgent.CFN_RESOURCE_TYPE_NAME, CfnDataSource.CFN_RESOURCE_TYPE_NAME, CfnFlow.CFN_RESOURCE_TYPE_NAME,
  ],
  info: 'The Bedrock resource names no customer-managed KMS key (guardrail KmsKeyArn, agent or flow CustomerEncryptionKeyArn, data source ServerSideEncryptionConfiguration.KmsKeyArn).',
  rationale: 'Guardrail policies, agent sessions and instructions, flow definitions and transient ingestion data are encrypted with an AWS owned key otherwise: their use cannot be restricted or audited with key policies and CloudTrail. (A knowledge base itself has no key property: its vector store is encrypted by the store\'s own resource.)',
  guide: 'Encrypt Data at Rest and in Transit ("Use cloud provider services like AWS KMS")',
  controls: ['no Security Hub or Control Tower control (Bedrock User Guide: "Data encryption")'],
  check: (node: CfnResource) => {
    let key: unknown;
    if (node instanceof CfnGuardrail) {
      key = node.kmsKeyArn;
    } else if (node instanceof CfnAgent || node instanceof CfnFlow) {
      key = node.customerEncryptionKeyArn;
    } else if (node instanceof CfnDataSource) {
      const sse = resolve(node, node.serverSideEncryptionConfiguration);
      key = sse?.KmsKeyArn ?? sse?.kmsKeyArn;
    } else {
      return NagRuleCompliance.NOT_APPLICABLE;
    }
    return isGiven(resolve(node, key)) ? NagRuleCompliance.COMPLIANT : NagRuleCompliance.NON_COMPLIANT;
  },
};
