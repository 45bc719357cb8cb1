import * as fs from 'fs';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { IPolicyValidationContextBeta1, IPolicyValidationPluginBeta1, PolicyValidationPluginReportBeta1 } from 'aws-cdk-lib';

/** The AWS Control Tower proactive-control rules bundled with the cfn-guard validator. */
export const CONTROL_TOWER_RULES_DIR = path.join(
  path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');

/** A rule file and the resource types it reports on (its `# Reports on:` header). */
export interface GuardRule {
  readonly file: string;
  readonly reportsOn: string[];
}

/** Every bundled Control Tower rule with the resource types it reports on. */
export function controlTowerRules(): GuardRule[] {
  return fs.readdirSync(CONTROL_TOWER_RULES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.guard'))
    .sort()
    .map((f) => {
      const file = path.join(CONTROL_TOWER_RULES_DIR, f);
      const header = /^# Reports on:\n((?:#\s+AWS::.*\n)+)/m.exec(fs.readFileSync(file, 'utf8'));
      const reportsOn = header ? [...header[1].matchAll(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g)].map((m) => m[0]) : [];
      return { file, reportsOn };
    });
}

/**
 * The cfn-guard validator with every AWS Control Tower rule, run only with the rules that can
 * report on the templates at hand.
 *
 * cfn-guard's run time grows with the number of rule files (each one is evaluated against each
 * template, even when it has nothing to check), about 1.7 s per template for all 237 rules. A
 * Control Tower rule reports only on the resource types its header names and skips templates
 * without them, so leaving out the rules whose resource types appear in no template changes no
 * finding, only the time. A rule whose header names no type is always run. Same plugin name as
 * the validator, so acknowledgements (`cdk-validator-cfnguard::<rule>`) apply unchanged.
 */
export class ControlTowerGuardValidator implements IPolicyValidationPluginBeta1 {
  public readonly name = 'cdk-validator-cfnguard';
  public readonly version = new CfnGuardValidator().version;
  private readonly rules = controlTowerRules();

  public validate(context: IPolicyValidationContextBeta1): PolicyValidationPluginReportBeta1 {
    const types = new Set<string>();
    for (const template of context.templatePaths) {
      const resources = JSON.parse(fs.readFileSync(template, 'utf8')).Resources ?? {};
      for (const resource of Object.values<{ Type: string }>(resources)) types.add(resource.Type);
    }
    const applicable = this.applicableRules(types);
    if (applicable.length === 0) return { success: true, violations: [] };
    return new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: applicable }).validate(context);
  }

  /** The rule files that can report on a template set holding these resource types. */
  public applicableRules(types: Set<string>): string[] {
    return this.rules
      .filter((rule) => rule.reportsOn.length === 0 || rule.reportsOn.some((type) => types.has(type)))
      .map((rule) => rule.file);
  }
}
