import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import {
  CompleteRequest,
  CompleteResponse,
  FailRequest,
  FailResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  ResultsChunk,
  ResultsResponse,
} from '../../contract/agent-protocol.js';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { jobIdOfShard } from '../../contract/ids.js';
import { resourceLimitViolation } from '../../contract/limits.js';
import { batchMessages, splitIntoMessages } from '../../contract/queue.js';
import type { DiscoveredResource } from '../../contract/resource.js';
import type { ChunkScope } from '../../orchestrator-do/job-coordinator.js';
import { jobCoordinator } from '../../orchestrator-do/stubs.js';
import { storeFor } from '../../storage/index.js';
import type { AppEnv } from '../app-env.js';
import { ApiError, unwrap } from '../errors.js';
import { traceparentOf } from '../middleware/trace.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody } from '../openapi.js';
import { tenantOf } from '../principal.js';
import { outsideShard, shardWorkText } from '../results-scope.js';

const ShardParams = z.object({ shard_id: z.string().min(1).max(200) });

const leaseErrors = {
  ...errorResponses,
  403: json(ErrorBody, "The token's role does not speak the agent protocol, or the shard is outside its accounts"),
  404: json(ErrorBody, 'No such shard'),
  409: json(ErrorBody, 'The lease expired, the shard was leased to another agent, or the job finished'),
};

function shardRoute<T extends z.ZodType, R extends z.ZodType>(path: string, summary: string, body: T, response: R) {
  return createRoute({
    method: 'post',
    path: `/shards/{shard_id}/${path}`,
    tags: ['agents'],
    summary,
    security: bearerSecurity,
    request: { params: ShardParams, ...jsonBody(body) },
    responses: { 200: json(response, 'Accepted'), ...leaseErrors },
  });
}

const heartbeatRoute = shardRoute('heartbeat', 'Extend the lease on a shard', HeartbeatRequest, HeartbeatResponse);
const resultsRoute = shardRoute(
  'results',
  'Send a chunk of discovered resources (idempotent per sequence)',
  ResultsChunk,
  ResultsResponse,
);
const completeRoute = shardRoute(
  'complete',
  'Finish a shard, handing back any work left as a new shard',
  CompleteRequest,
  CompleteResponse,
);
const failRoute = shardRoute(
  'fail',
  'Give a shard up with a reason; it is retried with backoff',
  FailRequest,
  FailResponse,
);

/** Jobs (`tenant job_id`) this isolate found in the index; a job stays indexed, so agents' calls skip the lookup. */
const indexedJobs = new Set<string>();
/** Bounds the set; forgetting a job only costs one more index lookup. */
const MAX_REMEMBERED_JOBS = 10_000;

async function isIndexed(env: Env, jobId: string, tenant: string): Promise<boolean> {
  const key = `${tenant} ${jobId}`;
  if (indexedJobs.has(key)) return true;
  if (!(await storeFor(env).jobExists(jobId, tenant))) return false;
  if (indexedJobs.size >= MAX_REMEMBERED_JOBS) indexedJobs.clear();
  indexedJobs.add(key);
  return true;
}

/**
 * The coordinator of the job a shard id belongs to. A job the index does not list has no
 * coordinator, so a call for it is answered here instead of creating an empty object; another
 * tenant's job is answered the same way.
 */
async function coordinatorOf(c: Context<AppEnv>, shardId: string) {
  const jobId = jobIdOfShard(shardId);
  if (!jobId || !(await isIndexed(c.env, jobId, tenantOf(c.get('principal')))))
    throw new ApiError(404, ErrorCode.notFound, `shard ${shardId} not found`);
  return jobCoordinator(c.env, jobId);
}

export const shardRoutes = createRouter();

/** The caller's agent scope as the coordinator takes it: none for tokens not bound to accounts. */
const scopeOf = (c: Context<AppEnv>) => c.get('principal').scope ?? undefined;

shardRoutes
  .openapi(heartbeatRoute, async (c) => {
    const { shard_id } = c.req.valid('param');
    const coordinator = await coordinatorOf(c, shard_id);
    return c.json(unwrap(await coordinator.heartbeat(shard_id, c.req.valid('json').lease_id, scopeOf(c))), 200);
  })
  .openapi(resultsRoute, async (c) => {
    const { shard_id } = c.req.valid('param');
    const chunk = c.req.valid('json');
    const coordinator = await coordinatorOf(c, shard_id);
    const begun = unwrap(await coordinator.beginChunk(shard_id, chunk.lease_id, chunk.sequence, scopeOf(c)));
    const { duplicate, attempt, job_id } = begun;
    if (duplicate) return c.json({ accepted: chunk.resources.length, duplicate: true }, 200);
    refuseStrangers(chunk.resources, begun);
    refuseWhatStorageWould(chunk.resources);
    const messages = splitIntoMessages(
      { job_id, shard_id, attempt, sequence: chunk.sequence, traceparent: traceparentOf(c) },
      chunk.resources,
    );
    await enqueue(c.env, messages);
    unwrap(
      await coordinator.commitChunk(shard_id, chunk.lease_id, {
        sequence: chunk.sequence,
        resources: chunk.resources.length,
        parts: messages.length,
      }),
    );
    return c.json({ accepted: chunk.resources.length, duplicate: false }, 200);
  })
  .openapi(completeRoute, async (c) => {
    const { shard_id } = c.req.valid('param');
    const coordinator = await coordinatorOf(c, shard_id);
    // The call that ends a job's last shard (when its chunks are written) starts the analysis in its trace.
    const done = await coordinator.complete(shard_id, c.req.valid('json'), scopeOf(c), traceparentOf(c));
    return c.json(unwrap(done), 200);
  })
  .openapi(failRoute, async (c) => {
    const { shard_id } = c.req.valid('param');
    const coordinator = await coordinatorOf(c, shard_id);
    return c.json(unwrap(await coordinator.fail(shard_id, c.req.valid('json'), scopeOf(c), traceparentOf(c))), 200);
  });

/**
 * Refuses a chunk holding a resource the shard does not cover: another provider or account, a
 * type it does not list, a region outside its work. Nothing of the chunk is written.
 */
function refuseStrangers(resources: DiscoveredResource[], shard: ChunkScope): void {
  const strangers = resources.flatMap((r) => {
    const why = outsideShard(r, shard);
    return why ? [{ id: r.id, why }] : [];
  });
  if (strangers.length === 0) return;
  throw new ApiError(
    400,
    ErrorCode.badRequest,
    `resources: ${strangers[0]!.why}; every resource must be ${shard.provider} account ${shard.account}, ${shardWorkText(shard)}`,
    { refused: strangers.length, resources: strangers.slice(0, 10) },
  );
}

/**
 * Refuses a chunk holding a resource storage could not write. Once on the queue, such a
 * resource would fail its whole delivery again and again; here only its own agent hears of it.
 */
function refuseWhatStorageWould(resources: DiscoveredResource[]): void {
  for (const r of resources) {
    const violation = resourceLimitViolation(r);
    if (violation) throw new ApiError(400, ErrorCode.badRequest, `resources: ${violation}`, { id: r.id });
  }
}

/** Puts a chunk's messages on the queue; the agent is acknowledged only after this. */
async function enqueue(env: Env, messages: ReturnType<typeof splitIntoMessages>): Promise<void> {
  try {
    for (const batch of batchMessages(messages)) {
      await env.RESULTS_QUEUE.sendBatch(batch.map((body) => ({ body, contentType: 'json' as const })));
    }
  } catch (err) {
    console.error(JSON.stringify({ level: 'error', msg: 'queue send failed', error: String(err) }));
    throw new ApiError(503, ErrorCode.unavailable, 'the results queue is unavailable; send the chunk again');
  }
}
