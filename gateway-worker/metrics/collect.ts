import type { JobStatus } from '../../contract/api.js';
import { METRICS } from '../../contract/metrics.js';
import { Provider } from '../../contract/resource.js';
import { jobCoordinator, metricsKeeper } from '../../orchestrator-do/stubs.js';
import { storeFor } from '../../storage/index.js';
import type { Sample } from './exposition.js';

/** Open jobs of each status whose backlog a scrape asks their coordinators for (newest first). */
const BACKLOG_JOBS_PER_STATUS = 100;
const OPEN: readonly JobStatus[] = ['pending', 'running', 'analyzing'];
/** An agent that asked for work within this long counts as up; a lease long-poll lasts at most 25 s. */
const AGENT_UP_MS = 10 * 60 * 1000;
/** Accounts whose agents were seen within this long but not recently count as down. */
const AGENT_KNOWN_MS = 7 * 24 * 3600 * 1000;

/**
 * Every sample /metrics reports: the counters and histograms the metrics object keeps, and gauges
 * read now from storage and from the coordinators of open jobs. Any Worker instance answers the same.
 */
export async function collectSamples(env: Env, now = Date.now()): Promise<Sample[]> {
  const parts = await Promise.all([
    metricsKeeper(env).series(),
    operationalSamples(env),
    latestAnalysisSamples(env),
    backlogSamples(env),
    agentSamples(env, now),
  ]);
  return parts.flat();
}

async function operationalSamples(env: Env): Promise<Sample[]> {
  const store = storeFor(env);
  const [ops, counts] = await Promise.all([store.operationalCounts(), store.resourceCounts()]);
  return [
    ...Object.entries(ops.jobs_by_status).map(([status, n]) => sample(METRICS.jobs.name, { status }, n)),
    sample(METRICS.shardsOpen.name, {}, ops.shards_open),
    sample(METRICS.deadLetters.name, {}, ops.dead_letters),
    ...counts.map((c) =>
      sample(
        METRICS.resources.name,
        { provider: c.provider, account: c.account, region: c.region, type: c.type },
        c.count,
      ),
    ),
  ];
}

/** The current drift, its cost and the managed coverage, as each provider's latest analysis found them. */
async function latestAnalysisSamples(env: Env): Promise<Sample[]> {
  const analyses = await storeFor(env).latestAnalyses();
  return analyses.flatMap(({ provider, summary }) => [
    ...Object.entries(summary.by_severity).map(([severity, n]) =>
      sample(METRICS.driftItems.name, { provider, severity }, n),
    ),
    sample(METRICS.driftCost.name, { provider }, summary.cost.monthly_delta_usd),
    sample(METRICS.coverage.name, { provider }, summary.coverage),
  ]);
}

/** Shards waiting and leased, and analysis parts out, summed per provider over the open jobs. */
async function backlogSamples(env: Env): Promise<Sample[]> {
  const store = storeFor(env);
  const jobs = (
    await Promise.all(OPEN.map((status) => store.listJobs({ status, limit: BACKLOG_JOBS_PER_STATUS })))
  ).flat();
  const backlogs = await Promise.all(jobs.map((j) => jobCoordinator(env, j.job_id).backlog()));
  const totals = new Map<string, { pending: number; leased: number; parts: number }>(
    Provider.options.map((p) => [p, { pending: 0, leased: 0, parts: 0 }]),
  );
  for (const b of backlogs) {
    const t = totals.get(b.provider) ?? { pending: 0, leased: 0, parts: 0 };
    totals.set(b.provider, {
      pending: t.pending + b.shards_pending,
      leased: t.leased + b.shards_leased,
      parts: t.parts + b.parts_outstanding,
    });
  }
  return [...totals].flatMap(([provider, t]) => [
    sample(METRICS.shardsPending.name, { provider }, t.pending),
    sample(METRICS.shardsLeased.name, { provider }, t.leased),
    sample(METRICS.analysisPartsOutstanding.name, { provider }, t.parts),
  ]);
}

/** 1 for each account an agent asked for work recently, 0 for one seen this week but not since. */
async function agentSamples(env: Env, now: number): Promise<Sample[]> {
  const store = storeFor(env);
  const since = (ms: number) => new Date(now - ms).toISOString();
  const perProvider = await Promise.all(
    Provider.options.map(async (provider) => {
      const [up, known] = await Promise.all([
        store.accountsSeenSince(provider, since(AGENT_UP_MS)),
        store.accountsSeenSince(provider, since(AGENT_KNOWN_MS)),
      ]);
      const upSet = new Set(up);
      return known.map((account) => sample(METRICS.agentUp.name, { provider, account }, upSet.has(account) ? 1 : 0));
    }),
  );
  return perProvider.flat();
}

function sample(name: string, labels: Record<string, string>, value: number): Sample {
  return { name, labels, value };
}
