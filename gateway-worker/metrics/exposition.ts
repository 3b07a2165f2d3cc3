import type { MetricDef } from '../../contract/metrics.js';

/** One sample: a series name (a histogram's `_bucket`, `_sum` or `_count` name), labels, value. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * The Prometheus text exposition (format 0.0.4) of every metric in `defs`, each with its HELP and
 * TYPE lines even before it has a sample. prom-client keeps observations in process memory and
 * cannot load stored bucket counts, so the stored totals are written out here. Histogram buckets
 * are stored per bound and accumulated here; samples of names not in `defs` are left out.
 */
export function renderExposition(defs: readonly MetricDef[], samples: readonly Sample[]): string {
  const byName = Map.groupBy(samples, (s) => s.name);
  const lines = defs.flatMap((def) => [
    `# HELP ${def.name} ${escapeHelp(def.help)}`,
    `# TYPE ${def.name} ${def.type}`,
    ...(def.type === 'histogram'
      ? histogramLines(def, byName)
      : (byName.get(def.name) ?? []).map((s) => line(def.name, s.labels, def.labels, s.value))),
  ]);
  return `${lines.join('\n')}\n`;
}

function histogramLines(def: MetricDef, byName: Map<string, Sample[]>): string[] {
  const sums = byName.get(`${def.name}_sum`) ?? [];
  const counts = new Map(
    (byName.get(`${def.name}_count`) ?? []).map((s) => [seriesKey(s.labels, def.labels), s.value]),
  );
  const buckets = Map.groupBy(byName.get(`${def.name}_bucket`) ?? [], (s) => seriesKey(s.labels, def.labels));
  return sums.flatMap((sum) => {
    const key = seriesKey(sum.labels, def.labels);
    const stored = (buckets.get(key) ?? []).map((b) => ({ le: boundOf(b.labels.le), n: b.value }));
    const upTo = (bound: number) => stored.reduce((acc, b) => (b.le <= bound ? acc + b.n : acc), 0);
    const bounds = [...(def.buckets ?? []), Number.POSITIVE_INFINITY];
    const names = [...def.labels, 'le'];
    return [
      ...bounds.map((b) => line(`${def.name}_bucket`, { ...sum.labels, le: formatValue(b) }, names, upTo(b))),
      line(`${def.name}_sum`, sum.labels, def.labels, sum.value),
      line(`${def.name}_count`, sum.labels, def.labels, counts.get(key) ?? 0),
    ];
  });
}

/** A sample line with the metric's labels in its declared order (absent ones left out). */
function line(name: string, labels: Record<string, string>, order: readonly string[], value: number): string {
  const pairs = order.filter((l) => labels[l] !== undefined).map((l) => `${l}="${escapeLabel(labels[l]!)}"`);
  return `${name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${formatValue(value)}`;
}

function seriesKey(labels: Record<string, string>, order: readonly string[]): string {
  return JSON.stringify(order.map((l) => labels[l] ?? ''));
}

function boundOf(le: string | undefined): number {
  return le === undefined || le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
}

function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

function escapeLabel(v: string): string {
  return v.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"');
}

function escapeHelp(v: string): string {
  return v.replaceAll('\\', '\\\\').replaceAll('\n', '\\n');
}
