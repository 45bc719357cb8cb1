import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { createV3Pack, loadRules, PACK_NAME } from './load';

/** The level of a rule's findings (the values are cdk-nag's `NagMessageLevel`). */
export enum AiSecurityRuleLevel {
  /** Reported as a warning. */
  WARN = 'Warning',
  /** Reported as an error: synthesis fails unless the finding is acknowledged. */
  ERROR = 'Error',
}

/** What one rule of the `AiSecurityChecks` pack checks, and what it corresponds to. */
export interface AiSecurityRuleInfo {
  /** The rule ID the report uses and acknowledgements name, e.g. `AiSec-SageMakerModelNetworkIsolation`. */
  readonly id: string;
  /** Error or Warning (the values of cdk-nag's `NagMessageLevel`). */
  readonly level: AiSecurityRuleLevel;
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
  /**
   * The pack prop that turns the rule on, for a rule that is off by default (e.g.
   * `requireModelMonitoring`).
   *
   * @default - the rule always runs
   */
  readonly enabledBy?: string;
}

/** Options of the `AiSecurityChecks` pack (cdk-nag 3's `NagPackProps`). */
export interface AiSecurityChecksProps {
  /**
   * Print each finding's explanation (why it matters, the guide's recommendation, the controls).
   *
   * @default false
   */
  readonly verbose?: boolean;
  /**
   * Also write acknowledged rules into the CloudFormation metadata of each resource
   * (`cdk_nag: { rules_to_suppress: [...] }`, the cdk-nag 2 format), for audit tooling that reads it.
   * Needs the `scope` argument (the app).
   *
   * @default false
   */
  readonly writeSuppressionsToCloudFormation?: boolean;
  /**
   * Also run `AiSec-SageMakerEndpointMonitoringSchedule` (a warning): an endpoint whose endpoint
   * config captures inference data must be read by a SageMaker Model Monitor schedule
   * (`AWS::SageMaker::MonitoringSchedule`) of the app.
   *
   * Off by default: Amazon SageMaker Model Monitor is no longer open to new customers (Amazon
   * SageMaker AI Developer Guide, "Amazon SageMaker Model Monitor availability change"), so a
   * warning only a Model Monitor schedule can clear would be unfixable for new accounts, and every
   * endpoint with data capture (the library's default) would get it. Turn it on if your teams
   * use Model Monitor and every endpoint that captures data should be monitored.
   *
   * @default false
   */
  readonly requireModelMonitoring?: boolean;
}

/**
 * A cdk-nag 3 rule pack for AI/ML infrastructure: what no built-in pack checks in SageMaker
 * models, endpoint configs, monitoring jobs, Studio domains and notebooks, ECR repositories
 * holding model images, WAF web ACLs and API Gateway stages in front of inference APIs,
 * TLS on S3 buckets, and the IAM policies and trust of SageMaker roles.
 *
 * A CDK validation plugin. It needs cdk-nag 3 (an optional peer dependency, loaded when the
 * pack is created; it needs aws-cdk-lib 2.258.0 or later, the package needs 2.269.0); creating it with cdk-nag 2 installed
 * throws an error that points to `AiSecurityChecksV2`, the same rules as a cdk-nag 2 Aspect.
 *
 * Rules look at one CloudFormation resource each (plus what it references in the same stack)
 * and resolve tokens the way cdk-nag's rules do: a reference to a key counts as a key. A value
 * a rule must know but cannot resolve (a parameter, a condition) is reported, not guessed:
 * cdk-nag reports a rule that throws as a violation. Acknowledge findings with
 * `Validations.of(resource).acknowledge({ id: 'AiSec-...', reason })`; cdk-nag 3 records
 * acknowledgements in the stack metadata (`aws:cdk:acknowledged-rules`).
 *
 * One rule is off by default and runs only when its prop turns it on:
 * `AiSec-SageMakerEndpointMonitoringSchedule` (`requireModelMonitoring`).
 *
 * @example
 * Validations.of(app).addPlugins(new AiSecurityChecks(app));
 */
export class AiSecurityChecks implements IPolicyValidationPlugin {
  /** The prefix of every rule ID, and the plugin name in CDK's validation report. */
  public static readonly PACK_NAME = PACK_NAME;

  /** Every rule of the pack, in report order. */
  public static rules(): AiSecurityRuleInfo[] {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on use: rule modules may need cdk-nag, an optional peer dependency
    const { explanationOf } = require('./rule') as typeof import('./rule');
    return loadRules().all.map((rule) => ({
      id: `${PACK_NAME}-${rule.name}`,
      level: rule.level as string as AiSecurityRuleLevel,
      resourceTypes: [...rule.resourceTypes],
      info: rule.info,
      explanation: explanationOf(rule),
      guide: rule.guide,
      controls: [...rule.controls],
      enabledBy: rule.enabledBy,
    }));
  }

  /** The plugin name in CDK's validation report. */
  public readonly name: string = PACK_NAME;
  /** The version of cdk-nag running the pack. */
  public readonly version?: string;
  /** The rule IDs, as CDK's validation report lists them. */
  public readonly ruleIds?: string[];
  private readonly pack: any;

  /**
   * @param scope the app (needed only with `writeSuppressionsToCloudFormation`)
   * @param props pack options
   */
  constructor(scope?: IConstruct, props: AiSecurityChecksProps = {}) {
    this.pack = createV3Pack(scope, props);
    this.version = this.pack.version;
    this.ruleIds = this.pack.ruleIds;
  }

  /** The pack name cdk-nag prefixes rule IDs with. */
  public get readPackName(): string {
    return this.pack.readPackName;
  }

  /** Called by CDK's validation framework at synthesis. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    return this.pack.validate(context);
  }

  /** Checks a construct tree directly and returns the report (for tests). */
  public validateScope(scope: IConstruct): PolicyValidationPluginReport {
    return this.pack.validateScope(scope);
  }
}
