import { describe, expect, it } from 'vitest';
import { AZURE_NSG_CONVERTERS } from './nsg-rules.js';

/**
 * Golden cases written by hand from an ARM network security group (`properties.securityRules`,
 * as GET …/networkSecurityGroups/{name}?api-version=2023-09-01 returns it) and the azurerm
 * provider's `security_rule` blocks in state for the same rules.
 */
type Converter = (value: unknown, attributes: Record<string, unknown>) => unknown;
const run = (name: keyof typeof AZURE_NSG_CONVERTERS, value: unknown) =>
  (AZURE_NSG_CONVERTERS[name] as Converter)(value, {});

const NSG =
  '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-app/providers/Microsoft.Network/networkSecurityGroups/nsg-app';
const ASG = (name: string, group = 'rg-app') =>
  `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/${group}/providers/Microsoft.Network/applicationSecurityGroups/${name}`;

/** One ARM security rule with the empty lists ARM always returns. */
const armRule = (name: string, properties: Record<string, unknown>) => ({
  name,
  id: `${NSG}/securityRules/${name}`,
  etag: 'W/"5d4b1f6e-0000-0000-0000-000000000000"',
  type: 'Microsoft.Network/networkSecurityGroups/securityRules',
  properties: {
    provisioningState: 'Succeeded',
    sourcePortRanges: [],
    destinationPortRanges: [],
    sourceAddressPrefixes: [],
    destinationAddressPrefixes: [],
    ...properties,
  },
});

/** One azurerm security_rule block with every argument, as the provider writes it. */
const tfRule = (b: Record<string, unknown>) => ({
  description: '',
  source_address_prefix: '',
  source_address_prefixes: [],
  destination_address_prefix: '',
  destination_address_prefixes: [],
  source_port_range: '',
  source_port_ranges: [],
  destination_port_range: '',
  destination_port_ranges: [],
  source_application_security_group_ids: [],
  destination_application_security_group_ids: [],
  ...b,
});

const CASES: [name: string, arm: unknown, tf: Record<string, unknown>, canonical: string][] = [
  [
    'HTTPS in from the Internet service tag',
    armRule('allow-https', {
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationPortRange: '443',
      sourceAddressPrefix: 'Internet',
      destinationAddressPrefix: '*',
      access: 'Allow',
      priority: 100,
      direction: 'Inbound',
    }),
    tfRule({
      name: 'allow-https',
      priority: 100,
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      source_address_prefix: 'Internet',
      source_port_range: '*',
      destination_address_prefix: '*',
      destination_port_range: '443',
    }),
    'name=allow-https direction=inbound access=allow priority=100 proto=tcp source=internet source_ports=* destination=* destination_ports=443',
  ],
  [
    'SSH and RDP from two office ranges to the virtual network (lists, in another order, a bare IP)',
    armRule('office-admin', {
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationPortRanges: ['3389', '22'],
      sourceAddressPrefixes: ['203.0.113.10', '198.51.100.0/24'],
      destinationAddressPrefix: 'VirtualNetwork',
      access: 'Allow',
      priority: 110,
      direction: 'Inbound',
      description: 'office admin',
    }),
    tfRule({
      name: 'office-admin',
      priority: 110,
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      description: 'office admin',
      source_port_range: '*',
      destination_port_ranges: ['22', '3389'],
      source_address_prefixes: ['198.51.100.0/24', '203.0.113.10/32'],
      destination_address_prefix: 'VirtualNetwork',
    }),
    'name=office-admin direction=inbound access=allow priority=110 proto=tcp source=198.51.100.0/24,203.0.113.10/32 source_ports=* destination=virtualnetwork destination_ports=22,3389 description="office admin"',
  ],
  [
    'deny everything out to the Internet',
    armRule('deny-internet-out', {
      protocol: '*',
      sourcePortRange: '*',
      destinationPortRange: '*',
      sourceAddressPrefix: '*',
      destinationAddressPrefix: 'Internet',
      access: 'Deny',
      priority: 4000,
      direction: 'Outbound',
    }),
    tfRule({
      name: 'deny-internet-out',
      priority: 4000,
      direction: 'Outbound',
      access: 'Deny',
      protocol: '*',
      source_address_prefix: '*',
      source_port_range: '*',
      destination_address_prefix: 'Internet',
      destination_port_range: '*',
    }),
    'name=deny-internet-out direction=outbound access=deny priority=4000 proto=all source=* source_ports=* destination=internet destination_ports=*',
  ],
  [
    'web tier to app tier by application security groups (ids differ only in case)',
    armRule('web-to-app', {
      protocol: 'Tcp',
      sourcePortRange: '*',
      destinationPortRange: '8080',
      access: 'Allow',
      priority: 200,
      direction: 'Inbound',
      sourceApplicationSecurityGroups: [{ id: ASG('asg-web', 'RG-APP') }],
      destinationApplicationSecurityGroups: [{ id: ASG('asg-app', 'RG-APP') }],
    }),
    tfRule({
      name: 'web-to-app',
      priority: 200,
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      source_port_range: '*',
      destination_port_range: '8080',
      source_application_security_group_ids: [ASG('asg-web')],
      destination_application_security_group_ids: [ASG('asg-app')],
    }),
    `name=web-to-app direction=inbound access=allow priority=200 proto=tcp source_asgs=${ASG('asg-web').toLowerCase()} source_ports=* destination_asgs=${ASG('asg-app').toLowerCase()} destination_ports=8080`,
  ],
];

describe('NSG security rules (securityRules vs azurerm_network_security_group security_rule)', () => {
  it.each(CASES)('%s: from ARM', (_, arm, __, canonical) => {
    expect(run('azure-nsg-rules-cloud', [arm])).toEqual([canonical]);
  });

  it.each(CASES)('%s: from Terraform state', (_, __, tf, canonical) => {
    expect(run('azure-nsg-rules-tf', [tf])).toEqual([canonical]);
  });

  it.each(CASES)('%s: written back to security_rule arguments that read the same', (_, __, ___, canonical) => {
    expect(run('azure-nsg-rules-tf', run('azure-nsg-rules-to-tf', [canonical]))).toEqual([canonical]);
  });

  it('writes ARM spellings and one value or a list, as the provider stores them', () => {
    expect(run('azure-nsg-rules-to-tf', [CASES[0]![3]])).toEqual([CASES[0]![2]]);
    expect(run('azure-nsg-rules-to-tf', [CASES[1]![3]])).toEqual([
      tfRule({
        name: 'office-admin',
        priority: 110,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        description: 'office admin',
        source_port_range: '*',
        destination_port_ranges: ['22', '3389'],
        source_address_prefixes: ['198.51.100.0/24', '203.0.113.10/32'],
        destination_address_prefix: 'VirtualNetwork',
      }),
    ]);
  });
});

it('every NSG converter has golden cases here', () => {
  expect(Object.keys(AZURE_NSG_CONVERTERS).sort()).toEqual([
    'azure-nsg-rules-cloud',
    'azure-nsg-rules-tf',
    'azure-nsg-rules-to-tf',
  ]);
});
