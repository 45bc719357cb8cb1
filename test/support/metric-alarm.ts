/**
 * A small evaluator of CloudWatch metric alarms, for tests: does a synthesized
 * `AWS::CloudWatch::Alarm` see a metric datum the way CloudWatch would, and does the datum put it
 * in ALARM?
 *
 * What it models (CloudWatch user guide, "CloudWatch concepts" and "Using Amazon CloudWatch alarms"):
 * - a metric is identified by its namespace, its name and its exact set of dimensions: a datum
 *   with one dimension more or less is another metric;
 * - a single-metric alarm (`Namespace`, `MetricName`, `Dimensions`) or a `Metrics` list whose
 *   returned expression is `MAX([m0, m1, ...])` over `MetricStat` queries (any other expression
 *   throws, so a test cannot pass on an alarm the evaluator does not understand);
 * - the datum's age: the alarm looks back `EvaluationPeriods × Period` seconds, and with
 *   `DatapointsToAlarm` 1 one breaching datapoint in that window fires it;
 * - the comparison of the value with `Threshold` per `ComparisonOperator`.
 *
 * Dimension values and names are compared as template values (a token such as `{ Ref }` equals
 * the same token), so a datum can name a resource of the template.
 */
export interface MetricDatum {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, unknown>;
  readonly value: number;
  /** Seconds between the datum's timestamp and the alarm evaluation. @default 0 */
  readonly ageSeconds?: number;
}

interface Watched { namespace: unknown; metricName: unknown; dimensions: Record<string, string>; period: number }

const canonical = (value: unknown): string => JSON.stringify(value, (_k, v) =>
  v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v);

function dimensionMap(dimensions: unknown): Record<string, string> {
  if (dimensions === undefined) return {};
  if (!Array.isArray(dimensions)) throw new Error(`Dimensions must be a list, got ${JSON.stringify(dimensions)}`);
  return Object.fromEntries(dimensions.map((d: any) => [d.Name, canonical(d.Value)]));
}

/** The metrics the alarm's returned value is computed from. */
export function watchedMetrics(alarmProperties: any): Watched[] {
  const p = alarmProperties;
  if (p.MetricName !== undefined) {
    return [{ namespace: p.Namespace, metricName: p.MetricName, dimensions: dimensionMap(p.Dimensions), period: p.Period }];
  }
  const queries: any[] = p.Metrics ?? [];
  const returned = queries.filter((q) => q.ReturnData !== false);
  if (returned.length !== 1) throw new Error(`an alarm returns exactly one time series, got ${returned.length}`);
  const top = returned[0];
  const byId = new Map(queries.map((q) => [q.Id, q]));
  const stat = (q: any): Watched => {
    if (!q?.MetricStat) throw new Error(`query ${JSON.stringify(q)} is not a MetricStat`);
    const m = q.MetricStat.Metric;
    return { namespace: m.Namespace, metricName: m.MetricName, dimensions: dimensionMap(m.Dimensions), period: q.MetricStat.Period };
  };
  if (top.MetricStat) return [stat(top)];
  const max = /^MAX\(\[\s*([a-z][a-zA-Z0-9_]*(?:\s*,\s*[a-z][a-zA-Z0-9_]*)*)\s*\]\)$/.exec(String(top.Expression));
  if (!max) throw new Error(`the evaluator understands MAX([ids]) only, got ${JSON.stringify(top.Expression)}`);
  return max[1].split(',').map((id) => stat(byId.get(id.trim())));
}

/** Whether the alarm watches the datum's metric (namespace, name, exact dimension set). */
export function alarmWatches(alarmProperties: any, datum: MetricDatum): boolean {
  const dims = Object.fromEntries(Object.entries(datum.dimensions).map(([k, v]) => [k, canonical(v)]));
  return watchedMetrics(alarmProperties).some((w) => canonical(w.namespace) === canonical(datum.namespace)
    && canonical(w.metricName) === canonical(datum.metricName)
    && canonical(w.dimensions) === canonical(dims));
}

/** Whether the datum puts the alarm in ALARM: watched, inside the look-back window, and breaching. */
export function alarmFires(alarmProperties: any, datum: MetricDatum): boolean {
  if (!alarmWatches(alarmProperties, datum)) return false;
  const p = alarmProperties;
  if ((p.DatapointsToAlarm ?? p.EvaluationPeriods) !== 1) {
    throw new Error('the evaluator models alarms that fire on one datapoint (DatapointsToAlarm 1)');
  }
  const period = watchedMetrics(p)[0].period;
  if ((datum.ageSeconds ?? 0) > p.EvaluationPeriods * period) return false;
  const t = p.Threshold;
  switch (p.ComparisonOperator) {
    case 'GreaterThanOrEqualToThreshold': return datum.value >= t;
    case 'GreaterThanThreshold': return datum.value > t;
    case 'LessThanThreshold': return datum.value < t;
    case 'LessThanOrEqualToThreshold': return datum.value <= t;
    default: throw new Error(`unsupported ComparisonOperator ${p.ComparisonOperator}`);
  }
}
