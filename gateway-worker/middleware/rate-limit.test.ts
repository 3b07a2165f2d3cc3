import { createExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import { mintToken, TOKEN } from '../../test/support/worker/api.js';
import { createApp } from '../app.js';
import { BUDGET_UNITS } from './rate-limit.js';

/** Budgets a test can spend; wrangler.toml has the real ones. */
const SMALL = {
  RATE_LIMIT_USER_PER_MINUTE: '3',
  RATE_LIMIT_AGENT_PER_MINUTE: '5',
  RATE_LIMIT_BOOTSTRAP_PER_MINUTE: '4',
  RATE_LIMIT_ADDRESS_PER_MINUTE: '3',
};
const small = { ...env, ...SMALL } as unknown as Env;
const app = createApp();

async function call(
  method: string,
  path: string,
  token: string | null,
  headers: Record<string, string> = {},
): Promise<Response> {
  const all: Record<string, string> = { ...headers };
  if (token) all.authorization = `Bearer ${token}`;
  if (method === 'POST') all['content-type'] = 'application/json';
  const body = method === 'POST' ? JSON.stringify({ lease_id: 'lease_0' }) : undefined;
  return app.fetch(
    new Request(`http://gateway.test${path}`, { method, headers: all, body }),
    small,
    createExecutionContext(),
  );
}

/** Calls until one is refused (at most `cap` times): the statuses of those that were not, and the refusal. */
async function spend(request: () => Promise<Response>, cap = 20) {
  const passed: number[] = [];
  for (let i = 0; i < cap; i++) {
    const res = await request();
    if (res.status === 429) return { passed, refusal: res };
    passed.push(res.status);
    await res.body?.cancel();
  }
  throw new Error(`no 429 after ${cap} calls`);
}

async function refusalOf(res: Response) {
  return { retryAfter: Number(res.headers.get('retry-after')), body: (await res.json()) as any };
}

/** Unique per run, so no other test's requests share a budget's key. */
const address = () => `2001:db8::${crypto.randomUUID().slice(0, 4)}:${crypto.randomUUID().slice(0, 4)}`;

describe('rate limits', () => {
  // The binding's window turns on the wall clock's minute: start well inside one, so each test's
  // counts come from a single window (a sleep of a few seconds at most, never an assertion on time).
  beforeEach(async () => {
    while (60 - ((Date.now() / 1000) % 60) < 5) await new Promise((r) => setTimeout(r, 500));
  });

  it('has the binding count BUDGET_UNITS a window, as the weights assume', async () => {
    const key = `units-check:${crypto.randomUUID()}`;
    const spendUnits = async (delta: number) => (await env.RATE_LIMITER.limit({ key, delta })).success;
    expect(await spendUnits(BUDGET_UNITS - 1)).toBe(true);
    expect(await spendUnits(1)).toBe(true);
    expect(await spendUnits(1)).toBe(false);
  });

  it('refuses a token past its budget with 429, rate_limited and Retry-After; another token is unaffected', async () => {
    const a = await mintToken({ role: 'reader' });
    const b = await mintToken({ role: 'reader' });
    const { passed, refusal } = await spend(() => call('GET', '/api/v1/jobs', a.token));
    expect(passed).toEqual([200, 200, 200]);
    const { retryAfter, body } = await refusalOf(refusal);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(body).toEqual({
      error: {
        code: 'rate_limited',
        message: `token ${a.id} used its budget of 3 requests a minute; retry in ${retryAfter} s`,
      },
    });
    expect((await call('GET', '/api/v1/jobs', b.token)).status).toBe(200);
    expect((await call('GET', '/api/v1/jobs', a.token)).status).toBe(429);
  });

  it('gives the agent protocol a budget of its own, apart from the same token’s user budget', async () => {
    const admin = await mintToken({ role: 'admin' });
    const user = await spend(() => call('GET', '/api/v1/jobs', admin.token));
    expect(user.passed).toHaveLength(3);
    // Spent on user routes, the token still speaks the agent protocol (404: no such shard).
    const agent = await spend(() => call('POST', '/api/v1/shards/shd_none/heartbeat', admin.token));
    expect(agent.passed).toEqual([404, 404, 404, 404, 404]);
    expect((await refusalOf(agent.refusal)).body.error.message).toMatch(
      new RegExp(`^token ${admin.id} used its budget of 5 agent protocol requests a minute`),
    );
  });

  it('gives the bootstrap token a budget of its own', async () => {
    const { passed, refusal } = await spend(() => call('GET', '/api/v1/jobs', TOKEN));
    expect(passed).toEqual([200, 200, 200, 200]);
    expect((await refusalOf(refusal)).body.error.message).toMatch(
      /^the bootstrap token used its budget of 4 requests a minute/,
    );
  });

  it('counts requests without a valid token per address, then refuses the address whatever token it shows', async () => {
    const guesser = address();
    const reader = await mintToken({ role: 'reader' });
    const guess = () => call('GET', '/api/v1/jobs', 'tok_guess.wrong', { 'cf-connecting-ip': guesser });
    const { passed, refusal } = await spend(guess);
    expect(passed).toEqual([401, 401, 401]);
    const { retryAfter, body } = await refusalOf(refusal);
    expect(body.error).toEqual({
      code: 'rate_limited',
      message: `address ${guesser} used its budget of 3 requests without a valid token a minute; retry in ${retryAfter} s`,
    });
    // A right guess from the spent address gets no answer either.
    expect((await call('GET', '/api/v1/jobs', reader.token, { 'cf-connecting-ip': guesser })).status).toBe(429);
    expect((await call('GET', '/health', null, { 'cf-connecting-ip': guesser })).status).toBe(429);
    // Other addresses are unaffected, and a valid token costs its address nothing.
    const other = address();
    expect((await call('GET', '/api/v1/jobs', 'tok_guess.wrong', { 'cf-connecting-ip': other })).status).toBe(401);
    const office = address();
    for (let i = 0; i < 3; i++)
      expect((await call('GET', '/api/v1/jobs', reader.token, { 'cf-connecting-ip': office })).status).not.toBe(429);
    expect((await call('GET', '/health', null, { 'cf-connecting-ip': office })).status).toBe(200);
  });
});
