import { createRoute, z } from '@hono/zod-openapi';
import { JobDetail, JobList, JobStatus } from '../../contract/api.js';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { Provider } from '../../contract/resource.js';
import { jobCoordinator } from '../../orchestrator-do/stubs.js';
import { storeFor } from '../../storage/index.js';
import { ApiError, unwrap } from '../errors.js';
import { bearerSecurity, createRouter, errorResponses, json } from '../openapi.js';
import { decodeCursor, encodeCursor } from '../paging.js';

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

export const jobRoutes = createRouter()
  .openapi(listRoute, async (c) => {
    const q = c.req.valid('query');
    const after = q.cursor ? (decodeCursor(q.cursor, 2) as [string, string]) : undefined;
    const rows = await storeFor(c.env).listJobs({ status: q.status, provider: q.provider, limit: q.limit + 1, after });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const next = rows.length > q.limit && last ? encodeCursor([last.created_at, last.job_id]) : null;
    return c.json({ jobs: page, next_cursor: next }, 200);
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
  if (!(await storeFor(env).jobExists(jobId))) throw new ApiError(404, ErrorCode.notFound, `job ${jobId} not found`);
  return jobId;
}
