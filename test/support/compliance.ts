import * as fs from 'fs';
import * as path from 'path';
import { Stage } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { IConstruct } from 'constructs';

/** One finding of one check on one construct, as CDK's validation report lists it. */
export interface Violation {
  readonly plugin: string;
  readonly rule: string;
  readonly severity: string;
  readonly constructPath: string;
  readonly description: string;
}

/** The report of every validation plugin that ran when the app of `scope` was synthesized. */
export interface ComplianceReport {
  /** Findings not acknowledged: each is a failure, warnings included. */
  readonly violations: Violation[];
  /** Findings CDK matched to an acknowledgement (cdk-nag applies its own before reporting). */
  readonly acknowledged: Violation[];
}

interface RawViolation {
  ruleName: string;
  description: string;
  severity?: string;
  violatingConstructs: { constructPath?: string }[];
}
interface RawReport {
  pluginReports: { pluginName: string; violations: RawViolation[]; suppressedViolations?: RawViolation[] }[];
}

/**
 * Synthesizes the app that holds `scope` and reads its validation report.
 * Throws when no report was written: then no check ran, and "no violations" would be a lie.
 */
export function complianceReport(scope: IConstruct): ComplianceReport {
  const app = Stage.of(scope);
  if (!app) throw new Error(`${scope.node.path} is not in an App`);
  const assembly = app.synth();
  const file = path.join(assembly.directory, cxapi.VALIDATION_REPORT_FILE);
  if (!fs.existsSync(file)) {
    throw new Error(`no ${cxapi.VALIDATION_REPORT_FILE} in ${assembly.directory}: no validation plugin ran (use createTestApp())`);
  }
  const raw = JSON.parse(fs.readFileSync(file, 'utf8')) as RawReport;
  const flatten = (plugin: string, list: RawViolation[] = []) => list.flatMap((v) =>
    v.violatingConstructs.map((c) => ({
      plugin,
      rule: v.ruleName,
      severity: v.severity ?? 'error',
      constructPath: c.constructPath ?? '<unknown>',
      description: v.description,
    })));
  return {
    violations: raw.pluginReports.flatMap((r) => flatten(r.pluginName, r.violations)),
    acknowledged: raw.pluginReports.flatMap((r) => flatten(r.pluginName, r.suppressedViolations)),
  };
}

/** Every unacknowledged finding in the app of `scope`, optionally only those under `scope`. */
export function findViolations(scope: IConstruct, options: { onlyUnder?: boolean } = {}): Violation[] {
  const all = complianceReport(scope).violations;
  if (!options.onlyUnder) return all;
  const prefix = scope.node.path;
  return all.filter((v) => v.constructPath === prefix || v.constructPath.startsWith(`${prefix}/`));
}

/** Fails listing every unacknowledged finding (rule, construct path, plugin) in the app of `scope`. */
export function expectCompliant(scope: IConstruct): void {
  const violations = findViolations(scope);
  if (violations.length > 0) {
    const lines = violations.map((v) => `  ${v.rule} at ${v.constructPath} (${v.plugin}, ${v.severity}): ${v.description}`);
    throw new Error(`${violations.length} unacknowledged violation(s):\n${lines.join('\n')}`);
  }
}
