import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { HeartbeatRequest, HeartbeatResponse } from '../../contract/agent-protocol.js';
import { ErrorBody, ErrorCode } from '../../contract/errors.js';
import { parseStateLocation, type StateLocation, stateOfName } from '../../contract/state-locations.js';
import {
  type KnownState,
  StateLeaseRequest,
  StateReadComplete,
  StateReadFail,
  StateReadFinished,
  StateReadLease,
  type StateReadSummary,
  StateUploadResult,
} from '../../contract/state-sources.js';
import { scopeRefusal } from '../../orchestrator-do/agent-scope.js';
import { endedRead, failedRead, stateReadSettings } from '../../orchestrator-do/state-reads.js';
import { agentDispatcher } from '../../orchestrator-do/stubs.js';
import { storeFor } from '../../storage/index.js';
import type { StoredStateSource } from '../../storage/state-sources.js';
import { checkAccountProof } from '../agent-proof.js';
import type { AppEnv } from '../app-env.js';
import { ApiError, unwrap, validationError } from '../errors.js';
import { acceptStreamedImport, streamsImport } from '../imports/accept.js';
import { traceparentOf } from '../middleware/trace.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody } from '../openapi.js';
import { tenantOf } from '../principal.js';
import { intakeSourceState } from '../state-intake.js';
import { announceSourceChange, SourceIdParam, sourceNotFound } from './state-sources.js';

/** Problems a finished read remembers by name; the counts cover the rest. */
const PROBLEMS_KEPT = 20;

const leaseErrors = {
  ...errorResponses,
  404: json(ErrorBody, 'No such state source'),
  409: json(ErrorBody, 'Another agent holds the read now, or it ended'),
};

const leaseRoute = createRoute({
  method: 'post',
  path: '/agents/state-lease',
  tags: ['agents'],
  summary: "Long-poll for a read of one of the account's state sources",
  description:
    'Waits up to wait_seconds for a due read. The lease names the source and the states DriftMgr holds for it ' +
    '(`known`): an object with the same lineage and serial need not be uploaded. Same binding and proof as a shard lease.',
  security: bearerSecurity,
  request: jsonBody(StateLeaseRequest),
  responses: {
    200: json(StateReadLease, 'A read under a fresh lease'),
    204: { description: 'No read due within the wait' },
    ...errorResponses,
  },
});

const heartbeatRoute = createRoute({
  method: 'post',
  path: '/state-sources/{source_id}/heartbeat',
  tags: ['agents'],
  summary: 'Extend the lease on a state read',
  security: bearerSecurity,
  request: { params: SourceIdParam, ...jsonBody(HeartbeatRequest) },
  responses: { 200: json(HeartbeatResponse, 'Extended'), ...leaseErrors },
});

const uploadRoute = createRoute({
  method: 'post',
  path: '/state-sources/{source_id}/states',
  tags: ['agents'],
  summary: 'Upload one state object of a leased read, as read from the backend',
  description:
    'The body is the state file itself. `name` is its address in the source (`s3://bucket/key`, …), which must lie within ' +
    "the source's location; its workspace follows from the backend's layout. The gateway parses it and hashes its " +
    'sensitive values, as an import does; a state over IMPORT_STREAM_THRESHOLD_BYTES (or sent without a length) goes ' +
    "the streamed import's way: kept as it arrives and imported in the background (202 with its import id).",
  security: bearerSecurity,
  request: {
    params: SourceIdParam,
    query: z.object({ lease_id: z.string().min(1), name: z.string().min(1).max(2000) }),
    body: { content: { 'application/json': { schema: z.object({}).passthrough() } }, required: true },
  },
  responses: {
    201: json(StateUploadResult, 'Stored as the active state of its name'),
    200: json(StateUploadResult, 'Unchanged: the stored state has the same lineage and serial'),
    202: json(StateUploadResult, 'Queued: a large state, imported in the background'),
    ...leaseErrors,
    409: json(ErrorBody, 'The lease is not held, or a state of another lineage or a newer serial is stored'),
    413: json(ErrorBody, 'The state is too large'),
    422: json(ErrorBody, 'Not a Terraform state this version of DriftMgr reads'),
  },
});

const completeRoute = createRoute({
  method: 'post',
  path: '/state-sources/{source_id}/complete',
  tags: ['agents'],
  summary: 'Finish a state read, with what became of each state found',
  security: bearerSecurity,
  request: { params: SourceIdParam, ...jsonBody(StateReadComplete) },
  responses: { 200: json(StateReadFinished, 'Finished'), ...leaseErrors },
});

const failRoute = createRoute({
  method: 'post',
  path: '/state-sources/{source_id}/fail',
  tags: ['agents'],
  summary: 'Give up a state read; it is retried while attempts are left and the error may pass',
  security: bearerSecurity,
  request: { params: SourceIdParam, ...jsonBody(StateReadFail) },
  responses: { 200: json(StateReadFinished, 'Recorded'), ...leaseErrors },
});

function locationOf(source: StoredStateSource): StateLocation {
  const parsed = parseStateLocation(source.type, source.location);
  // Locations are checked when registered; one that no longer parses is this release's bug.
  if (!parsed.ok) throw new Error(`state source ${source.source_id}: ${parsed.message}`);
  return parsed.location;
}

/** The states DriftMgr holds that this source wrote: an agent skips objects with the same lineage and serial. */
async function knownStates(env: Env, source: StoredStateSource): Promise<KnownState[]> {
  const location = locationOf(source);
  return (await storeFor(env).listActiveStates(source.tenant_id))
    .filter((s) => stateOfName(location, s.name)?.workspace === s.workspace)
    .map((s) => ({ workspace: s.workspace, name: s.name, lineage: s.lineage, serial: s.serial }));
}

/**
 * The source a call is about, when the caller may serve its account and holds its read under
 * `leaseId`: 404 for no such source, 403 outside the agent's accounts, 409 when the lease does
 * not hold it (another agent took it over, or it ended). A lease that ran out but was not taken
 * over still holds it.
 */
async function heldSource(c: Context<AppEnv>, sourceId: string, leaseId: string): Promise<StoredStateSource> {
  // Another tenant's source is not found, as on every route.
  const source = await storeFor(c.env).getStateSource(sourceId, tenantOf(c.get('principal')));
  if (!source) throw sourceNotFound(sourceId);
  const outOfScope = scopeRefusal(c.get('principal').scope, source.provider, source.account);
  if (outOfScope) unwrap(outOfScope);
  if (source.lease_id !== leaseId) {
    throw new ApiError(409, ErrorCode.leaseConflict, `the read of ${sourceId} is not held by lease ${leaseId}`);
  }
  return source;
}

const leaseLost = (sourceId: string) =>
  new ApiError(409, ErrorCode.leaseConflict, `the read of ${sourceId} was taken over or ended meanwhile`);

function summaryOf(states: StateReadComplete['states'], at: string): StateReadSummary {
  const counts = { stored: 0, unchanged: 0, queued: 0, refused: 0, invalid: 0 };
  for (const s of states) counts[s.outcome] += 1;
  const problems = states
    .filter((s) => s.outcome === 'refused' || s.outcome === 'invalid')
    .slice(0, PROBLEMS_KEPT)
    .map((s) => ({ name: s.name, outcome: s.outcome, message: s.message ?? '' }));
  return { at, status: 'succeeded', error: null, counts, problems };
}

export const stateReadRoutes = createRouter()
  .openapi(leaseRoute, async (c) => {
    const { proof, ...req } = c.req.valid('json');
    const principal = c.get('principal');
    const outOfScope = scopeRefusal(principal.scope, req.provider, req.account);
    if (outOfScope) unwrap(outOfScope);
    if (principal.requireProof) await checkAccountProof(c.env, principal, req, proof);
    const leaseId = crypto.randomUUID();
    // An agent reads its own tenant's sources, at its tenant's dispatcher of the account.
    const tenant = tenantOf(principal);
    const dispatcher = agentDispatcher(c.env, req.provider, req.account, tenant);
    const source = await dispatcher.leaseStateRead(req, leaseId, tenant);
    if (!source) return c.body(null, 204);
    const lease: StateReadLease = {
      source_id: source.source_id,
      lease_id: leaseId,
      attempt: source.attempts,
      lease_expires_at: source.lease_expires_at!,
      lease_ttl_seconds: Math.round(stateReadSettings(c.env).leaseTtlMs / 1000),
      type: source.type,
      location: source.location,
      known: await knownStates(c.env, source),
    };
    return c.json(lease, 200);
  })
  .openapi(heartbeatRoute, async (c) => {
    const { source_id } = c.req.valid('param');
    const { lease_id } = c.req.valid('json');
    await heldSource(c, source_id, lease_id);
    const until = new Date(Date.now() + stateReadSettings(c.env).leaseTtlMs).toISOString();
    if (!(await storeFor(c.env).extendStateRead(source_id, lease_id, until))) throw leaseLost(source_id);
    return c.json({ lease_expires_at: until }, 200);
  })
  .openapi(completeRoute, async (c) => {
    const { source_id } = c.req.valid('param');
    const { lease_id, states } = c.req.valid('json');
    const source = await heldSource(c, source_id, lease_id);
    const now = Date.now();
    const end = endedRead(source, summaryOf(states, new Date(now).toISOString()), now);
    if (!(await storeFor(c.env).finishStateRead(source_id, lease_id, end))) throw leaseLost(source_id);
    await announceSourceChange(c.env, source);
    return c.json({ source_id, status: 'succeeded' as const, next_read_at: end.next_read_at }, 200);
  })
  .openapi(failRoute, async (c) => {
    const { source_id } = c.req.valid('param');
    const { lease_id, reason, retryable } = c.req.valid('json');
    const source = await heldSource(c, source_id, lease_id);
    const end = failedRead(source, reason, retryable, stateReadSettings(c.env), Date.now());
    if (!(await storeFor(c.env).finishStateRead(source_id, lease_id, end))) throw leaseLost(source_id);
    await announceSourceChange(c.env, source);
    const status = end.reset_attempts ? ('failed' as const) : ('pending' as const);
    return c.json({ source_id, status, next_read_at: end.next_read_at }, 200);
  });

// The body is the state file itself, not a request schema: registered in the OpenAPI document
// and handled as a plain route, as the import is.
stateReadRoutes.openAPIRegistry.registerPath(uploadRoute);

const UploadParams = uploadRoute.request.params;
const UploadQuery = uploadRoute.request.query;

stateReadRoutes.post('/state-sources/:source_id/states', async (c) => {
  const params = UploadParams.safeParse(c.req.param());
  if (!params.success) throw validationError(params.error, 'path');
  const query = UploadQuery.safeParse(c.req.query());
  if (!query.success) throw validationError(query.error, 'query');
  const source = await heldSource(c, params.data.source_id, query.data.lease_id);
  const object = stateOfName(locationOf(source), query.data.name);
  if (!object) {
    throw new ApiError(
      400,
      ErrorCode.badRequest,
      `name: ${query.data.name} is not a state of ${source.location} (a *.tfstate within it, in a workspace DriftMgr can name)`,
    );
  }
  if (streamsImport(c.req.raw, c.env)) {
    // Too large to read while the request waits: the streamed import keeps it and reads it in the queue consumer.
    const job = await acceptStreamedImport(c.env, c.req.raw, {
      workspace: object.workspace,
      name: object.name,
      replace: source.replace_other_lineage,
      traceparent: traceparentOf(c),
      tenant: source.tenant_id,
    });
    return c.json({ outcome: 'queued' as const, import_id: job.import_id }, 202, {
      location: `/api/v1/imports/${job.import_id}`,
    });
  }
  const result = await intakeSourceState(c.env, source, object, new Uint8Array(await c.req.arrayBuffer()));
  return c.json(result, result.outcome === 'stored' ? 201 : 200);
});
