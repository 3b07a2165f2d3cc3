/**
 * Every metric `GET /metrics` exports: its name, type, help and label names, and a histogram's
 * bucket bounds. The exposition writer renders from this table, the recorders bucket their
 * observations with it, and the tests check the Grafana dashboards and Prometheus alert rules in
 * deploy/ against it, so a name cannot drift between them. Names are public: dashboards and alert
 * rules query them, so rename only with a release note.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDef {
  name: string;
  type: MetricType;
  help: string;
  labels: readonly string[];
  /** Upper bounds of a histogram's buckets, ascending (+Inf is implied). */
  buckets?: readonly number[];
}

export const METRICS = {
  // Read from storage and the open jobs on each scrape.
  jobs: { name: 'driftmgr_jobs', type: 'gauge', help: 'Discovery jobs by status', labels: ['status'] },
  shardsOpen: {
    name: 'driftmgr_discovery_shards_open',
    type: 'gauge',
    help: 'Shards of pending and running jobs not finished yet',
    labels: [],
  },
  shardsPending: {
    name: 'driftmgr_shards_pending',
    type: 'gauge',
    help: 'Shards of open jobs waiting for an agent (discovery queue backlog)',
    labels: ['provider'],
  },
  shardsLeased: {
    name: 'driftmgr_shards_leased',
    type: 'gauge',
    help: 'Shards of open jobs an agent holds a lease on',
    labels: ['provider'],
  },
  analysisPartsOutstanding: {
    name: 'driftmgr_analysis_parts_outstanding',
    type: 'gauge',
    help: 'Per-account analysis parts of analysing jobs without a result yet (analysis queue backlog)',
    labels: ['provider'],
  },
  deadLetters: {
    name: 'driftmgr_dead_letters',
    type: 'gauge',
    help: 'Queue messages that could not be processed, as kept for replay',
    labels: [],
  },
  resources: {
    name: 'driftmgr_resources',
    type: 'gauge',
    help: 'Discovered resources in the inventory',
    labels: ['provider', 'account', 'region', 'type'],
  },
  driftItems: {
    name: 'driftmgr_drift_items',
    type: 'gauge',
    help: 'Drift items the latest analysis of each provider reported, by severity',
    labels: ['provider', 'severity'],
  },
  driftCost: {
    name: 'driftmgr_drift_cost_monthly_usd',
    type: 'gauge',
    help: 'Estimated monthly cost change of the drift the latest analysis of each provider reported (USD)',
    labels: ['provider'],
  },
  coverage: {
    name: 'driftmgr_managed_coverage_ratio',
    type: 'gauge',
    help: 'Share of resources Terraform manages, as the latest analysis of each provider found it (0-1)',
    labels: ['provider'],
  },
  agentUp: {
    name: 'driftmgr_agent_up',
    type: 'gauge',
    help: 'Whether an agent of the account asked for work recently (1) or was seen this week but not since (0)',
    labels: ['provider', 'account'],
  },
  // Counted as things happen and kept by the metrics object.
  driftDetected: {
    name: 'drift_detected_total',
    type: 'counter',
    help: 'Drift items found by completed analyses (changed, missing, unmanaged)',
    labels: ['provider', 'severity'],
  },
  jobsFinished: {
    name: 'driftmgr_jobs_finished_total',
    type: 'counter',
    help: 'Discovery jobs that ended, by outcome (completed, failed, cancelled)',
    labels: ['provider', 'outcome'],
  },
  resourcesDiscovered: {
    name: 'driftmgr_resources_discovered_total',
    type: 'counter',
    help: 'Resources agents reported in shards that succeeded',
    labels: ['provider'],
  },
  deadLettered: {
    name: 'driftmgr_dead_letters_total',
    type: 'counter',
    help: 'Messages that reached a dead-letter queue',
    labels: ['queue'],
  },
  shardDuration: {
    name: 'driftmgr_shard_duration_seconds',
    type: 'histogram',
    help: 'Time from lease to an agent completing (succeeded) or giving up (failed) a shard attempt',
    labels: ['provider', 'outcome'],
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600],
  },
  jobDuration: {
    name: 'driftmgr_job_duration_seconds',
    type: 'histogram',
    help: 'Time from a job being started to it ending, by outcome',
    labels: ['provider', 'outcome'],
    buckets: [10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400, 43200],
  },
  analysisDuration: {
    name: 'driftmgr_analysis_duration_seconds',
    type: 'histogram',
    help: "Time the queue consumer took to analyse one account's part of a job",
    labels: ['outcome'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900],
  },
  apiDuration: {
    name: 'driftmgr_api_request_duration_seconds',
    type: 'histogram',
    help: 'Gateway request latency by route pattern and status class (lease long-polls included)',
    labels: ['method', 'route', 'status_class'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  },
} as const satisfies Record<string, MetricDef>;

export type MetricKey = keyof typeof METRICS;

/** Every metric, in the order /metrics lists them. */
export const METRIC_LIST: readonly MetricDef[] = Object.values(METRICS);

/**
 * The series names a metric's samples carry: a histogram's `_bucket`, `_sum` and `_count`, any
 * other metric its own name. What a PromQL expression may name.
 */
export function seriesNames(def: MetricDef): string[] {
  return def.type === 'histogram' ? ['_bucket', '_sum', '_count'].map((s) => def.name + s) : [def.name];
}

/** An amount to add to one stored series: a counter, or one bucket, sum or count of a histogram. */
export interface SeriesDelta {
  /** The series name (a histogram's `_bucket`, `_sum` or `_count` name). */
  name: string;
  /** Label values; a bucket's own bound is its `le` label. */
  labels: Record<string, string>;
  value: number;
}

/** Adds `value` to a counter. */
export function counterDelta(def: MetricDef, labels: Record<string, string>, value = 1): SeriesDelta[] {
  return value === 0 ? [] : [{ name: def.name, labels, value }];
}

/**
 * One observation of a histogram as the amounts to add: one to the smallest bucket it fits (kept
 * per bucket, not cumulative, so observations add up; the writer accumulates), its value to the
 * sum, one to the count.
 */
export function observationDeltas(def: MetricDef, labels: Record<string, string>, value: number): SeriesDelta[] {
  const bound = def.buckets?.find((b) => value <= b);
  return [
    { name: `${def.name}_bucket`, labels: { ...labels, le: bound === undefined ? '+Inf' : String(bound) }, value: 1 },
    { name: `${def.name}_sum`, labels, value },
    { name: `${def.name}_count`, labels, value: 1 },
  ];
}
