import type { Context, MiddlewareHandler } from 'hono';
import { ErrorCode } from '../../contract/errors.js';
import { BOOTSTRAP_ACTOR } from '../../contract/tokens.js';
import type { AppEnv } from '../app-env.js';
import { errorBody } from '../errors.js';
import type { Principal } from '../principal.js';

/**
 * Request budgets per minute, counted by the Workers Rate Limiting binding RATE_LIMITER: per
 * Cloudflare location and eventually consistent, so a burst may pass a budget slightly. The
 * binding's own limit is fixed in wrangler.toml, so it counts units: its limit is BUDGET_UNITS a
 * minute, and a request of a budget of N a minute weighs BUDGET_UNITS / N (rounded up; exact
 * for budgets that divide it). That keeps every budget a wrangler var.
 */
export const BUDGET_UNITS = 1_000_000;
/** The binding's period (wrangler.toml); its windows turn over on the wall clock's minute. */
const WINDOW_SECONDS = 60;

/**
 * agent: the agent protocol (routes needing the agent permission), per token, sized so agents
 * with many shards are never throttled; user: every other route, per token; bootstrap: user
 * routes with DRIFTMGR_ADMIN_TOKEN; address: requests without a valid token, per client address.
 */
export type Budget = 'agent' | 'user' | 'bootstrap' | 'address';

export const BUDGET_VARS = {
  agent: 'RATE_LIMIT_AGENT_PER_MINUTE',
  user: 'RATE_LIMIT_USER_PER_MINUTE',
  bootstrap: 'RATE_LIMIT_BOOTSTRAP_PER_MINUTE',
  address: 'RATE_LIMIT_ADDRESS_PER_MINUTE',
} as const satisfies Record<Budget, keyof Env>;

const WHAT: Record<Budget, string> = {
  agent: 'agent protocol requests',
  user: 'requests',
  bootstrap: 'requests',
  address: 'requests without a valid token',
};

/** A budget's requests a minute; 0 turns it off. */
export function budgetPerMinute(env: Env, budget: Budget): number {
  const name = BUDGET_VARS[budget];
  const value = Number(env[name]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a whole number of requests, 0 for none`);
  return value;
}

/** Seconds until the binding's window turns over. */
function secondsLeftInWindow(now = Date.now()): number {
  return WINDOW_SECONDS - (Math.floor(now / 1000) % WINDOW_SECONDS);
}

/**
 * Counts one request of `who` against its budget; false once the budget is spent for this window.
 * The key names the budget's size, so units of different weights (a var changed) never add up.
 */
async function spend(env: Env, budget: Budget, who: string): Promise<boolean> {
  const perMinute = budgetPerMinute(env, budget);
  if (perMinute === 0) return true;
  const delta = Math.ceil(BUDGET_UNITS / perMinute);
  const { success } = await env.RATE_LIMITER.limit({ key: `${budget}:${perMinute}:${who}`, delta });
  return success;
}

function tooManyRequests(env: Env, budget: Budget, who: string, retryAfter: number): Response {
  const message = `${who} used its budget of ${budgetPerMinute(env, budget)} ${WHAT[budget]} a minute; retry in ${retryAfter} s`;
  return Response.json(errorBody(ErrorCode.rateLimited, message), {
    status: 429,
    headers: { 'retry-after': String(retryAfter) },
  });
}

/**
 * Addresses that spent their budget, until when (ms). Kept in this isolate so a spent address is
 * refused before its token is even read, without a binding call on every request: another isolate
 * learns it from its own next refusal, one request later.
 */
const spentAddresses = new Map<string, number>();

function spentUntil(address: string, now: number): number | null {
  const until = spentAddresses.get(address);
  if (until === undefined) return null;
  if (until > now) return until;
  spentAddresses.delete(address);
  return null;
}

function markSpent(address: string, until: number, now: number): void {
  // Entries last a minute at most: drop the expired ones before the map grows large.
  if (spentAddresses.size >= 1000) for (const [a, t] of spentAddresses) if (t <= now) spentAddresses.delete(a);
  spentAddresses.set(address, until);
}

/** The caller authenticate named; unset on public routes and when it refused the token. */
const principalOf = (c: Context<AppEnv>) => c.get('principal') as Principal | undefined;

/**
 * Before authentication: every request that ends without a valid token (public routes, refused
 * tokens) counts against its client address (CF-Connecting-IP, which Cloudflare sets), so
 * guessing tokens is limited too. Once an address has spent its budget, all its requests are
 * refused until the window turns, valid token or not: a guess that happens to be right must not
 * get through. Requests without the header (tests calling the Worker directly) have no address.
 */
export const limitAddresses: MiddlewareHandler<AppEnv> = async (c, next) => {
  const address = c.req.header('cf-connecting-ip');
  if (!address) return next();
  const now = Date.now();
  const until = spentUntil(address, now);
  if (until !== null) return tooManyRequests(c.env, 'address', `address ${address}`, Math.ceil((until - now) / 1000));
  await next();
  if (principalOf(c) || (await spend(c.env, 'address', address))) return;
  const retryAfter = secondsLeftInWindow(now);
  markSpent(address, now + retryAfter * 1000, now);
  // Replace the answer whole: Hono's setter would otherwise carry the old answer's headers over.
  c.res = undefined;
  c.res = tooManyRequests(c.env, 'address', `address ${address}`, retryAfter);
};

/** After authentication: the caller's token pays for the request from the budget of the route it reaches. */
export const limitTokens: MiddlewareHandler<AppEnv> = async (c, next) => {
  const principal = principalOf(c);
  if (!principal) return next();
  const budget: Budget =
    c.get('route')?.access.need === 'agent' ? 'agent' : principal.actor === BOOTSTRAP_ACTOR ? 'bootstrap' : 'user';
  if (!(await spend(c.env, budget, principal.actor))) {
    const who = principal.actor === BOOTSTRAP_ACTOR ? 'the bootstrap token' : `token ${principal.actor}`;
    return tooManyRequests(c.env, budget, who, secondsLeftInWindow());
  }
  await next();
};
