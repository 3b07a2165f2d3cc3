import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { TOKEN } from '../../test/support/worker/api.js';

/** Calls the gateway with a raw Authorization header (or none), keeping the response headers. */
async function call(
  method: string,
  path: string,
  authorization: string | undefined,
  body?: unknown,
): Promise<Response> {
  const headers: Record<string, string> = {};
  if (authorization !== undefined) headers.authorization = authorization;
  if (body !== undefined) headers['content-type'] = 'application/json';
  return exports.default.fetch(
    new Request(`http://gateway.test${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
}

// User routes, the agent protocol and the metrics scrape all sit behind the same check.
const ROUTES: { method: string; path: string; body?: unknown }[] = [
  { method: 'GET', path: '/api/v1/jobs' },
  {
    method: 'POST',
    path: '/api/v1/discovery',
    body: { provider: 'aws', regions: ['us-east-1'], sharding: { type: 'region', shard_size: 100 } },
  },
  { method: 'GET', path: '/api/v1/export' },
  {
    method: 'POST',
    path: '/api/v1/agents/lease',
    body: { agent_id: 'agent-a', provider: 'aws', account: '111111111111', wait_seconds: 0 },
  },
  { method: 'POST', path: '/api/v1/shards/job_x.0/heartbeat', body: { lease_id: 'l' } },
  { method: 'POST', path: '/api/v1/shards/job_x.0/results', body: { lease_id: 'l', sequence: 0, resources: [] } },
  { method: 'POST', path: '/api/v1/shards/job_x.0/complete', body: { lease_id: 'l', resource_count: 0 } },
  { method: 'GET', path: '/metrics' },
];

// The same-length wrong tokens differ in the first, a middle and the last character.
const sameLength = (at: number) => `${TOKEN.slice(0, at)}${TOKEN[at] === 'x' ? 'y' : 'x'}${TOKEN.slice(at + 1)}`;
const REFUSED: [string, string | undefined][] = [
  ['a prefix of the token', `Bearer ${TOKEN.slice(0, -1)}`],
  ['a short prefix of the token', `Bearer ${TOKEN.slice(0, 4)}`],
  ['the token plus a suffix', `Bearer ${TOKEN}x`],
  ['the token plus a word', `Bearer ${TOKEN} extra`],
  ['a same-length token wrong in its first character', `Bearer ${sameLength(0)}`],
  ['a same-length token wrong in a middle character', `Bearer ${sameLength(TOKEN.length >> 1)}`],
  ['a same-length token wrong in its last character', `Bearer ${sameLength(TOKEN.length - 1)}`],
  ['the token under the Basic scheme', `Basic ${TOKEN}`],
  ['the token without a scheme', TOKEN],
  ['the scheme without a token', 'Bearer '],
  ['an empty header', ''],
  ['no header', undefined],
];

describe('bearer token check', () => {
  for (const route of ROUTES) {
    describe(`${route.method} ${route.path}`, () => {
      it.each(REFUSED)('refuses %s with 401, the JSON error and WWW-Authenticate', async (_what, authorization) => {
        const res = await call(route.method, route.path, authorization, route.body);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer realm="driftmgr"');
        expect(await res.json()).toEqual({
          error: { code: 'unauthorized', message: 'missing or invalid bearer token' },
        });
      });
    });
  }

  it('lets the right token through, whatever the case of the scheme', async () => {
    for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`]) {
      const jobs = await call('GET', '/api/v1/jobs', authorization);
      expect(jobs.status).toBe(200);
      expect(jobs.headers.get('www-authenticate')).toBeNull();
    }
    const lease = await call('POST', '/api/v1/agents/lease', `Bearer ${TOKEN}`, ROUTES[3]!.body);
    expect(lease.status).toBe(204);
    const metrics = await call('GET', '/metrics', `Bearer ${TOKEN}`);
    expect(metrics.status).toBe(200);
    // Past the check, a shard of a job that does not exist is the coordinator's 404, not a 401.
    const heartbeat = await call('POST', '/api/v1/shards/job_x.0/heartbeat', `Bearer ${TOKEN}`, { lease_id: 'l' });
    expect(heartbeat.status).toBe(404);
  });
});
