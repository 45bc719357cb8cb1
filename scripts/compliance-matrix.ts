/**
 * Generates docs/compliance-matrix.md from scripts/compliance-data.ts, the AiSecurityChecks rule
 * metadata and the Control Tower guard rule metadata bundled in @cdklabs/cdk-validator-cfnguard.
 * Run: `npx projen docs` (or `npx ts-node --transpile-only scripts/compliance-matrix.ts`).
 * test/docs/compliance-matrix.test.ts fails when the file is stale or a check it names does not exist.
 */
import * as fs from 'fs';
import * as path from 'path';
import { AiSecurityChecks } from '../lib';
import { GUIDE_ROWS, MatrixRow, SECURITY_HUB_ROWS } from './compliance-data';

const ROOT = path.join(__dirname, '..');
export const COMPLIANCE_MATRIX_MD = path.join(ROOT, 'docs', 'compliance-matrix.md');
const NAG_RULES_MD = path.join(ROOT, 'node_modules', 'cdk-nag', 'RULES.md');
const GUARD_DIR = path.join(ROOT, 'node_modules', '@cdklabs', 'cdk-validator-cfnguard', 'rules', 'control-tower');

/** Every rule ID cdk-nag documents, as its packs report it (`AwsSolutions-S10`, `Serverless-APIGWDefaultThrottling`). */
export function nagRuleIds(): Set<string> {
  const ids = new Set<string>();
  let section = '';
  for (const line of fs.readFileSync(NAG_RULES_MD, 'utf8').split('\n')) {
    const heading = /^## (.+)$/.exec(line);
    if (heading) section = heading[1].trim();
    const cell = /^\|\s*\[?([A-Za-z0-9.\-]+)\]?(\([^)]*\))?\s*\|/.exec(line);
    if (!cell || /^-+$/.test(cell[1]) || cell[1] === 'Rule') continue;
    // The Serverless pack's table lists bare names; the pack reports them with its prefix.
    ids.add(section === 'Serverless' && !cell[1].includes('-') ? `Serverless-${cell[1]}` : cell[1]);
  }
  return ids;
}

/** One Control Tower guard rule bundled with the cfn-guard validator. */
export interface GuardRule {
  readonly name: string;
  readonly controlId: string;
  readonly displayName: string;
  readonly securityHub: string[];
}

/** Guard rules by rule name (the top-level `rule <name> when …` of each Control Tower rule file). */
export function guardRules(): Map<string, GuardRule> {
  const rules = new Map<string, GuardRule>();
  const guardDir = path.join(GUARD_DIR, 'cfn-guard');
  for (const service of fs.readdirSync(guardDir).sort()) {
    for (const file of fs.readdirSync(path.join(guardDir, service)).sort()) {
      if (!file.endsWith('.guard')) continue;
      const text = fs.readFileSync(path.join(guardDir, service, file), 'utf8');
      const name = /^rule ([a-z0-9_]+) when/m.exec(text)?.[1];
      if (!name) continue;
      const base = file.replace(/\.guard$/, '');
      const metadataFile = fs.readdirSync(path.join(GUARD_DIR, 'metadata'))
        .map((dir) => path.join(GUARD_DIR, 'metadata', dir, `${base}.metadata.json`))
        .find((f) => fs.existsSync(f));
      const metadata = metadataFile ? JSON.parse(fs.readFileSync(metadataFile, 'utf8')) : {};
      rules.set(name, {
        name,
        controlId: metadata.Id ?? base.toUpperCase().replace(/-/g, '.'),
        displayName: metadata.DisplayName ?? '',
        securityHub: (metadata.Relationships ?? [])
          .filter((r: any) => r.ControlOwner === 'AWS Security Hub')
          .map((r: any) => String(r.ControlId).replace(/^SH\./, '')),
      });
    }
  }
  return rules;
}

/** The checks of every row that do not exist: an unknown rule, a missing test file or test title. */
export function danglingChecks(rows: MatrixRow[] = [...GUIDE_ROWS, ...SECURITY_HUB_ROWS]): string[] {
  const nag = nagRuleIds();
  const guard = guardRules();
  const aisec = new Set(AiSecurityChecks.rules().map((r) => r.id));
  const dangling: string[] = [];
  for (const row of rows) {
    for (const check of row.checks) {
      const [kind, ...rest] = check.split(':');
      const id = rest.join(':');
      const exists: Record<string, () => boolean> = {
        nag: () => nag.has(id),
        guard: () => guard.has(id),
        aisec: () => aisec.has(id),
        test: () => {
          const [file, title] = id.split('#');
          const full = path.join(ROOT, file);
          return fs.existsSync(full) && fs.readFileSync(full, 'utf8').includes(title ?? '');
        },
      };
      const ok = exists[kind]?.() ?? false;
      if (!ok) dangling.push(`${row.id}: ${check}`);
    }
  }
  return dangling;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const anchor = (id: string) => id.toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-');

function renderCheck(check: string, guard: Map<string, GuardRule>): string {
  const [kind, ...rest] = check.split(':');
  const id = rest.join(':');
  switch (kind) {
    case 'nag': return `\`${id}\``;
    case 'guard': return `\`${id}\` (${guard.get(id)?.controlId ?? '?'})`;
    case 'aisec': return `[\`${id}\`](../RULES.md#${anchor(id)})`;
    case 'test': {
      const [file, title] = id.split('#');
      return `[${path.basename(file)}](../${file})${title ? ` “${title}”` : ''}`;
    }
    default: return check;
  }
}

function table(rows: MatrixRow[], guard: Map<string, GuardRule>, first: string): string[] {
  return [
    `| ${first} | Requirement | Implemented by (construct: default) | Verified by |`,
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${cell(r.id)} | ${cell(r.requirement)} | ${r.implementedBy.map(cell).join('<br>')} | ${r.checks.map((c) => cell(renderCheck(c, guard))).join('<br>')} |`),
  ];
}

export function renderComplianceMatrix(): string {
  const guard = guardRules();
  const rows = [...GUIDE_ROWS, ...SECURITY_HUB_ROWS];
  const usedGuard = [...new Set(rows.flatMap((r) => r.checks.filter((c) => c.startsWith('guard:')).map((c) => c.slice(6))))]
    .map((name) => guard.get(name))
    .filter((g): g is GuardRule => !!g)
    .sort((a, b) => a.controlId.localeCompare(b.controlId, 'en', { numeric: true }));
  const rules = AiSecurityChecks.rules();
  const rowsUsing = (check: string) => rows.filter((r) => r.checks.includes(check)).map((r) => r.id);
  return [
    '<!-- Generated by scripts/compliance-matrix.ts from scripts/compliance-data.ts, the AiSecurityChecks rule metadata and the',
    '     Control Tower rule metadata of @cdklabs/cdk-validator-cfnguard. Do not edit by hand: run `npx projen docs`. -->',
    '# Compliance matrix',
    '',
    'Each recommendation of the guide *Securing AI workloads in the cloud* and each AWS Security Hub / AWS Control Tower',
    'control the library addresses → the construct and default that implement it → the checks that verify it.',
    'Every check named here exists (a test resolves each one: cdk-nag rule IDs against cdk-nag\'s RULES.md, guard rule',
    'names against the rules bundled in `@cdklabs/cdk-validator-cfnguard`, `AiSec-` IDs against the pack, test files and',
    'titles against this repository), and all of them run on every `npx cdk synth` of the example app and in the',
    'construct tests, which require zero unacknowledged findings. The few acknowledged findings are listed, with',
    'their reasons, in the README ([Acknowledged findings](../README.md#acknowledged-findings)).',
    '',
    'Kinds of check: `AwsSolutions-…`, `HIPAA.Security-…`, `NIST.800.53.R5-…`, `PCI.DSS.321-…`, `Serverless-…` are cdk-nag rules',
    '(where several packs have the same rule, one is named); `snake_case_check` (CT.…) are Control Tower proactive',
    'controls run by cfn-guard; `AiSec-…` are rules of the library\'s own pack ([RULES.md](../RULES.md)); test files',
    'are this repository\'s tests — IAM simulation (`@cloud-copilot/iam-simulate` over the synthesized policies),',
    'network ACL evaluation, EventBridge pattern and metric-filter evaluation — with the test or group title.',
    '',
    '## The guide\'s recommendations',
    '',
    ...table(GUIDE_ROWS, guard, 'Recommendation'),
    '',
    '## AWS Security Hub controls',
    '',
    ...table(SECURITY_HUB_ROWS, guard, 'Control'),
    '',
    '## AWS Control Tower proactive controls',
    '',
    'Generated from the guard rule metadata: every Control Tower control named above, its title, and the',
    'Security Hub controls AWS relates it to. All 237 bundled Control Tower rules run on every synth; these are',
    'the ones the library\'s defaults are designed to satisfy.',
    '',
    '| Control | Guard rule | Title | Security Hub | Rows |',
    '| --- | --- | --- | --- | --- |',
    ...usedGuard.map((g) => `| ${g.controlId} | \`${g.name}\` | ${cell(g.displayName)} | ${g.securityHub.join(', ')} | ${cell(rowsUsing(`guard:${g.name}`).join('; '))} |`),
    '',
    '## AiSecurityChecks rules',
    '',
    `Generated from \`AiSecurityChecks.rules()\`: the ${rules.length} rules of the library's pack, the guide recommendation`,
    'and controls each carries in its metadata, and the rows above that rely on it.',
    '',
    '| Rule | Level | Guide | Controls | Rows |',
    '| --- | --- | --- | --- | --- |',
    ...rules.map((r) => `| [\`${r.id}\`](../RULES.md#${anchor(r.id)}) | ${r.level} | ${cell(r.guide)} | ${cell(r.controls.join('; '))} | ${cell(rowsUsing(`aisec:${r.id}`).join('; '))} |`),
    '',
    '## Not covered here',
    '',
    'What the library deliberately leaves to the account (GuardDuty and Security Hub enablement, SCPs, the identity',
    'provider and MFA, training, penetration testing, the API Gateway CloudWatch role…) is listed in the README:',
    '[What the library leaves to the account](../README.md#what-the-library-leaves-to-the-account).',
    '',
  ].join('\n');
}

if (require.main === module) {
  const dangling = danglingChecks();
  if (dangling.length) {
    console.error(`checks that do not exist:\n  ${dangling.join('\n  ')}`);
    process.exit(1);
  }
  fs.mkdirSync(path.dirname(COMPLIANCE_MATRIX_MD), { recursive: true });
  fs.writeFileSync(COMPLIANCE_MATRIX_MD, renderComplianceMatrix());
  console.log(`wrote ${path.relative(ROOT, COMPLIANCE_MATRIX_MD)}`);
}
