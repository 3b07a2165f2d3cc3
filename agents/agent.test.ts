import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGateway } from '../test/support/fake-gateway.js';
import { FakeProvider, type Listing, pagedListing } from '../test/support/fake-provider.js';
import { type AgentOptions, DiscoveryAgent } from './agent.js';
import { GatewayClient, GatewayError } from './gateway-client.js';
import { registry } from './metrics.js';
import { startMetricsServer } from './metrics-server.js';
import { SHUTDOWN_REASON } from './shard-runner.js';

let gateway: FakeGateway;
let client: GatewayClient;
let accounts = 0;

beforeAll(async () => {
  gateway = await FakeGateway.start();
  client = new GatewayClient({
    url: gateway.url,
    token: gateway.token,
    baseDelayMs: 5,
    maxDelayMs: 20,
    maxAttempts: 2,
  });
});

afterAll(async () => {
  await client.close();
  await gateway.close();
});

afterEach(() => {
  gateway.calls.length = 0;
});

/** A fresh account per test, so shards of one test never reach the agents of another. */
function nextAccount(): string {
  accounts += 1;
  return `acct-${accounts}`;
}

function agentFor(account: string, listing: Listing, opts: Partial<AgentOptions> = {}): DiscoveryAgent {
  return new DiscoveryAgent({
    gateway: client,
    provider: new FakeProvider(listing),
    agentId: 'agent-test',
    account,
    waitSeconds: 0,
    once: true,
    backoffBaseMs: 10,
    backoffMaxMs: 40,
    ...opts,
  });
}

const work = (type = 'AWS::EC2::Instance') => [{ type, region: 'us-east-1' }];

/** A listing that never ends on its own: only an abort stops it. */
const endless: Listing = async function* (_type, ctx) {
  for (;;) {
    await sleep(20, undefined, { signal: ctx.signal });
    yield { resources: [], cursor: 'more' };
  }
};

describe('DiscoveryAgent', () => {
  it('runs up to `concurrency` shards at once and stops with --once when the work is done', async () => {
    const account = nextAccount();
    const shards = Array.from({ length: 6 }, () => gateway.addShard({ account, work: work() }));
    const agent = agentFor(account, pagedListing({ total: 40, pageSize: 10, delayMs: 30 }), { concurrency: 3 });

    await agent.run();
    expect(gateway.maxConcurrentLeases).toBe(3);
    expect(shards.map((s) => s.status)).toEqual(Array(6).fill('succeeded'));
    expect(shards.map((s) => gateway.resourcesOf(s.shard_id).length)).toEqual(Array(6).fill(40));
    expect(agent.health()).toMatchObject({ status: 'stopped', shards_running: 0 });
  });

  it('follows continuation shards until every resource is discovered', async () => {
    const account = nextAccount();
    gateway.addShard({ account, work: [...work('AWS::EC2::Instance'), ...work('AWS::EC2::Volume')], shard_size: 250 });
    const agent = agentFor(account, pagedListing({ total: 1000, pageSize: 100 }), { concurrency: 2 });

    await agent.run();
    const mine = [...gateway.shards.values()].filter((s) => s.account === account);
    // 1000 instances then 1000 volumes, cut after the first page that reaches 250: 300+300+300+(100+200)+300+300+200.
    expect(mine.length).toBe(7);
    expect(mine.every((s) => s.status === 'succeeded')).toBe(true);
    const ids = mine.flatMap((s) => gateway.resourcesOf(s.shard_id).map((r) => r.id));
    expect(new Set(ids).size).toBe(2000);
  });

  it('on shutdown stops leasing, lets short shards finish and hands long ones back after the grace period', async () => {
    const account = nextAccount();
    const short = gateway.addShard({ account, work: work('AWS::EC2::VPC') });
    const long = gateway.addShard({ account, work: work('AWS::EC2::Instance') });
    const listing: Listing = (type, ctx, cursor) =>
      type === 'AWS::EC2::VPC'
        ? pagedListing({ total: 5, pageSize: 1, delayMs: 40 })(type, ctx, cursor)
        : endless(type, ctx, cursor);
    const agent = agentFor(account, listing, { concurrency: 3, once: false, waitSeconds: 5, graceMs: 400 });

    const running = agent.run();
    await sleep(60);
    const shutdownAt = Date.now();
    agent.shutdown();
    expect(agent.health().status).toBe('draining');
    await running;

    const elapsed = Date.now() - shutdownAt;
    expect(elapsed).toBeGreaterThanOrEqual(380);
    expect(elapsed).toBeLessThan(1500);
    expect(short.status).toBe('succeeded');
    expect(long.failures).toMatchObject([{ reason: SHUTDOWN_REASON, retryable: true }]);
    expect(long.status).toBe('pending');
    expect(gateway.callsTo('lease').filter((c) => c.at > shutdownAt + 50 && c.status === 200)).toHaveLength(0);
  });

  it('hands shards back at once on a second shutdown', async () => {
    const account = nextAccount();
    const shard = gateway.addShard({ account, work: work() });
    const agent = agentFor(account, endless, { concurrency: 1, once: false, graceMs: 60_000 });

    const running = agent.run();
    await sleep(60);
    agent.shutdown();
    agent.shutdown();
    const started = Date.now();
    await running;
    expect(Date.now() - started).toBeLessThan(500);
    expect(shard.failures).toMatchObject([{ reason: SHUTDOWN_REASON, retryable: true }]);
  });

  it('backs off and keeps leasing while the gateway answers 503', async () => {
    const account = nextAccount();
    const shard = gateway.addShard({ account, work: work() });
    gateway.injectFault('lease', { status: 503, code: 'unavailable' }, 5);
    const agent = agentFor(account, pagedListing({ total: 10, pageSize: 10 }), { concurrency: 1 });

    await agent.run();
    expect(gateway.callsTo('lease').map((c) => c.status)).toEqual([503, 503, 503, 503, 503, 200, 204]);
    expect(shard.status).toBe('succeeded');
  });

  it('stops with the error when the gateway refuses the agent', async () => {
    const badToken = new GatewayClient({ url: gateway.url, token: 'revoked' });
    const agent = agentFor(nextAccount(), endless, { gateway: badToken, concurrency: 2, once: false });

    const err = await agent.run().catch((e: unknown) => e);
    await badToken.close();
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 401 });
  });

  it('serves Prometheus metrics and health', async () => {
    const account = nextAccount();
    gateway.addShard({ account, work: work() });
    const agent = agentFor(account, pagedListing({ total: 700, pageSize: 100 }));
    await agent.run();
    const server = await startMetricsServer({ port: 0, host: '127.0.0.1', registry, health: () => agent.health() });
    try {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      expect(text).toMatch(/^driftmgr_agent_leases_total\{result="leased"\} [1-9]/m);
      expect(text).toMatch(/^driftmgr_agent_shards_total\{outcome="completed"\} [1-9]/m);
      expect(text).toMatch(/^driftmgr_agent_chunks_sent_total\{result="accepted"\} [1-9]/m);
      expect(text).toMatch(/^driftmgr_agent_resources_sent_total [1-9]/m);
      expect(text).toContain('driftmgr_agent_chunk_upload_seconds_bucket');
      const health = await (await fetch(`${server.url}/healthz`)).json();
      expect(health).toEqual({ status: 'stopped', shards_running: 0, agent_id: 'agent-test' });
      expect((await fetch(`${server.url}/nothing`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
