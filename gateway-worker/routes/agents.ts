import { createRoute } from '@hono/zod-openapi';
import { Lease, LeaseRequest } from '../../contract/agent-protocol.js';
import { ErrorBody } from '../../contract/errors.js';
import type { Provider } from '../../contract/resource.js';
import { scopeRefusal } from '../../orchestrator-do/agent-scope.js';
import { agentDispatcher } from '../../orchestrator-do/stubs.js';
import { storeFor } from '../../storage/index.js';
import { checkAccountProof } from '../agent-proof.js';
import { unwrap } from '../errors.js';
import { bearerSecurity, createRouter, errorResponses, json, jsonBody } from '../openapi.js';
import { tenantOf } from '../principal.js';

const leaseRoute = createRoute({
  method: 'post',
  path: '/agents/lease',
  tags: ['agents'],
  summary: 'Long-poll for a shard this agent may serve',
  description:
    'Waits up to wait_seconds (at most 25) for work. Answers 200 with a lease, or 204 when none came. ' +
    'An agent token may lease only its provider and accounts (403 otherwise), and one that requires proof ' +
    'must send `proof`: an STS GetCallerIdentity request signed with credentials of the account.',
  security: bearerSecurity,
  request: jsonBody(LeaseRequest),
  responses: {
    200: json(Lease, 'A shard under a fresh lease'),
    204: { description: 'No work within the wait' },
    ...errorResponses,
    503: json(ErrorBody, 'STS could not be reached to check the proof'),
  },
});

/**
 * When this isolate last recorded each agent (`tenant provider account agent_id`): its last-seen
 * time is read in minutes (an agent is up when seen within 10), so a lease refreshes it at most
 * once a minute rather than writing on every call.
 */
const recordedAgents = new Map<string, number>();
const RECORD_AGENT_EVERY_MS = 60_000;
/** Bounds the map; forgetting an agent only costs one more write. */
const MAX_REMEMBERED_AGENTS = 10_000;

async function recordAgent(env: Env, req: { provider: Provider; account: string; agent_id: string }, tenant: string) {
  const key = `${tenant} ${req.provider} ${req.account} ${req.agent_id}`;
  const now = Date.now();
  if (now - (recordedAgents.get(key) ?? 0) < RECORD_AGENT_EVERY_MS) return;
  await storeFor(env).recordAgent(req.provider, req.account, req.agent_id, new Date(now).toISOString(), tenant);
  if (recordedAgents.size >= MAX_REMEMBERED_AGENTS) recordedAgents.clear();
  recordedAgents.set(key, now);
}

/**
 * Hands an agent a shard of its account. An agent token leases only what it is bound to, after
 * proving its account when it must; only then is the account recorded as known (jobs without
 * accounts cover it), so no lease body alone makes an account known. The proof goes no further.
 */
export const agentRoutes = createRouter().openapi(leaseRoute, async (c) => {
  const { proof, ...req } = c.req.valid('json');
  const principal = c.get('principal');
  const outOfScope = scopeRefusal(principal.scope, req.provider, req.account);
  if (outOfScope) unwrap(outOfScope);
  if (principal.requireProof) await checkAccountProof(c.env, principal, req, proof);
  const tenant = tenantOf(principal);
  if (principal.scope) await recordAgent(c.env, req, tenant);
  const lease = await agentDispatcher(c.env, req.provider, req.account, tenant).lease(req, tenant);
  return lease ? c.json(lease, 200) : c.body(null, 204);
});
