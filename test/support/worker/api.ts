import { exports } from 'cloudflare:workers';
import type { DiscoveredResource } from '../../../contract/resource.js';

export const TOKEN = 'test-admin-token';
/** DRIFTMGR_HASH_KEY of the test Worker (vitest.workers.config.ts). */
export const HASH_KEY = 'test-hash-key';

/** Calls the gateway Worker as an HTTP client would. */
export async function api(
  method: string,
  path: string,
  body?: unknown,
  token: string | null = TOKEN,
): Promise<{ status: number; body: any }> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await exports.default.fetch(
    new Request(`http://gateway.test${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Makes a token with the bootstrap admin token; the answer holds the token itself. */
export async function mintToken(body: Record<string, unknown>): Promise<{ id: string; token: string }> {
  const res = await api('POST', '/api/v1/tokens', body);
  if (res.status !== 201) throw new Error(`token not made: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** An agent token for AWS accounts. */
export const agentToken = (accounts: string[], extra: Record<string, unknown> = {}) =>
  mintToken({ role: 'agent', provider: 'aws', accounts, ...extra });

export function resource(account: string, region: string, type: string, id: string): DiscoveredResource {
  return { provider: 'aws', account, region, type, id, attributes: { id, size: 8 }, tags: { team: 'core' } };
}

export async function startJob(overrides: Record<string, unknown> = {}) {
  const res = await api('POST', '/api/v1/discovery', {
    provider: 'aws',
    accounts: ['111111111111'],
    regions: ['us-east-1'],
    resource_types: ['AWS::EC2::Instance'],
    ...overrides,
  });
  if (res.status !== 202) throw new Error(`discovery failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { job_id: string; status: string; shards: number };
}

export async function lease(account = '111111111111', extra: Record<string, unknown> = {}, token = TOKEN) {
  return api(
    'POST',
    '/api/v1/agents/lease',
    { agent_id: 'agent-a', provider: 'aws', account, wait_seconds: 0, ...extra },
    token,
  );
}

/** Polls a job until it reaches one of the statuses or the time runs out. */
export async function waitForJob(jobId: string, statuses: string[], timeoutMs = 15_000, token = TOKEN) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await api('GET', `/api/v1/jobs/${jobId}`, undefined, token);
    if (statuses.includes(res.body.status) || Date.now() > deadline) return res.body;
    await new Promise((r) => setTimeout(r, 100));
  }
}
