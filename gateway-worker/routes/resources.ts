import { createRoute, z } from '@hono/zod-openapi';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { Provider } from '../../contract/resource.js';
import { coverageOf, mergeSummaries } from '../../engine/index.js';
import { storeFor } from '../../storage/index.js';
import type { ResourceCount } from '../../storage/store.js';
import { ApiError } from '../errors.js';
import { bearerSecurity, createRouter, errorResponses, json, notModified } from '../openapi.js';
import { decodeCursor, encodeCursor } from '../paging.js';
import { tenantOf } from '../principal.js';

const StoredResource = z.object({
  resource_key: z.string(),
  provider: Provider,
  account: z.string(),
  region: z.string(),
  type: z.string(),
  id: z.string(),
  name: z.string().optional(),
  attributes: z.record(z.string(), z.unknown()),
  tags: z.record(z.string(), z.string()),
  first_seen_job: z.string(),
  last_seen_job: z.string(),
  last_seen_at: z.string(),
});

const listRoute = createRoute({
  method: 'get',
  path: '/resources',
  tags: ['inventory'],
  summary:
    'Discovered resources (latest sighting of each; with job_id, what that job saw), filtered and paged by resource key',
  security: bearerSecurity,
  request: {
    query: z.object({
      provider: Provider.optional(),
      account: z.string().min(1).optional(),
      region: z.string().min(1).optional(),
      type: z.string().min(1).optional(),
      job_id: z
        .string()
        .min(1)
        .optional()
        .describe(
          "What that job discovered: its own sightings while they exist (until its analysis of their account is recorded), then the inventory rows whose latest sighting is that job's",
        ),
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      cursor: z.string().optional(),
    }),
  },
  responses: {
    200: json(
      z.object({ resources: z.array(StoredResource), next_cursor: z.string().nullable() }),
      'A page of resources',
    ),
    ...errorResponses,
    404: json(ErrorBody, "No such job (another tenant's job is not found)"),
  },
});

const Count = z.object({ key: z.string(), count: z.number().int() });
const DriftCounts = z.object({
  job_id: z.string(),
  completed_at: z.string(),
  managed: z.number(),
  in_sync: z.number(),
  changed: z.number(),
  missing: z.number(),
  unmanaged: z.number(),
  coverage: z.number(),
});
const Summary = z.object({
  total: z.number().int(),
  by_provider: z.array(Count),
  by_account: z.array(Count),
  by_region: z.array(Count),
  by_type: z.array(Count),
  drift: z.record(z.string(), DriftCounts).describe('The latest analysis of each provider'),
  coverage: z.number().nullable().describe('managed / (managed + unmanaged + missing) over the latest analyses'),
});

const summaryRoute = createRoute({
  method: 'get',
  path: '/resources/summary',
  tags: ['inventory'],
  summary: 'Resource counts by provider, account, region and type, with the latest drift counts and coverage',
  security: bearerSecurity,
  responses: { 200: json(Summary, 'The inventory summary'), ...notModified, ...errorResponses },
});

/** Sums the per-scope counts by one dimension, largest first. */
function countBy(counts: ResourceCount[], key: (c: ResourceCount) => string) {
  const totals = new Map<string, number>();
  for (const c of counts) totals.set(key(c), (totals.get(key(c)) ?? 0) + c.count);
  return [...totals]
    .map(([k, count]) => ({ key: k, count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
}

export const resourceRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const after = q.cursor ? decodeCursor(q.cursor, 1)[0] : undefined;
    const store = storeFor(c.env);
    const tenant = tenantOf(c.get('principal'));
    // Another tenant's job is not found, as on every route: its sightings are not the caller's.
    if (q.job_id !== undefined && !(await store.jobExists(q.job_id, tenant))) {
      throw new ApiError(404, ErrorCode.notFound, `job ${q.job_id} not found`);
    }
    const rows = await store.listResources({ ...q, tenant, limit: q.limit + 1, after });
    const page = rows.slice(0, q.limit);
    const next = rows.length > q.limit ? encodeCursor([page.at(-1)!.resource_key]) : null;
    return c.json({ resources: page, next_cursor: next }, 200);
  })
  .openapi(summaryRoute, async (c) => {
    const store = storeFor(c.env);
    const tenant = tenantOf(c.get('principal'));
    const [counts, analyses] = await Promise.all([store.resourceCounts(tenant), store.latestAnalyses(tenant)]);
    const drift = Object.fromEntries(
      analyses.map((a) => [
        a.provider,
        {
          job_id: a.job_id,
          completed_at: a.completed_at,
          managed: a.summary.managed,
          in_sync: a.summary.in_sync,
          changed: a.summary.changed,
          missing: a.summary.missing,
          unmanaged: a.summary.unmanaged,
          coverage: a.summary.coverage,
        },
      ]),
    );
    const totals = analyses.length > 0 ? mergeSummaries(analyses.map((a) => a.summary)) : null;
    return c.json(
      {
        total: counts.reduce((n, r) => n + r.count, 0),
        by_provider: countBy(counts, (r) => r.provider),
        by_account: countBy(counts, (r) => `${r.provider}:${r.account}`),
        by_region: countBy(counts, (r) => `${r.provider}:${r.region}`),
        by_type: countBy(counts, (r) => r.type),
        drift,
        coverage: totals && coverageOf(totals),
      },
      200,
    );
  });
