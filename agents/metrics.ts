import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** The agent's Prometheus metrics, served on its /metrics endpoint. */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'driftmgr_agent_' });

const labelNames = ['provider', 'action'] as const;

export const metrics = {
  apiCalls: new Counter({
    name: 'driftmgr_agent_cloud_api_calls_total',
    help: 'Cloud API calls made',
    labelNames,
    registers: [registry],
  }),
  throttles: new Counter({
    name: 'driftmgr_agent_cloud_throttles_total',
    help: 'Cloud API calls answered with a throttling error',
    labelNames,
    registers: [registry],
  }),
  retries: new Counter({
    name: 'driftmgr_agent_cloud_retries_total',
    help: 'Cloud API calls retried after a throttle, 5xx or network error',
    labelNames,
    registers: [registry],
  }),
  pages: new Counter({
    name: 'driftmgr_agent_pages_total',
    help: 'Result pages received from cloud APIs',
    labelNames,
    registers: [registry],
  }),
  resources: new Counter({
    name: 'driftmgr_agent_resources_total',
    help: 'Resources discovered',
    labelNames: ['provider', 'type'] as const,
    registers: [registry],
  }),
  chunkUploadSeconds: new Histogram({
    name: 'driftmgr_agent_chunk_upload_seconds',
    help: 'Time to upload one results chunk to the gateway',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  }),
  shards: new Counter({
    name: 'driftmgr_agent_shards_total',
    help: 'Shards finished, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  shardsRunning: new Gauge({
    name: 'driftmgr_agent_shards_running',
    help: 'Shards this agent is running now',
    registers: [registry],
  }),
  leases: new Counter({
    name: 'driftmgr_agent_leases_total',
    help: 'Lease calls to the gateway, by result (leased, empty, error)',
    labelNames: ['result'] as const,
    registers: [registry],
  }),
  chunks: new Counter({
    name: 'driftmgr_agent_chunks_sent_total',
    help: 'Results chunks sent, by result (accepted, duplicate)',
    labelNames: ['result'] as const,
    registers: [registry],
  }),
  resourcesSent: new Counter({
    name: 'driftmgr_agent_resources_sent_total',
    help: 'Resources sent to the gateway in results chunks',
    registers: [registry],
  }),
  heartbeats: new Counter({
    name: 'driftmgr_agent_heartbeats_total',
    help: 'Shard heartbeats, by result (ok, error, lost)',
    labelNames: ['result'] as const,
    registers: [registry],
  }),
  gatewayRetries: new Counter({
    name: 'driftmgr_agent_gateway_retries_total',
    help: 'Gateway calls retried after a 5xx, 429 or network error',
    labelNames: ['operation'] as const,
    registers: [registry],
  }),
};
