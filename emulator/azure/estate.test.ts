import { describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../../contract/resource.js';
import { resourceTypesOf } from '../../contract/resource-types.js';
import { createRng } from '../rng.js';
import { ARM_TYPES, generateAzureEstate } from './estate.js';

const accounts = ['0b1f6471-1bf0-4dda-aec3-cb9272f09590', '7c2a9b1e-55d4-4f0e-9c3e-2f8d1a6b3c47'];
const regions = ['eastus', 'westeurope'];
const generate = (count: number, seed = 42) => generateAzureEstate({ rng: createRng(seed), count, accounts, regions });

type Json = Record<string, any>;
const estate = generate(3000);
const byId = new Map(estate.map((r) => [r.id, r]));
const ofType = (type: string) => estate.filter((r) => r.type === type);
const groupIdOf = (id: string) => id.split('/').slice(0, 5).join('/');

describe('azure estate', () => {
  it('is the same for the same seed and differs for another', () => {
    expect(JSON.stringify(generate(500))).toBe(JSON.stringify(generate(500)));
    expect(JSON.stringify(generate(500, 43))).not.toBe(JSON.stringify(generate(500)));
  });

  it('reaches the requested size and has every Azure type in every subscription and region', () => {
    expect(estate.length).toBeGreaterThanOrEqual(3000);
    expect(estate.length).toBeLessThan(3100);
    for (const { type } of resourceTypesOf('azure').filter((t) => t.level === 'attributes' && !t.inventory)) {
      for (const account of accounts) {
        for (const region of regions) {
          expect(
            estate.some((r) => r.type === type && r.account === account && r.region === region),
            `${type} ${account} ${region}`,
          ).toBe(true);
        }
      }
    }
  });

  it('holds each resource in the attribute contract shape: ARM JSON, JSON-clean, unique ids', () => {
    expect(new Set(estate.map((r) => r.id)).size).toBe(estate.length);
    expect(JSON.parse(JSON.stringify(estate))).toStrictEqual(estate);
    for (const r of estate) {
      const a = r.attributes as Json;
      expect(r.provider).toBe('azure');
      expect(a.id).toBe(r.id);
      expect(a.type).toBe(r.type);
      expect(r.name).toBe(a.name);
      expect(r.id.startsWith(`/subscriptions/${r.account}/resourceGroups/`)).toBe(true);
      expect(r.tags).toEqual(a.tags ?? {});
      if (r.type === ARM_TYPES.subnet) expect(a.location).toBeUndefined();
      else expect(a.location).toBe(r.region);
      if (r.type !== ARM_TYPES.resourceGroup) expect(a.properties.provisioningState).toBe('Succeeded');
    }
  });

  it('keeps references consistent: groups, disks and VMs, subnets, NSGs and public IPs', () => {
    const nics = new Set<string>();
    for (const r of estate) {
      expect(byId.has(groupIdOf(r.id)), `resource group of ${r.id}`).toBe(true);
    }
    for (const vm of ofType(ARM_TYPES.virtualMachine)) {
      const storage = (vm.attributes as Json).properties.storageProfile;
      for (const disk of [storage.osDisk, ...storage.dataDisks]) {
        const found = byId.get(disk.managedDisk.id) as DiscoveredResource;
        expect((found.attributes as Json).managedBy).toBe(vm.id);
        expect((found.attributes as Json).properties.diskSizeGB).toBe(disk.diskSizeGB);
      }
      for (const nic of (vm.attributes as Json).properties.networkProfile.networkInterfaces) nics.add(nic.id);
    }
    for (const disk of ofType(ARM_TYPES.disk)) {
      const a = disk.attributes as Json;
      if (a.managedBy) expect(byId.get(a.managedBy)?.type).toBe(ARM_TYPES.virtualMachine);
      else expect(a.properties.diskState).toBe('Unattached');
    }
    for (const vnet of ofType(ARM_TYPES.virtualNetwork)) {
      const inline = (vnet.attributes as Json).properties.subnets as Json[];
      expect(inline.length).toBeGreaterThan(0);
      for (const subnet of inline) {
        const listed = byId.get(subnet.id) as DiscoveredResource;
        expect(listed.attributes).toEqual(subnet);
        expect(listed.region).toBe(vnet.region);
        expect(byId.get(subnet.properties.networkSecurityGroup.id)?.type).toBe(ARM_TYPES.networkSecurityGroup);
        for (const ipConfig of subnet.properties.ipConfigurations)
          expect(nics.has(ipConfig.id.split('/ipConfigurations/')[0])).toBe(true);
      }
    }
    for (const pip of ofType(ARM_TYPES.publicIp)) {
      const ipConfiguration = (pip.attributes as Json).properties.ipConfiguration;
      if (ipConfiguration) expect(nics.has(ipConfiguration.id.split('/ipConfigurations/')[0])).toBe(true);
    }
  });

  it('includes what Azure creates by itself: platform resource groups and default NSG rules', () => {
    for (const account of accounts) {
      expect(byId.get(`/subscriptions/${account}/resourceGroups/NetworkWatcherRG`)?.tags).toEqual({});
      expect(byId.has(`/subscriptions/${account}/resourceGroups/DefaultResourceGroup-WEU`)).toBe(true);
    }
    for (const nsg of ofType(ARM_TYPES.networkSecurityGroup)) {
      const rules = (nsg.attributes as Json).properties.defaultSecurityRules as Json[];
      expect(rules.map((r) => r.name)).toEqual([
        'AllowVnetInBound',
        'AllowAzureLoadBalancerInBound',
        'DenyAllInBound',
        'AllowVnetOutBound',
        'AllowInternetOutBound',
        'DenyAllOutBound',
      ]);
    }
  });

  it('freezes fragments shared between resources so editing one resource cannot change others', () => {
    const nsg = ofType(ARM_TYPES.networkSecurityGroup)[0] as DiscoveredResource;
    const rule = (nsg.attributes as Json).properties.defaultSecurityRules[0];
    expect(() => {
      rule.properties.access = 'Deny';
    }).toThrow(TypeError);
  });

  // Generation speed is a benchmark figure (npm run bench), not a test assertion.
  it('hits the requested size at 100,000 resources', () => {
    const big = generateAzureEstate({ rng: createRng(1), count: 100_000, accounts, regions });
    expect(big.length).toBeGreaterThanOrEqual(100_000);
    expect(big.length).toBeLessThan(102_000);
  });
});
