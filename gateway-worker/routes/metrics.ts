import { Gauge, Registry } from 'prom-client';
import { storeFor } from '../../storage/index.js';
import { requireBearerToken } from '../middleware/auth.js';
import { createRouter } from '../openapi.js';

/**
 * Prometheus metrics, read from storage on each scrape: any Worker instance answers the same,
 * and the names match the alert rules operators already have (drift_detected_total).
 */
async function collect(env: Env): Promise<Registry> {
  const store = storeFor(env);
  const [ops, counts] = await Promise.all([store.operationalCounts(), store.resourceCounts()]);
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Gauge({ name, help, labelNames, registers: [registry] });

  const jobs = gauge('driftmgr_jobs', 'Discovery jobs by status', ['status']);
  for (const [status, n] of Object.entries(ops.jobs_by_status)) jobs.set({ status }, n);
  gauge('driftmgr_discovery_shards_open', 'Shards of pending and running jobs not finished yet').set(ops.shards_open);
  gauge('driftmgr_dead_letters', 'Queue messages that could not be processed').set(ops.dead_letters);
  const detected = gauge('drift_detected_total', 'Drift items found by all analyses (changed, missing, unmanaged)', [
    'provider',
  ]);
  for (const [provider, n] of Object.entries(ops.drift_detected)) detected.set({ provider }, n);
  const resources = gauge('driftmgr_resources', 'Discovered resources in the inventory', [
    'provider',
    'account',
    'region',
    'type',
  ]);
  for (const c of counts)
    resources.set({ provider: c.provider, account: c.account, region: c.region, type: c.type }, c.count);
  return registry;
}

export const metricsRoutes = createRouter().get('/metrics', requireBearerToken, async (c) => {
  const registry = await collect(c.env);
  return c.body(await registry.metrics(), 200, { 'content-type': registry.contentType });
});
