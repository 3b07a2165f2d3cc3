import { describe, expect, it } from 'vitest';
import { EXISTENCE_ROWS } from '../../contract/existence/index.js';
import { INVENTORY_ATTRIBUTE_TYPES } from '../../contract/inventory-attribute-types.js';
import { RESOURCE_TYPES } from '../../contract/resource-types.js';
import { generateAzureInventoryEstate } from '../../emulator/azure/inventory-estate.js';
import { withIamPolicies } from '../../emulator/gcp/iam-policies.js';
import { generateGcpInventoryEstate } from '../../emulator/gcp/inventory-estate.js';
import { createRng } from '../../emulator/rng.js';
import { buildTerraformState } from '../../emulator/terraform-state.js';
import { analyze } from '../analyze.js';
import { parseTerraformState } from '../state/parse.js';
import { MAPPINGS, mappingForResource } from './index.js';

/**
 * Azure and GCP types diffed from their inventory documents (azure-inventory.ts,
 * gcp-inventory.ts): listed once, at the attribute level, every Terraform type of their cloud
 * types kept, and a state written from the emulator's documents in sync with them.
 */

const INVENTORIED = new Set([...INVENTORY_ATTRIBUTE_TYPES.azure, ...INVENTORY_ATTRIBUTE_TYPES.gcp]);
const estate = [
  ...generateAzureInventoryEstate({
    rng: createRng(3),
    count: 900,
    accounts: ['0b1f6471-1bf0-4dda-aec3-cb9272f09590'],
    regions: ['eastus', 'westeurope'],
  }),
  ...generateGcpInventoryEstate({
    rng: createRng(4),
    count: 900,
    accounts: ['acme-prod'],
    regions: ['us-central1', 'europe-west1'],
  }),
];

describe('inventory-read attribute-level types', () => {
  it('are listed once, at the attribute level, through their inventory', () => {
    for (const type of INVENTORIED) {
      const entries = RESOURCE_TYPES.filter((t) => t.type === type);
      expect(entries, type).toHaveLength(1);
      expect(entries[0]).toMatchObject({ level: 'attributes', listing: 'account' });
      expect(entries[0]?.inventory).toBe(entries[0]?.provider === 'azure' ? 'resource-graph' : 'cloud-asset');
    }
  });

  it('keep every Terraform type the existence table had for their cloud types, at the attribute level', () => {
    for (const row of EXISTENCE_ROWS.filter((r) => INVENTORIED.has(r.cloudType))) {
      const mappings = MAPPINGS.filter((m) => m.tfType === row.tfType);
      expect(mappings, row.tfType).toHaveLength(1);
      expect(mappings[0]).toMatchObject({ level: 'attributes', cloudType: row.cloudType });
    }
  });

  it('codify each web app by its kind', () => {
    const sites = estate.filter((r) => r.type === 'Microsoft.Web/sites');
    expect(new Set(sites.map((r) => mappingForResource(r)?.tfType))).toEqual(
      new Set(['azurerm_linux_web_app', 'azurerm_windows_web_app']),
    );
  });

  it('find a state written from the documents in sync, noise and defaults included', () => {
    const { state } = buildTerraformState(estate, { seed: 9, driftRate: 0, noiseRate: 0.5 });
    const report = analyze({
      states: [parseTerraformState(JSON.stringify(state))],
      inventory: withIamPolicies(estate),
    });
    const realChanges = report.items.filter((i) => i.kind !== 'changed' || i.changes.some((c) => !c.noise_rule));
    expect(realChanges).toEqual([]);
    // The master database of each SQL server is Azure's own; each part of a project's IAM policy is compared too.
    const iamParts = state.resources.filter((r) => r.type.startsWith('google_project_iam_')).length;
    expect(report.summary.managed).toBe(estate.filter((r) => !r.id.endsWith('/databases/master')).length + iamParts);
  });

  it('find every injected change, missing and unmanaged resource of these types', () => {
    const { state, truth } = buildTerraformState(estate, { seed: 21, driftRate: 0.6, noiseRate: 0.3 });
    const report = analyze({
      states: [parseTerraformState(JSON.stringify(state))],
      inventory: withIamPolicies(estate),
    });
    const found = report.items
      .filter((i) => i.kind !== 'changed' || i.changes.some((c) => !c.noise_rule))
      .map((i) => `${i.kind} ${i.kind === 'unmanaged' ? i.id : i.address}`)
      .sort();
    const injected = truth.drift.map((d) => `${d.kind} ${d.kind === 'unmanaged' ? d.id : d.address}`).sort();
    expect(new Set(truth.drift.map((d) => d.kind))).toEqual(new Set(['changed', 'missing', 'unmanaged']));
    expect(found).toEqual(injected);
  });
});
