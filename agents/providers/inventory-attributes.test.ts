import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { INVENTORY_ATTRIBUTE_TYPES } from '../../contract/inventory-attribute-types.js';
import type { DiscoveredResource } from '../../contract/resource.js';
import { agentEnv as azureAgentEnv } from '../../emulator/azure/env.js';
import { generateAzureEstate } from '../../emulator/azure/estate.js';
import { generateAzureInventoryEstate } from '../../emulator/azure/inventory-estate.js';
import { generateGcpInventoryEstate } from '../../emulator/gcp/inventory-estate.js';
import { createRng } from '../../emulator/rng.js';
import { buildTerraformState } from '../../emulator/terraform-state.js';
import { analyze, parseTerraformState } from '../../engine/index.js';
import { startAzureTestServer } from '../../test/support/azure-emulator.js';
import { startGcpTestServer } from '../../test/support/gcp-emulator.js';
import { createAzureProvider } from './azure.js';
import { INVENTORY_QUERY } from './azure-resource-graph.js';
import { createGcpProvider } from './gcp.js';
import type { ListContext, ResourcePage } from './types.js';

/**
 * Attribute-level Azure and GCP types read from the inventory call the agent already makes,
 * with the real SDK clients against the emulator: each resource arrives with its whole property
 * document, in the one paged query, and a state written from the estate is found in sync.
 */

async function collect(pages: AsyncIterable<ResourcePage>): Promise<DiscoveredResource[]> {
  const out: DiscoveredResource[] = [];
  for await (const page of pages) out.push(...page.resources);
  return out;
}

const ctx = (account: string, regions: string[]): ListContext => ({
  account,
  region: '*',
  regions,
  signal: AbortSignal.timeout(60_000),
});

const byId = (resources: readonly DiscoveredResource[]) => new Map(resources.map((r) => [r.id, r]));

/** Drift other than noise: what a user would be shown. */
function realDrift(estate: DiscoveredResource[], found: DiscoveredResource[]) {
  const { state } = buildTerraformState(estate, { seed: 5, driftRate: 0, noiseRate: 0 });
  const report = analyze({ states: [parseTerraformState(JSON.stringify(state))], inventory: found });
  return report.items.filter((i) => i.kind !== 'changed' || i.changes.some((c) => !c.noise_rule));
}

const stateDir = mkdtempSync(join(tmpdir(), 'inventory-attributes-test-'));
const savedEnv = { ...process.env };
afterAll(() => {
  process.env = savedEnv;
  rmSync(stateDir, { recursive: true, force: true });
});

describe('azure: attribute-level types from the Resource Graph row', () => {
  const account = '1d3f5a7b-9c1e-4f2a-8b4c-6d8e0f2a4c6e';
  const regions = ['eastus', 'westeurope'];
  const estate = generateAzureInventoryEstate({ rng: createRng(8), count: 1200, accounts: [account], regions });
  const armListed = generateAzureEstate({ rng: createRng(2), count: 300, accounts: [account], regions });

  it('lists them in one query with their properties, identity, kind and sku, in sync with a state written from them', async () => {
    const server = await startAzureTestServer([...armListed, ...estate]);
    try {
      Object.assign(process.env, azureAgentEnv({ baseUrl: server.baseUrl, stateDir }));
      const found = await collect(
        createAzureProvider().listTogether!(INVENTORY_ATTRIBUTE_TYPES.azure, ctx(account, regions)),
      );
      expect(server.ctx.callCount('Microsoft.ResourceGraph/resources/action')).toBe(1);
      expect([...byId(found).keys()].sort()).toEqual(estate.map((r) => r.id).sort());
      const listed = byId(found);
      for (const r of estate) {
        const row = listed.get(r.id)!.attributes;
        for (const key of ['properties', 'identity', 'sku', 'tags', 'location'])
          expect(row[key] ?? null, `${r.id} ${key}`).toEqual(r.attributes[key] ?? null);
        // Resource Graph spells "no kind" as an empty string.
        expect(row.kind, r.id).toBe(r.attributes.kind ?? '');
      }
      expect(realDrift(estate, found)).toEqual([]);
    } finally {
      await server.close();
    }
  });
  it('reads role assignments from AuthorizationResources: the Resources table alone has none', async () => {
    const server = await startAzureTestServer(estate);
    try {
      Object.assign(process.env, azureAgentEnv({ baseUrl: server.baseUrl, stateDir }));
      const { ResourceGraphClient } = await import('@azure/arm-resourcegraph');
      const { DefaultAzureCredential } = await import('@azure/identity');
      const client = new ResourceGraphClient(new DefaultAzureCredential(), {
        endpoint: server.baseUrl,
        retryOptions: { maxRetries: 0 },
      });
      const typesOf = async (query: string) => {
        const page = await client.resources({ subscriptions: [account], query, options: { top: 1000 } });
        return new Set((page.data as { type: string }[]).map((row) => row.type));
      };
      const assignments = 'microsoft.authorization/roleassignments';
      expect(estate.some((r) => r.type === 'Microsoft.Authorization/roleAssignments')).toBe(true);
      expect(await typesOf('Resources | project id, type')).not.toContain(assignments);
      expect(await typesOf(INVENTORY_QUERY)).toContain(assignments);
      expect(await typesOf(INVENTORY_QUERY)).toContain('microsoft.storage/storageaccounts/blobservices/containers');
    } finally {
      await server.close();
    }
  });
});

describe('gcp: attribute-level types from Cloud Asset resource.data', () => {
  const project = 'driftmgr-inventory';
  const regions = ['us-central1', 'europe-west1'];
  const estate = generateGcpInventoryEstate({ rng: createRng(6), count: 1200, accounts: [project], regions });

  it('lists them in the unfiltered project stream with their data, in sync with a state written from them', async () => {
    const server = await startGcpTestServer(estate, { bucket: { capacity: 1000, refillPerSecond: 1000 } });
    try {
      server.applyAgentEnv();
      const found = await collect(
        createGcpProvider().listTogether!(INVENTORY_ATTRIBUTE_TYPES.gcp, ctx(project, regions)),
      );
      expect(server.calls('ListAssets')).toBe(1);
      const listed = byId(found);
      expect([...listed.keys()].sort()).toEqual(estate.map((r) => r.id).sort());
      for (const r of estate) {
        expect(listed.get(r.id)?.attributes, r.id).toEqual(r.attributes);
        expect(listed.get(r.id)?.region, r.id).toBe(r.region);
      }
      // The state also declares the projects' IAM policies, which Cloud Asset lists under its own
      // content type (agents/providers/gcp.test.ts), not in this stream.
      const listable = new Set(INVENTORY_ATTRIBUTE_TYPES.gcp);
      expect(realDrift(estate, found).filter((i) => listable.has(i.cloud_type))).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
