import { setTimeout as sleep } from 'node:timers/promises';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Lease } from '../contract/agent-protocol.js';
import { FakeGateway, type FakeShard } from '../test/support/fake-gateway.js';
import { FakeProvider, type Listing, pagedListing } from '../test/support/fake-provider.js';
import { GatewayClient } from './gateway-client.js';
import type { ListContext, ResourcePage } from './providers/types.js';
import { runShard, SHUTDOWN_REASON, type ShardRunnerOptions } from './shard-runner.js';

const INSTANCE = 'AWS::EC2::Instance';
const VOLUME = 'AWS::EC2::Volume';
const VPC = 'AWS::EC2::VPC';

let gateway: FakeGateway;
let client: GatewayClient;

beforeAll(async () => {
  gateway = await FakeGateway.start();
  client = new GatewayClient({ url: gateway.url, token: gateway.token, baseDelayMs: 5, maxDelayMs: 50 });
});

afterAll(async () => {
  await client.close();
  await gateway.close();
});

afterEach(() => {
  gateway.calls.length = 0;
});

/** Adds a shard to the fake gateway and leases it the way an agent would. */
async function leaseShard(spec: Partial<FakeShard> & Pick<FakeShard, 'work'>): Promise<Lease> {
  const shard = gateway.addShard({ ...spec, account: `acct-${gateway.shards.size}` });
  const lease = await client.lease({ agent_id: 'a1', provider: 'aws', account: shard.account, wait_seconds: 0 });
  if (!lease) throw new Error('no lease');
  return lease;
}

function run(
  lease: Lease,
  listing: Listing,
  opts: Partial<ShardRunnerOptions> = {},
  shutdown = new AbortController().signal,
) {
  const provider = new FakeProvider(listing);
  return { provider, outcome: runShard(lease, { gateway: client, provider, ...opts }, shutdown) };
}

const work = (...types: string[]) => types.map((type) => ({ type, region: 'us-east-1' }));

function failingListing(error: unknown, afterPages = 1): Listing {
  const pages = pagedListing({ total: 10_000, pageSize: 100 });
  return async function* (type, ctx, cursor) {
    let n = 0;
    for await (const page of pages(type, ctx, cursor)) {
      if (n++ === afterPages) throw error;
      yield page;
    }
  };
}

describe('runShard', () => {
  it('streams every resource in chunks of at most 500 with sequence numbers from 0, then completes', async () => {
    const lease = await leaseShard({ work: work(INSTANCE, VOLUME) });
    const totals: Record<string, number> = { [INSTANCE]: 1234, [VOLUME]: 300 };
    const { outcome } = run(lease, pagedListing({ total: (t) => totals[t] ?? 0, pageSize: 200 }));

    expect(await outcome).toBe('completed');
    const chunks = gateway.callsTo('results').map((c) => c.body as { sequence: number; resources: unknown[] });
    expect(chunks.map((c) => c.sequence)).toEqual([0, 1, 2, 3]);
    expect(chunks.map((c) => c.resources.length)).toEqual([500, 500, 500, 34]);
    const stored = gateway.resourcesOf(lease.shard_id);
    expect(stored.filter((r) => r.type === INSTANCE).map((r) => r.attributes.Index)).toEqual([...Array(1234).keys()]);
    expect(stored.filter((r) => r.type === VOLUME)).toHaveLength(300);
    expect(gateway.shards.get(lease.shard_id)?.completed).toEqual({ lease_id: lease.lease_id, resource_count: 1534 });
  });

  it('closes a chunk before it passes the byte limit', async () => {
    const lease = await leaseShard({ work: work(INSTANCE) });
    const { outcome } = run(lease, pagedListing({ total: 50, pageSize: 50, padding: 10_000 }), {
      maxChunkBytes: 100_000,
    });

    expect(await outcome).toBe('completed');
    const sizes = gateway.callsTo('results').map((c) => JSON.stringify(c.body).length);
    expect(sizes.length).toBeGreaterThan(5);
    expect(Math.max(...sizes)).toBeLessThan(100_200);
    expect(gateway.resourcesOf(lease.shard_id)).toHaveLength(50);
  });

  it('stops at the page boundary after shard_size and hands the cursor and later items back', async () => {
    const lease = await leaseShard({ work: work(INSTANCE, VOLUME, VPC), shard_size: 450 });
    const { provider, outcome } = run(lease, pagedListing({ total: 1000, pageSize: 200 }));

    expect(await outcome).toBe('split');
    expect(provider.calls).toEqual([{ type: INSTANCE, region: 'us-east-1', cursor: undefined }]);
    const shard = gateway.shards.get(lease.shard_id);
    expect(shard?.completed).toEqual({
      lease_id: lease.lease_id,
      resource_count: 600,
      remaining: [{ type: INSTANCE, region: 'us-east-1', cursor: '600' }, ...work(VOLUME, VPC)],
    });
    const continuation = [...gateway.shards.values()].find((s) => s.continuation_of === lease.shard_id);
    expect(continuation?.work).toEqual(shard?.completed?.remaining);
  });

  it('resumes from a work item cursor and splits at an item boundary when the type ran out', async () => {
    const lease = await leaseShard({
      work: [{ type: INSTANCE, region: 'eu-west-1', cursor: '800' }, ...work(VOLUME)],
      shard_size: 100,
    });
    const { provider, outcome } = run(lease, pagedListing({ total: 1000, pageSize: 200 }));

    expect(await outcome).toBe('split');
    expect(provider.calls).toEqual([{ type: INSTANCE, region: 'eu-west-1', cursor: '800' }]);
    expect(gateway.resourcesOf(lease.shard_id).map((r) => r.attributes.Index)).toEqual(
      [...Array(200).keys()].map((i) => i + 800),
    );
    expect(gateway.shards.get(lease.shard_id)?.completed?.remaining).toEqual(work(VOLUME));
  });

  it('completes without remaining when shard_size is reached on the last page of the last item', async () => {
    const lease = await leaseShard({ work: work(INSTANCE), shard_size: 200 });
    const { outcome } = run(lease, pagedListing({ total: 200, pageSize: 100 }));

    expect(await outcome).toBe('completed');
    expect(gateway.shards.get(lease.shard_id)?.completed).toEqual({ lease_id: lease.lease_id, resource_count: 200 });
  });

  it('heartbeats every lease_ttl/3 while running', async () => {
    const lease = await leaseShard({ work: work(INSTANCE), lease_ttl_seconds: 1 });
    const { outcome } = run(lease, pagedListing({ total: 12, pageSize: 1, delayMs: 100 }));

    expect(await outcome).toBe('completed');
    const beats = gateway.callsTo('heartbeat').map((c) => c.at);
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(beats.length).toBeLessThanOrEqual(4);
    const gaps = beats.slice(1).map((at, i) => at - (beats[i] ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThan(250);
    const doneAt = gateway.callsTo('complete')[0]?.at ?? 0;
    await sleep(450);
    expect(gateway.callsTo('heartbeat').filter((c) => c.at > doneAt)).toHaveLength(0);
  });

  it('abandons the shard quietly when a chunk is refused with 409', async () => {
    const lease = await leaseShard({ work: work(INSTANCE) });
    let pagesListed = 0;
    const listing = pagedListing({ total: 100_000, pageSize: 100, beforePage: () => pagesListed++ });
    const { outcome } = run(
      lease,
      async function* (type, ctx, cursor) {
        for await (const page of listing(type, ctx, cursor)) {
          if (pagesListed === 3) gateway.revokeLease(lease.shard_id);
          yield page;
        }
      },
      { maxChunkResources: 100 },
    );

    expect(await outcome).toBe('lost');
    expect(gateway.callsTo('results').map((c) => c.status)).toEqual([200, 200, 409]);
    expect(pagesListed).toBe(3);
    expect(gateway.callsTo('complete')).toHaveLength(0);
    expect(gateway.callsTo('fail')).toHaveLength(0);
  });

  it('stops listing when a heartbeat answers 409', async () => {
    const lease = await leaseShard({ work: work(INSTANCE), lease_ttl_seconds: 1 });
    gateway.injectFault('heartbeat', { status: 409, code: 'lease_expired' });
    let pagesListed = 0;
    const started = Date.now();
    const { outcome } = run(
      lease,
      pagedListing({ total: 1000, pageSize: 1, delayMs: 50, beforePage: () => pagesListed++ }),
    );

    expect(await outcome).toBe('lost');
    expect(Date.now() - started).toBeLessThan(1000);
    expect(pagesListed).toBeLessThan(15);
    expect(gateway.callsTo('heartbeat')).toHaveLength(1);
    expect(gateway.callsTo('complete')).toHaveLength(0);
    expect(gateway.callsTo('fail')).toHaveLength(0);
  });

  it('fails the shard as retryable on a transient provider error', async () => {
    const lease = await leaseShard({ work: work(INSTANCE) });
    const { outcome } = run(lease, failingListing(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })));

    expect(await outcome).toBe('failed');
    const shard = gateway.shards.get(lease.shard_id);
    expect(shard?.failures).toEqual([
      { lease_id: lease.lease_id, reason: expect.stringContaining('socket hang up'), retryable: true },
    ]);
    expect(shard?.status).toBe('pending');
  });

  it('fails the shard as permanent when the cloud denies access', async () => {
    const lease = await leaseShard({ work: work(INSTANCE) });
    const denied = Object.assign(new Error('UnauthorizedOperation: not allowed'), {
      name: 'UnauthorizedOperation',
      $metadata: { httpStatusCode: 403 },
    });
    const { outcome } = run(lease, failingListing(denied, 0));

    expect(await outcome).toBe('failed');
    const shard = gateway.shards.get(lease.shard_id);
    expect(shard?.failures[0]).toMatchObject({
      reason: expect.stringContaining('UnauthorizedOperation'),
      retryable: false,
    });
    expect(shard?.status).toBe('failed');
  });

  it('hands the shard back as retryable when shut down mid-listing', async () => {
    const lease = await leaseShard({ work: work(INSTANCE) });
    const shutdown = new AbortController();
    let pagesListed = 0;
    const listing = pagedListing({ total: 100_000, pageSize: 10, delayMs: 10, beforePage: () => pagesListed++ });
    const { outcome } = run(lease, listing, {}, shutdown.signal);
    await sleep(100);
    shutdown.abort();
    const listedAtShutdown = pagesListed;

    expect(await outcome).toBe('handed_back');
    expect(pagesListed).toBeLessThanOrEqual(listedAtShutdown + 1);
    const shard = gateway.shards.get(lease.shard_id);
    expect(shard?.failures).toEqual([{ lease_id: lease.lease_id, reason: SHUTDOWN_REASON, retryable: true }]);
    expect(shard?.status).toBe('pending');
  });

  it('hands the shard back at once even when the provider is stuck in a call that ignores the signal', async () => {
    const lease = await leaseShard({ work: work(INSTANCE) });
    const shutdown = new AbortController();
    const stuck: Listing = async function* () {
      yield { resources: [], cursor: '1' };
      await new Promise(() => {});
    };
    const { outcome } = run(lease, stuck, {}, shutdown.signal);
    await sleep(50);
    const abortedAt = Date.now();
    shutdown.abort();

    expect(await outcome).toBe('handed_back');
    expect(Date.now() - abortedAt).toBeLessThan(200);
    expect(gateway.shards.get(lease.shard_id)?.failures).toMatchObject([{ reason: SHUTDOWN_REASON, retryable: true }]);
  });

  it('retries chunks answered with 503 and stores each chunk once', async () => {
    const lease = await leaseShard({ work: work(INSTANCE) });
    gateway.injectFault('results', { status: 503, code: 'unavailable', retryAfter: '0' }, 3);
    const { outcome } = run(lease, pagedListing({ total: 1200, pageSize: 300 }));

    expect(await outcome).toBe('completed');
    expect(gateway.callsTo('results').map((c) => c.status)).toEqual([503, 503, 503, 200, 200, 200]);
    expect(gateway.resourcesOf(lease.shard_id)).toHaveLength(1200);
  });

  it('fails the shard as retryable when the gateway reports missing chunks on complete', async () => {
    const lease = await leaseShard({ work: work(INSTANCE) });
    gateway.injectFault('complete', { status: 409, code: 'chunks_missing' });
    const { outcome } = run(lease, pagedListing({ total: 10, pageSize: 10 }));

    expect(await outcome).toBe('failed');
    expect(gateway.shards.get(lease.shard_id)?.failures[0]).toMatchObject({ retryable: true });
  });

  it('keeps at most one chunk buffered for 100,000 resources', async () => {
    const lease = await leaseShard({ work: work(INSTANCE) });
    const before = gateway.resourcesReceived;
    let maxUnstored = 0;
    const listing = pagedListing({
      total: 100_000,
      pageSize: 700,
      // Everything below `offset` was taken from the provider; what the gateway lacks is buffered.
      beforePage: (_type, offset) => {
        maxUnstored = Math.max(maxUnstored, offset - (gateway.resourcesReceived - before));
      },
    });
    const { outcome } = run(lease, listing);

    expect(await outcome).toBe('completed');
    const sizes = gateway.callsTo('results').map((c) => (c.body as { resources: unknown[] }).resources.length);
    expect(sizes).toHaveLength(200);
    expect(Math.max(...sizes)).toBe(500);
    expect(gateway.resourcesReceived - before).toBe(100_000);
    expect(maxUnstored).toBeGreaterThan(0);
    expect(maxUnstored).toBeLessThan(500);
  });

  it('lets each page be garbage-collected once it is sent, long before the shard ends', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const lease = await leaseShard({ work: work(INSTANCE) });
    const pages: WeakRef<object>[] = [];
    let aliveAtCheck = -1;
    const listing = pagedListing({ total: 10_000, pageSize: 500 });
    const { outcome } = run(lease, async function* (type, ctx, cursor) {
      for await (const page of listing(type, ctx, cursor)) {
        if (pages.length === 15) {
          gc();
          aliveAtCheck = pages.slice(0, 12).filter((p) => p.deref() !== undefined).length;
        }
        pages.push(new WeakRef(page));
        yield page;
      }
    });

    expect(await outcome).toBe('completed');
    expect(aliveAtCheck).toBe(0);
  });
});

describe('runShard with an inventory that lists types together', () => {
  const INSTANCE_GCP = 'compute.googleapis.com/Instance';
  const TOGETHER = ['pubsub.googleapis.com/Topic', 'dns.googleapis.com/ManagedZone', 'redis.googleapis.com/Instance'];
  const accountWide = (...types: string[]) => types.map((type) => ({ type, region: '*' }));

  /** A fake GCP provider whose listTogether pages hold 100 resources, cursors the next offset. */
  class InventoryProvider extends FakeProvider {
    readonly together: { types: readonly string[]; cursor?: string }[] = [];
    constructor() {
      super(pagedListing({ total: 100, pageSize: 100 }), 'gcp');
    }
    listTogether(types: readonly string[], ctx: ListContext, cursor?: string): AsyncIterable<ResourcePage> {
      this.together.push({ types, cursor });
      return pagedListing({ total: 300, pageSize: 100 })(types.join('+'), ctx, cursor);
    }
  }

  async function gcpLease(spec: Parameters<typeof leaseShard>[0]): Promise<Lease> {
    return { ...(await leaseShard(spec)), provider: 'gcp' };
  }

  it('lists consecutive inventory types with one paged call, other types one by one', async () => {
    const lease = await gcpLease({ work: accountWide(INSTANCE_GCP, ...TOGETHER), shard_size: 10_000 });
    const provider = new InventoryProvider();
    expect(await runShard(lease, { gateway: client, provider }, new AbortController().signal)).toBe('completed');
    expect(provider.calls).toEqual([{ type: INSTANCE_GCP, region: '*', cursor: undefined }]);
    expect(provider.together).toEqual([{ types: TOGETHER, cursor: undefined }]);
    expect(gateway.resourcesOf(lease.shard_id)).toHaveLength(400);
  });

  it('hands every type of a shared call back with its cursor when shard_size is reached', async () => {
    const lease = await gcpLease({ work: accountWide(...TOGETHER), shard_size: 150 });
    const provider = new InventoryProvider();
    expect(await runShard(lease, { gateway: client, provider }, new AbortController().signal)).toBe('split');
    expect(gateway.shards.get(lease.shard_id)?.completed?.remaining).toEqual(
      TOGETHER.map((type) => ({ type, region: '*', cursor: '200' })),
    );

    const next = await gcpLease({
      work: TOGETHER.map((type) => ({ type, region: '*', cursor: '200' })),
      shard_size: 150,
    });
    const resumed = new InventoryProvider();
    expect(await runShard(next, { gateway: client, provider: resumed }, new AbortController().signal)).toBe(
      'completed',
    );
    expect(resumed.together).toEqual([{ types: TOGETHER, cursor: '200' }]);
  });
});
