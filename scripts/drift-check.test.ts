import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { InjectedDrift } from '../emulator/terraform-state.js';
import { compareDrift, foundIdentities, injectedIdentities, mismatchTable } from './drift-check.js';

const SUBNET_ID = '/subscriptions/s-1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/app';
const injected: InjectedDrift[] = [
  { kind: 'changed', tf_type: 'aws_instance', address: 'aws_instance.web', id: 'i-1', paths: ['instance_type'] },
  { kind: 'missing', tf_type: 'aws_ebs_volume', address: 'module.app.aws_ebs_volume.data[0]', id: 'vol-gone' },
  { kind: 'unmanaged', tf_type: 'aws_vpc', id: 'vpc-9' },
  { kind: 'missing', tf_type: 'azurerm_subnet', address: 'azurerm_subnet.app', id: SUBNET_ID },
  { kind: 'unmanaged', tf_type: 'google_compute_disk', id: 'projects/p/zones/us-central1-a/disks/d' },
];
const exactAws = [
  { kind: 'changed' as const, address: 'aws_instance.web', id: 'i-1' },
  { kind: 'missing' as const, address: 'module.app.aws_ebs_volume.data[0]', id: 'vol-gone' },
  // Unmanaged items carry the address codify would use; only their cloud id is compared.
  { kind: 'unmanaged' as const, address: 'aws_vpc.vpc_9', id: 'vpc-9' },
];

describe('drift found against drift injected', () => {
  it('takes only the provider’s own injected drift, by address or cloud id', () => {
    expect(injectedIdentities(injected, 'aws')).toEqual({
      changed: ['aws_instance.web'],
      missing: ['module.app.aws_ebs_volume.data[0]'],
      unmanaged: ['vpc-9'],
    });
    expect(injectedIdentities(injected, 'azure')).toEqual({
      changed: [],
      missing: ['azurerm_subnet.app'],
      unmanaged: [],
    });
  });

  it('is exact when every kind names the same resources', () => {
    const c = compareDrift('aws', foundIdentities(exactAws), injectedIdentities(injected, 'aws'));
    expect(c.exact).toBe(true);
    expect(mismatchTable([c])).toBeUndefined();
  });

  it('names what was missed and what was not injected, even when the counts agree', () => {
    const found = [...exactAws.slice(0, 2), { kind: 'unmanaged' as const, address: 'aws_vpc.vpc_8', id: 'vpc-8' }];
    const c = compareDrift('aws', foundIdentities(found), injectedIdentities(injected, 'aws'));
    expect(c.exact).toBe(false);
    expect(c.kinds.find((k) => k.kind === 'unmanaged')).toEqual({
      kind: 'unmanaged',
      found: 1,
      injected: 1,
      missed: ['vpc-9'],
      unexpected: ['vpc-8'],
    });
    const table = mismatchTable([c])!;
    expect(table).toContain('- vpc-9');
    expect(table).toContain('+ vpc-8');
    expect(table).not.toContain('changed');
  });

  it('counts an item reported twice as a difference', () => {
    const c = compareDrift('aws', foundIdentities([...exactAws, exactAws[0]!]), injectedIdentities(injected, 'aws'));
    expect(c.exact).toBe(false);
    expect(c.kinds.find((k) => k.kind === 'changed')).toMatchObject({
      found: 2,
      injected: 1,
      missed: [],
      unexpected: [],
    });
  });

  it('lists only the first few differences of a kind, with their counts', () => {
    const many = Array.from({ length: 7 }, (_, i) => ({
      kind: 'missing' as const,
      tf_type: 'azurerm_subnet',
      address: `azurerm_subnet.s_${i}`,
      id: `${SUBNET_ID}-${i}`,
    }));
    const c = compareDrift('azure', foundIdentities([]), injectedIdentities(many, 'azure'));
    const table = stripVTControlCharacters(mismatchTable([c], 2)!);
    expect(table).toContain('- azurerm_subnet.s_0');
    expect(table).toContain('- azurerm_subnet.s_1');
    expect(table).not.toContain('azurerm_subnet.s_2');
    expect(table).toMatch(/missing\s*│\s*0\s*│\s*7\s*│\s*7\s*│\s*0/);
  });
});
