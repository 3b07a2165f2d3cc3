import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { METRIC_LIST, seriesNames } from '../../contract/metrics.js';

const DEPLOY = new URL('../../deploy/', import.meta.url);
/** Every series /metrics exports, from the table its writer renders. */
const EXPORTED = new Set(METRIC_LIST.flatMap(seriesNames));
/** Series Prometheus makes itself for every scrape target. */
const SYNTHETIC = new Set(['up']);

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
]);

/**
 * The metric names a PromQL expression reads: identifiers that are not functions, keywords,
 * label names (in matchers or grouping clauses), durations or Grafana variables.
 */
function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\$\w+/g, ' ');
  const names = [...bare.matchAll(/(?<![\w.:])([a-zA-Z_:][\w:]*)(?![\w:])(?!\s*\()/g)].map((m) => m[1]!);
  return [...new Set(names.filter((n) => !KEYWORDS.has(n) && !/^(?:e|Inf|NaN)$/i.test(n)))];
}

function dashboards(): { file: string; board: any }[] {
  const dir = new URL('grafana/', DEPLOY);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((file) => ({ file, board: JSON.parse(readFileSync(new URL(file, dir), 'utf8')) }));
}

/** Every PromQL expression of a dashboard, rows' nested panels included. */
function expressionsOf(board: any): string[] {
  const panels = (list: any[]): any[] => list.flatMap((p) => [p, ...panels(p.panels ?? [])]);
  return panels(board.panels ?? []).flatMap((p) => (p.targets ?? []).map((t: any) => t.expr).filter(Boolean));
}

function alertRules(): any[] {
  const doc = parse(readFileSync(new URL('prometheus/alerts.yml', DEPLOY), 'utf8'));
  return doc.groups.flatMap((g: any) => g.rules);
}

const unknown = (exprs: string[]) =>
  exprs.flatMap((e) =>
    metricNames(e)
      .filter((n) => !EXPORTED.has(n) && !SYNTHETIC.has(n))
      .map((n) => `${n} in ${e}`),
  );

describe('monitoring files in deploy/', () => {
  it('reads metric names out of PromQL and nothing else', () => {
    expect(
      metricNames(
        'histogram_quantile(0.95, sum by (le, route) (rate(a_seconds_bucket{route=~"/x|y", le!="1"}[$__rate_interval]))) / clamp_min(sum without (x) (b_total offset 5m), 1e-9) > bool 0.1',
      ).sort(),
    ).toEqual(['a_seconds_bucket', 'b_total']);
    expect(unknown(['sum(rate(driftmgr_no_such_metric[5m]))', 'drift_detected_total'])).toEqual([
      'driftmgr_no_such_metric in sum(rate(driftmgr_no_such_metric[5m]))',
    ]);
  });

  it('has the five dashboards, each querying only metrics /metrics exports', () => {
    const boards = dashboards();
    expect(boards.map((b) => b.file).sort()).toEqual([
      'cost-impact.json',
      'discovery-performance.json',
      'drift-analysis.json',
      'service-overview.json',
      'system-health.json',
    ]);
    for (const { file, board } of boards) {
      const exprs = expressionsOf(board);
      expect(exprs.length, file).toBeGreaterThan(3);
      expect(unknown(exprs), file).toEqual([]);
      expect(new Set(board.panels.map((p: any) => p.id)).size, file).toBe(board.panels.length);
    }
  });

  it('has the alert rules, valid YAML, each on metrics /metrics exports, with a severity and a summary', () => {
    const rules = alertRules();
    expect(rules.map((r) => r.alert)).toEqual(
      expect.arrayContaining(['HighDriftRate', 'DiscoveryQueueBacklog', 'AgentDown', 'ShardFailures']),
    );
    for (const rule of rules) {
      expect(rule, rule.alert).toMatchObject({
        expr: expect.any(String),
        labels: { severity: expect.stringMatching(/^(warning|critical)$/) },
        annotations: { summary: expect.any(String) },
      });
      expect(metricNames(rule.expr).length, rule.alert).toBeGreaterThan(0);
    }
    expect(unknown(rules.map((r) => r.expr))).toEqual([]);
  });

  it('gives every dashboard and alert a line in its README', () => {
    const grafana = readFileSync(new URL('grafana/README.md', DEPLOY), 'utf8');
    for (const { file } of dashboards()) expect(grafana).toContain(`**${file}**`);
    const prometheus = readFileSync(new URL('prometheus/README.md', DEPLOY), 'utf8');
    for (const rule of alertRules()) expect(prometheus).toContain(`**${rule.alert}**`);
  });
});
