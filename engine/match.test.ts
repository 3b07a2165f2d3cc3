import { describe, expect, it } from 'vitest';
import type { DiscoveredResource, Provider } from '../contract/resource.js';
import { InventoryIndex } from './match.js';

const resource = (provider: Provider, type: string, id: string, region = 'r1'): DiscoveredResource => ({
  provider,
  account: 'a',
  region,
  type,
  id,
  attributes: {},
  tags: {},
});

describe('InventoryIndex', () => {
  it('finds a resource by cloud type and normalised id, whichever way discovery spelled the id', () => {
    const vm = resource(
      'gcp',
      'compute.googleapis.com/Instance',
      '//compute.googleapis.com/projects/p/zones/z/instances/vm',
    );
    const vnet = resource(
      'azure',
      'Microsoft.Network/virtualNetworks',
      '/subscriptions/S/resourceGroups/RG/providers/Microsoft.Network/virtualNetworks/Net',
    );
    const index = new InventoryIndex([vm, vnet]);
    expect(index.get('compute.googleapis.com/Instance', 'projects/p/zones/z/instances/vm')).toBe(vm);
    expect(
      index.get(
        'Microsoft.Network/virtualNetworks',
        '/subscriptions/s/resourcegroups/rg/providers/microsoft.network/virtualnetworks/net',
      ),
    ).toBe(vnet);
  });

  it('does not find an id under another type, or an id it never saw', () => {
    const index = new InventoryIndex([resource('aws', 'AWS::EC2::VPC', 'vpc-1')]);
    expect(index.get('AWS::EC2::Subnet', 'vpc-1')).toBeUndefined();
    expect(index.get('AWS::EC2::VPC', 'vpc-2')).toBeUndefined();
  });

  it('keeps the first of resources discovered twice, and each once in the list', () => {
    const first = resource('aws', 'AWS::EC2::VPC', 'vpc-1', 'first');
    const again = resource('aws', 'AWS::EC2::VPC', 'vpc-1', 'again');
    const other = resource('aws', 'AWS::EC2::VPC', 'vpc-2');
    const index = new InventoryIndex([first, again, other]);
    expect(index.get('AWS::EC2::VPC', 'vpc-1')).toBe(first);
    expect(index.resources).toEqual([first, other]);
    expect(index.size).toBe(2);
  });

  it('counts, per type, resources no mapping covers instead of indexing them', () => {
    const index = new InventoryIndex([
      resource('aws', 'AWS::Mystery::Thing', 'm-1'),
      resource('aws', 'AWS::EC2::VPC', 'vpc-1'),
      resource('aws', 'AWS::Mystery::Thing', 'm-2'),
    ]);
    expect(index.unsupported).toEqual({ 'AWS::Mystery::Thing': 2 });
    expect(index.resources.map((r) => r.id)).toEqual(['vpc-1']);
    expect(index.get('AWS::Mystery::Thing', 'm-1')).toBeUndefined();
  });
});
