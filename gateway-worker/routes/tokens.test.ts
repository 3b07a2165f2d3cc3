import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { agentToken, api, mintToken } from '../../test/support/worker/api.js';

const TOKEN_SHAPE = /^tok_[0-9a-z]+\.[A-Za-z0-9_-]{43}$/;

/** Every value stored in the tokens table, as text. */
async function storedTokenText(): Promise<string> {
  const { results } = await env.DB.prepare('SELECT * FROM api_tokens').all();
  return JSON.stringify(results);
}

describe('POST /api/v1/tokens', () => {
  it('makes a token bound as asked and shows it once: no later answer, log or row holds it', async () => {
    const tenant = await api('POST', '/api/v1/tenants', { name: 'team a' });
    expect(tenant.status).toBe(201);
    const res = await api('POST', '/api/v1/tokens', {
      role: 'agent',
      provider: 'aws',
      accounts: ['123456789012', '210987654321'],
      require_proof: true,
      description: 'prod agents',
      tenant_id: tenant.body.tenant_id,
      expires_in: 3600,
    });
    expect(res.status).toBe(201);
    const { token, ...info } = res.body;
    expect(token).toMatch(TOKEN_SHAPE);
    expect(token.startsWith(`${info.id}.`)).toBe(true);
    expect(info).toMatchObject({
      role: 'agent',
      provider: 'aws',
      accounts: ['123456789012', '210987654321'],
      require_proof: true,
      description: 'prod agents',
      tenant_id: tenant.body.tenant_id,
      created_by: 'bootstrap',
      revoked_at: null,
    });
    expect(Date.parse(info.expires_at) - Date.parse(info.created_at)).toBe(3600 * 1000);

    const secret = token.slice(token.indexOf('.') + 1);
    const listed = await api('GET', '/api/v1/tokens');
    expect(listed.body.tokens).toContainEqual(info);
    for (const text of [
      JSON.stringify(listed.body),
      JSON.stringify((await api('GET', '/api/v1/audit')).body),
      JSON.stringify((await api('GET', '/api/v1/export')).body),
      await storedTokenText(),
    ]) {
      expect(text).not.toContain(secret);
    }
    // What is stored is the SHA-256 of the token, nothing that gives the token back.
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
    const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    expect(await storedTokenText()).toContain(hex);
  });

  it('works from the next call on, and names the token that made a token', async () => {
    const admin = await mintToken({ role: 'admin' });
    const made = await api('POST', '/api/v1/tokens', { role: 'reader' }, admin.token);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ created_by: admin.id, expires_at: null, provider: null, accounts: null });
    expect((await api('GET', '/api/v1/jobs', undefined, made.body.token)).status).toBe(200);
  });

  it.each([
    ['an unknown role', { role: 'root' }, 'role'],
    ['an agent without a provider', { role: 'agent', accounts: ['123456789012'] }, 'provider'],
    ['an agent without accounts', { role: 'agent', provider: 'aws' }, 'accounts'],
    ['a reader bound to accounts', { role: 'reader', accounts: ['123456789012'] }, 'accounts'],
    ['an operator that must prove an account', { role: 'operator', require_proof: true }, 'require_proof'],
    ['an AWS account that is not 12 digits', { role: 'agent', provider: 'aws', accounts: ['12345'] }, 'accounts.0'],
    [
      'an account of control and direction characters',
      { role: 'agent', provider: 'aws', accounts: ['\u0000\u202e'] },
      'accounts.0',
    ],
    ['a GCP project id with a slash', { role: 'agent', provider: 'gcp', accounts: ['proj/../x'] }, 'accounts.0'],
    ['an Azure subscription that is no GUID', { role: 'agent', provider: 'azure', accounts: ['sub-1'] }, 'accounts.0'],
    ['an account twice', { role: 'agent', provider: 'aws', accounts: ['123456789012', '123456789012'] }, 'accounts'],
    [
      'proof from a cloud that cannot give it yet',
      { role: 'agent', provider: 'gcp', accounts: ['driftmgr-proj'], require_proof: true },
      'require_proof',
    ],
    ['a lifetime of zero', { role: 'reader', expires_in: 0 }, 'expires_in'],
    ['a tenant id with spaces', { role: 'reader', tenant_id: 'team a' }, 'tenant_id'],
  ])('refuses %s with 400 naming the field', async (_what, body, field) => {
    const res = await api('POST', '/api/v1/tokens', body);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(`${field}:`);
  });
});

describe('GET /api/v1/tokens', () => {
  it('pages tokens in the order they were made', async () => {
    const made = [await mintToken({ role: 'reader' }), await mintToken({ role: 'reader' })];
    const ids: string[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page = await api('GET', `/api/v1/tokens?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.tokens.length).toBeLessThanOrEqual(1);
      ids.push(...page.body.tokens.map((t: { id: string }) => t.id));
      cursor = page.body.next_cursor;
    }
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(made.map((t) => t.id)));
    expect((await api('GET', '/api/v1/tokens?cursor=nonsense')).status).toBe(400);
  });
});

describe('DELETE /api/v1/tokens/{id}', () => {
  it('refuses the revoked token from the very next call, and only that token', async () => {
    const doomed = await agentToken(['123456789012']);
    const kept = await mintToken({ role: 'reader' });
    const lease = { agent_id: 'a', provider: 'aws', account: '123456789012', wait_seconds: 0 };
    expect((await api('POST', '/api/v1/agents/lease', lease, doomed.token)).status).toBe(204);

    expect((await api('DELETE', `/api/v1/tokens/${doomed.id}`)).status).toBe(204);
    const refused = await api('POST', '/api/v1/agents/lease', lease, doomed.token);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toEqual({ code: 'unauthorized', message: 'the token was revoked' });
    expect((await api('GET', '/api/v1/jobs', undefined, kept.token)).status).toBe(200);

    const listed = (await api('GET', '/api/v1/tokens?limit=200')).body.tokens.find(
      (t: { id: string }) => t.id === doomed.id,
    );
    expect(listed.revoked_at).not.toBeNull();
    // Revoking again changes nothing; an unknown id is a 404.
    expect((await api('DELETE', `/api/v1/tokens/${doomed.id}`)).status).toBe(204);
    expect((await api('DELETE', '/api/v1/tokens/tok_none')).status).toBe(404);
  });
});

describe('the OpenAPI document', () => {
  it('describes the token and audit routes and the proof a lease may carry', async () => {
    const doc = (await api('GET', '/api/v1/openapi.json', undefined, null)).body;
    expect(Object.keys(doc.paths['/api/v1/tokens'])).toEqual(['post', 'get']);
    expect(Object.keys(doc.paths['/api/v1/tokens/{id}'])).toEqual(['delete']);
    expect(doc.paths['/api/v1/audit'].get.responses).toHaveProperty('403');
    const lease = doc.paths['/api/v1/agents/lease'].post.requestBody.content['application/json'].schema;
    expect(JSON.stringify(lease)).toContain('aws-sts');
  });
});
