import * as fs from 'fs';
import { AiSecurityChecks } from '../../lib';
import { renderRulesMarkdown, RULES_MD } from '../../scripts/rules-md';

test('RULES.md is generated from the rule metadata and up to date (run `npx ts-node --transpile-only scripts/rules-md.ts`)', () => {
  expect(fs.readFileSync(RULES_MD, 'utf8')).toEqual(renderRulesMarkdown());
});

test('RULES.md lists every rule with its level', () => {
  const text = fs.readFileSync(RULES_MD, 'utf8');
  for (const rule of AiSecurityChecks.rules()) expect(text).toContain(`| \`${rule.id}\` | ${rule.level} |`);
});
