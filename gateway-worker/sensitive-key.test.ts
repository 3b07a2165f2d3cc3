import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { sensitiveKeyFrom } from '../engine/index.js';
import { api, HASH_KEY, TOKEN } from '../test/support/worker/api.js';
import { sensitiveKeyOf } from './sensitive-key.js';

describe('sensitiveKeyOf', () => {
  it('derives the key from DRIFTMGR_HASH_KEY, or from the admin token when it is not set', () => {
    expect(sensitiveKeyOf(env)).toEqual(sensitiveKeyFrom(HASH_KEY));
    expect(sensitiveKeyOf({ ...env, DRIFTMGR_HASH_KEY: 'hash secret' })).toEqual(sensitiveKeyFrom('hash secret'));
    expect(sensitiveKeyOf({ ...env, DRIFTMGR_HASH_KEY: undefined })).toEqual(sensitiveKeyFrom(TOKEN));
    expect(sensitiveKeyOf({ ...env, DRIFTMGR_HASH_KEY: 'hash secret' })).not.toEqual(
      sensitiveKeyOf({ ...env, DRIFTMGR_HASH_KEY: undefined }),
    );
  });

  it('refuses to hash with no secret at all', () => {
    expect(() => sensitiveKeyOf({ ...env, DRIFTMGR_HASH_KEY: undefined, DRIFTMGR_ADMIN_TOKEN: undefined })).toThrow(
      /DRIFTMGR_HASH_KEY/,
    );
  });
});

describe('an imported state', () => {
  it('stores no secret of a type analysis does not read, listed in sensitive_attributes or not', async () => {
    const state = {
      version: 4,
      serial: 1,
      lineage: 'ab000000-0000-4000-8000-0000000000ab',
      resources: [
        {
          mode: 'managed',
          type: 'random_password',
          name: 'db',
          provider: 'p',
          instances: [{ attributes: { id: 'none', result: 'Tr0ub4dor&3' } }],
        },
        {
          mode: 'managed',
          type: 'aws_db_instance',
          name: 'db',
          provider: 'p',
          instances: [{ attributes: { id: 'db-1', password: 'hunter2' }, sensitive_attributes: [] }],
        },
      ],
    };
    expect((await api('POST', '/api/v1/import?workspace=secrets', state)).status).toBe(201);
    const exported = await api('GET', '/api/v1/export');
    const text = JSON.stringify(exported.body.states);
    expect(text).not.toContain('Tr0ub4dor&3');
    expect(text).not.toContain('hunter2');
    const instances = exported.body.states.find((s: { workspace: string }) => s.workspace === 'secrets').instances;
    // Neither attribute is read by analysis, so neither is kept, not even as a hash.
    expect(instances.map((i: { attributes: Record<string, unknown> }) => i.attributes)).toEqual([
      { id: 'none' },
      { id: 'db-1' },
    ]);
  });
});
