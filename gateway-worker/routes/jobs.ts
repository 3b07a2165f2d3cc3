import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { JOB_SHARDS_PAGE, JobDetail, JobList, JobStatus } from '../../contract/api.js';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { Provider } from '../../contract/resource.js';
import { jobCoordinator } from '../../orchestrator-do/stubs.js';
import { storeFor } from '../../storage/index.js';
import type { AppEnv } from '../app-env.js';
import { ApiError, unwrap, validationError } from '../errors.js';
import { bearerSecurity, createRouter, errorResponses, json } from '../openapi.js';
import { decodeCursor, encodeCursor } from '../paging.js';
import { tenantOf } from '../principal.js';

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
  summary: 'A job with its progress and one page of its shards',
  security: bearerSecurity,
  request: {
    params: JobParams,
    query: z.object({
      shards_limit: z.coerce.number().int().min(0).max(JOB_SHARDS_PAGE.max).default(JOB_SHARDS_PAGE.default),
      shards_cursor: z.string().min(1).optional().openapi({ description: 'shards_next_cursor of the page before' }),
    }),
  },
  responses: { 200: json(JobDetail, 'The job'), ...errorResponses, 404: json(ErrorBody, 'No such job') },
});

const eventsRoute = createRoute({
  method: 'get',
  path: '/jobs/{job_id}/events',
  tags: ['jobs'],
  summary: "The job's progress as Server-Sent Events, ending after its final `job` event",
  description:
    '`event: shard` carries a shard that changed state, `event: job` the job with its counts (after every ' +
    'change, and last with a finished status). `id` is the change number: reconnect with `Last-Event-ID` to ' +
    'get only what changed after it. A `: keepalive` comment comes every 15 s. A client that falls behind gets ' +
    'the counts with `shard_events_skipped` instead of every shard.',
  security: bearerSecurity,
  request: {
    params: JobParams,
    headers: z.object({ 'last-event-id': z.string().optional() }),
  },
  responses: {
    200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } },
    204: { description: 'Last-Event-ID was the final event of a finished job: nothing more to read' },
    ...errorResponses,
    404: json(ErrorBody, 'No such job'),
    429: json(ErrorBody, 'The job serves as many event streams as it may; poll the job instead'),
  },
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
    const rows = await storeFor(c.env).listJobs({
      status: q.status,
      provider: q.provider,
      tenant: tenantOf(c.get('principal')),
      limit: q.limit + 1,
      after,
    });
    const page = rows.slice(0, q.limit);
    const last = page.at(-1);
    const next = rows.length > q.limit && last ? encodeCursor([last.created_at, last.job_id]) : null;
    return c.json({ jobs: page, next_cursor: next }, 200);
  })
  .openapi(getRoute, async (c) => {
    const jobId = await indexedJob(c, c.req.valid('param').job_id);
    const q = c.req.valid('query');
    const page = { after: q.shards_cursor ?? null, limit: q.shards_limit };
    return c.json(unwrap(await jobCoordinator(c.env, jobId).detail(page)), 200);
  })
  .openapi(cancelRoute, async (c) => {
    const jobId = await indexedJob(c, c.req.valid('param').job_id);
    return c.json(unwrap(await jobCoordinator(c.env, jobId).cancel()), 200);
  });

// A stream from the job's coordinator rather than a typed JSON body: documented, then served as a plain route.
jobRoutes.openAPIRegistry.registerPath(eventsRoute);
jobRoutes.get('/jobs/:job_id/events', async (c) => {
  const params = eventsRoute.request.params.safeParse(c.req.param());
  if (!params.success) throw validationError(params.error, 'param');
  const jobId = await indexedJob(c, params.data.job_id);
  const lastEventId = c.req.header('last-event-id');
  return jobCoordinator(c.env, jobId).fetch('https://job-coordinator/events', {
    headers: lastEventId === undefined ? {} : { 'last-event-id': lastEventId },
  });
});

/**
 * Looks a job up in the index first, so an unknown id never creates an empty coordinator; a job
 * of another tenant is not found either.
 */
export async function indexedJob(c: Context<AppEnv>, jobId: string): Promise<string> {
  if (!(await storeFor(c.env).jobExists(jobId, tenantOf(c.get('principal')))))
    throw new ApiError(404, ErrorCode.notFound, `job ${jobId} not found`);
  return jobId;
}
