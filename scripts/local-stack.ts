import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jobWithAllShards } from '../cli/job-shards.js';
import type { JobDetail } from '../contract/api.js';
import type { DriftPage } from '../contract/drift.js';
import type { Provider } from '../contract/resource.js';
import type { TokenCreated } from '../contract/tokens.js';

/** Where `wrangler dev` keeps local D1, Durable Object and queue state between runs. */
export const PERSIST_DIR = '.wrangler/state';
const DEV_VARS = '.dev.vars';
const WRANGLER = join('node_modules', '.bin', 'wrangler');

/** A secret from .dev.vars, generated and appended on first run. */
function ensureDevSecret(name: string, generate: () => string): string {
  const existing = existsSync(DEV_VARS) ? readFileSync(DEV_VARS, 'utf8') : '';
  const match = new RegExp(`^${name}\\s*=\\s*"?([^"\\n]+)"?$`, 'm').exec(existing);
  if (match) return match[1]!;
  const value = generate();
  writeFileSync(DEV_VARS, `${existing}${existing && !existing.endsWith('\n') ? '\n' : ''}${name}=${value}\n`, {
    mode: 0o600,
  });
  console.error(`generated ${name} in ${DEV_VARS}`);
  return value;
}

/**
 * The admin token from .dev.vars, generating it on first run, together with DRIFTMGR_HASH_KEY,
 * the key sensitive state values are hashed with.
 */
export function ensureAdminToken(): string {
  const token = ensureDevSecret('DRIFTMGR_ADMIN_TOKEN', () => `dm_${randomBytes(24).toString('hex')}`);
  ensureDevSecret('DRIFTMGR_HASH_KEY', () => randomBytes(32).toString('hex'));
  return token;
}

/** Applies pending D1 migrations to the local database. */
export function applyLocalMigrations(persistDir = PERSIST_DIR): void {
  const result = spawnSync(WRANGLER, ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CI: 'true' },
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error('applying D1 migrations failed');
  }
}

/**
 * Bundles the Worker once into `outDir` (its `index.js`), as `wrangler deploy` would without
 * deploying. `wrangler dev` on that bundle (`-c wrangler.toml <outDir>/index.js --no-bundle`)
 * runs this build however the checkout's sources change meanwhile, instead of reloading.
 */
export function bundleWorker(outDir: string): string {
  const result = spawnSync(WRANGLER, ['deploy', '--dry-run', '--outdir', outDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    throw new Error('bundling the Worker failed');
  }
  return join(outDir, 'index.js');
}

/**
 * Starts `wrangler dev` with local persistence; extra wrangler flags pass straight through.
 * With `ownProcessGroup`, wrangler and the workerd it starts form a group of their own, so the
 * whole server can be killed at once (`process.kill(-child.pid, signal)`), as a crash would.
 */
export function startWranglerDev(
  extraArgs: string[],
  stdio: 'inherit' | 'pipe' = 'inherit',
  persistDir = PERSIST_DIR,
  ownProcessGroup = false,
): ChildProcess {
  const args = ['dev', '--persist-to', persistDir, '--ip', '127.0.0.1', '--show-interactive-dev-session=false'];
  if (!extraArgs.some((a) => a === '--port' || a.startsWith('--port='))) args.push('--port', '8787');
  return spawn(WRANGLER, [...args, ...extraArgs], {
    stdio: ['ignore', stdio, stdio],
    env: process.env,
    detached: ownProcessGroup,
  });
}

/** Waits until the gateway answers /health. */
export async function waitForGateway(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`the gateway at ${url} did not come up within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** A JSON call to the gateway as the admin; a non-2xx answer throws with the server's body. */
export type GatewayCall = <T>(method: string, path: string, body?: unknown) => Promise<T>;

export function gatewayClient(base: string, token: string): GatewayCall {
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
}

/** An agent token made with the admin's `call`, bound to one provider and its accounts: agents never hold the admin token. */
export async function mintAgentToken(
  call: GatewayCall,
  provider: Provider,
  accounts: string[],
  description: string,
): Promise<string> {
  const { token } = await call<TokenCreated>('POST', '/api/v1/tokens', {
    role: 'agent',
    provider,
    accounts,
    description,
  });
  return token;
}

/** The job with every one of its shards, following the shard cursor. */
export function allShardsOf(call: GatewayCall, jobId: string): Promise<JobDetail> {
  return jobWithAllShards((query) =>
    call<JobDetail>(
      'GET',
      `/api/v1/jobs/${jobId}?${new URLSearchParams({ ...query, shards_limit: String(query.shards_limit) })}`,
    ),
  );
}

/** Every drift item of a job, following the cursor. */
export async function driftOf(call: GatewayCall, jobId: string): Promise<DriftPage> {
  const first = await call<DriftPage>('GET', `/api/v1/drift?job_id=${jobId}&limit=1000`);
  for (let page = first; page.next_cursor; ) {
    page = await call<DriftPage>(
      'GET',
      `/api/v1/drift?job_id=${jobId}&limit=1000&cursor=${encodeURIComponent(page.next_cursor)}`,
    );
    first.items.push(...page.items);
  }
  return first;
}
