import { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, NagPackProps } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { explanationOf, validateWithDetails } from './rule';
import { ALL_RULES, rulesFor } from './rules';

/** What one rule of the `AiSecurityChecks` pack checks, and what it corresponds to. */
export interface AiSecurityRuleInfo {
  /** The rule ID the report uses and acknowledgements name, e.g. `AiSec-SageMakerModelNetworkIsolation`. */
  readonly id: string;
  /** Error or Warning. */
  readonly level: NagMessageLevel;
  /** The CloudFormation resource types the rule checks. */
  readonly resourceTypes: string[];
  /** One line: what is wrong when the rule reports a resource. */
  readonly info: string;
  /** Why it matters, the guide's recommendation and the controls (cdk-nag prints it in verbose mode). */
  readonly explanation: string;
  /** The recommendation of the guide "Securing AI workloads in the cloud" the rule enforces. */
  readonly guide: string;
  /** The Security Hub / Control Tower / cdk-nag controls the rule corresponds to, or the nearest. */
  readonly controls: string[];
}

/**
 * A cdk-nag v3 rule pack for AI/ML infrastructure: what no built-in pack checks in SageMaker
 * models, endpoint configs, monitoring jobs, Studio domains and notebooks, ECR repositories
 * holding model images, WAF web ACLs and API Gateway stages in front of inference APIs,
 * TLS on S3 buckets, and the IAM policies and trust of SageMaker roles.
 *
 * Rules look at one CloudFormation resource each (plus what it references in the same stack)
 * and resolve tokens the way cdk-nag's rules do: a reference to a key counts as a key. A value
 * a rule must know but cannot resolve (a parameter, a condition) is reported, not guessed:
 * cdk-nag reports a rule that throws as a violation. Acknowledge findings with
 * `Validations.of(resource).acknowledge({ id: 'AiSec-...', reason })`.
 *
 * @example
 * Validations.of(app).addPlugins(new AiSecurityChecks(app));
 */
export class AiSecurityChecks extends NagPack {
  /** The prefix of every rule ID, and the plugin name in CDK's validation report. */
  public static readonly PACK_NAME = 'AiSec';

  /** Every rule of the pack, in report order. */
  public static rules(): AiSecurityRuleInfo[] {
    return ALL_RULES.map((rule) => ({
      id: `${AiSecurityChecks.PACK_NAME}-${rule.name}`,
      level: rule.level,
      resourceTypes: [...rule.resourceTypes],
      info: rule.info,
      explanation: explanationOf(rule),
      guide: rule.guide,
      controls: [...rule.controls],
    }));
  }

  /** The plugin name in CDK's validation report. */
  public readonly name: string = AiSecurityChecks.PACK_NAME;

  /**
   * @param scope the app (needed only with `writeSuppressionsToCloudFormation`)
   * @param props cdk-nag pack options
   */
  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = AiSecurityChecks.PACK_NAME;
  }

  /** Validates with a fresh index of the app and a description per violating resource. */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return validateWithDetails(scope, ALL_RULES, () => super.validateScope(scope));
  }

  protected checkResource(node: CfnResource): void {
    for (const rule of rulesFor(node.cfnResourceType)) {
      this.applyRule({
        ruleSuffixOverride: rule.name,
        info: rule.info,
        explanation: explanationOf(rule),
        level: rule.level,
        node,
        rule: rule.check,
      });
    }
  }
}
