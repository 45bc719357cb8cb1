import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { assertNarrowAcknowledgements, installedCdkVersion } from '../private/cdk-version';

const PACKAGE = '@cdklabs/cdk-validator-cfnguard';

/** A Control Tower guard rule file and the resource types it reports on. */
export interface ControlTowerGuardRule {
  /** The rule file (absolute path inside `@cdklabs/cdk-validator-cfnguard`). */
  readonly file: string;
  /** The resource types its `# Reports on:` header names (empty: the rule runs on every template). */
  readonly reportsOn: string[];
}

/** Options of `ControlTowerGuardValidator`. */
export interface ControlTowerGuardValidatorProps {
  /**
   * Rules not to run, by file name without `.guard` (`ct-s3-pr-4`), as the cfn-guard
   * validator's `disabledRules`.
   *
   * @default - every Control Tower rule runs
   */
  readonly disabledRules?: string[];
}

/**
 * The cfn-guard validator with every AWS Control Tower proactive-control rule, each template
 * checked only with the rules that can report on it: same findings as
 * `new CfnGuardValidator()`, in a fraction of the time.
 *
 * cfn-guard's run time grows with the number of rule files times the number of templates (each
 * rule is evaluated against each template, even when it has nothing to check), about 1.7 s per
 * template for all 237 rules. A Control Tower rule reports only on the resource types its header
 * names and skips templates without them, so leaving out, for each template, the rules whose
 * resource types it does not hold changes no finding, only the time. A rule whose header names no type always runs. The plugin name is the
 * validator's (`cdk-validator-cfnguard`), so acknowledgements
 * (`Validations.of(x).acknowledge({ id: 'cdk-validator-cfnguard::<rule>', reason })`) apply unchanged.
 *
 * Needs `@cdklabs/cdk-validator-cfnguard` (an optional peer dependency, loaded when the
 * validator is created) and aws-cdk-lib 2.271.0 or later: older versions apply an
 * acknowledgement of a cfn-guard rule to every resource of the app, so the library's narrow
 * acknowledgements would hide the same finding on the app's own resources. Creating the
 * validator with an older aws-cdk-lib throws an error that says so.
 *
 * @example
 * Validations.of(app).addPlugins(new ControlTowerGuardValidator());
 */
export class ControlTowerGuardValidator implements IPolicyValidationPlugin {
  /** Every bundled Control Tower rule with the resource types it reports on. */
  public static controlTowerRules(): ControlTowerGuardRule[] {
    const dir = path.join(path.dirname(requireGuard().resolve(`${PACKAGE}/package.json`)), 'rules', 'control-tower', 'cfn-guard');
    return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.guard'))
      .sort()
      .map((f) => {
        const file = path.join(dir, f);
        const header = /^# Reports on:\n((?:#\s+AWS::.*\n)+)/m.exec(fs.readFileSync(file, 'utf8'));
        const reportsOn = header ? [...header[1].matchAll(/AWS::[A-Za-z0-9]+::[A-Za-z0-9]+/g)].map((m) => m[0]) : [];
        return { file, reportsOn };
      });
  }

  /** The validator's plugin name, `cdk-validator-cfnguard`. */
  public readonly name: string;
  /** The version of cfn-guard the validator runs. */
  public readonly version?: string;
  private readonly rules: ControlTowerGuardRule[];
  private readonly module: any;

  /** @param props validator options */
  constructor(props: ControlTowerGuardValidatorProps = {}) {
    assertNarrowAcknowledgements(installedCdkVersion());
    this.module = requireGuard().module;
    const plain = new this.module.CfnGuardValidator({ controlTowerRulesEnabled: false });
    this.name = plain.name;
    this.version = plain.version;
    const disabled = new Set(props.disabledRules ?? []);
    this.rules = ControlTowerGuardValidator.controlTowerRules().filter((r) => !disabled.has(path.parse(r.file).name));
  }

  /** Called by CDK's validation framework at synthesis. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    // Templates that need the same rules are checked in one cfn-guard run; each template only
    // with the rules that can report on it.
    const groups = new Map<string, { rules: string[]; templatePaths: string[] }>();
    for (const template of context.templatePaths) {
      const resources = JSON.parse(fs.readFileSync(template, 'utf8')).Resources ?? {};
      const rules = this.applicableRules(Object.values<{ Type: string }>(resources).map((r) => r.Type));
      if (rules.length === 0) continue;
      const key = rules.join('\n');
      const group = groups.get(key) ?? { rules, templatePaths: [] };
      group.templatePaths.push(template);
      groups.set(key, group);
    }
    const reports: PolicyValidationPluginReport[] = [...groups.values()].map(({ rules, templatePaths }) =>
      new this.module.CfnGuardValidator({ controlTowerRulesEnabled: false, rules }).validate({ ...context, templatePaths }));
    return {
      success: reports.every((r) => r.success),
      violations: reports.flatMap((r) => r.violations),
    };
  }

  /** The rule files that can report on a set of templates holding these resource types. */
  public applicableRules(resourceTypes: string[]): string[] {
    const types = new Set(resourceTypes);
    return this.rules
      .filter((rule) => rule.reportsOn.length === 0 || rule.reportsOn.some((type) => types.has(type)))
      .map((rule) => rule.file);
  }
}

function requireGuard(): { module: any; resolve(id: string): string } {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on use: an optional peer dependency
    return { module: require(PACKAGE), resolve: (id: string) => require.resolve(id) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    throw new Error(`[cdk-secure-ai] ControlTowerGuardValidator needs ${PACKAGE}, an optional peer dependency of cdk-secure-ai `
      + `that is not installed. Install it in your app: \`npm install --save-dev ${PACKAGE}\`.`);
  }
}
