import { env, exports } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { METRIC_LIST, METRICS } from '../../contract/metrics.js';
import { storeFor } from '../../storage/index.js';
import { parseExposition, sampleValue, sumOf } from '../../test/support/prometheus-text.js';
import { TOKEN } from '../../test/support/worker/api.js';
import {
  complete,
  found,
  importState,
  instance,
  leaseAll,
  scan,
  startScan,
  volume,
} from '../../test/support/worker/scan.js';

async function scrape() {
  const res = await exports.default.fetch(
    new Request('http://gateway.test/metrics', { headers: { authorization: `Bearer ${TOKEN}` } }),
  );
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return parseExposition(await res.text());
}

/** Scrapes until `check` passes: what the queue consumer counts lands after the job reads completed. */
async function scrapeUntil(check: (m: Awaited<ReturnType<typeof scrape>>) => void) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const m = await scrape();
    try {
      check(m);
      return m;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

describe('GET /metrics', () => {
  it('declares every metric of the table with HELP and TYPE, and its histograms are cumulative', async () => {
    // The first scrape's own latency is in the second.
    await scrape();
    const families = await scrape();
    for (const def of METRIC_LIST) {
      expect(families.get(def.name), def.name).toMatchObject({ help: expect.stringMatching(/\S/), type: def.type });
    }
    const api = families.get(METRICS.apiDuration.name)!;
    const series = Map.groupBy(
      api.samples.filter((s) => s.name.endsWith('_bucket')),
      (s) => JSON.stringify({ ...s.labels, le: undefined }),
    );
    expect(series.size).toBeGreaterThan(0);
    for (const buckets of series.values()) {
      expect(buckets.map((b) => b.labels.le)).toEqual([...METRICS.apiDuration.buckets.map(String), '+Inf']);
      const values = buckets.map((b) => b.value);
      expect(values).toEqual([...values].sort((a, b) => a - b));
      const { le: _, ...labels } = buckets[0]!.labels;
      expect(values.at(-1)).toBe(sampleValue(families, `${METRICS.apiDuration.name}_count`, labels));
    }
  });

  it('counts a job run: its outcome, shards, resources, drift, analysis and API calls', async () => {
    const account = '520000000001';
    const regions = ['us-east-1', 'eu-west-1'];
    const estate = [
      instance(account, 'us-east-1', 'i-web', 't3.large'),
      volume(account, 'eu-west-1', 'vol-logs', 50),
      instance(account, 'eu-west-1', 'i-stray', 't3.nano'),
    ];
    await importState('metrics', [instance(account, 'us-east-1', 'i-web', 't3.micro'), estate[1]!]);
    const before = await scrape();
    const aws = { provider: 'aws' };
    const results = { method: 'POST', route: '/api/v1/shards/:shard_id/results', status_class: '2xx' };

    await scan({ account, regions, sharding: 'region' }, estate);

    const analyses = { outcome: 'ok' };
    const after = await scrapeUntil((m) => {
      expect(sumOf(m, 'driftmgr_jobs_finished_total', aws)).toBe(
        sumOf(before, 'driftmgr_jobs_finished_total', aws) + 1,
      );
      // The account is analysed in one or more parts, each timed when its message is done.
      expect(sumOf(m, 'driftmgr_analysis_duration_seconds_count', analyses)).toBeGreaterThan(
        sumOf(before, 'driftmgr_analysis_duration_seconds_count', analyses),
      );
    });
    const added = (name: string, labels: Record<string, string> = {}) =>
      sumOf(after, name, labels) - sumOf(before, name, labels);
    expect(
      added('driftmgr_jobs_finished_total', { ...aws, outcome: 'completed' }),
      'driftmgr_jobs_finished_total',
    ).toBe(1);
    expect(
      added('driftmgr_job_duration_seconds_count', { ...aws, outcome: 'completed' }),
      'driftmgr_job_duration_seconds_count',
    ).toBe(1);
    // One shard per region, each leased, sent one chunk and completed.
    expect(
      added('driftmgr_shard_duration_seconds_count', { ...aws, outcome: 'succeeded' }),
      'driftmgr_shard_duration_seconds_count',
    ).toBe(2);
    expect(
      added('driftmgr_shard_duration_seconds_bucket', { ...aws, outcome: 'succeeded', le: '+Inf' }),
      'driftmgr_shard_duration_seconds_bucket',
    ).toBe(2);
    expect(added('driftmgr_resources_discovered_total', aws), 'driftmgr_resources_discovered_total').toBe(3);
    // i-web changed, i-stray unmanaged.
    expect(added('drift_detected_total', aws), 'drift_detected_total').toBe(2);
    expect(added(`${METRICS.apiDuration.name}_count`, results), `${METRICS.apiDuration.name}_count`).toBe(2);
    expect(
      added(`${METRICS.apiDuration.name}_count`, { ...results, route: '/api/v1/shards/:shard_id/complete' }),
      `${METRICS.apiDuration.name}_count`,
    ).toBe(2);
  }, 30_000);

  it('reports the shards of open jobs as backlog, pending and then leased', async () => {
    const account = '520000000002';
    await startScan({ account, regions: ['us-east-1', 'eu-west-1', 'ap-south-1'] });
    const pending = await scrape();
    expect(sampleValue(pending, 'driftmgr_shards_pending', { provider: 'aws' })).toBeGreaterThanOrEqual(3);
    const leases = await leaseAll(account);
    expect(leases).toHaveLength(3);
    const leased = await scrape();
    expect(sampleValue(leased, 'driftmgr_shards_leased', { provider: 'aws' })).toBe(
      sampleValue(pending, 'driftmgr_shards_leased', { provider: 'aws' }) + 3,
    );
    expect(sampleValue(leased, 'driftmgr_shards_pending', { provider: 'aws' })).toBe(
      sampleValue(pending, 'driftmgr_shards_pending', { provider: 'aws' }) - 3,
    );
    for (const lease of leases) await complete(lease, 0);
  });
});

describe('agent liveness', () => {
  it('reports 1 for an account whose agent asked for work recently, 0 for one seen earlier this week', async () => {
    const store = storeFor(env);
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
    await store.recordAgent('gcp', 'project-live', 'agent-1', minutesAgo(1), 'default');
    await store.recordAgent('gcp', 'project-gone', 'agent-2', minutesAgo(60), 'default');
    await store.recordAgent('gcp', 'project-ancient', 'agent-3', minutesAgo(8 * 24 * 60), 'default');
    const m = await scrape();
    expect(sampleValue(m, 'driftmgr_agent_up', { provider: 'gcp', account: 'project-live' })).toBe(1);
    const gone = m.get('driftmgr_agent_up')!.samples.find((s) => s.labels.account === 'project-gone');
    expect(gone?.value).toBe(0);
    expect(m.get('driftmgr_agent_up')!.samples.some((s) => s.labels.account === 'project-ancient')).toBe(false);
  });
});

describe('trace context', () => {
  afterEach(() => vi.restoreAllMocks());

  /** The JSON lines logged from now on, parsed. */
  function jsonLogLines(): Record<string, unknown>[] {
    const logged: Record<string, unknown>[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      if (typeof line === 'string' && line.startsWith('{')) logged.push(JSON.parse(line));
    });
    return logged;
  }

  it("follows a results call's traceparent onto its queue messages and the consumer's log line, and the analysis on", async () => {
    const logged = jsonLogLines();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const account = '520000000003';
    const estate = [instance(account, 'us-east-1', 'i-traced', 't3.micro')];
    const jobId = await startScan({ account, regions: ['us-east-1'] });
    const [lease] = await leaseAll(account);
    const res = await exports.default.fetch(
      new Request(`http://gateway.test/api/v1/shards/${lease!.shard_id}/results`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${TOKEN}`,
          'content-type': 'application/json',
          traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
        },
        body: JSON.stringify({ lease_id: lease!.lease_id, sequence: 0, resources: found(lease!, estate) }),
      }),
    );
    expect(res.status).toBe(200);
    // The gateway answers with its own span of the caller's trace.
    expect(res.headers.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-(?!00f067aa0ba902b7)[0-9a-f]{16}-01$`));
    await complete(lease!, 1);

    const line = (msg: string, fields: Record<string, unknown>) =>
      logged.find((l) => l.msg === msg && Object.entries(fields).every(([k, v]) => l[k] === v));
    const deadline = Date.now() + 15_000;
    while (!line('account analysed', { job_id: jobId }) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(line('request', { route: '/api/v1/shards/:shard_id/results', trace_id: traceId })).toBeDefined();
    expect(line('resources persisted', { job_id: jobId, trace_id: traceId, resources: 1 })).toBeDefined();
    // The job coordinator hands its trace to the analyze message, and the analyzer logs under it.
    const handOver = line('discovery finished; analysing', { job_id: jobId });
    expect(handOver?.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(line('account analysed', { job_id: jobId, trace_id: handOver!.trace_id })).toBeDefined();
  }, 30_000);

  it('carries on the trace of the completion that ends discovery (shards that found nothing send no results)', async () => {
    const logged = jsonLogLines();
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const account = '520000000004';
    const jobId = await startScan({ account, regions: ['us-east-1'] });
    for (const lease of await leaseAll(account)) {
      const res = await exports.default.fetch(
        new Request(`http://gateway.test/api/v1/shards/${lease.shard_id}/complete`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${TOKEN}`,
            'content-type': 'application/json',
            traceparent: `00-${traceId}-b7ad6b7169203331-01`,
          },
          body: JSON.stringify({ lease_id: lease.lease_id, resource_count: 0 }),
        }),
      );
      expect(res.status).toBe(200);
    }
    const analysed = () => logged.find((l) => l.msg === 'account analysed' && l.job_id === jobId);
    const deadline = Date.now() + 15_000;
    while (!analysed() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(logged.find((l) => l.msg === 'discovery finished; analysing' && l.job_id === jobId)?.trace_id).toBe(traceId);
    expect(analysed()?.trace_id).toBe(traceId);
  }, 30_000);
});
