import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceTypesOf } from '../../contract/resource-types.js';
import { agentEnv } from '../../emulator/azure/env.js';
import { ARM_TYPES, generateAzureEstate } from '../../emulator/azure/estate.js';
import { createRng } from '../../emulator/rng.js';
import { type AzureTestServer, startAzureTestServer } from '../../test/support/azure-emulator.js';
import { metrics } from '../metrics.js';
import { createAzureProvider } from './azure.js';
import type { DiscoveryProvider, ListContext, ResourcePage } from './types.js';

const accounts = ['1d3f5a7b-9c1e-4f2a-8b4c-6d8e0f2a4c6e', '2e4a6c8e-0a2c-4e6a-9c8e-0a2c4e6a8c0e'];
const regions = ['eastus', 'westeurope'];
const estate = generateAzureEstate({ rng: createRng(11), count: 1200, accounts, regions });

const ctxFor = (account: string, regionsWanted = regions): ListContext => ({
  account,
  region: '*',
  regions: regionsWanted,
  signal: new AbortController().signal,
});
const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
const expected = (type: string, account: string, regionsWanted = regions) =>
  estate.filter((r) => r.type === type && r.account === account && regionsWanted.includes(r.region)).sort(byId);

async function collect(pages: AsyncIterable<ResourcePage>): Promise<ResourcePage[]> {
  const out: ResourcePage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}
const resourcesOf = (pages: ResourcePage[]): DiscoveredResource[] => pages.flatMap((p) => p.resources);

/** Points the SDK's standard settings at a test server, then makes a provider that reads them. */
function providerFor(server: AzureTestServer): DiscoveryProvider {
  Object.assign(process.env, agentEnv({ baseUrl: server.baseUrl, stateDir: '.' }));
  return createAzureProvider();
}

async function counterTotal(counter: {
  get(): Promise<{ values: { value: number; labels: Record<string, unknown> }[] }>;
}): Promise<number> {
  return (await counter.get()).values.filter((v) => v.labels.provider === 'azure').reduce((sum, v) => sum + v.value, 0);
}

describe('azure provider against the emulator', () => {
  let server: AzureTestServer;
  let provider: DiscoveryProvider;

  beforeAll(async () => {
    server = await startAzureTestServer(estate);
    provider = providerFor(server);
  });
  afterAll(() => server.close());

  it('discovers every type in every subscription with exactly the estate attributes', async () => {
    let multiPage = 0;
    for (const { type } of resourceTypesOf('azure').filter((t) => t.level === 'attributes' && !t.inventory)) {
      for (const account of accounts) {
        const pages = await collect(provider.list(type, ctxFor(account)));
        if (pages.length > 1) multiPage += 1;
        const want = expected(type, account);
        expect(want.length).toBeGreaterThan(0);
        expect(resourcesOf(pages).sort(byId), `${type} ${account}`).toStrictEqual(want);
        expect(pages.at(-1)?.cursor).toBeUndefined();
      }
    }
    // Disks, VMs, public IPs and storage accounts span pages in both subscriptions; subnets
    // come inside their networks' page.
    expect(multiPage).toBeGreaterThanOrEqual(4);
  });

  it('keeps only the requested regions (subnets by their network location)', async () => {
    for (const type of [ARM_TYPES.virtualMachine, ARM_TYPES.subnet, ARM_TYPES.resourceGroup]) {
      const got = resourcesOf(await collect(provider.list(type, ctxFor(accounts[0]!, ['westeurope']))));
      expect(got.sort(byId)).toStrictEqual(expected(type, accounts[0]!, ['westeurope']));
    }
  });

  it('lists subnets from the network pages, one call per page rather than one per network', async () => {
    const calls = () => counterTotal(metrics.apiCalls);
    const before = await calls();
    const vnetPages = (await collect(provider.list(ARM_TYPES.virtualNetwork, ctxFor(accounts[0]!)))).length;
    const between = await calls();
    const subnets = resourcesOf(await collect(provider.list(ARM_TYPES.subnet, ctxFor(accounts[0]!))));
    expect(subnets.sort(byId)).toStrictEqual(expected(ARM_TYPES.subnet, accounts[0]!));
    expect((await calls()) - between).toBe(between - before);
    expect(between - before).toBe(vnetPages);
  });

  it('resumes from any page cursor with no duplicates and no losses', async () => {
    for (const type of [ARM_TYPES.disk]) {
      const ctx = ctxFor(accounts[1]!);
      const full = await collect(provider.list(type, ctx));
      expect(full.length).toBeGreaterThan(2);
      for (const cut of [1, Math.floor(full.length / 2), full.length - 1]) {
        const head = resourcesOf(full.slice(0, cut));
        const tail = resourcesOf(await collect(provider.list(type, ctx, full[cut - 1]!.cursor)));
        const ids = [...head, ...tail].map((r) => r.id);
        expect(new Set(ids).size, `${type} cut ${cut}`).toBe(ids.length);
        expect([...head, ...tail].sort(byId)).toStrictEqual(expected(type, accounts[1]!));
      }
    }
  });

  it('does not retry a 4xx: an unknown subscription fails after one call', async () => {
    const before = server.ctx.callCount('Microsoft.Compute/virtualMachines/read');
    const unknown = '00000000-0000-4000-8000-000000000000';
    await expect(collect(provider.list(ARM_TYPES.virtualMachine, ctxFor(unknown)))).rejects.toMatchObject({
      statusCode: 404,
      code: 'SubscriptionNotFound',
    });
    expect(server.ctx.callCount('Microsoft.Compute/virtualMachines/read')).toBe(before + 1);
  });

  it('refuses a type it does not know, as a non-retryable error', async () => {
    await expect(collect(provider.list('Microsoft.Teapot/pots', ctxFor(accounts[0]!)))).rejects.toMatchObject({
      retryable: false,
    });
  });
});

describe('azure provider under faults and throttling', () => {
  let server: AzureTestServer;
  afterAll(() => server?.close());

  it('absorbs throttles, 5xx and dropped connections with backoff and still lists everything', async () => {
    server = await startAzureTestServer(estate, {
      faultRate: 0.3,
      bucket: { capacity: 3, refillPerSecond: 4 },
      seed: 3,
    });
    const provider = providerFor(server);
    const retriesBefore = await counterTotal(metrics.retries);
    const throttlesBefore = await counterTotal(metrics.throttles);
    for (const type of [ARM_TYPES.disk, ARM_TYPES.virtualMachine, ARM_TYPES.publicIp]) {
      const got = resourcesOf(await collect(provider.list(type, ctxFor(accounts[0]!))));
      expect(got.sort(byId)).toStrictEqual(expected(type, accounts[0]!));
    }
    const { faults, rateLimited } = server.ctx;
    expect(faults.throttle + faults['server-error'] + faults.drop).toBeGreaterThan(0);
    expect(rateLimited + faults.throttle).toBeGreaterThan(0);
    expect(await counterTotal(metrics.retries)).toBeGreaterThan(retriesBefore);
    expect(await counterTotal(metrics.throttles)).toBeGreaterThan(throttlesBefore);
  });
});
