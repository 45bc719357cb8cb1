import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { NagRuleCompliance } from 'cdk-nag';
import { AiSecurityChecks, AiSecurityChecksProps } from '../../../lib';
import { AiSecRule } from '../../../lib/nag/rule';

/** A fresh stack for one fixture (no validation plugins: the pack is run directly). */
export function fixtureStack(): Stack {
  return new Stack(new App(), 'Fixture', { env: { account: '111111111111', region: 'eu-west-1' } });
}

/** What a rule says about a resource: COMPLIANT, NON_COMPLIANT, N/A, findings, or THREW. */
export type Outcome = 'COMPLIANT' | 'NON_COMPLIANT' | 'N/A' | 'THREW' | string[];

/**
 * Runs one rule on one resource and, as a cross-check, the whole pack on the resource's stack:
 * the pack must report the rule on the resource exactly when the rule is not satisfied
 * (non-compliant, findings, or it threw because a value could not be resolved). `pack` are the
 * props of that pack (an opt-in rule is run by a pack created with its prop).
 */
export function outcome(rule: AiSecRule, resource: CfnResource, pack: AiSecurityChecksProps = {}): Outcome {
  let result: Outcome;
  try {
    const raw = rule.check(resource);
    result = Array.isArray(raw) ? raw
      : raw === NagRuleCompliance.COMPLIANT ? 'COMPLIANT'
        : raw === NagRuleCompliance.NON_COMPLIANT ? 'NON_COMPLIANT' : 'N/A';
  } catch {
    result = 'THREW';
  }
  const id = `AiSec-${rule.name}`;
  const reported = new AiSecurityChecks(undefined, { verbose: true, ...pack }).validateScope(Stack.of(resource)).violations
    .filter((v) => (v.ruleName === id || v.ruleName.startsWith(`${id}[`))
      && v.violatingResources.some((r) => r.constructPath === resource.node.path));
  const expected = Array.isArray(result) ? result.map((f) => `${id}[${f}]`)
    : result === 'NON_COMPLIANT' || result === 'THREW' ? [id] : [];
  expect(reported.map((v) => v.ruleName).sort()).toEqual(expected.sort());
  if (result === 'THREW') expect(reported[0].description).toMatch(/cannot evaluate/);
  return result;
}

/** The description the pack gives one resource for one rule ID suffix (`Rule` or `Rule[finding]`). */
export function describe1(ruleSuffix: string, resource: CfnResource, pack: AiSecurityChecksProps = {}): string | undefined {
  return new AiSecurityChecks(undefined, pack).validateScope(Stack.of(resource)).violations
    .find((v) => v.ruleName === `AiSec-${ruleSuffix}` && v.violatingResources.some((r) => r.constructPath === resource.node.path))
    ?.description;
}
