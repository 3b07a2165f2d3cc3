import { describe, expect, it } from 'vitest';
import { NORMALISERS, type NormaliserName, normalise } from './normalisers.js';

/**
 * Golden pairs for every format normaliser: what Terraform state holds and what the cloud API
 * returns for the same setting (equal once normalised), and a near miss that is real drift
 * (still different once normalised). Values are the converters' canonical shapes.
 */
const SAME: [rule: NormaliserName, name: string, state: unknown, cloud: unknown][] = [
  ['order-insensitive', 'security group ids in another order', ['sg-0b2', 'sg-0a1'], ['sg-0a1', 'sg-0b2']],
  [
    'order-insensitive',
    'rule blocks in another order',
    [{ protocol: 'udp' }, { protocol: 'tcp' }],
    [{ protocol: 'tcp' }, { protocol: 'udp' }],
  ],
  ['empty-equivalent', 'null in state, "" from the API', null, ''],
  ['empty-equivalent', 'an empty list vs an absent attribute', [], undefined],
  ['empty-equivalent', 'an empty map vs null', {}, null],
  [
    'aws-provider-tags',
    'tags CloudFormation and Auto Scaling add',
    { Name: 'web' },
    { Name: 'web', 'aws:cloudformation:stack-name': 'web-stack', 'aws:autoscaling:groupName': 'web-asg' },
  ],
  ['gcp-provider-labels', 'labels GKE adds', { env: 'prod' }, { env: 'prod', 'goog-gke-node': '' }],
  ['azure-tag-key-case', 'tag names in another case', { CostCenter: '42' }, { costcenter: '42' }],
  ['cidr-format', 'a host without its /32', '10.0.0.1', '10.0.0.1/32'],
  ['cidr-format', 'IPv6 uncompressed and in capitals', '2001:DB8:0:0:0:0:0:1/128', '2001:db8::1/128'],
  ['cidr-format', 'a list of ranges', ['10.0.0.1', '192.168.1.0/24'], ['10.0.0.1/32', '192.168.1.0/24']],
  [
    'azure-id-case',
    'resourceGroups vs resourcegroups, trailing slash',
    ['/subscriptions/0000/resourceGroups/RG-App/providers/Microsoft.Network/networkInterfaces/nic-1'],
    ['/subscriptions/0000/resourcegroups/rg-app/providers/microsoft.network/networkinterfaces/nic-1/'],
  ],
  ['azure-location-format', 'display name vs programmatic name', 'East US', 'eastus'],
  ['azure-location-format', 'West Europe', 'West Europe', 'westeurope'],
  ['case-insensitive', 'a disk SKU', 'Premium_LRS', 'premium_lrs'],
  [
    'gcp-self-link',
    'a full self link vs a relative path',
    'https://www.googleapis.com/compute/v1/projects/prod-1/global/networks/vpc-main',
    'projects/prod-1/global/networks/vpc-main',
  ],
  [
    'gcp-name-from-link',
    'a machine type link vs its name',
    'https://www.googleapis.com/compute/v1/projects/prod-1/zones/us-central1-a/machineTypes/e2-medium',
    'e2-medium',
  ],
  [
    'arn-to-name',
    'an instance profile ARN vs its name',
    'web-profile',
    'arn:aws:iam::111122223333:instance-profile/web-profile',
  ],
  [
    'json-document',
    'a policy as text vs as data, one action vs a list in another order',
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:PutObject","s3:GetObject"],"Resource":"*"}]}',
    {
      Version: '2012-10-17',
      Statement: { Resource: ['*'], Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'] },
    },
  ],
  [
    'aws-local-route',
    'the VPC-local route Terraform does not list',
    ['destination=0.0.0.0/0 target=igw-0a1'],
    ['destination=10.0.0.0/16 target=local', 'destination=0.0.0.0/0 target=igw-0a1'],
  ],
  [
    'aws-nacl-default-rule',
    'the IPv4 and IPv6 catch-all deny entries',
    ['rule=100 action=allow proto=tcp source=0.0.0.0/0 ports=443-443'],
    [
      'rule=100 action=allow proto=tcp source=0.0.0.0/0 ports=443-443',
      'rule=32767 action=deny proto=all source=0.0.0.0/0',
      'rule=32768 action=deny proto=all source=::/0',
    ],
  ],
];

const DIFFERENT: [rule: NormaliserName, name: string, state: unknown, cloud: unknown][] = [
  ['order-insensitive', 'a group removed', ['sg-0a1'], ['sg-0a1', 'sg-0b2']],
  ['empty-equivalent', 'a value set out of band', '', 'my-key'],
  ['aws-provider-tags', 'a user tag that only starts with "aws"', { Name: 'web' }, { Name: 'web', awsome: 'yes' }],
  [
    'gcp-provider-labels',
    'a user label that only starts with "goog"',
    { env: 'prod' },
    { env: 'prod', googleplex: 'yes' },
  ],
  ['azure-tag-key-case', 'tag values are case-sensitive', { CostCenter: 'Sales' }, { CostCenter: 'sales' }],
  ['cidr-format', 'another prefix length', '10.0.0.0/16', '10.0.0.0/24'],
  [
    'azure-id-case',
    'another interface',
    ['/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic-1'],
    ['/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic-2'],
  ],
  ['azure-location-format', 'another region', 'East US 2', 'eastus'],
  ['case-insensitive', 'another SKU', 'Standard_LRS', 'Standard_ZRS'],
  [
    'gcp-self-link',
    'another network',
    'https://www.googleapis.com/compute/v1/projects/prod-1/global/networks/vpc-main',
    'projects/prod-1/global/networks/vpc-other',
  ],
  [
    'gcp-name-from-link',
    'another machine type',
    'https://www.googleapis.com/compute/v1/projects/prod-1/zones/us-central1-a/machineTypes/e2-medium',
    'e2-small',
  ],
  [
    'arn-to-name',
    'another instance profile',
    'web-profile',
    'arn:aws:iam::111122223333:instance-profile/admin-profile',
  ],
  [
    'json-document',
    'an action added',
    '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"}]}',
    { Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:DeleteObject'], Resource: '*' }] },
  ],
  [
    'aws-local-route',
    'a route to a local gateway is not the local route',
    [],
    ['destination=172.20.0.0/16 target=lgw-0a1'],
  ],
  [
    'aws-nacl-default-rule',
    'an ordinary high-numbered entry',
    [],
    ['rule=32766 action=deny proto=all source=0.0.0.0/0'],
  ],
];

describe('format normalisers', () => {
  it.each(SAME)('%s: %s is noise', (rule, _, state, cloud) => {
    expect(state).not.toEqual(cloud);
    expect(normalise(rule, state)).toEqual(normalise(rule, cloud));
  });

  it.each(DIFFERENT)('%s: %s stays drift', (rule, _, state, cloud) => {
    expect(normalise(rule, state)).not.toEqual(normalise(rule, cloud));
  });

  it('every normaliser has a golden pair and a near miss', () => {
    const names = Object.keys(NORMALISERS).sort();
    expect([...new Set(SAME.map(([rule]) => rule))].sort()).toEqual(names);
    expect([...new Set(DIFFERENT.map(([rule]) => rule))].sort()).toEqual(names);
  });
});
