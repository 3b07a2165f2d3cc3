import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyLocalMigrations,
  ensureAdminToken,
  gatewayClient,
  startWranglerDev,
  waitForGateway,
} from '../scripts/local-stack.js';
import { freePort } from '../test/support/free-port.js';
import { summarise, timed } from './stats.js';

/**
 * Control-plane latency under `wrangler dev` on this machine: lease, heartbeat, a results
 * chunk of 100 resources (queue send included) and complete, one shard after another.
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
    const call = gatewayClient(base, token);
    const post = (path: string, body: unknown) => call('POST', path, body);
    const account = '210987654321';
    const regions = Array.from({ length: shards }, (_, i) => `bench-region-${i}`);
    await post('/api/v1/discovery', {
      provider: 'aws',
      accounts: [account],
      regions,
      resource_types: ['AWS::EC2::Instance'],
    });
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
    return {
      shards,
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
