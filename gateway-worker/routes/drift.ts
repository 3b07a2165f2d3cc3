import { createRoute, z } from '@hono/zod-openapi';
import type { DriftItem } from '../../contract/drift.js';
import {
  DriftAck,
  DriftAckRequest,
  DriftKind,
  DriftPage,
  DriftStatus,
  ReportFormat,
  Severity,
} from '../../contract/drift.js';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { resourceKey } from '../../contract/resource.js';
import { fixSnippet, renderReport } from '../../engine/index.js';
import { storeFor } from '../../storage/index.js';
import type { DriftFilter, Store, StoredAnalysis, TrackCursor } from '../../storage/store.js';
import { ApiError, validationError } from '../errors.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody, notModified } from '../openapi.js';
import { decodeCursor, encodeCursor } from '../paging.js';
import { tenantOf } from '../principal.js';
import { reportHeaders } from '../report-headers.js';

const DriftQuery = z.object({
  job_id: z
    .string()
    .regex(/^job_[0-9a-z]+$/, 'not a job id')
    .optional(),
  kind: DriftKind.optional(),
  severity: Severity.optional(),
  min_score: z.coerce.number().int().min(0).max(100).optional(),
  type: z.string().min(1).optional(),
  account: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
  status: DriftStatus.optional().describe(
    'new: first seen in this job; ongoing: seen before; resolved: drifted in the previous analyses of the scopes this job fully covered and gone now (the last item seen)',
  ),
  acknowledged: z.enum(['true', 'false']).optional().describe('false hides acknowledged items, true lists only them'),
  fix: z
    .enum(['true', 'false'])
    .default('false')
    .describe('true adds each open item the Terraform that fixes it (`fix`); resolved items get none'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
});
type DriftQuery = z.infer<typeof DriftQuery>;

const listRoute = createRoute({
  method: 'get',
  path: '/drift',
  tags: ['drift'],
  summary:
    "A job's drift items (default: the newest analysed job), filtered and paged; status=resolved lists the items it found gone",
  security: bearerSecurity,
  request: { query: DriftQuery },
  responses: {
    200: json(DriftPage, 'A page of drift items'),
    ...notModified,
    ...errorResponses,
    404: json(ErrorBody, 'No analysis for that job'),
  },
});

const ackRoute = createRoute({
  method: 'post',
  path: '/drift/ack',
  tags: ['drift'],
  summary:
    'Acknowledge an open drift item (by its resource_key, or its address for a missing resource): the analyses from then on list it with `acknowledged` and count it as acknowledged, not new, until its changes differ or `until` passes',
  security: bearerSecurity,
  request: jsonBody(DriftAckRequest),
  responses: {
    201: json(DriftAck, 'The acknowledgement'),
    ...errorResponses,
    404: json(ErrorBody, "No open drift item of the caller's tenant has that key"),
  },
});

/**
 * The job a drift query is about: the one named, or the tenant's newest with an analysis. A job
 * of another tenant is not found, as one that never was.
 */
export async function analysedJob(store: Store, jobId: string | undefined, tenant: string): Promise<string> {
  if (jobId !== undefined && !(await store.jobExists(jobId, tenant))) {
    throw new ApiError(404, ErrorCode.notFound, `job ${jobId} not found`);
  }
  const resolved = jobId ?? (await store.latestAnalysedJob(undefined, tenant));
  if (!resolved) throw new ApiError(404, ErrorCode.notFound, 'no job has been analysed yet');
  return resolved;
}

const reportRoute = createRoute({
  method: 'get',
  path: '/drift/report',
  tags: ['drift'],
  summary:
    "A job's drift report: JSON, Markdown for a PR comment, SARIF 2.1.0, a self-contained HTML page, or codify (Terraform import blocks for unmanaged resources)",
  security: bearerSecurity,
  request: {
    query: z.object({
      job_id: DriftQuery.shape.job_id,
      format: ReportFormat.default('json'),
      /** Show the HTML report in the browser instead of downloading it. */
      inline: z.enum(['true', 'false']).default('false'),
    }),
  },
  responses: {
    200: { description: 'The report in the requested format', content: { 'text/plain': { schema: z.string() } } },
    ...notModified,
    ...errorResponses,
    404: json(ErrorBody, 'No analysis for that job'),
  },
});

export const driftRoutes = createRouter();

// A rendered document rather than a typed JSON body: documented, then served as a plain route.
driftRoutes.openAPIRegistry.registerPath(reportRoute);
driftRoutes.get('/drift/report', async (c) => {
  const query = reportRoute.request.query.safeParse(c.req.query());
  if (!query.success) throw validationError(query.error, 'query');
  const { job_id, format, inline } = query.data;
  const store = storeFor(c.env);
  const tenant = tenantOf(c.get('principal'));
  const jobId = await analysedJob(store, job_id, tenant);
  const report = await store.loadReport(jobId);
  if (!report) throw new ApiError(404, ErrorCode.notFound, `job ${jobId} has no analysis (yet)`);
  // Only codify needs the discovered attributes of the unmanaged resources: their inventory rows.
  const unmanaged = report.items.flatMap((i) => (i.kind === 'unmanaged' && i.resource_key ? [i.resource_key] : []));
  const inventory = format === 'codify' ? await store.resourcesByKey(tenant, unmanaged) : [];
  return c.body(renderReport(report, format, inventory), 200, reportHeaders(format, jobId, inline === 'true'));
});

/** A page of the job's own items, by seq. */
async function itemsPage(store: Store, filter: DriftFilter, q: DriftQuery) {
  const after = q.cursor ? Number(decodeCursor(q.cursor, 1)[0]) : -1;
  const rows = await store.listDriftItems(filter, after, q.limit + 1);
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((r) => r.item),
    next: rows.length > q.limit ? encodeCursor([String(page.at(-1)!.seq)]) : null,
  };
}

/** A page of the items the job found gone, by track. */
async function resolvedPage(store: Store, filter: DriftFilter, q: DriftQuery) {
  const after = q.cursor ? (decodeCursor(q.cursor, 3) as TrackCursor) : undefined;
  const rows = await store.listResolvedDrift(filter, after, q.limit + 1);
  const page = rows.slice(0, q.limit);
  return { items: page.map((r) => r.item), next: rows.length > q.limit ? encodeCursor(page.at(-1)!.cursor) : null };
}

/** Each item with its fix; an unmanaged item's comes from its inventory row, read for the page at once. */
async function withFixes(store: Store, tenant: string, items: DriftItem[]) {
  const unmanaged = items.flatMap((i) => (i.kind === 'unmanaged' && i.resource_key ? [i.resource_key] : []));
  const rows = unmanaged.length ? await store.resourcesByKey(tenant, unmanaged) : [];
  const byKey = new Map(rows.map((r) => [resourceKey(r), r]));
  return items.map((i) => ({ ...i, fix: fixSnippet(i, i.resource_key ? byKey.get(i.resource_key) : undefined) }));
}

driftRoutes.openapi(listRoute, async (c) => {
  const q = c.req.valid('query');
  const store = storeFor(c.env);
  const tenant = tenantOf(c.get('principal'));
  const jobId = await analysedJob(store, q.job_id, tenant);
  const analysis: StoredAnalysis | null = await store.getAnalysis(jobId);
  if (!analysis) throw new ApiError(404, ErrorCode.notFound, `job ${jobId} has no analysis (yet)`);
  const filter = {
    job_id: jobId,
    kind: q.kind,
    severity: q.severity,
    min_score: q.min_score,
    tf_type: q.type,
    account: q.account,
    region: q.region,
  };
  const { items, next } =
    q.status === 'resolved'
      ? await resolvedPage(store, filter, q)
      : await itemsPage(
          store,
          {
            ...filter,
            status: q.status,
            acknowledged: q.acknowledged === undefined ? undefined : q.acknowledged === 'true',
          },
          q,
        );
  const shown = q.fix === 'true' && q.status !== 'resolved' ? await withFixes(store, tenant, items) : items;
  return c.json({ job_id: jobId, summary: { ...analysis.summary }, items: shown, next_cursor: next }, 200);
});

driftRoutes.openapi(ackRoute, async (c) => {
  const { resource_key, reason, until } = c.req.valid('json');
  // Another tenant's item is not found, as one that never was.
  const ack = await storeFor(c.env).acknowledgeDrift(tenantOf(c.get('principal')), {
    resource_key,
    reason,
    until: until ? new Date(until).toISOString() : null,
    at: new Date().toISOString(),
  });
  if (!ack) throw new ApiError(404, ErrorCode.notFound, `resource_key: no open drift item has the key ${resource_key}`);
  return c.json(ack, 201);
});
