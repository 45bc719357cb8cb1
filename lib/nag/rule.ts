import type { CfnResource, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import type { NagMessageLevel, NagRuleCompliance, NagRuleResult } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { AppIndex } from './rules/render';
import { CannotEvaluate, Subject } from './rules/values';

/**
 * cdk-nag's enum values as literals, so rule files need no value import from cdk-nag (the pack
 * loads cdk-nag only when it is used). The strings are cdk-nag's own enum values.
 */
export const Level = {
  ERROR: 'Error' as unknown as NagMessageLevel,
  WARN: 'Warning' as unknown as NagMessageLevel,
};
const COMPLIANT = 'Compliant' as unknown as NagRuleCompliance;
const NON_COMPLIANT = 'Non-Compliant' as unknown as NagRuleCompliance;
const NOT_APPLICABLE = 'N/A' as unknown as NagRuleCompliance;

/** The prefix of every rule ID. */
export const PACK_PREFIX = 'AiSec';

/**
 * The props of the pack (`AiSecurityChecksProps`, `AiSecurityChecksV2Props`) that turn on a rule
 * that is off by default. The pack runs an opt-in rule only when its prop is `true`.
 */
export type OptInProp = 'requireModelMonitoring';

/**
 * One rule of the AiSec pack (internal: jsii users reach the rules through `AiSecurityChecks`).
 * `check` is a pure function over one CloudFormation resource: it returns COMPLIANT,
 * NON_COMPLIANT, NOT_APPLICABLE or a list of findings, and throws when a value it needs
 * cannot be known at synth (cdk-nag reports a rule that throws as a violation). Rules built
 * with `defineRule` judge the rendered template of the resource (see `render.ts`) and record
 * a per-resource reason, read with `findingDetail`.
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
  /** Preflight rules: a deploy failure (or a resource that can never work) caught at synth. */
  readonly preflight?: boolean;
  /** The AWS documentation the rule's constraint comes from (preflight rules always have one). */
  readonly source?: string;
  /**
   * Off by default: the pack prop that turns the rule on (undefined: the rule always runs).
   * The rule's check itself does not look at it; the pack does not run the rule unless it is set.
   */
  readonly enabledBy?: OptInProp;
  /** What the rule deliberately does not report (references it cannot follow), for its documentation. */
  readonly limits?: string;
  readonly check: (node: CfnResource) => NagRuleResult;
}

/** What a rule concludes about one resource (one branch of its conditions). */
export type Verdict =
  | { readonly kind: 'n/a' }
  | { readonly kind: 'ok' }
  | { readonly kind: 'fail'; readonly why: string }
  | { readonly kind: 'findings'; readonly findings: Record<string, string> };

export const NA: Verdict = { kind: 'n/a' };
export const OK: Verdict = { kind: 'ok' };
/** Non-compliant, with what is wrong with this resource. */
export function fail(why: string): Verdict {
  return { kind: 'fail', why };
}
/** Findings (`AiSec-Rule[<finding>]`), each with what is wrong; compliant when empty. */
export function findings(found: Record<string, string>): Verdict {
  return Object.keys(found).length === 0 ? OK : { kind: 'findings', findings: found };
}

/** A rule as written: `judge` looks at the rendered resource and the app. */
export interface AiSecRuleSpec extends Omit<AiSecRule, 'check'> {
  readonly judge: (s: Subject) => Verdict;
}

const DETAILS = new Map<string, string>();

/** The per-resource reason recorded for a finding (`ruleId` as cdk-nag reports it). */
export function findingDetail(node: IConstruct, ruleId: string): string | undefined {
  return DETAILS.get(`${ruleId}\u0000${node.node.path}`);
}

function record(node: IConstruct, ruleId: string, text: string) {
  DETAILS.set(`${ruleId}\u0000${node.node.path}`, text);
}

/** Builds the cdk-nag rule function of a spec: renders, expands `Fn::If`, judges, records why. */
export function defineRule(spec: AiSecRuleSpec): AiSecRule {
  const id = `${PACK_PREFIX}-${spec.name}`;
  const check = (node: CfnResource): NagRuleResult => {
    const index = AppIndex.of(node);
    const r = index.rendered(node);
    if (!r || !spec.resourceTypes.includes(r.type)) return NOT_APPLICABLE;
    if (r.error !== undefined) {
      const message = `${r.logicalId}: cannot evaluate: the resource does not render to CloudFormation (${r.error.split('\n').join(' ')})`;
      record(node, id, message);
      throw new CannotEvaluate(message);
    }
    const variants = expandConditions(r.props);
    const failures: string[] = [];
    const found = new Map<string, string[]>();
    let applicable = false;
    for (const variant of variants) {
      const label = variants.length > 1 ? `when ${variant.label}: ` : '';
      let verdict: Verdict;
      try {
        verdict = spec.judge({ r: { ...r, props: variant.props }, index });
      } catch (error) {
        const message = error instanceof CannotEvaluate ? error.message
          : `${r.logicalId}: cannot evaluate: ${(error as Error).message}`;
        record(node, id, `${label}${message}`);
        throw new CannotEvaluate(`${label}${message}`);
      }
      if (verdict.kind === 'n/a') continue;
      applicable = true;
      if (verdict.kind === 'fail') failures.push(`${label}${verdict.why}`);
      if (verdict.kind === 'findings') {
        for (const [finding, why] of Object.entries(verdict.findings)) {
          found.set(finding, [...(found.get(finding) ?? []), `${label}${why}`]);
        }
      }
    }
    if (!applicable) return NOT_APPLICABLE;
    if (found.size > 0) {
      for (const [finding, whys] of found) record(node, `${id}[${finding}]`, `${r.logicalId}: ${whys.join('; ')}`);
      return [...found.keys()];
    }
    if (failures.length > 0) {
      record(node, id, `${r.logicalId}: ${failures.join('; ')}`);
      return NON_COMPLIANT;
    }
    return COMPLIANT;
  };
  const { judge: _judge, ...rest } = spec;
  return { ...rest, check };
}

/** One assignment of the template's conditions, and the properties it yields. */
interface Variant {
  readonly label: string;
  readonly props: any;
}

const MAX_CONDITIONS = 4;

/**
 * The properties under every assignment of the conditions their `Fn::If`s use (at most
 * 2^4 variants; further conditions are left as they are, and rules that need them cannot
 * evaluate them). `AWS::NoValue` removes the property or list element.
 */
export function expandConditions(props: any): Variant[] {
  const names = [...new Set(conditionsIn(props))].slice(0, MAX_CONDITIONS);
  if (names.length === 0) return [{ label: '', props }];
  const variants: Variant[] = [];
  for (let mask = 0; mask < 2 ** names.length; mask++) {
    const assignment = new Map(names.map((name, i) => [name, Math.floor(mask / 2 ** i) % 2 === 1]));
    variants.push({
      label: names.map((name) => `condition ${name} is ${assignment.get(name)}`).join(' and '),
      props: substitute(props, assignment),
    });
  }
  return variants;
}

function conditionsIn(value: any): string[] {
  if (value === null || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap(conditionsIn);
  const branch = value['Fn::If'];
  const own = Array.isArray(branch) && typeof branch[0] === 'string' ? [branch[0]] : [];
  return [...own, ...Object.values(value).flatMap(conditionsIn)];
}

const NO_VALUE = Symbol('NoValue');

function substitute(value: any, assignment: Map<string, boolean>): any {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    return value.map((v) => substitute(v, assignment)).filter((v) => v !== NO_VALUE);
  }
  if (value.Ref === 'AWS::NoValue') return NO_VALUE;
  const branch = value['Fn::If'];
  if (Array.isArray(branch) && assignment.has(branch[0])) {
    return substitute(assignment.get(branch[0]) ? branch[1] : branch[2], assignment);
  }
  const out: any = {};
  for (const [key, v] of Object.entries(value)) {
    const s = substitute(v, assignment);
    if (s !== NO_VALUE) out[key] = s;
  }
  return out;
}

/**
 * The explanation cdk-nag prints in verbose mode: rationale, guide recommendation, controls,
 * source, limits and, for an opt-in rule, the pack prop that turns it on.
 */
export function explanationOf(rule: AiSecRule): string {
  const source = rule.source ? ` Source: ${rule.source}.` : '';
  const limits = rule.limits ? ` Limits: ${rule.limits}` : '';
  const optIn = rule.enabledBy ? ` Off by default: the pack runs this rule only when created with \`${rule.enabledBy}: true\`.` : '';
  return `${rule.rationale} Guide: ${rule.guide}. Controls: ${rule.controls.join('; ')}.${source}${limits}${optIn}`;
}

/**
 * Runs a validation of the pack with a fresh index of the app, then gives each violating
 * resource its own description: cdk-nag v3 groups a rule's findings under one description,
 * so without this a resource the rule could not evaluate would read like any other violation.
 */
export function validateWithDetails(scope: IConstruct, rules: readonly AiSecRule[],
  validate: () => PolicyValidationPluginReport): PolicyValidationPluginReport {
  AppIndex.reset(scope);
  DETAILS.clear();
  const report = validate();
  const infos = new Map(rules.map((rule) => [`${PACK_PREFIX}-${rule.name}`, rule.info]));
  const violations: PolicyViolation[] = [];
  for (const violation of report.violations) {
    const info = infos.get(violation.ruleName.replace(/\[.*$/, '')) ?? violation.description;
    const groups = new Map<string, typeof violation.violatingResources[number][]>();
    for (const resource of violation.violatingResources) {
      const detail = DETAILS.get(`${violation.ruleName}\u0000${resource.constructPath}`);
      const description = detail === undefined ? violation.description
        : /cannot evaluate/.test(detail) ? `Cannot evaluate (${info}) ${detail}`
          : `${info} ${detail}${violation.description.startsWith(info) ? violation.description.slice(info.length) : ''}`;
      groups.set(description, [...(groups.get(description) ?? []), resource]);
    }
    for (const [description, violatingResources] of groups) {
      violations.push({ ...violation, description, violatingResources });
    }
  }
  return { ...report, violations };
}
