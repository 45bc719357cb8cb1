import * as fs from 'fs';
import * as path from 'path';
import { Validations } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';

/**
 * What a reviewer reads at the end of `cdk synth`: what was synthesized, which checks ran,
 * what they found and what was acknowledged, and why. Built from the cloud assembly only
 * (templates, construct metadata, `validation-report.json`), so it describes exactly what was
 * written to `cdk.out/`.
 */
export interface SynthSummary {
  /** Every stack, with its resource count. */
  readonly stacks: { readonly name: string; readonly resources: number }[];
  /** Resources in all templates. */
  readonly resources: number;
  /** Names of the checks that ran (validation plugins), as the report names them. */
  readonly checks: string[];
  /** Unacknowledged findings, one per rule and construct (warnings included). */
  readonly violations: SummaryFinding[];
  /** Acknowledged findings, one per rule and construct, each with its reason. */
  readonly acknowledgements: SummaryAcknowledgement[];
}

/** One unacknowledged finding on one construct. */
export interface SummaryFinding {
  readonly check: string;
  readonly rule: string;
  readonly severity: string;
  readonly constructPath: string;
}

/** One acknowledgement on one construct. */
export interface SummaryAcknowledgement {
  /** The rule as acknowledged, without the plugin namespace (`AwsSolutions-IAM5[Resource::*]`, `s3_bucket_logging_enabled_check`). */
  readonly rule: string;
  readonly reason: string;
  readonly constructPath: string;
}

interface RawViolation {
  ruleName: string;
  severity?: string;
  acknowledgedId?: string;
  reason?: string;
  violatingConstructs: { constructPath?: string }[];
}
interface RawReport {
  pluginReports: { pluginName: string; violations?: RawViolation[]; suppressedViolations?: RawViolation[] }[];
}

/** The name under which CDK's built-in CloudFormation schema validation appears in the report. */
export const SCHEMA_VALIDATION_CHECK = 'CloudFormation Validate';

/**
 * Reads a synthesized cloud assembly.
 *
 * @param directory the assembly directory (`cdk.out`, or `app.synth().directory`)
 * @param checksRegistered names of the validation plugins the app registered; a check that
 *   reported something is added even when it is not named here
 */
export function summarizeAssembly(directory: string, checksRegistered: string[]): SynthSummary {
  const assembly = new cxapi.CloudAssembly(directory);
  const stacks = assembly.stacksRecursively.map((stack) => ({
    name: stack.stackName,
    resources: Object.keys(stack.template.Resources ?? {}).length,
  }));

  const declared: SummaryAcknowledgement[] = [];
  for (const stack of assembly.stacksRecursively) {
    for (const entry of stack.findMetadataByType(Validations.ACKNOWLEDGED_RULES_METADATA_KEY)) {
      for (const [id, reason] of Object.entries(entry.data as unknown as Record<string, string>)) {
        declared.push({ rule: withoutNamespace(id), reason, constructPath: withoutSlash(entry.path) });
      }
    }
  }

  const reportFile = path.join(directory, cxapi.VALIDATION_REPORT_FILE);
  const report: RawReport = fs.existsSync(reportFile) ? JSON.parse(fs.readFileSync(reportFile, 'utf8')) : { pluginReports: [] };
  const checks = [...checksRegistered];
  const violations: SummaryFinding[] = [];
  const matched: SummaryAcknowledgement[] = [];
  for (const plugin of report.pluginReports) {
    if (!checks.includes(plugin.pluginName)) checks.push(plugin.pluginName);
    for (const v of plugin.violations ?? []) {
      for (const c of v.violatingConstructs) {
        violations.push({ check: plugin.pluginName, rule: v.ruleName, severity: v.severity ?? 'error', constructPath: c.constructPath ?? '<unknown>' });
      }
    }
    for (const v of plugin.suppressedViolations ?? []) {
      for (const c of v.violatingConstructs) {
        matched.push({ rule: withoutNamespace(v.acknowledgedId ?? v.ruleName), reason: v.reason ?? '', constructPath: c.constructPath ?? '<unknown>' });
      }
    }
  }

  // An acknowledgement CDK matched in the report is usually also in the metadata (declared on
  // the construct or one of its parents): count it once.
  const acknowledgements = [...declared];
  for (const m of matched) {
    const known = declared.some((d) => d.rule === m.rule && (m.constructPath === d.constructPath || m.constructPath.startsWith(`${d.constructPath}/`)));
    if (!known) acknowledgements.push(m);
  }

  return {
    stacks,
    resources: stacks.reduce((sum, s) => sum + s.resources, 0),
    checks,
    violations,
    acknowledgements,
  };
}

/** Violations listed one per line; CDK prints every one in full before the summary. */
const MAX_VIOLATIONS_LISTED = 20;

/** The summary as a few lines of text: counts first, then each acknowledgement reason once. */
export function formatSummary(summary: SynthSummary): string {
  const lines: string[] = [];
  const width = Math.max(...summary.stacks.map((s) => s.name.length), 0);
  lines.push('', '=== Synthesis summary ===');
  lines.push(`Stacks:           ${summary.stacks.length}`);
  for (const s of summary.stacks) lines.push(`  ${s.name.padEnd(width)}  ${String(s.resources).padStart(4)} resources`);
  lines.push(`Resources:        ${summary.resources}`);
  lines.push(`Checks run:       ${summary.checks.length} (${summary.checks.join(', ')})`);
  lines.push(`Violations:       ${summary.violations.length}`);
  for (const v of summary.violations.slice(0, MAX_VIOLATIONS_LISTED)) lines.push(`  ${v.rule} at ${v.constructPath} (${v.check}, ${v.severity})`);
  if (summary.violations.length > MAX_VIOLATIONS_LISTED) {
    lines.push(`  ... and ${summary.violations.length - MAX_VIOLATIONS_LISTED} more (all of them above, and in ${cxapi.VALIDATION_REPORT_FILE})`);
  }

  const byReason = new Map<string, SummaryAcknowledgement[]>();
  for (const a of summary.acknowledgements) byReason.set(a.reason, [...(byReason.get(a.reason) ?? []), a]);
  const constructs = new Set(summary.acknowledgements.map((a) => a.constructPath)).size;
  lines.push(`Acknowledgements: ${summary.acknowledgements.length} on ${constructs} resources, for ${byReason.size} reasons:`);
  const sorted = [...byReason.entries()].sort((a, b) => b[1].length - a[1].length);
  for (const [reason, list] of sorted) {
    lines.push(`  ${String(list.length).padStart(4)} x ${ruleList(list)}`);
    lines.push(`         ${reason}`);
  }
  return lines.join('\n');
}

/** Distinct rules of a group, with a finding's resource suffix (`[Resource::…]`) folded into a count. */
function ruleList(list: SummaryAcknowledgement[]): string {
  const counts = new Map<string, Set<string>>();
  for (const a of list) {
    const base = a.rule.replace(/\[.*\]$/, '');
    const variants = counts.get(base) ?? new Set<string>();
    if (base !== a.rule) variants.add(a.rule);
    counts.set(base, variants);
  }
  return [...counts.entries()].map(([base, variants]) => (variants.size > 0 ? `${base}[…]` : base)).join(', ');
}

function withoutNamespace(id: string): string {
  return id.replace(/^[A-Za-z][A-Za-z-]*::/, '');
}

function withoutSlash(p: string): string {
  return p.replace(/^\//, '');
}
