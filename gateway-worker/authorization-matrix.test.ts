import { env, exports } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { storeFor } from '../storage/index.js';
import { agentToken, api, mintToken, resource, TOKEN } from '../test/support/worker/api.js';
import { driftOf, importState, instance, kindsAndIds, scan } from '../test/support/worker/scan.js';
import { mayCall, ROLE_PERMISSIONS, ROUTE_ACCESS } from './access.js';
import { createApp } from './app.js';
import { mintToken as mintSecret } from './token-secrets.js';

/**
 * Every route of the access table × every kind of caller, each answered with the exact status
 * the table implies: 401 without a valid token (missing, unknown, wrong secret, expired,
 * revoked), 403 for a role without the route's permission or an agent bound to another
 * account or provider, and the route's own answer otherwise (public routes answer everyone).
 * Then the tenant dimension: objects of the default tenant, called with every role of another
 * tenant, are not found (404, never 403), and lists leave them out.
 */

const JOB_ACCOUNT = '700000000001'; // agent routes' shards live here
const IDLE_ACCOUNT = '700000000002'; // the agent's other account: no job, so a lease answers 204
const USER_ACCOUNT = '700000000003'; // jobs the user routes start and read

interface Call {
  path: string;
  body?: unknown;
}

/** How to call a route, and what a caller allowed to call it gets. */
interface Fixture {
  ok: number;
  call: () => Promise<Call> | Call;
}

const fixed = (path: string, body?: unknown) => (): Call => ({ path, body });

async function newJob(account = USER_ACCOUNT): Promise<string> {
  const res = await api('POST', '/api/v1/discovery', {
    provider: 'aws',
    accounts: [account],
    regions: ['us-east-1'],
    resource_types: ['AWS::EC2::Instance'],
  });
  expect(res.status).toBe(202);
  return res.body.job_id;
}

/** A shard of JOB_ACCOUNT leased by the bootstrap token, and a call on it with its lease. */
function onLeasedShard(action: string, body: (leaseId: string) => Record<string, unknown>) {
  return async (): Promise<Call> => {
    await newJob(JOB_ACCOUNT);
    const held = await api('POST', '/api/v1/agents/lease', {
      agent_id: 'matrix',
      provider: 'aws',
      account: JOB_ACCOUNT,
      // The account's dispatcher reuses its list of jobs for a second: wait for the new one.
      wait_seconds: 5,
    });
    expect(held.status).toBe(200);
    return { path: `/api/v1/shards/${held.body.shard_id}/${action}`, body: body(held.body.lease_id) };
  };
}

const NOT_A_JOB = 'job_000000000000000000000';

let tenantNames = 0;
const newTenantName = () => {
  tenantNames += 1;
  return `matrix tenant ${tenantNames}`;
};

let stateSources = 0;

/** A fresh state source of JOB_ACCOUNT whose read the bootstrap token leased, and a call on it with its lease. */
function onLeasedStateRead(action: string, body: (leaseId: string) => Record<string, unknown>, query = '') {
  return async (): Promise<Call> => {
    stateSources += 1;
    const location = `s3://matrix-states-${stateSources}`;
    const created = await api('POST', '/api/v1/state-sources', {
      type: 's3',
      location,
      provider: 'aws',
      account: JOB_ACCOUNT,
    });
    expect(created.status).toBe(201);
    const held = await api('POST', '/api/v1/agents/state-lease', {
      agent_id: 'matrix',
      provider: 'aws',
      account: JOB_ACCOUNT,
      wait_seconds: 5,
    });
    expect(held.body.source_id).toBe(created.body.source_id);
    const search = query ? `?${query.replace('{lease}', held.body.lease_id).replace('{location}', location)}` : '';
    return {
      path: `/api/v1/state-sources/${created.body.source_id}/${action}${search}`,
      body: body(held.body.lease_id),
    };
  };
}

/** Calls the gateway as `api` does, reading JSON bodies only (/metrics answers text). */
async function send(method: string, call: Call, token: string | null): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const body = call.body === undefined ? undefined : JSON.stringify(call.body);
  const res = await exports.default.fetch(new Request(`http://gateway.test${call.path}`, { method, headers, body }));
  const json = res.headers.get('content-type')?.includes('application/json');
  return { status: res.status, body: json ? await res.json() : await res.text() };
}

const FIXTURES: Record<string, Fixture> = {
  'GET /health': { ok: 200, call: fixed('/health') },
  'GET /api/v1/openapi.json': { ok: 200, call: fixed('/api/v1/openapi.json') },
  'GET /metrics': { ok: 200, call: fixed('/metrics') },
  'POST /api/v1/discovery': {
    ok: 202,
    call: fixed('/api/v1/discovery', { provider: 'aws', accounts: [USER_ACCOUNT], regions: ['us-east-1'] }),
  },
  'GET /api/v1/jobs': { ok: 200, call: fixed('/api/v1/jobs') },
  'GET /api/v1/jobs/:job_id': { ok: 200, call: async () => ({ path: `/api/v1/jobs/${await newJob()}` }) },
  'GET /api/v1/jobs/:job_id/events': { ok: 404, call: fixed(`/api/v1/jobs/${NOT_A_JOB}/events`) },
  'POST /api/v1/jobs/:job_id/cancel': {
    ok: 200,
    call: async () => ({ path: `/api/v1/jobs/${await newJob()}/cancel` }),
  },
  'POST /api/v1/schedules': {
    ok: 201,
    call: fixed('/api/v1/schedules', {
      name: 'matrix',
      cron: '0 3 * * *',
      discovery: { provider: 'aws', accounts: [USER_ACCOUNT], regions: ['us-east-1'] },
    }),
  },
  'GET /api/v1/schedules': { ok: 200, call: fixed('/api/v1/schedules') },
  'DELETE /api/v1/schedules/:schedule_id': {
    ok: 204,
    call: async () => {
      const res = await api('POST', '/api/v1/schedules', {
        name: 'to delete',
        cron: '0 3 * * *',
        discovery: { provider: 'aws', accounts: [USER_ACCOUNT], regions: ['us-east-1'] },
      });
      return { path: `/api/v1/schedules/${res.body.schedule_id}` };
    },
  },
  // A body that is no state: the route's own validation answers, past authorization.
  'POST /api/v1/import': { ok: 422, call: fixed('/api/v1/import', { not: 'a state' }) },
  'GET /api/v1/states': { ok: 200, call: fixed('/api/v1/states') },
  'GET /api/v1/imports/:import_id': { ok: 404, call: fixed('/api/v1/imports/imp_none') },
  'POST /api/v1/state-sources': {
    ok: 201,
    call: fixed('/api/v1/state-sources', {
      type: 'gcs',
      location: 'gs://matrix-states',
      provider: 'aws',
      account: USER_ACCOUNT,
    }),
  },
  'GET /api/v1/state-sources': { ok: 200, call: fixed('/api/v1/state-sources') },
  'GET /api/v1/state-sources/:source_id': { ok: 404, call: fixed('/api/v1/state-sources/src_none') },
  'DELETE /api/v1/state-sources/:source_id': { ok: 404, call: fixed('/api/v1/state-sources/src_none') },
  'POST /api/v1/state-sources/:source_id/read': { ok: 404, call: fixed('/api/v1/state-sources/src_none/read') },
  'GET /api/v1/drift': { ok: 404, call: fixed(`/api/v1/drift?job_id=${NOT_A_JOB}`) },
  'POST /api/v1/drift/ack': { ok: 404, call: fixed('/api/v1/drift/ack', { resource_key: 'none', reason: 'matrix' }) },
  'GET /api/v1/drift/report': { ok: 404, call: fixed(`/api/v1/drift/report?job_id=${NOT_A_JOB}`) },
  'GET /api/v1/resources': { ok: 200, call: fixed('/api/v1/resources') },
  'GET /api/v1/resources/summary': { ok: 200, call: fixed('/api/v1/resources/summary') },
  'GET /api/v1/trends': { ok: 200, call: fixed('/api/v1/trends') },
  'GET /api/v1/resource-types': { ok: 200, call: fixed('/api/v1/resource-types') },
  'GET /api/v1/export': { ok: 200, call: fixed('/api/v1/export') },
  'GET /api/v1/ignore': { ok: 200, call: fixed('/api/v1/ignore') },
  'PUT /api/v1/ignore': { ok: 200, call: fixed('/api/v1/ignore', { driftignore: '', rules: [] }) },
  // Bodies and ids the route refuses itself (400, 404): past authorization, nothing is sent anywhere.
  'POST /api/v1/notifications': { ok: 400, call: fixed('/api/v1/notifications', { type: 'webhook' }) },
  'GET /api/v1/notifications': { ok: 200, call: fixed('/api/v1/notifications') },
  'GET /api/v1/notifications/:notification_id': { ok: 404, call: fixed('/api/v1/notifications/ntf_none') },
  'DELETE /api/v1/notifications/:notification_id': { ok: 404, call: fixed('/api/v1/notifications/ntf_none') },
  'POST /api/v1/agents/lease': {
    ok: 204,
    call: fixed('/api/v1/agents/lease', {
      agent_id: 'matrix',
      provider: 'aws',
      account: IDLE_ACCOUNT,
      wait_seconds: 0,
    }),
  },
  'POST /api/v1/shards/:shard_id/heartbeat': {
    ok: 200,
    call: onLeasedShard('heartbeat', (lease_id) => ({ lease_id })),
  },
  'POST /api/v1/shards/:shard_id/results': {
    ok: 200,
    call: onLeasedShard('results', (lease_id) => ({
      lease_id,
      sequence: 0,
      resources: [resource(JOB_ACCOUNT, 'us-east-1', 'AWS::EC2::Instance', 'i-matrix')],
    })),
  },
  'POST /api/v1/shards/:shard_id/complete': {
    ok: 200,
    call: onLeasedShard('complete', (lease_id) => ({ lease_id, resource_count: 0 })),
  },
  'POST /api/v1/shards/:shard_id/fail': {
    ok: 200,
    call: onLeasedShard('fail', (lease_id) => ({ lease_id, reason: 'matrix', retryable: false })),
  },
  'POST /api/v1/agents/state-lease': {
    ok: 204,
    call: fixed('/api/v1/agents/state-lease', {
      agent_id: 'matrix',
      provider: 'aws',
      account: IDLE_ACCOUNT,
      wait_seconds: 0,
    }),
  },
  'POST /api/v1/state-sources/:source_id/heartbeat': {
    ok: 200,
    call: onLeasedStateRead('heartbeat', (lease_id) => ({ lease_id })),
  },
  'POST /api/v1/state-sources/:source_id/states': {
    ok: 201,
    call: onLeasedStateRead(
      'states',
      () => ({ version: 4, serial: 1, lineage: 'matrix', resources: [] }),
      'lease_id={lease}&name={location}/terraform.tfstate',
    ),
  },
  'POST /api/v1/state-sources/:source_id/complete': {
    ok: 200,
    call: onLeasedStateRead('complete', (lease_id) => ({ lease_id, states: [] })),
  },
  'POST /api/v1/state-sources/:source_id/fail': {
    ok: 200,
    call: onLeasedStateRead('fail', (lease_id) => ({ lease_id, reason: 'matrix', retryable: false })),
  },
  'POST /api/v1/tokens': { ok: 201, call: fixed('/api/v1/tokens', { role: 'reader' }) },
  'GET /api/v1/tokens': { ok: 200, call: fixed('/api/v1/tokens') },
  'DELETE /api/v1/tokens/:id': {
    ok: 204,
    call: async () => ({ path: `/api/v1/tokens/${(await mintToken({ role: 'reader' })).id}` }),
  },
  'GET /api/v1/audit': { ok: 200, call: fixed('/api/v1/audit') },
  'POST /api/v1/tenants': { ok: 201, call: () => ({ path: '/api/v1/tenants', body: { name: newTenantName() } }) },
  'GET /api/v1/tenants': { ok: 200, call: fixed('/api/v1/tenants') },
};

type Kind = 'unauthenticated' | 'bootstrap' | 'admin' | 'operator' | 'reader' | 'agent' | 'agent-elsewhere';

interface Caller {
  name: string;
  kind: Kind;
  token: string | null;
}

/** An admin token of `tenant` that expired a minute ago, written to the store as the API never would. */
async function storeExpiredAdmin(tenant: string | null) {
  const expired = await mintSecret();
  const past = new Date(Date.now() - 60_000).toISOString();
  await storeFor(env).createToken({
    id: expired.id,
    secret_hash: expired.secret_hash,
    role: 'admin',
    tenant_id: tenant,
    provider: null,
    accounts: null,
    require_proof: false,
    description: null,
    created_by: 'bootstrap',
    created_at: past,
    expires_at: past,
    revoked_at: null,
  });
  return expired;
}

const callers: Caller[] = [];

beforeAll(async () => {
  const admin = await mintToken({ role: 'admin' });
  const revoked = await mintToken({ role: 'admin' });
  expect((await api('DELETE', `/api/v1/tokens/${revoked.id}`)).status).toBe(204);
  const expired = await storeExpiredAdmin(null);
  const secretOf = (token: string) => token.slice(token.indexOf('.') + 1);
  callers.push(
    { name: 'no token', kind: 'unauthenticated', token: null },
    { name: 'an unknown token', kind: 'unauthenticated', token: `tok_${'0'.repeat(21)}.${secretOf(admin.token)}` },
    {
      name: "an admin token's id with a wrong secret",
      kind: 'unauthenticated',
      token: `${admin.id}.${'A'.repeat(43)}`,
    },
    { name: 'an expired admin token', kind: 'unauthenticated', token: expired.token },
    { name: 'a revoked admin token', kind: 'unauthenticated', token: revoked.token },
    { name: 'the bootstrap token', kind: 'bootstrap', token: TOKEN },
    { name: 'an admin token', kind: 'admin', token: admin.token },
    { name: 'an operator token', kind: 'operator', token: (await mintToken({ role: 'operator' })).token },
    { name: 'a reader token', kind: 'reader', token: (await mintToken({ role: 'reader' })).token },
    {
      name: 'an agent token of the accounts',
      kind: 'agent',
      token: (await agentToken([JOB_ACCOUNT, IDLE_ACCOUNT])).token,
    },
    {
      name: 'an agent token of another account',
      kind: 'agent-elsewhere',
      token: (await agentToken(['700000000009'])).token,
    },
    {
      name: 'an agent token of another provider',
      kind: 'agent-elsewhere',
      token: (await mintToken({ role: 'agent', provider: 'gcp', accounts: ['driftmgr-matrix'] })).token,
    },
  );
});

/** The status the table implies for a caller of a route. */
function expectedStatus(key: string, kind: Kind): number {
  const { need } = ROUTE_ACCESS[key]!;
  const ok = FIXTURES[key]!.ok;
  if (need === 'public') return ok;
  if (kind === 'unauthenticated') return 401;
  if (need === 'bootstrap') return kind === 'bootstrap' ? ok : 403;
  const role = kind === 'agent-elsewhere' ? 'agent' : kind === 'bootstrap' ? 'admin' : kind;
  if (!mayCall(role, need)) return 403;
  return kind === 'agent-elsewhere' ? 403 : ok;
}

const ROUTES = Object.keys(ROUTE_ACCESS);
const CALLER_COUNT = 12;

describe(`authorization matrix: ${ROUTES.length} routes × ${CALLER_COUNT} callers = ${ROUTES.length * CALLER_COUNT} calls`, () => {
  it('names every route the app serves, and only those, with a way to call each', () => {
    const served = createApp()
      .routes.filter((r) => r.method !== 'ALL')
      .map((r) => `${r.method} ${r.path}`);
    expect(
      [...new Set(served)].filter((k) => !ROUTES.includes(k)),
      'routes the table lacks',
    ).toEqual([]);
    expect(
      ROUTES.filter((k) => !served.includes(k)),
      'routes the app no longer serves',
    ).toEqual([]);
    expect(Object.keys(FIXTURES).sort()).toEqual([...ROUTES].sort());
    expect(callers).toHaveLength(CALLER_COUNT);
  });

  it("keeps the roles' meaning: admin alone manages tokens and reads the audit, the agent protocol is the agents', reads change nothing", () => {
    expect(ROLE_PERMISSIONS).toEqual({
      admin: ['read', 'operate', 'agent', 'admin'],
      operator: ['read', 'operate'],
      reader: ['read'],
      agent: ['agent'],
    });
    for (const [key, { need }] of Object.entries(ROUTE_ACCESS)) {
      const [method, path] = key.split(' ') as [string, string];
      if (method !== 'GET') expect(['operate', 'agent', 'admin', 'bootstrap'], key).toContain(need);
      if (/^\/api\/v1\/(tokens|audit)\b/.test(path)) expect(need, key).toBe('admin');
      if (/^\/api\/v1\/tenants\b/.test(path)) expect(need, key).toBe('bootstrap');
      if (/^\/api\/v1\/(agents|shards)\//.test(path)) expect(need, key).toBe('agent');
      if (need === 'agent') expect(method, key).toBe('POST');
      if (need === 'public') expect(['/health', '/api/v1/openapi.json'], key).toContain(path);
    }
  });

  for (const key of ROUTES) {
    const [method] = key.split(' ') as [string];
    it(`${key} (${ROUTE_ACCESS[key]!.need})`, async () => {
      for (const caller of callers) {
        const res = await send(method, await FIXTURES[key]!.call(), caller.token);
        const expected = expectedStatus(key, caller.kind);
        expect(res.status, `${key} with ${caller.name}: ${JSON.stringify(res.body)}`).toBe(expected);
        if (expected === 401) expect(res.body.error.code).toBe('unauthorized');
        if (expected === 403) expect(res.body.error.code).toBe('forbidden');
      }
      // Agent routes wait for a fresh shard per caller: up to a second each for the dispatcher.
    }, 60_000);
  }
});

/**
 * How each route answers a caller of another tenant about the default tenant's objects. `hidden`:
 * the object the fixture made is not found (404), for every role of the other tenant that may call
 * the route. `listed`: the list answers, without the default tenant's objects. `own`: the call
 * acts in the caller's tenant (it creates, or finds no work), or the route holds no tenant's data.
 * `unscoped`: the route's data is not kept per tenant yet (README, Tenants).
 */
type TenantRule = 'hidden' | 'listed' | 'own' | 'unscoped';

const TENANT_RULES: Record<string, TenantRule> = {
  'GET /health': 'own',
  'GET /api/v1/openapi.json': 'own',
  'GET /metrics': 'unscoped',
  'POST /api/v1/discovery': 'own',
  'GET /api/v1/jobs': 'listed',
  'GET /api/v1/jobs/:job_id': 'hidden',
  'GET /api/v1/jobs/:job_id/events': 'hidden',
  'POST /api/v1/jobs/:job_id/cancel': 'hidden',
  'POST /api/v1/schedules': 'own',
  'GET /api/v1/schedules': 'listed',
  'DELETE /api/v1/schedules/:schedule_id': 'hidden',
  'POST /api/v1/import': 'own',
  'GET /api/v1/states': 'listed',
  'GET /api/v1/imports/:import_id': 'hidden',
  'POST /api/v1/state-sources': 'own',
  'GET /api/v1/state-sources': 'listed',
  'GET /api/v1/state-sources/:source_id': 'hidden',
  'DELETE /api/v1/state-sources/:source_id': 'hidden',
  'POST /api/v1/state-sources/:source_id/read': 'hidden',
  // The default tenant's analysed job is hidden from another tenant: the last case below.
  'GET /api/v1/drift': 'own',
  'POST /api/v1/drift/ack': 'hidden',
  'GET /api/v1/drift/report': 'own',
  'GET /api/v1/resources': 'listed',
  // Counts and drift of the caller's tenant's inventory and analyses: the analyses case below.
  'GET /api/v1/resources/summary': 'own',
  'GET /api/v1/trends': 'own',
  'GET /api/v1/resource-types': 'own',
  // The caller's tenant's resources, states and analyses: the analyses case below.
  'GET /api/v1/export': 'own',
  'GET /api/v1/ignore': 'own',
  'PUT /api/v1/ignore': 'own',
  'POST /api/v1/notifications': 'own',
  'GET /api/v1/notifications': 'listed',
  'GET /api/v1/notifications/:notification_id': 'hidden',
  'DELETE /api/v1/notifications/:notification_id': 'hidden',
  'POST /api/v1/agents/lease': 'own',
  'POST /api/v1/shards/:shard_id/heartbeat': 'hidden',
  'POST /api/v1/shards/:shard_id/results': 'hidden',
  'POST /api/v1/shards/:shard_id/complete': 'hidden',
  'POST /api/v1/shards/:shard_id/fail': 'hidden',
  // Another tenant's agent finds no read of the default tenant's sources: the last case below.
  'POST /api/v1/agents/state-lease': 'own',
  'POST /api/v1/state-sources/:source_id/heartbeat': 'hidden',
  'POST /api/v1/state-sources/:source_id/states': 'hidden',
  'POST /api/v1/state-sources/:source_id/complete': 'hidden',
  'POST /api/v1/state-sources/:source_id/fail': 'hidden',
  'POST /api/v1/tokens': 'own',
  'GET /api/v1/tokens': 'listed',
  'DELETE /api/v1/tokens/:id': 'hidden',
  'GET /api/v1/audit': 'listed',
  'POST /api/v1/tenants': 'own',
  'GET /api/v1/tenants': 'own',
};

/** A notification target of the default tenant (nothing is sent: no job announces to it here). */
async function newTarget(): Promise<string> {
  const res = await api('POST', '/api/v1/notifications', {
    type: 'slack',
    url: 'https://hooks.slack.com/services/T0/B0/matrix',
    min_severity: 'high',
  });
  expect(res.status).toBe(201);
  return res.body.notification_id;
}

/** A state file with no resources, as small as an import takes. */
const EMPTY_STATE = { version: 4, terraform_version: '1.9.0', serial: 1, lineage: 'matrix', resources: [] };

/** A streamed import of the default tenant (a body without a length always streams); its id. */
async function newStreamedImport(): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(EMPTY_STATE));
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
  const res = await exports.default.fetch(
    new Request('http://gateway.test/api/v1/import?workspace=matrix&name=streamed.tfstate', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit),
  );
  expect(res.status).toBe(202);
  return ((await res.json()) as { import_id: string }).import_id;
}

/** A state source of the default tenant, in an account no agent of these tests reads: its id. */
async function newSource(): Promise<string> {
  stateSources += 1;
  const res = await api('POST', '/api/v1/state-sources', {
    type: 's3',
    location: `s3://matrix-hidden-${stateSources}`,
    provider: 'aws',
    account: USER_ACCOUNT,
  });
  expect(res.status).toBe(201);
  return res.body.source_id;
}

/** An account only the drift acknowledgement cases scan, with one unmanaged instance in it. */
const ACK_ACCOUNT = '700000000007';
const ACK_ESTATE = [instance(ACK_ACCOUNT, 'us-east-1', 'i-acked', 't3.micro')];
const scanAckAccount = (token = TOKEN) =>
  scan({ account: ACK_ACCOUNT, regions: ['us-east-1'], types: ['AWS::EC2::Instance'] }, ACK_ESTATE, token);

/** The key of the default tenant's open drift item in the acknowledgement account (scanned once). */
let ackedKey: Promise<string> | undefined;
function openItemKey(): Promise<string> {
  ackedKey ??= scanAckAccount().then(async (jobId) => (await driftOf(jobId)).items[0].resource_key);
  return ackedKey;
}

/** Fixtures of hidden routes whose own fixture names no object of the default tenant. */
const HIDDEN_FIXTURES: Record<string, Fixture> = {
  // The default tenant's open item: another tenant has none with its key.
  'POST /api/v1/drift/ack': {
    ok: 201,
    call: async () => ({ path: '/api/v1/drift/ack', body: { resource_key: await openItemKey(), reason: 'matrix' } }),
  },
  'GET /api/v1/state-sources/:source_id': {
    ok: 200,
    call: async () => ({ path: `/api/v1/state-sources/${await newSource()}` }),
  },
  'DELETE /api/v1/state-sources/:source_id': {
    ok: 204,
    call: async () => ({ path: `/api/v1/state-sources/${await newSource()}` }),
  },
  'POST /api/v1/state-sources/:source_id/read': {
    ok: 202,
    call: async () => ({ path: `/api/v1/state-sources/${await newSource()}/read` }),
  },
  'GET /api/v1/imports/:import_id': {
    ok: 200,
    call: async () => ({ path: `/api/v1/imports/${await newStreamedImport()}` }),
  },
  'GET /api/v1/notifications/:notification_id': {
    ok: 200,
    call: async () => ({ path: `/api/v1/notifications/${await newTarget()}` }),
  },
  'DELETE /api/v1/notifications/:notification_id': {
    ok: 204,
    call: async () => ({ path: `/api/v1/notifications/${await newTarget()}` }),
  },
  // A cancelled job's stream ends, so its owner reads it whole; another tenant finds no job.
  'GET /api/v1/jobs/:job_id/events': {
    ok: 200,
    call: async () => {
      const jobId = await newJob();
      expect((await api('POST', `/api/v1/jobs/${jobId}/cancel`)).status).toBe(200);
      return { path: `/api/v1/jobs/${jobId}/events` };
    },
  },
};

let listedScans = 0;

/** The id of the audit entry of a mutating call made with the token (its admin makes a reader token). */
async function auditEntryOf(token: string): Promise<string> {
  const made = await send('POST', { path: '/api/v1/tokens', body: { role: 'reader' } }, token);
  expect(made.status).toBe(201);
  const entries = (await api('GET', '/api/v1/audit')).body.entries as any[];
  return entries.find((e) => e.target === made.body.id).id;
}

/** The default tenant's object ids each list must leave out for another tenant, and a way to make one. */
const LISTS: Record<string, { make: () => Promise<string>; ids: (body: any) => string[] }> = {
  'GET /api/v1/jobs': { make: () => newJob(), ids: (b) => b.jobs.map((j: any) => j.job_id) },
  'GET /api/v1/schedules': {
    make: async () => {
      const res = await api('POST', '/api/v1/schedules', {
        name: 'default tenant',
        cron: '0 3 * * *',
        discovery: { provider: 'aws', accounts: [USER_ACCOUNT], regions: ['us-east-1'] },
      });
      return res.body.schedule_id;
    },
    ids: (b) => b.schedules.map((s: any) => s.schedule_id),
  },
  'GET /api/v1/notifications': {
    make: newTarget,
    ids: (b) => b.notifications.map((n: any) => n.notification_id),
  },
  'GET /api/v1/states': {
    make: async () => {
      const res = await api('POST', '/api/v1/import?workspace=matrix&name=listed.tfstate', EMPTY_STATE);
      expect(res.status).toBe(201);
      return res.body.states[0].state_id;
    },
    ids: (b) => b.states.map((s: any) => s.state_id),
  },
  // A resource only the default tenant's job saw, in an account of its own.
  'GET /api/v1/resources': {
    make: async () => {
      listedScans += 1;
      const account = `70000000${String(100 + listedScans).padStart(4, '0')}`;
      const id = `i-listed-${listedScans}`;
      await scan({ account, regions: ['us-east-1'], types: ['AWS::EC2::Instance'] }, [
        instance(account, 'us-east-1', id, 't3.micro'),
      ]);
      return id;
    },
    ids: (b) => b.resources.map((r: any) => r.id),
  },
  'GET /api/v1/state-sources': {
    make: newSource,
    ids: (b) => b.state_sources.map((s: any) => s.source_id),
  },
  // An entry of a call by a default tenant's token (the bootstrap token reads every entry).
  'GET /api/v1/audit': {
    make: async () => auditEntryOf((await mintToken({ role: 'admin' })).token),
    ids: (b) => b.entries.map((e: any) => e.id),
  },
  'GET /api/v1/tokens': {
    make: async () => (await mintToken({ role: 'reader' })).id,
    ids: (b) => b.tokens.map((t: any) => t.id),
  },
};

const otherTenant: {
  id: string;
  callers: { name: string; role: 'admin' | 'operator' | 'reader' | 'agent'; token: string }[];
  /** Its expired and revoked admin tokens: refused (401) before any object is looked up. */
  dead: { name: string; token: string }[];
} = {
  id: '',
  callers: [],
  dead: [],
};

const TENANT_ROLES = ['admin', 'operator', 'reader', 'agent'] as const;
const hiddenRoutes = Object.keys(TENANT_RULES).filter((k) => TENANT_RULES[k] === 'hidden');
const listedRoutes = Object.keys(TENANT_RULES).filter((k) => TENANT_RULES[k] === 'listed');

describe(`tenant matrix: ${hiddenRoutes.length + listedRoutes.length} routes × (${TENANT_ROLES.length} roles + an expired and a revoked token) of another tenant`, () => {
  beforeAll(async () => {
    const made = await api('POST', '/api/v1/tenants', { name: newTenantName() });
    expect(made.status).toBe(201);
    otherTenant.id = made.body.tenant_id;
    for (const role of TENANT_ROLES) {
      const agent = role === 'agent' ? { provider: 'aws', accounts: [JOB_ACCOUNT, IDLE_ACCOUNT] } : {};
      const { token } = await mintToken({ role, tenant_id: otherTenant.id, ...agent });
      otherTenant.callers.push({ name: `a ${role} token of ${otherTenant.id}`, role, token });
    }
    const revoked = await mintToken({ role: 'admin', tenant_id: otherTenant.id });
    const [admin] = otherTenant.callers;
    expect((await send('DELETE', { path: `/api/v1/tokens/${revoked.id}` }, admin!.token)).status).toBe(204);
    const expired = await storeExpiredAdmin(otherTenant.id);
    otherTenant.dead.push(
      { name: `a revoked admin token of ${otherTenant.id}`, token: revoked.token },
      { name: `an expired admin token of ${otherTenant.id}`, token: expired.token },
    );
  });

  /** A dead token of the other tenant is refused as unauthenticated, whatever the route. */
  async function expectRefused(method: string, call: Call, key: string) {
    for (const dead of otherTenant.dead) {
      const res = await send(method, call, dead.token);
      expect([res.status, res.body.error?.code], `${key} with ${dead.name}`).toEqual([401, 'unauthorized']);
    }
  }

  it('classifies every route of the access table', () => {
    expect(Object.keys(TENANT_RULES).sort()).toEqual([...ROUTES].sort());
    expect(Object.keys(LISTS).sort()).toEqual([...listedRoutes].sort());
  });

  for (const key of hiddenRoutes) {
    const [method] = key.split(' ') as [string];
    it(`${key}: the default tenant's object is not found by another tenant`, async () => {
      const { need } = ROUTE_ACCESS[key]!;
      const fixture = HIDDEN_FIXTURES[key] ?? FIXTURES[key]!;
      for (const caller of otherTenant.callers) {
        const call = await fixture.call();
        const res = await send(method, call, caller.token);
        const expected = mayCall(caller.role, need) ? 404 : 403;
        expect(res.status, `${key} with ${caller.name}: ${JSON.stringify(res.body)}`).toBe(expected);
        if (expected === 404) expect(res.body.error.code).toBe('not_found');
      }
      await expectRefused(method, await fixture.call(), key);
      // The same object, called by its own tenant, answers.
      const own = await send(method, await fixture.call(), TOKEN);
      expect(own.status, `${key} with the bootstrap token`).toBe(fixture.ok);
    }, 60_000);
  }

  for (const key of listedRoutes) {
    const [, path] = key.split(' ') as [string, string];
    it(`${key}: each tenant lists its own objects only`, async () => {
      const list = LISTS[key]!;
      const ownId = await list.make();
      for (const caller of otherTenant.callers.filter((c) => mayCall(c.role, ROUTE_ACCESS[key]!.need))) {
        const res = await send('GET', { path }, caller.token);
        expect(res.status, `${key} with ${caller.name}`).toBe(200);
        expect(list.ids(res.body), `${key} with ${caller.name}`).not.toContain(ownId);
      }
      await expectRefused('GET', { path }, key);
      expect(list.ids((await send('GET', { path }, TOKEN)).body)).toContain(ownId);
    }, 60_000);
  }

  it("makes jobs, schedules and tokens in the caller's tenant, which the default tenant does not see", async () => {
    const [admin] = otherTenant.callers;
    const job = await send(
      'POST',
      { path: '/api/v1/discovery', body: { provider: 'aws', accounts: [USER_ACCOUNT], regions: ['us-east-1'] } },
      admin!.token,
    );
    expect(job.status).toBe(202);
    expect((await send('GET', { path: `/api/v1/jobs/${job.body.job_id}` }, admin!.token)).status).toBe(200);
    expect((await send('GET', { path: `/api/v1/jobs/${job.body.job_id}` }, TOKEN)).status).toBe(404);
    const minted = await send('POST', { path: '/api/v1/tokens', body: { role: 'reader' } }, admin!.token);
    expect(minted.body.tenant_id).toBe(otherTenant.id);
    expect((await send('GET', { path: '/api/v1/tokens' }, admin!.token)).body.tokens.map((t: any) => t.id)).toContain(
      minted.body.id,
    );
    expect((await send('DELETE', { path: `/api/v1/tokens/${minted.body.id}` }, admin!.token)).status).toBe(204);
  });

  it('lets only the bootstrap token mint tokens of another tenant, and only of a tenant that exists', async () => {
    const [admin] = otherTenant.callers;
    const ownAdmin = await mintToken({ role: 'admin' });
    const refused = await send(
      'POST',
      { path: '/api/v1/tokens', body: { role: 'admin', tenant_id: otherTenant.id } },
      ownAdmin.token,
    );
    expect(refused.status).toBe(403);
    const back = await send(
      'POST',
      { path: '/api/v1/tokens', body: { role: 'admin', tenant_id: 'default' } },
      admin!.token,
    );
    expect(back.status).toBe(403);
    const unknown = await api('POST', '/api/v1/tokens', { role: 'reader', tenant_id: 'ten_none' });
    expect(unknown.status).toBe(422);
    expect((await api('POST', '/api/v1/tokens', { role: 'reader', tenant_id: 'default' })).body.tenant_id).toBeNull();
  });

  it("shows another tenant none of the default tenant's analyses or inventory: drift, reports, trends, resources, the summary, the export", async () => {
    const account = '700000000004';
    const jobId = await scan({ account, regions: ['us-east-1'], types: ['AWS::EC2::Instance'] }, [
      instance(account, 'us-east-1', 'i-tenant', 't3.micro'),
    ]);
    const reader = otherTenant.callers.find((c) => c.role === 'reader')!;
    for (const path of [`/api/v1/drift?job_id=${jobId}`, `/api/v1/drift/report?job_id=${jobId}`]) {
      expect((await send('GET', { path }, TOKEN)).status, path).toBe(200);
      const hidden = await send('GET', { path }, reader.token);
      expect(hidden.status, path).toBe(404);
      expect(hidden.body.error.message).toBe(`job ${jobId} not found`);
    }
    expect((await send('GET', { path: '/api/v1/drift' }, reader.token)).status).toBe(404);
    const points = async (token: string) =>
      (await send('GET', { path: '/api/v1/trends' }, token)).body.points.map((p: any) => p.job_id);
    expect(await points(TOKEN)).toContain(jobId);
    expect(await points(reader.token)).toEqual([]);
    expect((await send('GET', { path: '/api/v1/resources/summary' }, TOKEN)).body.drift.aws.job_id).toBe(jobId);
    expect((await send('GET', { path: '/api/v1/resources/summary' }, reader.token)).body.drift).toEqual({});
    // The job's sightings and the inventory rows it wrote are the default tenant's alone.
    const sighted = `/api/v1/resources?job_id=${jobId}`;
    expect((await send('GET', { path: sighted }, TOKEN)).body.resources.map((r: any) => r.id)).toEqual(['i-tenant']);
    const notFound = await send('GET', { path: sighted }, reader.token);
    expect([notFound.status, notFound.body.error.message]).toEqual([404, `job ${jobId} not found`]);
    const accounts = async (token: string) =>
      (await send('GET', { path: '/api/v1/resources/summary' }, token)).body.by_account.map((c: any) => c.key);
    expect(await accounts(TOKEN)).toContain(`aws:${account}`);
    expect(await accounts(reader.token)).not.toContain(`aws:${account}`);
    const exported = async (token: string) => {
      const doc = (await send('GET', { path: '/api/v1/export' }, token)).body;
      return [doc.resources.some((r: any) => r.id === 'i-tenant'), doc.analyses.some((a: any) => a.job_id === jobId)];
    };
    expect(await exported(TOKEN)).toEqual([true, true]);
    expect(await exported(reader.token)).toEqual([false, false]);
  }, 60_000);

  it("imports into the caller's tenant: the same workspace and name leave the default tenant's state as it was", async () => {
    const [admin] = otherTenant.callers;
    const path = '/api/v1/import?workspace=matrix&name=shared.tfstate';
    const own = await api('POST', path, EMPTY_STATE);
    expect(own.status).toBe(201);
    const theirs = await send('POST', { path, body: { ...EMPTY_STATE, lineage: 'other', serial: 9 } }, admin!.token);
    expect(theirs.status).toBe(201);
    const ids = async (token: string) =>
      (await send('GET', { path: '/api/v1/states' }, token)).body.states.map((s: any) => s.state_id);
    expect(await ids(TOKEN)).toContain(own.body.states[0].state_id);
    expect(await ids(TOKEN)).not.toContain(theirs.body.states[0].state_id);
    expect(await ids(admin!.token)).toEqual([theirs.body.states[0].state_id]);
  });

  it("analyses a job against its own tenant's states only: another tenant's state manages none of its resources", async () => {
    const [admin] = otherTenant.callers;
    const account = '700000000005';
    const web = instance(account, 'us-east-1', 'i-other-tenant', 't3.micro');
    await importState('tenant-other', [web], admin!.token);
    const jobId = await scan({ account, regions: ['us-east-1'], types: ['AWS::EC2::Instance'] }, [web]);
    const { summary } = await driftOf(jobId);
    expect([summary.managed, summary.unmanaged]).toEqual([0, 1]);
  }, 60_000);

  it("keeps each tenant's ignore rules: another tenant neither reads nor replaces the default tenant's", async () => {
    const [admin] = otherTenant.callers;
    const rules = { driftignore: 'aws_instance.matrix-*', rules: [] };
    expect((await api('PUT', '/api/v1/ignore', rules)).status).toBe(200);
    expect((await send('GET', { path: '/api/v1/ignore' }, admin!.token)).body).toEqual({ driftignore: '', rules: [] });
    const theirs = { driftignore: 'aws_vpc.*', rules: [] };
    expect((await send('PUT', { path: '/api/v1/ignore', body: theirs }, admin!.token)).status).toBe(200);
    expect((await send('GET', { path: '/api/v1/ignore' }, admin!.token)).body).toEqual(theirs);
    expect((await api('GET', '/api/v1/ignore')).body).toEqual(rules);
    expect((await api('PUT', '/api/v1/ignore', { driftignore: '', rules: [] })).status).toBe(200);
  });

  it("analyses a job with its own tenant's ignore rules, never the default tenant's", async () => {
    const [admin] = otherTenant.callers;
    const account = '700000000006';
    const none = { driftignore: '', rules: [] };
    const ignoring = (id: string) => ({ driftignore: `aws_instance.${id}\n`, rules: [] });
    expect((await api('PUT', '/api/v1/ignore', ignoring('i-default-ignores'))).status).toBe(200);
    const put = await send('PUT', { path: '/api/v1/ignore', body: ignoring('i-tenant-ignores') }, admin!.token);
    expect(put.status).toBe(200);
    const estate = ['i-default-ignores', 'i-tenant-ignores'].map((id) =>
      instance(account, 'us-east-1', id, 't3.micro'),
    );
    try {
      const jobId = await scan(
        { account, regions: ['us-east-1'], types: ['AWS::EC2::Instance'] },
        estate,
        admin!.token,
      );
      const { items, summary } = await driftOf(jobId, '&kind=unmanaged', admin!.token);
      expect(kindsAndIds(items)).toEqual(['unmanaged:i-default-ignores']);
      expect(summary.ignored).toBe(1);
    } finally {
      await api('PUT', '/api/v1/ignore', none);
      await send('PUT', { path: '/api/v1/ignore', body: none }, admin!.token);
    }
  }, 60_000);

  it("acknowledges drift in the caller's tenant only: the default tenant's acknowledgement leaves another tenant's item of the same key open", async () => {
    const [admin] = otherTenant.callers;
    const key = await openItemKey();
    expect((await api('POST', '/api/v1/drift/ack', { resource_key: key, reason: 'default tenant' })).status).toBe(201);
    const jobId = await scanAckAccount(admin!.token);
    const acked = async (flag: string) =>
      (await driftOf(jobId, `&acknowledged=${flag}`, admin!.token)).items.map((i: any) => i.resource_key);
    expect(await acked('false')).toEqual([key]);
    expect(await acked('true')).toEqual([]);
    const own = await send(
      'POST',
      { path: '/api/v1/drift/ack', body: { resource_key: key, reason: 'theirs' } },
      admin!.token,
    );
    expect([own.status, own.body.reason]).toEqual([201, 'theirs']);
  }, 60_000);

  it("shows a tenant's admin its own tenant's audit entries, and the bootstrap token every tenant's", async () => {
    const [admin] = otherTenant.callers;
    const own = await auditEntryOf(admin!.token);
    const ids = async (token: string) =>
      ((await send('GET', { path: '/api/v1/audit' }, token)).body.entries as any[]).map((e) => e.id);
    expect(await ids(admin!.token)).toContain(own);
    expect(await ids(TOKEN)).toContain(own);
    expect(await ids((await mintToken({ role: 'admin' })).token)).not.toContain(own);
  });

  it("gives another tenant's agents no read of the default tenant's state sources of their account, and its own", async () => {
    const agent = otherTenant.callers.find((c) => c.role === 'agent')!;
    const [admin] = otherTenant.callers;
    const source = (location: string) => ({ type: 's3', location, provider: 'aws', account: IDLE_ACCOUNT });
    const theirs = await api('POST', '/api/v1/state-sources', source('s3://matrix-default-idle'));
    expect(theirs.status).toBe(201);
    const body = { agent_id: 'matrix-tenant', provider: 'aws', account: IDLE_ACCOUNT, wait_seconds: 1 };
    const lease = () => send('POST', { path: '/api/v1/agents/state-lease', body }, agent.token);
    expect((await lease()).status).toBe(204);
    const own = await send('POST', { path: '/api/v1/state-sources', body: source('s3://matrix-tenant') }, admin!.token);
    expect(own.status).toBe(201);
    const held = await lease();
    expect([held.status, held.body.source_id]).toEqual([200, own.body.source_id]);
    expect((await api('DELETE', `/api/v1/state-sources/${theirs.body.source_id}`)).status).toBe(204);
  }, 30_000);

  it("leases another tenant's agents none of the default tenant's shards of their account", async () => {
    const agent = otherTenant.callers.find((c) => c.role === 'agent')!;
    await newJob(JOB_ACCOUNT);
    const body = { agent_id: 'matrix-tenant', provider: 'aws', account: JOB_ACCOUNT, wait_seconds: 2 };
    expect((await send('POST', { path: '/api/v1/agents/lease', body }, agent.token)).status).toBe(204);
  }, 30_000);
});
