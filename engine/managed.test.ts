import { describe, expect, it } from 'vitest';
import type { DiscoveredResource } from '../contract/resource.js';
import { collectManaged, type ManagedSet } from './managed.js';
import { InventoryIndex } from './match.js';
import type { ParsedState, StateInstance } from './state/types.js';

const AWS = 'provider["registry.terraform.io/hashicorp/aws"]';
const ACCOUNT = '111122223333';

function instance(
  tfType: string,
  name: string,
  attributes: Record<string, unknown>,
  extra: Partial<StateInstance> = {},
): StateInstance {
  return {
    source: 'main.tfstate',
    address: `${tfType}.${name}`,
    tfType,
    name,
    provider: AWS,
    tainted: false,
    attributes,
    ...extra,
  };
}

function state(instances: StateInstance[], dataSourcesSkipped = 0, source = 'main.tfstate'): ParsedState {
  return { source, version: 4, instances: instances.map((i) => ({ ...i, source })), dataSourcesSkipped };
}

const vpc = (id: string, extra: Partial<StateInstance> = {}, attributes: Record<string, unknown> = {}) =>
  instance('aws_vpc', id, { id, arn: `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/${id}`, ...attributes }, extra);

const scopeByName = (set: ManagedSet) =>
  Object.fromEntries(set.instances.map((m) => [m.instance.name, set.scopeOf(m)]));

describe('collectManaged', () => {
  it('counts instances, data sources, tainted and deposed objects across states', () => {
    const set = collectManaged([
      state([vpc('vpc-1'), vpc('vpc-2', { tainted: true }), vpc('vpc-old', { deposed: 'd1' })], 2, 'a.tfstate'),
      state([vpc('vpc-3')], 3, 'b.tfstate'),
    ]);
    expect(set.instances.map((m) => m.id)).toEqual(['vpc-1', 'vpc-2', 'vpc-3']);
    expect({
      stateResources: set.stateResources,
      dataSourcesSkipped: set.dataSourcesSkipped,
      tainted: set.tainted,
      deposed: set.deposed,
    }).toEqual({
      stateResources: 4,
      dataSourcesSkipped: 5,
      tainted: 1,
      deposed: 1,
    });
    expect(set.deposedObjects).toEqual([{ cloudType: 'AWS::EC2::VPC', normalisedId: 'vpc-old' }]);
  });

  it('counts types it has no mapping for, and mapped instances without an id, as unsupported', () => {
    const set = collectManaged([
      state([
        instance('aws_mystery', 'a', { id: 'x' }),
        instance('aws_mystery', 'b', { id: 'y' }),
        vpc('', {}, { id: '' }),
      ]),
    ]);
    expect(set.instances).toEqual([]);
    expect(set.unsupported).toEqual({ aws_mystery: 2, aws_vpc: 1 });
  });

  it('keeps a resource managed in several places once and lists every place', () => {
    const set = collectManaged([
      state([vpc('vpc-1'), vpc('vpc-2')], 0, 'a.tfstate'),
      state([vpc('vpc-1'), vpc('vpc-2', { tainted: true })], 0, 'b.tfstate'),
      state([vpc('vpc-1')], 0, 'c.tfstate'),
    ]);
    expect(set.instances.map((m) => `${m.instance.source} ${m.id}`)).toEqual(['a.tfstate vpc-1', 'a.tfstate vpc-2']);
    expect(set.duplicates).toEqual([
      {
        tf_type: 'aws_vpc',
        id: 'vpc-1',
        addresses: ['a', 'b', 'c'].map((s) => ({ source: `${s}.tfstate`, address: 'aws_vpc.vpc-1' })),
      },
      {
        tf_type: 'aws_vpc',
        id: 'vpc-2',
        addresses: ['a', 'b'].map((s) => ({ source: `${s}.tfstate`, address: 'aws_vpc.vpc-2' })),
      },
    ]);
    // Only the instance that is analysed counts as tainted.
    expect(set.tainted).toBe(0);
  });

  it('does not take the same id of two different types for a duplicate', () => {
    const set = collectManaged([state([vpc('shared-id'), instance('aws_subnet', 's', { id: 'shared-id' })])]);
    expect(set.instances).toHaveLength(2);
    expect(set.duplicates).toEqual([]);
  });
});

describe('scopeOf', () => {
  it('gives an instance its own ARN scope', () => {
    expect(scopeByName(collectManaged([state([vpc('vpc-1')])]))['vpc-1']).toEqual({
      account: ACCOUNT,
      region: 'eu-west-1',
    });
  });

  it('lets an AWS instance without ARN or zone inherit the scope its provider siblings agree on', () => {
    const set = collectManaged([
      state([vpc('vpc-1'), vpc('vpc-2'), instance('aws_route_table', 'rt', { id: 'rtb-1' })]),
    ]);
    expect(scopeByName(set).rt).toEqual({ account: ACCOUNT, region: 'eu-west-1' });
  });

  it('inherits nothing where the siblings disagree, or from another provider alias or state', () => {
    const east = instance('aws_vpc', 'east', { id: 'vpc-e', arn: 'arn:aws:ec2:us-east-1:444455556666:vpc/vpc-e' });
    const mixed = collectManaged([state([vpc('vpc-1'), east, instance('aws_route_table', 'rt', { id: 'rtb-1' })])]);
    expect(scopeByName(mixed).rt).toEqual({ account: undefined, region: undefined });
    const aliased = collectManaged([
      state([vpc('vpc-1'), instance('aws_route_table', 'rt', { id: 'rtb-1' }, { provider: `${AWS}.west` })]),
      state([instance('aws_route_table', 'other', { id: 'rtb-2' })], 0, 'other.tfstate'),
    ]);
    expect(scopeByName(aliased)).toMatchObject({
      rt: { account: undefined, region: undefined },
      other: { account: undefined, region: undefined },
    });
  });

  it('completes a missing region from the siblings while keeping the own account', () => {
    const set = collectManaged([
      state([
        vpc('vpc-1'),
        instance('aws_instance', 'web', { id: 'i-1', arn: `arn:aws:ec2::${ACCOUNT}:instance/i-1` }),
      ]),
    ]);
    expect(scopeByName(set).web).toEqual({ account: ACCOUNT, region: 'eu-west-1' });
  });

  it('never hands an AWS region to a resource of another cloud', () => {
    const rg = (name: string, location?: string) =>
      instance(
        'azurerm_resource_group',
        name,
        { id: `/subscriptions/sub-1/resourceGroups/${name}`, ...(location ? { location } : {}) },
        { provider: 'provider["registry.terraform.io/hashicorp/azurerm"]' },
      );
    const set = collectManaged([state([rg('a', 'westeurope'), rg('b')])]);
    expect(scopeByName(set)).toEqual({
      a: { account: 'sub-1', region: 'westeurope' },
      b: { account: 'sub-1', region: undefined },
    });
  });
});

describe('scopeOf for ARM children', () => {
  const AZURERM = 'provider["registry.terraform.io/hashicorp/azurerm"]';
  const VNET = '/subscriptions/sub-1/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/net';
  const subnet = instance('azurerm_subnet', 'sn', { id: `${VNET}/subnets/sn` }, { provider: AZURERM });
  const vnet = (location: string) =>
    instance('azurerm_virtual_network', 'net', { id: VNET, location }, { provider: AZURERM });
  const discoveredVnet = (region: string): DiscoveredResource => ({
    provider: 'azure',
    account: 'sub-1',
    region,
    type: 'Microsoft.Network/virtualNetworks',
    id: VNET,
    attributes: {},
    tags: {},
  });
  const subnetScope = (set: ManagedSet) => scopeByName(set).sn;

  it('places a subnet where discovery filed its network, before what the state says', () => {
    const set = collectManaged(
      [state([vnet('westeurope'), subnet])],
      new InventoryIndex([discoveredVnet('northeurope')]),
    );
    expect(subnetScope(set)).toEqual({ account: 'sub-1', region: 'northeurope' });
  });

  it('places a subnet in its network state region when discovery did not see the network', () => {
    expect(subnetScope(collectManaged([state([vnet('westeurope'), subnet])], new InventoryIndex([])))).toEqual({
      account: 'sub-1',
      region: 'westeurope',
    });
  });

  it('leaves the region of a subnet unknown when its network is nowhere', () => {
    expect(subnetScope(collectManaged([state([subnet])]))).toEqual({ account: 'sub-1', region: undefined });
  });
});
