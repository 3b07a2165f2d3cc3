import { describe, expect, it } from 'vitest';
import { AWS_RULE_CONVERTERS } from './aws-rules.js';
import { CONVERTERS, type ConverterName, convert } from './converters.js';
import { IAM_POLICY_CONVERTERS } from './iam-policy.js';
import { AZURE_NSG_CONVERTERS } from './nsg-rules.js';

/**
 * Golden cases for the value converters, written by hand from the cloud APIs' JSON (EC2 via
 * @aws-sdk/client-ec2, ARM, Compute Engine as Cloud Asset `resource.data`) and Terraform state.
 * The rule-set converters have their own tables beside their modules.
 */
const SCALAR_CASES: [converter: ConverterName, name: string, input: unknown, output: unknown][] = [
  ['number', 'Compute Engine int64 fields arrive as JSON strings (Disk.sizeGb)', '100', 100],
  ['number', 'ARM numbers stay numbers (disk properties.diskSizeGB)', 128, 128],
  ['number', 'a string that is no number stays as it is', 'gp3', 'gp3'],
  ['number', 'an empty string is not zero', '', ''],
  ['number', 'null is unset', null, undefined],
  ['bool', 'v3 (flatmap) states hold booleans as strings', 'true', true],
  ['bool', 'and false as "false"', 'false', false],
  ['bool', 'v4 states hold real booleans', false, false],
  ['bool', 'null is unset', null, undefined],
  ['string-list', 'a list of ids stays as it is', ['sg-0a1', 'sg-0b2'], ['sg-0a1', 'sg-0b2']],
  ['string-list', 'one value becomes a list of one', 'sg-0a1', ['sg-0a1']],
  ['string-list', 'numbers become strings (GCP ports)', [22, 443], ['22', '443']],
  ['string-list', 'absent is an empty list', undefined, []],
  ['string-map', 'a tag map stays as it is', { env: 'prod', team: 'web' }, { env: 'prod', team: 'web' }],
  ['string-map', 'values become strings', { port: 8080, public: false }, { port: '8080', public: 'false' }],
  ['string-map', 'anything else is an empty map', 'env=prod', {}],
  [
    'aws-tags',
    'EC2 Tags (Key/Value pairs) become a map',
    [
      { Key: 'Name', Value: 'web-1' },
      { Key: 'env', Value: 'prod' },
    ],
    { Name: 'web-1', env: 'prod' },
  ],
  ['aws-tags', 'a tag without a value has an empty one', [{ Key: 'backup' }], { backup: '' }],
  ['aws-tags', 'no Tags at all is an empty map', undefined, {}],
  ['enabled-bool', 'Monitoring.State enabled', 'enabled', true],
  ['enabled-bool', 'Monitoring.State pending (being turned on)', 'pending', true],
  ['enabled-bool', 'Monitoring.State disabled', 'disabled', false],
  ['enabled-bool', 'Monitoring.State disabling (being turned off)', 'disabling', false],
  ['enabled-bool', 'absent is unset', undefined, undefined],
  ['azure-replication', 'sku.name Standard_LRS is account_replication_type LRS', 'Standard_LRS', 'LRS'],
  ['azure-replication', 'Standard_RAGRS', 'Standard_RAGRS', 'RAGRS'],
  ['azure-replication', 'Premium_ZRS', 'Premium_ZRS', 'ZRS'],
  ['azure-replication', 'Standard_GZRS', 'Standard_GZRS', 'GZRS'],
  [
    'azure-subnet-vnet',
    'a subnet id names its virtual network',
    '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub/subnets/snet-app',
    'vnet-hub',
  ],
  [
    'azure-resource-group',
    'a resource id names its resource group',
    '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-hub',
    'rg-net',
  ],
  [
    'azure-resource-group',
    'in any case (resourcegroups, as some APIs spell it)',
    '/subscriptions/00000000-0000-0000-0000-000000000001/resourcegroups/RG-Net/providers/Microsoft.Compute/disks/osdisk',
    'RG-Net',
  ],
  ['map-keys', 'Lambda Environment.Variables are compared by name only', { B: 's3cret', A: 'x' }, ['A', 'B']],
  ['map-keys', 'anything but a map stays as it is', 'x', 'x'],
  ['keys-to-map', 'names back to a map of empty values', ['A', 'B'], { A: '', B: '' }],
  ['lb-internal', 'ELBv2 Scheme internal', 'internal', true],
  ['dns-name', "Route 53's zone name, trailing dot and all", 'Shop.Example.com.', 'shop.example.com'],
  ['dns-name', 'a name already as Terraform stores it', 'shop.example.com', 'shop.example.com'],
  ['lb-internal', 'ELBv2 Scheme internet-facing', 'internet-facing', false],
  [
    'dynamodb-hash-key',
    'the HASH key of a KeySchema',
    [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    'pk',
  ],
  ['dynamodb-range-key', 'the RANGE key of a KeySchema', [{ AttributeName: 'sk', KeyType: 'RANGE' }], 'sk'],
  ['dynamodb-range-key', 'a table with no range key has none', [{ AttributeName: 'pk', KeyType: 'HASH' }], undefined],
  ['azure-container-access', 'blob container publicAccess None is private', 'None', 'private'],
  ['azure-container-access', 'publicAccess Blob: anonymous reads of blobs', 'Blob', 'blob'],
  ['azure-container-access', 'publicAccess Container: anonymous listing too', 'Container', 'container'],
  ['azure-container-access', 'absent publicAccess is unset (the default applies)', undefined, undefined],
  [
    'azure-role-definition',
    'a built-in role definition id with its subscription is the role name',
    '/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    'Owner',
  ],
  [
    'azure-role-definition',
    'the same role without the subscription, GUID in upper case',
    '/providers/Microsoft.Authorization/roleDefinitions/B24988AC-6180-42A0-AB88-20F7382DD24C',
    'Contributor',
  ],
  [
    'azure-role-definition',
    'a custom role is its GUID in lower case',
    '/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/providers/Microsoft.Authorization/roleDefinitions/1D5C0F4E-7A22-4B55-9A0B-3C9E2F1A7B60',
    '1d5c0f4e-7a22-4b55-9a0b-3c9e2f1a7b60',
  ],
  ['azure-role-definition', 'a role name stays a role name', 'Reader', 'Reader'],
  [
    'azure-role-definition-id',
    'a built-in role back into its tenant-wide definition id',
    'Reader',
    '/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7',
  ],
  [
    'azure-role-definition-id',
    'a custom role GUID into its definition id',
    '1d5c0f4e-7a22-4b55-9a0b-3c9e2f1a7b60',
    '/providers/Microsoft.Authorization/roleDefinitions/1d5c0f4e-7a22-4b55-9a0b-3c9e2f1a7b60',
  ],
  ['enabled-switch', 'ARM publicNetworkAccess Enabled', 'Enabled', true],
  ['enabled-switch', 'ARM Disabled, any case', 'disabled', false],
  ['enabled-switch', 'another word stays as it is', 'SecuredByPerimeter', 'SecuredByPerimeter'],
  ['enabled-switch', 'null is unset', null, undefined],
  ['bytes-to-gib', 'SQL database maxSizeBytes as a number', 34359738368, 32],
  ['bytes-to-gib', 'and as a string', '2147483648', 2],
  [
    'cidr-values',
    'Cloud SQL authorizedNetworks and GKE cidrBlocks objects become their ranges',
    [{ value: '10.0.0.0/8', name: 'office' }, { cidrBlock: '192.0.2.0/24' }, { cidr_block: '198.51.100.0/24' }, {}],
    ['10.0.0.0/8', '192.0.2.0/24', '198.51.100.0/24'],
  ],
  ['to-value-blocks', 'ranges become authorized_networks blocks', ['10.0.0.0/8'], [{ value: '10.0.0.0/8' }]],
  ['to-cidr-blocks', 'ranges become cidr_blocks blocks', ['10.0.0.0/8'], [{ cidr_block: '10.0.0.0/8' }]],
  [
    'run-ingress',
    'the Knative ingress annotation becomes the v2 enum',
    { 'run.googleapis.com/ingress': 'internal' },
    'INGRESS_TRAFFIC_INTERNAL_ONLY',
  ],
  ['run-ingress', 'no annotation is unset', {}, undefined],
  ['run-location', 'the location label', { 'cloud.googleapis.com/location': 'europe-west1' }, 'europe-west1'],
];

describe('value converters', () => {
  it.each(SCALAR_CASES)('%s: %s', (converter, _, input, output) => {
    expect(convert(converter, input, {})).toEqual(output);
  });
});

/** Firewall `allowed`/`denied` entries (Compute API) vs google_compute_firewall allow/deny blocks. */
const FIREWALL_CASES: [name: string, api: unknown[], tf: unknown[], canonical: string[]][] = [
  [
    'web ports and ping',
    [{ IPProtocol: 'tcp', ports: ['443', '80'] }, { IPProtocol: 'icmp' }],
    [
      { protocol: 'tcp', ports: ['80', '443'] },
      { protocol: 'icmp', ports: [] },
    ],
    ['tcp:443,80', 'icmp'],
  ],
  [
    'a port range over UDP',
    [{ IPProtocol: 'udp', ports: ['60000-61000'] }],
    [{ protocol: 'udp', ports: ['60000-61000'] }],
    ['udp:60000-61000'],
  ],
  ['every protocol', [{ IPProtocol: 'all' }], [{ protocol: 'all', ports: [] }], ['all']],
];

describe('GCP firewall rules (allowed/denied vs allow/deny blocks)', () => {
  it.each(FIREWALL_CASES)('%s: from the Compute API', (_, api, __, canonical) => {
    expect(convert('gcp-firewall-rules-cloud', api, {})).toEqual(canonical);
  });

  it.each(FIREWALL_CASES)('%s: from Terraform state', (_, __, tf, canonical) => {
    expect(convert('gcp-firewall-rules-tf', tf, {})).toEqual(canonical);
  });

  it.each(FIREWALL_CASES)('%s: written back as blocks that read the same', (_, __, ___, canonical) => {
    const blocks = convert('gcp-firewall-rules-to-tf', canonical, {});
    expect(blocks).toEqual(
      canonical.map((c) => ({ protocol: c.split(':')[0], ports: c.includes(':') ? c.split(':')[1]!.split(',') : [] })),
    );
    expect(convert('gcp-firewall-rules-tf', blocks, {})).toEqual(canonical);
  });
});

it('every converter has golden cases (here or beside its module)', () => {
  const tested = new Set<string>([
    ...SCALAR_CASES.map(([name]) => name),
    'gcp-firewall-rules-cloud',
    'gcp-firewall-rules-tf',
    'gcp-firewall-rules-to-tf',
    ...Object.keys(AWS_RULE_CONVERTERS),
    ...Object.keys(IAM_POLICY_CONVERTERS),
    ...Object.keys(AZURE_NSG_CONVERTERS),
  ]);
  expect(Object.keys(CONVERTERS).filter((name) => !tested.has(name))).toEqual([]);
});
