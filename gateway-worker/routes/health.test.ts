import { env } from 'cloudflare:workers';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../app.js';

const health = (bindings: Env) => createApp().fetch(new Request('http://gateway.test/health'), bindings);

describe('GET /health', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers ok with the store in use', async () => {
    const res = await health(env);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', storage: 'd1', time: expect.any(String) });
  });

  it('answers 503 degraded without the cause, and logs the cause', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    // A Postgres nothing listens for: the driver's error names the host, port and user.
    const unreachable = {
      ...env,
      DRIFTMGR_STORAGE: 'postgres',
      HYPERDRIVE: { ...env.HYPERDRIVE, connectionString: 'postgres://driftmgr:s3cret@127.0.0.1:1/internal_db' },
    } as unknown as Env;
    const res = await health(unreachable);
    expect(res.status).toBe(503);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ status: 'degraded', storage: 'unreachable', time: expect.any(String) });
    expect(text).not.toMatch(/127\.0\.0\.1|internal_db|driftmgr|error|ECONN|postgres/i);
    const entry = JSON.parse(logged.mock.calls[0]![0] as string);
    expect(entry).toMatchObject({ level: 'error', msg: 'health check: storage unreachable', storage: 'postgres' });
    expect(entry.error).not.toBe('');
  });
});
