import { createRoute, z } from '@hono/zod-openapi';
import { Severity } from '../../contract/drift.js';
import { Provider } from '../../contract/resource.js';
import { storeFor } from '../../storage/index.js';
import { bearerSecurity, createRouter, errorResponses, json, notModified } from '../openapi.js';
import { tenantOf } from '../principal.js';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;

const TrendPoint = z.object({
  job_id: z.string(),
  provider: Provider,
  completed_at: z.string(),
  in_sync: z.number(),
  changed: z.number(),
  missing: z.number(),
  unmanaged: z.number(),
  coverage: z.number(),
  by_severity: z.record(Severity, z.number()),
  monthly_cost_delta_usd: z.number(),
});

const trendsRoute = createRoute({
  method: 'get',
  path: '/trends',
  tags: ['drift'],
  summary: 'Drift counts over time per provider and severity, one point per analysed job',
  security: bearerSecurity,
  request: {
    query: z.object({
      provider: Provider.optional(),
      since: z.iso.datetime({ offset: true }).optional().describe('default: 30 days before the current hour began'),
      until: z.iso.datetime({ offset: true }).optional().describe('default: now'),
    }),
  },
  responses: {
    200: json(z.object({ points: z.array(TrendPoint) }), 'Trend points, oldest first'),
    ...notModified,
    ...errorResponses,
  },
});

export const trendRoutes = createRouter().openapi(trendsRoute, async (c) => {
  const q = c.req.valid('query');
  const until = q.until ? new Date(q.until).toISOString() : new Date().toISOString();
  // From the hour, so the default window's answer holds for the hour (middleware/read-cache.ts).
  const hour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
  const since = q.since ? new Date(q.since).toISOString() : new Date(hour - 30 * DAY_MS).toISOString();
  const analyses = await storeFor(c.env).analysesBetween(since, until, q.provider, tenantOf(c.get('principal')));
  const points = analyses.map((a) => ({
    job_id: a.job_id,
    provider: a.provider,
    completed_at: a.completed_at,
    in_sync: a.summary.in_sync,
    changed: a.summary.changed,
    missing: a.summary.missing,
    unmanaged: a.summary.unmanaged,
    coverage: a.summary.coverage,
    by_severity: a.summary.by_severity,
    monthly_cost_delta_usd: a.summary.cost.monthly_delta_usd,
  }));
  return c.json({ points }, 200);
});
