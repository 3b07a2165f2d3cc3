import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningEmulator, startEmulator } from '../../emulator/server.js';
import {
  allShardsOf,
  ensureAdminToken,
  type GatewayCall,
  gatewayClient,
  mintAgentToken,
} from '../../scripts/local-stack.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { until } from '../support/until.js';

// The real system: wrangler dev (Durable Objects, queues, D1), the emulator with slow calls,
// and two real agent processes. One agent is killed mid-shard; the other must finish its
// shard once the lease expires, and the inventory must hold every resource exactly once.
// Short enough to keep the test quick; attempts generous so a loaded machine cannot fail the shard.
const LEASE_TTL_SECONDS = 5;

const persistDir = mkdtempSync(join(tmpdir(), 'driftmgr-failover-'));
const children: ChildProcess[] = [];
let emulator: RunningEmulator;
let base: string;
let gateway: TestGateway;
let call: GatewayCall;
/** The agents' own token (role agent, for the one account), made with the admin token. */
let agentToken: string;

function startAgent(name: string, account: string): ChildProcess {
  const args = ['bin/driftmgr-agent.js', '--gateway', base, '--provider', 'aws', '--account', account];
  args.push('--concurrency', '1', '--agent-id', name, '--wait-seconds', '2', '--log-level', 'warn');
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...emulator.agentEnv('aws', account), DRIFTMGR_AGENT_TOKEN: agentToken },
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

beforeAll(async () => {
  emulator = await startEmulator({ port: 0, seed: 11, resources: 1200, latencyMs: 150 });
  const vars = ['--var', `LEASE_TTL_SECONDS:${LEASE_TTL_SECONDS}`, '--var', 'MAX_SHARD_ATTEMPTS:10'];
  gateway = await startTestGateway(persistDir, vars);
  base = gateway.url;
  call = gatewayClient(base, ensureAdminToken());
  agentToken = await mintAgentToken(call, 'aws', [emulator.accounts.aws[0]!], 'failover test agents');
}, 240_000);

afterAll(async () => {
  // SIGTERM, not SIGKILL: wrangler's launcher passes it on to the dev server it started.
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null && c.signalCode === null ? new Promise((r) => c.once('exit', r)) : null)),
  );
  await gateway?.stop();
  await emulator?.close();
  rmSync(persistDir, { recursive: true, force: true });
});

it("a killed agent's shard is finished by another agent, losing and doubling nothing", async () => {
  const account = emulator.accounts.aws[0]!;
  // EC2's own types only: every listing of the account at the emulator's latency would make the
  // survivor's work minutes long without adding anything to what failover is tested on.
  const types = ['AWS::EC2::Instance', 'AWS::EC2::VPC', 'AWS::EC2::Subnet', 'AWS::EC2::SecurityGroup'];
  const expected = emulator.estate.resources.filter(
    (r) => r.provider === 'aws' && r.account === account && types.includes(r.type),
  );
  const { job_id } = await call<{ job_id: string }>('POST', '/api/v1/discovery', {
    provider: 'aws',
    accounts: [account],
    regions: emulator.regions.aws,
    resource_types: types,
    sharding: { type: 'region', shard_size: 10_000 },
  });

  const doomed = startAgent('agent-doomed', account);
  const victim = await until(
    'the first agent to hold a lease',
    async () => {
      const job = await allShardsOf(call, job_id);
      return job.shards.find((s) => s.status === 'leased' && s.agent_id === 'agent-doomed');
    },
    90_000,
  );
  doomed.kill('SIGKILL');
  startAgent('agent-survivor', account);

  const job = await until(
    'the job to finish',
    async () => {
      const j = await allShardsOf(call, job_id);
      return ['completed', 'failed'].includes(j.status) ? j : undefined;
    },
    90_000,
  );
  expect(job.status).toBe('completed');
  const retried = job.shards.find((s) => s.shard_id === victim.shard_id)!;
  expect(retried).toMatchObject({ status: 'succeeded', agent_id: 'agent-survivor' });
  expect(retried.attempts).toBeGreaterThanOrEqual(2);
  expect(retried.last_error).toContain('lease expired');

  const keys: string[] = [];
  for (let cursor: string | null = null; ; ) {
    const page: { resources: { resource_key: string }[]; next_cursor: string | null } = await call(
      'GET',
      `/api/v1/resources?job_id=${job_id}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
    );
    keys.push(...page.resources.map((r) => r.resource_key));
    if (!(cursor = page.next_cursor)) break;
  }
  expect(new Set(keys).size).toBe(keys.length);
  expect(keys.sort()).toEqual(expected.map((r) => [r.provider, r.account, r.region, r.type, r.id].join('|')).sort());
  expect(job.counts.resources_discovered).toBe(expected.length);
}, 180_000);
