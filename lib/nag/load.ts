import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, PolicyValidationPluginReport } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import type { AiSecRule } from './rule';

/**
 * Loading cdk-nag on demand. cdk-nag is an optional peer dependency: the constructs work
 * without it, and only the rule pack needs it. The pack comes in two forms, one per cdk-nag
 * major version (v3: a CDK validation plugin; v2: an Aspect), and each form checks that the
 * installed cdk-nag is the one it is written for, so the wrong pairing fails with a message
 * that says what to do instead of `aspect.visit is not a function`.
 */

/** The prefix of every rule ID, and the plugin name in CDK's validation report. */
export const PACK_NAME = 'AiSec';

const V3_USAGE = 'Validations.of(app).addPlugins(new AiSecurityChecks(app))';
const V2_USAGE = 'Aspects.of(app).add(new AiSecurityChecksV2())';

/** Which cdk-nag is installed, as the library resolves it. */
interface InstalledNag {
  readonly major: 2 | 3;
  readonly version: string;
  readonly module: any;
}

/** Requires cdk-nag and tells v2 from v3 by its API (v3 packs are validation plugins). */
function installedNag(form: string): InstalledNag {
  let module: any;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on use: an optional peer dependency
    module = require('cdk-nag');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    throw new Error(`[cdk-secure-ai] ${form} needs cdk-nag, an optional peer dependency of cdk-secure-ai that is not installed. `
      + `Install it in your app: \`npm install --save-dev cdk-nag@^3\` (then ${V3_USAGE}) `
      + `or, for cdk-nag 2, \`npm install --save-dev cdk-nag@^2\` (then ${V2_USAGE}).`);
  }
  const prototype = module.NagPack?.prototype ?? {};
  const major = typeof prototype.validateScope === 'function' ? 3 : 2;
  return { major, version: versionOf() ?? `${major}.x`, module };
}

function versionOf(): string | undefined {
  try {
    let dir = path.dirname(require.resolve('cdk-nag'));
    for (let i = 0; i < 4; i++, dir = path.dirname(dir)) {
      const file = path.join(dir, 'package.json');
      if (fs.existsSync(file)) {
        const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
        if (pkg.name === 'cdk-nag') return pkg.version;
      }
    }
  } catch {
    // the version only decorates the message
  }
  return undefined;
}

/** The pack's rules, loaded on first use (rule modules may use cdk-nag's values). */
export function loadRules(): { all: AiSecRule[]; rulesFor(resourceType: string): AiSecRule[] } {
  let rules: typeof import('./rules');
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on use: an optional peer dependency
    rules = require('./rules');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' && /'cdk-nag'/.test(String((e as Error).message))) {
      installedNag('AiSecurityChecks');
    }
    throw e;
  }
  return { all: rules.ALL_RULES, rulesFor: rules.rulesFor };
}

/** Options both forms pass to cdk-nag's NagPack, and the opt-in rules they turn on. */
export interface PackOptions {
  readonly verbose?: boolean;
  readonly writeSuppressionsToCloudFormation?: boolean;
  readonly logIgnores?: boolean;
  readonly reports?: boolean;
  /** Runs the opt-in rules whose `enabledBy` is this prop (see `AiSecurityChecksProps`). */
  readonly requireModelMonitoring?: boolean;
}

/**
 * The rules a pack created with `options` runs: every rule that is on by default, and each
 * opt-in rule whose prop is `true`. Both forms (v3 plugin, v2 Aspect) select their rules here.
 */
export function activeRules(options: PackOptions): { all: AiSecRule[]; rulesFor(resourceType: string): AiSecRule[] } {
  const rules = loadRules();
  const on = (rule: AiSecRule) => rule.enabledBy === undefined || options[rule.enabledBy] === true;
  return {
    all: rules.all.filter(on),
    rulesFor: (resourceType: string) => rules.rulesFor(resourceType).filter(on),
  };
}

/** The cdk-nag v3 NagPack behind `AiSecurityChecks` (a validation plugin). */
export function createV3Pack(scope: IConstruct | undefined, options: PackOptions): any {
  const nag = installedNag('AiSecurityChecks');
  if (nag.major !== 3) {
    throw new Error(`[cdk-secure-ai] AiSecurityChecks is the rule pack for cdk-nag 3 (a CDK validation plugin: ${V3_USAGE}), `
      + `but cdk-nag ${nag.version} is installed. With cdk-nag 2 use the Aspect form: ${V2_USAGE}.`);
  }
  const Base: new (...args: any[]) => any = nag.module.NagPack;
  const explanation = explanationFn();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the rule modules load on use, with the pack
  const withDetails = (require('./rule') as typeof import('./rule')).validateWithDetails;
  const rules = activeRules(options);
  class AiSecNagPack extends Base {
    public readonly name = PACK_NAME;
    constructor() {
      super(scope, { verbose: options.verbose, writeSuppressionsToCloudFormation: options.writeSuppressionsToCloudFormation });
      this.packName = PACK_NAME;
    }
    /** Validates with a fresh index of the app and a description per violating resource. */
    public validateScope(target: IConstruct): PolicyValidationPluginReport {
      return withDetails(target, rules.all, () => super.validateScope(target));
    }
    protected checkResource(node: CfnResource): void {
      applyRules(this, node, rules.rulesFor(node.cfnResourceType), explanation);
    }
  }
  return new AiSecNagPack();
}

/** The cdk-nag v2 NagPack behind `AiSecurityChecksV2` (an Aspect). */
export function createV2Pack(options: PackOptions): any {
  const nag = installedNag('AiSecurityChecksV2');
  if (nag.major !== 2) {
    throw new Error(`[cdk-secure-ai] AiSecurityChecksV2 is the rule pack for cdk-nag 2 (an Aspect: ${V2_USAGE}), `
      + `but cdk-nag ${nag.version} is installed. With cdk-nag 3 use the validation plugin form: ${V3_USAGE}.`);
  }
  const Base: new (...args: any[]) => any = nag.module.NagPack;
  const explanation = explanationFn();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the rule modules load on use, with the pack
  const detailOf = (require('./rule') as typeof import('./rule')).findingDetail;
  const rules = activeRules(options);
  class AiSecNagPackV2 extends Base {
    constructor() {
      super({ verbose: options.verbose, logIgnores: options.logIgnores, reports: options.reports });
      this.packName = PACK_NAME;
      // cdk-nag 2 hands every finding to its loggers (the annotation and the CSV report) with the
      // rule's `ruleInfo`; each logger gets the finding's own reason appended, as the v3 form's
      // report does, so a finding reads `AiSec-Rule[finding]: <info> <what is wrong here>`.
      this.loggers = (this.loggers ?? []).map((logger: any) => withFindingDetail(logger, detailOf));
    }
    public visit(node: IConstruct): void {
      if (CfnResource.isCfnResource(node)) applyRules(this, node, rules.rulesFor(node.cfnResourceType), explanation);
    }
  }
  return new AiSecNagPackV2();
}

/**
 * A cdk-nag 2 logger whose non-compliance and suppression data carry the finding's own reason
 * (recorded by the rule for this resource and finding) after the rule's info.
 */
function withFindingDetail(logger: any, detailOf: (node: IConstruct, ruleId: string) => string | undefined): any {
  const detailed = (data: any) => {
    const ruleId = data.findingId ? `${data.ruleId}[${data.findingId}]` : data.ruleId;
    const detail = data.resource ? detailOf(data.resource, ruleId) : undefined;
    return detail === undefined ? data : { ...data, ruleInfo: `${data.ruleInfo} ${detail}` };
  };
  return new Proxy(logger, {
    get(target, property) {
      const value = target[property];
      if (typeof value !== 'function') return value;
      if (property === 'onNonCompliance' || property === 'onSuppressed') return (data: any) => value.call(target, detailed(data));
      return value.bind(target);
    },
  });
}

function explanationFn(): (rule: AiSecRule) => string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on use: an optional peer dependency
  return (require('./rule') as typeof import('./rule')).explanationOf;
}

function applyRules(pack: any, node: CfnResource, rules: AiSecRule[], explanation: (rule: AiSecRule) => string): void {
  for (const rule of rules) {
    pack.applyRule({
      ruleSuffixOverride: rule.name,
      info: rule.info,
      explanation: explanation(rule),
      level: rule.level,
      node,
      rule: rule.check,
    });
  }
}
