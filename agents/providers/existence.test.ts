import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DiscoveredResource, Provider } from '../../contract/resource.js';
import { resourceTypesOf } from '../../contract/resource-types.js';
import { agentEnv as awsAgentEnv } from '../../emulator/aws/env.js';
import { agentEnv as azureAgentEnv } from '../../emulator/azure/env.js';
import { generateAzureEstate } from '../../emulator/azure/estate.js';
import { generateExistenceEstate } from '../../emulator/existence-estate.js';
import { generateGcpEstate } from '../../emulator/gcp/estate.js';
import { createRng } from '../../emulator/rng.js';
import { startAwsEmulator, TestContext } from '../../test/support/aws-emulator.js';
import { startAzureTestServer } from '../../test/support/azure-emulator.js';
import { startGcpTestServer } from '../../test/support/gcp-emulator.js';
import { metrics } from '../metrics.js';
import { classifyEc2Error, createAwsProvider } from './aws.js';
import { createAzureProvider } from './azure.js';
import { createGcpProvider } from './gcp.js';
import type { DiscoveryProvider, ListContext, ResourcePage } from './types.js';

/**
 * Existence-level discovery with the real SDK clients against the emulator's Cloud Control,
 * Resource Graph and Cloud Asset endpoints: every type of the catalog is found with the
 * identifier, account and region the estate gave it, across pages, and nothing else.
 */

const existenceTypes = (provider: Provider) =>
  resourceTypesOf(provider)
    .filter((t) => t.level === 'existence')
    .map((t) => t.type);

const estateOf = (provider: Provider, accounts: string[], regions: string[]) =>
  generateExistenceEstate(provider, { rng: createRng(5), count: 0, accounts, regions });

async function collect(pages: AsyncIterable<ResourcePage>): Promise<ResourcePage[]> {
  const out: ResourcePage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** What a listing found and what the estate holds, as comparable keys. */
const keys = (resources: readonly DiscoveredResource[]) =>
  resources.map((r) => `${r.account}|${r.region}|${r.type}|${r.id}`).sort();

const ctx = (account: string, region: string, regions: string[]): ListContext => ({
  account,
  region,
  regions,
  signal: AbortSignal.timeout(60_000),
});

const stateDir = mkdtempSync(join(tmpdir(), 'existence-provider-test-'));
const savedEnv = { ...process.env };
afterAll(() => {
  process.env = savedEnv;
  rmSync(stateDir, { recursive: true, force: true });
});

describe('aws: Cloud Control ListResources', () => {
  const accounts = ['123456789012', '210987654321'];
  const regions = ['us-east-1', 'eu-west-1'];
  const estate = estateOf('aws', accounts, regions);
  /** Budgets far above Cloud Control's, so listing ~800 pages takes no time. */
  const FAST = { capacity: 10_000, refillPerSecond: 10_000 };

  it('lists every Cloud Control type per region, and global types once, page by page', async () => {
    const e = await startAwsEmulator(estate, new TestContext({ bucket: FAST }));
    try {
      const calls = () => metrics.apiCalls.get().then((m) => m.values.find((v) => v.labels.action === 'ListResources'));
      const before = (await calls())?.value ?? 0;
      for (const account of accounts) {
        Object.assign(process.env, awsAgentEnv({ baseUrl: e.url, stateDir, account }));
        const provider = createAwsProvider({ pageSizeCap: 1, limits: { ListResources: FAST } });
        const found: DiscoveredResource[] = [];
        for (const type of existenceTypes('aws')) {
          const global = resourceTypesOf('aws').find((t) => t.type === type)?.listing === 'account';
          for (const region of global ? ['*'] : regions) {
            for (const page of await collect(provider.list(type, ctx(account, region, regions))))
              found.push(...page.resources);
          }
        }
        expect(keys(found)).toEqual(keys(estate.filter((r) => r.account === account)));
      }
      // One page per resource at a page size of 1, plus an empty one per empty listing.
      expect(((await calls())?.value ?? 0) - before).toBeGreaterThanOrEqual(estate.length);
    } finally {
      await e.close();
    }
  });

  it('files a global type under global and keeps its properties as attributes', async () => {
    const e = await startAwsEmulator(estate, new TestContext());
    try {
      const profile = estate.find((r) => r.type === 'AWS::IAM::InstanceProfile')!;
      Object.assign(process.env, awsAgentEnv({ baseUrl: e.url, stateDir, account: profile.account }));
      const pages = await collect(
        createAwsProvider().list('AWS::IAM::InstanceProfile', ctx(profile.account, '*', regions)),
      );
      expect(pages.flatMap((p) => p.resources)).toEqual([{ ...profile, name: profile.name }]);
    } finally {
      await e.close();
    }
  });

  it('retries a throttled ListResources and still lists every resource', async () => {
    const e = await startAwsEmulator(estate, new TestContext({ faultRate: 0.3, faults: ['throttle', 'server-error'] }));
    try {
      const account = accounts[0]!;
      Object.assign(process.env, awsAgentEnv({ baseUrl: e.url, stateDir, account }));
      const provider = createAwsProvider();
      const types = existenceTypes('aws').slice(0, 20);
      const found: DiscoveredResource[] = [];
      for (const type of types) {
        const global = resourceTypesOf('aws').find((t) => t.type === type)?.listing === 'account';
        for (const region of global ? ['*'] : regions)
          for (const page of await collect(provider.list(type, ctx(account, region, regions))))
            found.push(...page.resources);
      }
      expect(keys(found)).toEqual(keys(estate.filter((r) => r.account === account && types.includes(r.type))));
      expect(e.ctx.faultsServed.get('throttle')).toBeGreaterThan(0);
    } finally {
      await e.close();
    }
  });
});

describe('azure: one Resource Graph query per subscription', () => {
  const accounts = ['1d3f5a7b-9c1e-4f2a-8b4c-6d8e0f2a4c6e'];
  const regions = ['eastus', 'westeurope'];
  const existence = estateOf('azure', accounts, regions);
  // ARM-listed resources are in Resource Graph too; the query must leave them to their listing.
  const armListed = generateAzureEstate({ rng: createRng(2), count: 300, accounts, regions });

  it('lists every existence-level type of the subscription in one paged query, and no ARM-listed type', async () => {
    const server = await startAzureTestServer([...armListed, ...existence]);
    try {
      Object.assign(process.env, azureAgentEnv({ baseUrl: server.baseUrl, stateDir }));
      const provider: DiscoveryProvider = createAzureProvider();
      const pages = await collect(provider.listTogether!(existenceTypes('azure'), ctx(accounts[0]!, '*', regions)));
      const found = pages.flatMap((p) => p.resources);
      expect(keys(found)).toEqual(keys(existence));
      expect(found.find((r) => r.type === 'Microsoft.Cache/Redis')).toMatchObject({
        name: expect.any(String),
        tags: { team: expect.any(String) },
      });
      // The first page stops at the emulator's 100 rows only when asked for fewer; 1,000 a page here.
      expect(pages.length).toBe(1);
      expect(server.ctx.callCount('Microsoft.ResourceGraph/resources/action')).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('keeps only the types asked for and the listing regions (and global ones)', async () => {
    const server = await startAzureTestServer([...armListed, ...existence]);
    try {
      Object.assign(process.env, azureAgentEnv({ baseUrl: server.baseUrl, stateDir }));
      const provider = createAzureProvider();
      const types = ['Microsoft.Cache/Redis', 'Microsoft.Network/privateDnsZones', 'Microsoft.App/containerApps'];
      const pages = await collect(provider.listTogether!(types, ctx(accounts[0]!, '*', ['westeurope'])));
      const wanted = existence.filter(
        (r) => types.includes(r.type) && (r.region === 'westeurope' || r.region === 'global'),
      );
      expect(keys(pages.flatMap((p) => p.resources))).toEqual(keys(wanted));
    } finally {
      await server.close();
    }
  });
});

describe('gcp: one Cloud Asset stream per project, no type filter', () => {
  const project = 'driftmgr-existence';
  const regions = ['us-central1', 'europe-west1'];
  const existence = estateOf('gcp', [project], regions);
  const attributeLevel = generateGcpEstate({ rng: createRng(4), count: 200, accounts: [project], regions });

  it('lists every existence-level asset of the project through unfiltered ListAssets pages', async () => {
    const server = await startGcpTestServer([...attributeLevel, ...existence], {
      bucket: { capacity: 1000, refillPerSecond: 1000 },
    });
    try {
      server.applyAgentEnv();
      const provider = createGcpProvider();
      const pages = await collect(provider.listTogether!(existenceTypes('gcp'), ctx(project, '*', regions)));
      expect(keys(pages.flatMap((p) => p.resources))).toEqual(keys(existence));
      // One stream of the whole project: as many calls as pages of 1,000 assets.
      expect(server.calls('ListAssets')).toBe(pages.length);
    } finally {
      await server.close();
    }
  });
});

describe('the emulated inventory APIs answer the real SDK clients as the clouds do', () => {
  it('Cloud Control refuses an unknown type with TypeNotFoundException, which the agent does not retry', async () => {
    const estate = estateOf('aws', ['123456789012'], ['us-east-1']);
    const e = await startAwsEmulator(estate, new TestContext());
    try {
      Object.assign(process.env, awsAgentEnv({ baseUrl: e.url, stateDir, account: '123456789012' }));
      const { CloudControlClient, ListResourcesCommand } = await import('@aws-sdk/client-cloudcontrol');
      const client = new CloudControlClient({ region: 'us-east-1', maxAttempts: 1 });
      const err = await client
        .send(new ListResourcesCommand({ TypeName: 'AWS::Teapot::Pot' }))
        .catch((x: unknown) => x);
      expect(err).toMatchObject({ name: 'TypeNotFoundException', $metadata: { httpStatusCode: 400 } });
      expect(classifyEc2Error(err).kind).toBe('permanent');
      const page = await client.send(new ListResourcesCommand({ TypeName: 'AWS::Lambda::Function', MaxResults: 1 }));
      expect(page.TypeName).toBe('AWS::Lambda::Function');
      expect(page.ResourceDescriptions?.every((d) => typeof d.Identifier === 'string')).toBe(true);
    } finally {
      await e.close();
    }
  });

  it('Resource Graph pages with $skipToken bound to its query and refuses queries it cannot run', async () => {
    const accounts = ['1d3f5a7b-9c1e-4f2a-8b4c-6d8e0f2a4c6e'];
    const estate = estateOf('azure', accounts, ['eastus']);
    const server = await startAzureTestServer(estate);
    try {
      Object.assign(process.env, azureAgentEnv({ baseUrl: server.baseUrl, stateDir }));
      const { ResourceGraphClient } = await import('@azure/arm-resourcegraph');
      const { DefaultAzureCredential } = await import('@azure/identity');
      const client = new ResourceGraphClient(new DefaultAzureCredential(), {
        endpoint: server.baseUrl,
        retryOptions: { maxRetries: 0 },
      });
      const query = 'Resources | project id, type';
      const first = await client.resources({ subscriptions: accounts, query, options: { top: 40 } });
      expect(first.count).toBe(40);
      expect(first.skipToken).toBeDefined();
      const ids = [...first.data];
      let skipToken = first.skipToken;
      while (skipToken) {
        const next = await client.resources({ subscriptions: accounts, query, options: { top: 40, skipToken } });
        ids.push(...next.data);
        skipToken = next.skipToken;
      }
      expect(ids.map((row: { id: string }) => row.id).sort()).toEqual(estate.map((r) => r.id).sort());
      expect(Object.keys(ids[0])).toEqual(['id', 'type']);
      const reused = client.resources({
        subscriptions: accounts,
        query: 'Resources',
        options: { skipToken: first.skipToken },
      });
      await expect(reused).rejects.toMatchObject({ statusCode: 400 });
      const unsupported = client.resources({ subscriptions: accounts, query: 'Resources | where type =~ "x"' });
      await expect(unsupported).rejects.toMatchObject({ statusCode: 400 });
    } finally {
      await server.close();
    }
  });
});
