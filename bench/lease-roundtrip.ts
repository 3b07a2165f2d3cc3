import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyLocalMigrations,
  ensureAdminToken,
  gatewayClient,
  mintAgentToken,
  startWranglerDev,
  waitForGateway,
} from '../scripts/local-stack.js';
import { freePort } from '../test/support/free-port.js';
import { summarise, timed } from './stats.js';
import { cpuSecondsOf, processTree, roleOf } from './throughput.js';

/** CPU seconds the gateway's workerd processes (under wrangler `devPid`) have used so far. */
function workerdCpuSeconds(devPid: number): number {
  return processTree(devPid)
    .filter((p) => roleOf(p.pid, devPid) === 'workerd')
    .reduce((sum, p) => sum + cpuSecondsOf(p.pid), 0);
}

/**
 * Control-plane latency under `wrangler dev` on this machine: lease, heartbeat, a results
 * chunk of 100 resources (queue send included) and complete, one shard after another, called
 * with an agent token as agents call them. `workerd_cpu_ms_per_shard` is workerd's CPU time from
 * the first lease until the queue consumer has written every chunk (the job analysing), per
 * shard: what a shard costs the control plane whatever the machine's load.
 */
export async function benchLeaseRoundTrip(shards = 100) {
  const persistDir = mkdtempSync(join(tmpdir(), 'driftmgr-bench-'));
  const port = await freePort();
  const token = ensureAdminToken();
  applyLocalMigrations(persistDir);
  const dev = startWranglerDev(['--port', String(port)], 'pipe', persistDir);
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForGateway(base);
    const admin = gatewayClient(base, token);
    const account = '210987654321';
    const call = gatewayClient(base, await mintAgentToken(admin, 'aws', [account], 'bench agent'));
    const post = (path: string, body: unknown) => call('POST', path, body);
    const regions = Array.from({ length: shards }, (_, i) => `bench-region-${i}`);
    const { job_id } = await admin<{ job_id: string }>('POST', '/api/v1/discovery', {
      provider: 'aws',
      accounts: [account],
      regions,
      resource_types: ['AWS::EC2::Instance'],
    });
    const cpuBefore = workerdCpuSeconds(dev.pid!);
    const lease: number[] = [];
    const heartbeat: number[] = [];
    const results: number[] = [];
    const complete: number[] = [];
    for (let i = 0; i < shards; i++) {
      const [leased, tLease] = await timed(() =>
        call<{ shard_id: string; lease_id: string; work: { region: string }[] }>('POST', '/api/v1/agents/lease', {
          agent_id: 'bench',
          provider: 'aws',
          account,
          wait_seconds: 5,
        }),
      );
      const { shard_id, lease_id, work } = leased;
      const region = work[0]!.region;
      const resources = Array.from({ length: 100 }, (_, n) => ({
        provider: 'aws',
        account,
        region,
        type: 'AWS::EC2::Instance',
        id: `i-${i}-${n}`,
        attributes: { InstanceType: 't3.micro', State: { Name: 'running' } },
        tags: { Name: `bench-${n}` },
      }));
      const [, tHeartbeat] = await timed(() => post(`/api/v1/shards/${shard_id}/heartbeat`, { lease_id }));
      const [, tResults] = await timed(() =>
        post(`/api/v1/shards/${shard_id}/results`, { lease_id, sequence: 0, resources }),
      );
      const [, tComplete] = await timed(() =>
        post(`/api/v1/shards/${shard_id}/complete`, { lease_id, resource_count: 100 }),
      );
      lease.push(tLease);
      heartbeat.push(tHeartbeat);
      results.push(tResults);
      complete.push(tComplete);
    }
    while ((await admin<{ status: string }>('GET', `/api/v1/jobs/${job_id}?shards_limit=0`)).status === 'running') {
      await new Promise((r) => setTimeout(r, 500));
    }
    const cpuMs = (workerdCpuSeconds(dev.pid!) - cpuBefore) * 1000;
    return {
      shards,
      workerd_cpu_ms_per_shard: Math.round(cpuMs / shards),
      lease_ms: summarise(lease),
      heartbeat_ms: summarise(heartbeat),
      results_100_resources_ms: summarise(results),
      complete_ms: summarise(complete),
    };
  } finally {
    dev.kill('SIGTERM');
    await new Promise((r) => dev.once('exit', r));
    rmSync(persistDir, { recursive: true, force: true });
  }
}
