import { describe, expect, it } from 'vitest';
import { DiscoveredResource, Provider, resourceKey } from '../contract/resource.js';
import { resourceTypesOf } from '../contract/resource-types.js';
import { countByType, generateEstate } from './estate.js';
import { withIamPolicies } from './gcp/iam-policies.js';

const PROVIDERS = Provider.options;

describe('generateEstate', () => {
  it('is deterministic: the same seed and size give the identical estate', () => {
    const a = generateEstate({ seed: 11, resources: 400 });
    const b = generateEstate({ seed: 11, resources: 400 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const other = generateEstate({ seed: 12, resources: 400 });
    expect(other.accounts).not.toEqual(a.accounts);
    expect(JSON.stringify(other.resources)).not.toBe(JSON.stringify(a.resources));
  });

  it('derives fixed-shape accounts and the agreed regions from the seed', () => {
    const { accounts, regions } = generateEstate({ seed: 5, resources: 100 });
    expect(accounts.aws).toHaveLength(2);
    expect(new Set(accounts.aws).size).toBe(2);
    for (const id of accounts.aws) expect(id).toMatch(/^\d{12}$/);
    expect(accounts.azure).toHaveLength(1);
    expect(accounts.azure[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(accounts.gcp).toHaveLength(1);
    expect(accounts.gcp[0]).toMatch(/^[a-z][a-z0-9-]{5,29}$/);
    expect(regions).toEqual({
      aws: ['us-east-1', 'eu-west-1'],
      azure: ['eastus', 'westeurope'],
      gcp: ['us-central1', 'europe-west1'],
    });
  });

  it('gives even a tiny estate every resource type of every cloud', () => {
    const estate = generateEstate({ seed: 3, resources: 1 });
    // With the IAM policies the emulator derives from it: everything discovery lists.
    const types = new Set(withIamPolicies(estate.resources).map((r) => `${r.provider}|${r.type}`));
    for (const provider of PROVIDERS) {
      for (const { type } of resourceTypesOf(provider)) expect(types).toContain(`${provider}|${type}`);
    }
  });

  it('splits a large estate about 50/25/25 between aws, azure and gcp', () => {
    const estate = generateEstate({ seed: 8, resources: 4_000 });
    const total = estate.resources.length;
    expect(total).toBeGreaterThan(3_000);
    expect(total).toBeLessThan(5_000);
    const share = (p: Provider) => estate.resources.filter((r) => r.provider === p).length / total;
    expect(share('aws')).toBeGreaterThan(0.4);
    expect(share('aws')).toBeLessThan(0.6);
    expect(share('azure')).toBeGreaterThan(0.17);
    expect(share('azure')).toBeLessThan(0.33);
    expect(share('gcp')).toBeGreaterThan(0.17);
    expect(share('gcp')).toBeLessThan(0.33);
  });

  it('gives one cloud every resource when asked for it alone, the same as its part of the whole estate', () => {
    const azure = generateEstate({ seed: 8, resources: 1_000, only: 'azure' });
    expect(azure.resources.length).toBeGreaterThan(800);
    expect(new Set(azure.resources.map((r) => r.provider))).toEqual(new Set(['azure']));
    expect(azure.accounts).toMatchObject({ aws: [], gcp: [] });
    const whole = generateEstate({ seed: 8, resources: 4_000 });
    expect(azure.accounts.azure).toEqual(whole.accounts.azure);
    expect(azure.resources).toEqual(whole.resources.filter((r) => r.provider === 'azure'));
  });

  it('holds valid resources with unique keys, inside the estate accounts and regions', () => {
    const estate = generateEstate({ seed: 21, resources: 600 });
    const keys = new Set<string>();
    for (const resource of estate.resources) {
      expect(() => DiscoveredResource.parse(resource)).not.toThrow();
      expect(estate.accounts[resource.provider]).toContain(resource.account);
      const inRegion =
        resource.region === 'global' ||
        estate.regions[resource.provider].some((region) => resource.region.startsWith(region));
      expect(inRegion, `${resourceKey(resource)} is outside the estate regions`).toBe(true);
      keys.add(resourceKey(resource));
    }
    expect(keys.size).toBe(estate.resources.length);
  });

  it('rejects sizes and seeds that are not integers', () => {
    expect(() => generateEstate({ seed: 1, resources: 0 })).toThrow(/resources/);
    expect(() => generateEstate({ seed: 1.5, resources: 10 })).toThrow(/seed/);
  });
});

describe('countByType', () => {
  it('counts each type once per resource, with sorted keys', () => {
    const estate = generateEstate({ seed: 2, resources: 300 });
    const summary = countByType(estate.resources);
    expect(Object.values(summary).reduce((a, b) => a + b, 0)).toBe(estate.resources.length);
    expect(Object.keys(summary)).toEqual([...Object.keys(summary)].sort());
    expect(summary['AWS::EC2::VPC']).toBe(estate.resources.filter((r) => r.type === 'AWS::EC2::VPC').length);
  });
});
