import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobDetail } from '../contract/api.js';
import { startEmulator } from '../emulator/server.js';
import { ensureBuilt } from '../scripts/build.js';
import {
  applyLocalMigrations,
  ensureAdminToken,
  gatewayClient,
  startWranglerDev,
  waitForGateway,
} from '../scripts/local-stack.js';
import { freePort } from '../test/support/free-port.js';

export interface AgentBenchOptions {
  /** Estate size; AWS gets half, over two accounts and two regions. */
  resources: number;
  latencyMs: number;
  sharding: 'region' | 'resource-type' | 'account';
  shardSize: number;
  concurrency: number;
}

/** Peak resident set (VmHWM) of a process, in MB, while it runs. */
function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * One real agent process (driftmgr-agent, AWS SDK) discovering one AWS account from the
 * emulator through the real gateway in `wrangler dev`: resources per second from the
 * discovery request until every shard succeeded, and the agent's peak RSS. The agent runs as
 * installed, compiled in dist/ (built first, so building is not timed).
 */
export async function benchAgent(opts: AgentBenchOptions) {
  await ensureBuilt();
  const persistDir = mkdtempSync(join(tmpdir(), 'driftmgr-bench-agent-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const token = ensureAdminToken();
  applyLocalMigrations(persistDir);
  const dev = startWranglerDev(['--port', String(port)], 'pipe', persistDir);
  const emulator = await startEmulator({ port: 0, seed: 7, resources: opts.resources, latencyMs: opts.latencyMs });
  const call = gatewayClient(base, token);
  try {
    await waitForGateway(base);
    const account = emulator.accounts.aws[0]!;
    const expected = emulator.estate.resources.filter((r) => r.provider === 'aws' && r.account === account).length;
    const started = performance.now();
    const { job_id } = await call<{ job_id: string }>('POST', '/api/v1/discovery', {
      provider: 'aws',
      accounts: [account],
      regions: emulator.regions.aws,
      sharding: { type: opts.sharding, shard_size: opts.shardSize },
    });
    const args = [
      'bin/driftmgr-agent.js',
      '--gateway',
      base,
      '--token',
      token,
      '--provider',
      'aws',
      '--account',
      account,
    ];
    args.push('--concurrency', String(opts.concurrency), '--once', '--wait-seconds', '2', '--log-level', 'warn');
    const agent = spawn(process.execPath, args, {
      env: { ...process.env, ...emulator.agentEnv('aws', account) },
      stdio: 'ignore',
    });
    let peak = 0;
    const sampler = setInterval(() => {
      try {
        peak = Math.max(peak, peakRssMb(agent.pid!));
      } catch {
        // the agent has exited
      }
    }, 100);
    let job: JobDetail;
    for (;;) {
      job = await call<JobDetail>('GET', `/api/v1/jobs/${job_id}?shards_limit=0`);
      const open = job.counts.shards_pending + job.counts.shards_leased;
      if (open === 0 || job.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    agent.kill('SIGTERM');
    await new Promise((r) => (agent.exitCode === null ? agent.once('exit', r) : r(null)));
    return {
      ...opts,
      status: job.status,
      shards: job.counts.shards_total,
      resources_expected: expected,
      resources_discovered: job.counts.resources_discovered,
      seconds: Math.round(seconds * 10) / 10,
      resources_per_second: Math.round(job.counts.resources_discovered / seconds),
      agent_peak_rss_mb: Math.round(peak),
    };
  } finally {
    await emulator.close();
    dev.kill('SIGTERM');
    await new Promise((r) => dev.once('exit', r));
    rmSync(persistDir, { recursive: true, force: true });
  }
}
