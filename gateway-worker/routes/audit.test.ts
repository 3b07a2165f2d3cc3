import { describe, expect, it } from 'vitest';
import { agentToken, api, lease, mintToken, startJob } from '../../test/support/worker/api.js';

interface Entry {
  id: string;
  at: string;
  actor: string;
  method: string;
  route: string;
  target: string | null;
  status: number;
}

/** The whole audit log, newest first, walked with its cursor. */
async function auditLog(limit = 500): Promise<Entry[]> {
  const entries: Entry[] = [];
  for (let cursor: string | null = ''; cursor !== null; ) {
    const page = await api('GET', `/api/v1/audit?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    entries.push(...page.body.entries);
    cursor = page.body.next_cursor;
  }
  return entries;
}

describe('the audit log', () => {
  it('records who did what to which id, and how it was answered, for mutating calls only', async () => {
    const operator = await mintToken({ role: 'operator' });
    const reader = await mintToken({ role: 'reader' });
    const before = (await auditLog()).length;

    const job = await api(
      'POST',
      '/api/v1/discovery',
      { provider: 'aws', accounts: ['111111111111'], regions: ['us-east-1'] },
      operator.token,
    );
    expect(job.status).toBe(202);
    expect((await api('POST', `/api/v1/jobs/${job.body.job_id}/cancel`, undefined, operator.token)).status).toBe(200);
    expect((await api('PUT', '/api/v1/ignore', { driftignore: '', rules: [] }, reader.token)).status).toBe(403);
    expect((await api('POST', '/api/v1/jobs/job_0none/cancel', undefined, operator.token)).status).toBe(404);
    // Reads and calls without a valid token leave nothing.
    expect((await api('GET', '/api/v1/jobs', undefined, operator.token)).status).toBe(200);
    expect((await api('PUT', '/api/v1/ignore', { driftignore: '', rules: [] }, null)).status).toBe(401);

    const entries = await auditLog();
    expect(entries).toHaveLength(before + 4);
    const newest = entries.slice(0, 4).map(({ id: _id, at: _at, ...rest }) => rest);
    expect(newest).toEqual([
      { actor: operator.id, method: 'POST', route: '/api/v1/jobs/:job_id/cancel', target: 'job_0none', status: 404 },
      { actor: reader.id, method: 'PUT', route: '/api/v1/ignore', target: null, status: 403 },
      {
        actor: operator.id,
        method: 'POST',
        route: '/api/v1/jobs/:job_id/cancel',
        target: job.body.job_id,
        status: 200,
      },
      { actor: operator.id, method: 'POST', route: '/api/v1/discovery', target: job.body.job_id, status: 202 },
    ]);
    for (const e of entries.slice(0, 4)) {
      expect(Object.keys(e).sort()).toEqual(['actor', 'at', 'id', 'method', 'route', 'status', 'target']);
      expect(Date.parse(e.at)).not.toBeNaN();
    }
  });

  it('names a token made or revoked by its id and never holds the token', async () => {
    const made = await api('POST', '/api/v1/tokens', { role: 'reader' });
    expect((await api('DELETE', `/api/v1/tokens/${made.body.id}`)).status).toBe(204);
    const [revoked, created] = await auditLog();
    expect(revoked).toMatchObject({ actor: 'bootstrap', method: 'DELETE', target: made.body.id, status: 204 });
    expect(created).toMatchObject({
      actor: 'bootstrap',
      method: 'POST',
      route: '/api/v1/tokens',
      target: made.body.id,
    });
    const secret = made.body.token.slice(made.body.token.indexOf('.') + 1);
    expect(JSON.stringify(await auditLog())).not.toContain(secret);
  });

  it('keeps the agent protocol calls that change something: granted leases, completions; not empty polls or heartbeats', async () => {
    const agent = await agentToken(['444444444444']);
    const before = (await auditLog()).length;
    expect((await lease('444444444444', {}, agent.token)).status).toBe(204);
    await startJob({ accounts: ['444444444444'] });
    const held = await lease('444444444444', { wait_seconds: 5 }, agent.token);
    expect(held.status).toBe(200);
    const { shard_id, lease_id } = held.body;
    const heartbeat = await api('POST', `/api/v1/shards/${shard_id}/heartbeat`, { lease_id }, agent.token);
    expect(heartbeat.status).toBe(200);
    const done = await api('POST', `/api/v1/shards/${shard_id}/complete`, { lease_id, resource_count: 0 }, agent.token);
    expect(done.status).toBe(200);

    const all = await auditLog();
    const mine = all
      .slice(0, all.length - before)
      .filter((e) => e.actor === agent.id)
      .map((e) => [e.route, e.target, e.status]);
    expect(mine).toEqual([
      ['/api/v1/shards/:shard_id/complete', shard_id, 200],
      ['/api/v1/agents/lease', null, 200],
    ]);
  });

  it('pages newest first with limit and cursor', async () => {
    for (let i = 0; i < 3; i++) await api('PUT', '/api/v1/ignore', { driftignore: '', rules: [] });
    const all = await auditLog();
    expect(await auditLog(2)).toEqual(all);
    expect(all.map((e) => e.id)).toEqual(
      all
        .map((e) => e.id)
        .sort()
        .reverse(),
    );
    expect((await api('GET', '/api/v1/audit?cursor=garbage')).status).toBe(400);
  });
});
