import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { METRICS, observationDeltas, type SeriesDelta } from '../../contract/metrics.js';
import { recordMetrics } from '../../orchestrator-do/metric-recorder.js';
import type { AppEnv } from '../app-env.js';
import { inBackground } from '../background.js';

/**
 * Request latencies are sampled into this isolate's buffer, summed per series, and sent to the
 * metrics object in one call every FLUSH_REQUESTS requests or FLUSH_MS, after the response (so
 * no request waits for it). An isolate that dies loses at most that much; a scrape flushes its
 * own isolate's buffer first.
 */
const FLUSH_REQUESTS = 200;
const FLUSH_MS = 10_000;

const pending = new Map<string, SeriesDelta>();
let requests = 0;
let lastFlush = Date.now();

/** The route pattern that answered (`/api/v1/shards/:shard_id/results`), never the raw path. */
export function routeOf(c: Context): string {
  const pattern = routePath(c);
  return pattern.includes('*') ? 'unmatched' : pattern;
}

/** Times each request into the API latency histogram by route pattern and status class. */
export const timeRequests: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  await next();
  const labels = { method: c.req.method, route: routeOf(c), status_class: `${Math.floor(c.res.status / 100)}xx` };
  for (const d of observationDeltas(METRICS.apiDuration, labels, (Date.now() - started) / 1000)) add(d);
  requests += 1;
  if (requests >= FLUSH_REQUESTS || Date.now() - lastFlush >= FLUSH_MS) await inBackground(c, flushApiLatency(c.env));
};

/** Sends what this isolate has buffered to the metrics object. */
export async function flushApiLatency(env: Env): Promise<void> {
  const batch = [...pending.values()];
  pending.clear();
  requests = 0;
  lastFlush = Date.now();
  await recordMetrics(env, batch);
}

function add(d: SeriesDelta): void {
  const key = `${d.name}${JSON.stringify(d.labels)}`;
  const seen = pending.get(key);
  if (seen) seen.value += d.value;
  else pending.set(key, { ...d });
}
