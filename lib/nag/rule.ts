import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagRuleResult } from 'cdk-nag';

/**
 * One rule of the AiSec pack (internal: jsii users reach the rules through `AiSecurityChecks`).
 * `check` is a pure function over one CloudFormation resource: it returns COMPLIANT,
 * NON_COMPLIANT, NOT_APPLICABLE or a list of findings, and throws when a value it needs
 * cannot be resolved (cdk-nag reports a rule that throws as a violation).
 */
export interface AiSecRule {
  /** Suffix of the rule ID: the pack reports `AiSec-<name>`. Stable: users acknowledge by it. */
  readonly name: string;
  readonly level: NagMessageLevel;
  /** CloudFormation resource types the rule looks at; the pack runs it on no others. */
  readonly resourceTypes: string[];
  /** One line: what is wrong when the rule fires. */
  readonly info: string;
  /** Why it matters. */
  readonly rationale: string;
  /** The recommendation of the guide ("Securing AI workloads in the cloud") it enforces. */
  readonly guide: string;
  /** Security Hub / Control Tower / cdk-nag controls it corresponds to, or what is nearest. */
  readonly controls: string[];
  readonly check: (node: CfnResource) => NagRuleResult;
}

/** The explanation cdk-nag prints in verbose mode: rationale, guide recommendation, controls. */
export function explanationOf(rule: AiSecRule): string {
  return `${rule.rationale} Guide: ${rule.guide}. Controls: ${rule.controls.join('; ')}.`;
}
