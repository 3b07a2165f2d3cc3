import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GCP_IAM_POLICY_TYPES, iamPolicyAssetType } from '../../contract/gcp-iam-types.js';
import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceTypesOf } from '../../contract/resource-types.js';
import { generateGcpEstate } from '../../emulator/gcp/estate.js';
import { discoveredPolicies } from '../../emulator/gcp/iam-policies.js';
import { forkRng } from '../../emulator/rng.js';
import { type GcpTestServer, startGcpTestServer } from '../../test/support/gcp-emulator.js';
import { metrics } from '../metrics.js';
import { classifyGcpError, createGcpProvider } from './gcp.js';
import type { DiscoveryProvider, ListContext, ResourcePage } from './types.js';

const PROJECTS = ['driftmgr-prod-4711', 'driftmgr-dev-0815'];
const REGIONS = ['us-central1', 'europe-west1', 'asia-east1'];
const GCP_TYPES = resourceTypesOf('gcp')
  .filter((t) => t.level === 'attributes' && !t.inventory && !iamPolicyAssetType(t.type))
  .map((t) => t.type);
const INSTANCE = 'compute.googleapis.com/Instance';
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 200, maxAttempts: 12 };
const resources = generateGcpEstate({
  rng: forkRng(11, 'gcp/estate'),
  count: 8000,
  accounts: PROJECTS,
  regions: REGIONS,
});

function context(account: string, regions = REGIONS): ListContext {
  return { account, region: '*', regions, signal: new AbortController().signal };
}

async function collectPages(
  provider: DiscoveryProvider,
  type: string,
  ctx: ListContext,
  cursor?: string,
): Promise<ResourcePage[]> {
  const pages: ResourcePage[] = [];
  for await (const page of provider.list(type, ctx, cursor)) pages.push(page);
  return pages;
}

async function listAll(provider: DiscoveryProvider, type: string, ctx: ListContext): Promise<DiscoveredResource[]> {
  return (await collectPages(provider, type, ctx)).flatMap((p) => p.resources);
}

function estateOf(type: string, account: string): DiscoveredResource[] {
  return resources.filter((r) => r.type === type && r.account === account);
}

async function counter(metric: {
  get(): Promise<{ values: { labels: Record<string, unknown>; value: number }[] }>;
}): Promise<number> {
  const { values } = await metric.get();
  return values.filter((v) => v.labels.provider === 'gcp').reduce((sum, v) => sum + v.value, 0);
}

/** Every outbound connection attempt any code in this process makes, as host:port. */
function watchConnections(): { targets: string[]; stop(): void } {
  const targets: string[] = [];
  const onSocket = (message: unknown) => {
    const socket = (message as { socket: Socket }).socket;
    socket.on('lookup', (_err, address, _family, host) => targets.push(`lookup ${host} -> ${address}`));
    socket.on('connectionAttempt', (ip: string, port: number) => targets.push(`${ip}:${port}`));
    socket.on('connect', () => targets.push(`${socket.remoteAddress}:${socket.remotePort}`));
  };
  subscribe('net.client.socket', onSocket);
  return { targets, stop: () => unsubscribe('net.client.socket', onSocket) };
}

describe('GCP provider against the Cloud Asset emulator', () => {
  let server: GcpTestServer;
  let provider: DiscoveryProvider;

  beforeAll(async () => {
    server = await startGcpTestServer(resources);
    server.applyAgentEnv();
    provider = createGcpProvider({ retry: FAST_RETRY });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('discovers every type in every project with exactly the estate attributes', async () => {
    for (const account of PROJECTS) {
      for (const type of GCP_TYPES) {
        const expected = estateOf(type, account);
        expect(expected.length, `${type} in ${account}`).toBeGreaterThan(0);
        expect(await listAll(provider, type, context(account)), `${type} in ${account}`).toEqual(expected);
      }
    }
  });

  it('lists the IAM policies of each project and its buckets with contentType IAM_POLICY, the project named by id', async () => {
    const policies = discoveredPolicies(resources);
    for (const account of PROJECTS) {
      for (const type of Object.keys(GCP_IAM_POLICY_TYPES)) {
        const expected = policies.filter((p) => p.type === type && p.account === account);
        expect(expected.length, `${type} in ${account}`).toBeGreaterThan(0);
        expect(await listAll(provider, type, context(account)), `${type} in ${account}`).toEqual(expected);
      }
    }
    const [project] = await listAll(
      provider,
      'cloudresourcemanager.googleapis.com/ProjectIamPolicy',
      context(PROJECTS[0]!),
    );
    expect(project?.id).toBe(`//cloudresourcemanager.googleapis.com/projects/${PROJECTS[0]}`);
    expect(project?.attributes.bindings).toContainEqual({
      role: 'roles/owner',
      members: [expect.stringMatching(/^group:/)],
    });
  });

  it('keeps only the listing regions (zones by their region) plus global resources', async () => {
    const wanted = ['us-central1'];
    for (const type of [
      INSTANCE,
      'compute.googleapis.com/Subnetwork',
      'compute.googleapis.com/Firewall',
      'storage.googleapis.com/Bucket',
    ]) {
      const expected = estateOf(type, PROJECTS[0]!).filter(
        (r) => r.region === 'global' || r.region === 'us-central1' || r.region.startsWith('us-central1-'),
      );
      expect(expected.length).toBeGreaterThan(0);
      expect(await listAll(provider, type, context(PROJECTS[0]!, wanted))).toEqual(expected);
    }
  });

  it('yields one page per API page, and a cursor resumes right after its page', async () => {
    const ctx = context(PROJECTS[0]!);
    const pages = await collectPages(provider, INSTANCE, ctx);
    const expected = estateOf(INSTANCE, PROJECTS[0]!);
    expect(pages.length).toBe(Math.ceil(expected.length / 1000));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.at(-1)!.cursor).toBeUndefined();
    for (let i = 0; i < pages.length - 1; i++) {
      const resumed = (await collectPages(provider, INSTANCE, ctx, pages[i]!.cursor)).flatMap((p) => p.resources);
      expect(resumed).toEqual(pages.slice(i + 1).flatMap((p) => p.resources));
    }
    const all = pages.flatMap((p) => p.resources);
    expect(new Set(all.map((r) => r.id)).size).toBe(all.length);
    expect(all).toEqual(expected);
  });

  it('counts API calls, pages and resources', async () => {
    const before = {
      calls: await counter(metrics.apiCalls),
      pages: await counter(metrics.pages),
      resources: await counter(metrics.resources),
    };
    const served = server.calls('ListAssets');
    const found = await listAll(provider, INSTANCE, context(PROJECTS[1]!));
    const pages = Math.ceil(found.length / 1000);
    expect((await counter(metrics.apiCalls)) - before.calls).toBe(pages);
    expect((await counter(metrics.pages)) - before.pages).toBe(pages);
    expect((await counter(metrics.resources)) - before.resources).toBe(found.length);
    expect(server.calls('ListAssets') - served).toBe(pages);
  });

  it('does not retry a 4xx: one call for a project it may not read', async () => {
    const served = server.calls('ListAssets');
    const retries = await counter(metrics.retries);
    await expect(listAll(provider, INSTANCE, context('not-my-project'))).rejects.toMatchObject({ status: 403 });
    expect(server.calls('ListAssets') - served).toBe(1);
    expect(await counter(metrics.retries)).toBe(retries);
  });

  it('refuses types it does not list, before any call, as not retryable', async () => {
    const served = server.calls('ListAssets');
    await expect(listAll(provider, 'AWS::EC2::Instance', context(PROJECTS[0]!))).rejects.toMatchObject({
      retryable: false,
    });
    expect(server.calls('ListAssets')).toBe(served);
  });

  it('fails a listing as not retryable, without a call, when there are no credentials', async () => {
    const keyFile = process.env.GOOGLE_APPLICATION_CREDENTIALS;
    delete process.env.GOOGLE_APPLICATION_CREDENTIALS;
    const served = server.calls('ListAssets');
    try {
      const unconfigured = createGcpProvider({ retry: FAST_RETRY });
      await expect(listAll(unconfigured, INSTANCE, context(PROJECTS[0]!))).rejects.toMatchObject({
        retryable: false,
        message: expect.stringContaining('credentials'),
      });
    } finally {
      process.env.GOOGLE_APPLICATION_CREDENTIALS = keyFile;
    }
    expect(server.calls('ListAssets')).toBe(served);
  });

  it('reaches nothing but the emulator: credentials come from the key file, no metadata server probe', async () => {
    // Its own listener, so the client cannot reuse a kept-alive socket and must connect.
    const own = await startGcpTestServer(resources);
    const watch = watchConnections();
    try {
      own.applyAgentEnv();
      const fresh = createGcpProvider({ retry: FAST_RETRY });
      expect(await listAll(fresh, 'compute.googleapis.com/Network', context(PROJECTS[1]!))).toEqual(
        estateOf('compute.googleapis.com/Network', PROJECTS[1]!),
      );
    } finally {
      watch.stop();
      await own.close();
      server.applyAgentEnv();
    }
    const emulator = new URL(own.baseUrl);
    expect(watch.targets.length).toBeGreaterThan(0);
    for (const target of watch.targets) expect(target).toBe(`${emulator.hostname}:${emulator.port}`);
  });
});

describe('GCP provider resilience', () => {
  it('absorbs throttles, 5xx and dropped connections (fault rate 0.3, tiny bucket, concurrent listings)', async () => {
    const server = await startGcpTestServer(resources, {
      faultRate: 0.3,
      seed: 5,
      bucket: { capacity: 2, refillPerSecond: 10 },
    });
    try {
      server.applyAgentEnv();
      const provider = createGcpProvider({ retry: { baseDelayMs: 5, maxDelayMs: 300, maxAttempts: 40 } });
      const throttles = await counter(metrics.throttles);
      const retries = await counter(metrics.retries);
      const listings = PROJECTS.flatMap((account) => GCP_TYPES.map((type) => ({ account, type })));
      // Six listings per project start at once against its bucket of two: some are refused for quota.
      const found = await Promise.all(listings.map(({ account, type }) => listAll(provider, type, context(account))));
      for (const [i, { account, type }] of listings.entries()) {
        expect(found[i], `${type} in ${account}`).toEqual(estateOf(type, account));
      }
      const stats = server.controls.stats();
      expect(stats.faults.throttle).toBeGreaterThan(0);
      expect(stats.faults['server-error']).toBeGreaterThan(0);
      expect(stats.faults.drop).toBeGreaterThan(0);
      expect(stats.rateLimited).toBeGreaterThan(0);
      expect((await counter(metrics.throttles)) - throttles).toBe(stats.faults.throttle + stats.rateLimited);
      const failedCalls = stats.faults.throttle + stats.faults['server-error'] + stats.faults.drop + stats.rateLimited;
      expect((await counter(metrics.retries)) - retries).toBe(failedCalls);
    } finally {
      await server.close();
    }
  });

  it('paces itself with its buckets so the emulator never has to throttle', async () => {
    const server = await startGcpTestServer(resources, { bucket: { capacity: 3, refillPerSecond: 20 } });
    try {
      server.applyAgentEnv();
      const provider = createGcpProvider({
        retry: FAST_RETRY,
        limits: { ListAssets: { capacity: 3, refillPerSecond: 15 } },
      });
      const started = performance.now();
      for (const account of PROJECTS) {
        for (const type of GCP_TYPES) await listAll(provider, type, context(account));
      }
      const calls = server.calls('ListAssets');
      expect(calls).toBeGreaterThan(15);
      expect(server.controls.stats().rateLimited).toBe(0);
      // Per project: 3 calls at once, then 15 a second.
      const perProject = calls / PROJECTS.length;
      expect(performance.now() - started).toBeGreaterThanOrEqual(((perProject - 3) / 15) * 1000 - 50);
    } finally {
      await server.close();
    }
  });

  it('makes one HTTP call per attempt: the SDK retries nothing itself', async () => {
    const server = await startGcpTestServer(resources, { faultRate: 1 });
    try {
      server.applyAgentEnv();
      const provider = createGcpProvider({ retry: { maxAttempts: 1 } });
      for (let i = 0; i < 6; i++)
        await expect(listAll(provider, INSTANCE, context(PROJECTS[0]!))).rejects.toBeDefined();
      expect(server.calls('ListAssets')).toBe(6);
      const stats = server.controls.stats();
      expect(stats.faults.throttle + stats.faults['server-error'] + stats.faults.drop).toBe(6);
    } finally {
      await server.close();
    }
  });

  it('classifies errors: 429 and RESOURCE_EXHAUSTED throttle, 5xx and sockets transient, other 4xx permanent', () => {
    expect(
      classifyGcpError({ status: 429, response: { status: 429, headers: new Headers({ 'retry-after': '2' }) } }),
    ).toEqual({ kind: 'throttle', retryAfterMs: 2000 });
    expect(classifyGcpError({ status: 503, response: { status: 503, headers: new Headers() } }).kind).toBe('transient');
    expect(classifyGcpError({ status: 400, response: { status: 400, headers: new Headers() } }).kind).toBe('permanent');
    expect(classifyGcpError({ code: 8 }).kind).toBe('throttle');
    expect(classifyGcpError({ code: 14 }).kind).toBe('transient');
    expect(classifyGcpError({ code: 7 }).kind).toBe('permanent');
    expect(classifyGcpError(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNRESET' } })).kind).toBe(
      'transient',
    );
    expect(classifyGcpError(new TypeError('x is not a function')).kind).toBe('permanent');
  });
});
