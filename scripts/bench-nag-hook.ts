/**
 * Preloaded by scripts/bench-nag.ts into the example app's process (`node -r`):
 * BENCH_AISEC=off turns the AiSec pack's validation into a no-op (the baseline);
 * BENCH_AISEC=on times it and appends the milliseconds to BENCH_AISEC_TIMES.
 */
import * as fs from 'fs';
import { AiSecurityChecks } from '../lib/nag/ai-security-checks';

const mode = process.env.BENCH_AISEC;
const original = AiSecurityChecks.prototype.validate;
AiSecurityChecks.prototype.validate = function (this: AiSecurityChecks, context) {
  if (mode === 'off') return { success: true, violations: [] };
  const start = process.hrtime.bigint();
  const report = original.call(this, context);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (process.env.BENCH_AISEC_TIMES) fs.appendFileSync(process.env.BENCH_AISEC_TIMES, `${ms}\n`);
  return report;
};
