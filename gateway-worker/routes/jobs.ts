import { createRoute, z } from '@hono/zod-openapi';
import { JobDetail, JobList, JobStatus, type JobSummary } from '../../contract/api.js';
import { ErrorBody } from '../../contract/errors.js';
import { Provider } from '../../contract/resource.js';
import { ErrorCode } from '../../contract/errors.js';
import { ApiError, unwrap } from '../errors.js';
import { bearerSecurity, createRouter, errorResponses, json } from '../openapi.js';
import { decodeCursor, encodeCursor } from '../paging.js';
import { jobCoordinator } from '../stubs.js';

const JobParams = z.object({ job_id: z.string().regex(/^job_[0-9a-z]+$/, 'not a job id') });

const listRoute = createRoute({
  method: 'get',
  path: '/jobs',
  tags: ['jobs'],
  summary: 'List jobs, newest first',
  security: bearerSecurity,
  request: {
    query: z.object({
      status: JobStatus.optional(),
      provider: Provider.optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().optional(),
    }),
  },
  responses: { 200: json(JobList, 'A page of jobs'), ...errorResponses },
});

const getRoute = createRoute({
  method: 'get',
  path: '/jobs/{job_id}',
  tags: ['jobs'],
  summary: 'A job with its shards and progress',
  security: bearerSecurity,
  request: { params: JobParams },
  responses: { 200: json(JobDetail, 'The job'), ...errorResponses, 404: json(ErrorBody, 'No such job') },
});

const cancelRoute = createRoute({
  method: 'post',
  path: '/jobs/{job_id}/cancel',
  tags: ['jobs'],
  summary: 'Cancel a job; agents holding its shards get 409 on their next call',
  security: bearerSecurity,
  request: { params: JobParams },
  responses: {
    200: json(JobDetail, 'The cancelled job'),
    ...errorResponses,
    404: json(ErrorBody, 'No such job'),
    409: json(ErrorBody, 'The job already finished'),
  },
});

interface JobIndexRow {
  job_id: string;
  provider: JobSummary['provider'];
  status: JobSummary['status'];
  accounts: string;
  regions: string;
  resource_types: string;
  mode: JobSummary['mode'];
  sharding_type: JobSummary['sharding']['type'];
  shard_size: number;
  shards_total: number;
  shards_succeeded: number;
  shards_failed: number;
  resources_discovered: number;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  error: string | null;
}

/** A job as the D1 index knows it; live pending/leased counts need the coordinator. */
function summaryOf(r: JobIndexRow): JobSummary {
  return {
    job_id: r.job_id,
    status: r.status,
    provider: r.provider,
    accounts: JSON.parse(r.accounts) as string[],
    regions: JSON.parse(r.regions) as string[],
    resource_types: JSON.parse(r.resource_types) as string[],
    mode: r.mode,
    sharding: { type: r.sharding_type, shard_size: r.shard_size },
    counts: {
      shards_total: r.shards_total,
      shards_pending: Math.max(0, r.shards_total - r.shards_succeeded - r.shards_failed),
      shards_leased: 0,
      shards_succeeded: r.shards_succeeded,
      shards_failed: r.shards_failed,
      shards_cancelled: 0,
      resources_discovered: r.resources_discovered,
    },
    created_at: r.created_at,
    updated_at: r.updated_at,
    finished_at: r.finished_at,
    error: r.error,
  };
}

export const jobRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const where: string[] = [];
    const binds: unknown[] = [];
    if (q.status) where.push('status = ?') && binds.push(q.status);
    if (q.provider) where.push('provider = ?') && binds.push(q.provider);
    if (q.cursor) {
      const [createdAt, jobId] = decodeCursor(q.cursor, 2);
      where.push('(created_at, job_id) < (?, ?)');
      binds.push(createdAt, jobId);
    }
    const sql = `SELECT * FROM jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
                 ORDER BY created_at DESC, job_id DESC LIMIT ?`;
    const { results } = await c.env.DB.prepare(sql)
      .bind(...binds, q.limit + 1)
      .all<JobIndexRow>();
    const page = results.slice(0, q.limit);
    const last = page.at(-1);
    const next = results.length > q.limit && last ? encodeCursor([last.created_at, last.job_id]) : null;
    return c.json({ jobs: page.map(summaryOf), next_cursor: next }, 200);
  })
  .openapi(getRoute, async (c) => {
    const jobId = await indexedJob(c.env, c.req.valid('param').job_id);
    return c.json(unwrap(await jobCoordinator(c.env, jobId).detail()), 200);
  })
  .openapi(cancelRoute, async (c) => {
    const jobId = await indexedJob(c.env, c.req.valid('param').job_id);
    return c.json(unwrap(await jobCoordinator(c.env, jobId).cancel()), 200);
  });

/** Looks a job up in the index first, so an unknown id never creates an empty coordinator. */
async function indexedJob(env: Env, jobId: string): Promise<string> {
  const row = await env.DB.prepare(`SELECT job_id FROM jobs WHERE job_id = ?`).bind(jobId).first<{ job_id: string }>();
  if (!row) throw new ApiError(404, ErrorCode.notFound, `job ${jobId} not found`);
  return row.job_id;
}
