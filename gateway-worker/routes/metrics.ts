import { METRIC_LIST } from '../../contract/metrics.js';
import { flushApiLatency } from '../metrics/api-latency.js';
import { collectSamples } from '../metrics/collect.js';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../metrics/exposition.js';
import { createRouter } from '../openapi.js';

/**
 * Prometheus metrics (contract/metrics.ts lists them): counters and histograms kept by the metrics
 * object, gauges read on each scrape. This isolate's buffered request latencies are sent first, so
 * a scrape never misses what its own isolate saw.
 */
export const metricsRoutes = createRouter().get('/metrics', async (c) => {
  await flushApiLatency(c.env);
  const text = renderExposition(METRIC_LIST, await collectSamples(c.env));
  return c.body(text, 200, { 'content-type': EXPOSITION_CONTENT_TYPE });
});
