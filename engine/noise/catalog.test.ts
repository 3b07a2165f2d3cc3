import { describe, expect, it } from 'vitest';
import { diffResource } from '../diff.js';
import { mappingForTfType } from '../mappings/index.js';
import { NOISE_RULES, noiseRule } from './catalog.js';
import { NORMALISERS } from './normalisers.js';

/**
 * The rules the diff itself applies (not format normalisers): each with a golden state/API pair
 * the engine labels with that rule, and a near miss it reports as real drift. Attributes are
 * what the AWS provider stores and what DescribeInstances / DescribeVpcs / DescribeKeyPairs return.
 */
const VPC_TF = {
  id: 'vpc-0a1',
  cidr_block: '10.0.0.0/16',
  instance_tenancy: 'default',
  dhcp_options_id: 'dopt-0a1',
  tags: { Name: 'main' },
  tags_all: { Name: 'main' },
};
const VPC_API = {
  VpcId: 'vpc-0a1',
  CidrBlock: '10.0.0.0/16',
  InstanceTenancy: 'default',
  DhcpOptionsId: 'dopt-0a1',
  Tags: [{ Key: 'Name', Value: 'main' }],
};
const INSTANCE_TF = {
  id: 'i-0a1',
  instance_type: 't3.small',
  instance_state: 'running',
  public_ip: '3.80.1.1',
  tags: {},
  tags_all: {},
};
const INSTANCE_API = {
  InstanceId: 'i-0a1',
  InstanceType: 't3.small',
  State: { Code: 16, Name: 'running' },
  PublicIpAddress: '3.80.1.1',
  Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'default' },
};
const KEY_TF = {
  id: 'web',
  key_pair_id: 'key-0a1',
  key_name: 'web',
  key_type: 'ed25519',
  public_key: 'ssh-ed25519 AAAAC3Nza web',
};
const KEY_API = { KeyPairId: 'key-0a1', KeyName: 'web', KeyType: 'ed25519', KeyFingerprint: 'aa:bb' };
/** A route table whose subnet-1 association a separate resource declares (merged in as engine/split does). */
const RTB_TF = { id: 'rtb-0a1', vpc_id: 'vpc-0a1', association: [{ subnet_id: 'subnet-1', gateway_id: '' }] };
const rtbApi = (...subnets: string[]) => ({
  RouteTableId: 'rtb-0a1',
  VpcId: 'vpc-0a1',
  Associations: subnets.map((SubnetId) => ({ Main: false, SubnetId, AssociationState: { State: 'associated' } })),
});

type Case = [
  rule: string,
  name: string,
  tfType: string,
  path: string,
  state: Record<string, unknown>,
  api: Record<string, unknown>,
];

const LABELLED: Case[] = [
  [
    'tags-all',
    'a provider default_tags tag in tags_all only',
    'aws_vpc',
    'tags',
    { ...VPC_TF, tags_all: { Name: 'main', team: 'network' } },
    {
      ...VPC_API,
      Tags: [
        { Key: 'Name', Value: 'main' },
        { Key: 'team', Value: 'network' },
      ],
    },
  ],
  [
    'cloud-default',
    'tenancy unset in configuration, "default" from the API',
    'aws_instance',
    'tenancy',
    INSTANCE_TF,
    INSTANCE_API,
  ],
  [
    'computed',
    'another DHCP option set AWS assigned',
    'aws_vpc',
    'dhcp_options_id',
    VPC_TF,
    { ...VPC_API, DhcpOptionsId: 'dopt-0b2' },
  ],
  [
    'volatile',
    'an instance stopped since the apply',
    'aws_instance',
    'instance_state',
    INSTANCE_TF,
    { ...INSTANCE_API, State: { Code: 80, Name: 'stopped' } },
  ],
  [
    'volatile-when-present',
    'a new public IP after stop/start',
    'aws_instance',
    'public_ip',
    INSTANCE_TF,
    { ...INSTANCE_API, PublicIpAddress: '3.80.2.2' },
  ],
  [
    'not-listed-by-api',
    'DescribeKeyPairs without IncludePublicKey omits the key',
    'aws_key_pair',
    'public_key',
    KEY_TF,
    KEY_API,
  ],
  [
    'undeclared-elements',
    'a subnet associated with the route table outside Terraform',
    'aws_route_table',
    'association',
    RTB_TF,
    rtbApi('subnet-1', 'subnet-2'),
  ],
];

const NEAR_MISSES: Case[] = [
  [
    'tags-all',
    'a tag in neither tags nor tags_all',
    'aws_vpc',
    'tags',
    VPC_TF,
    {
      ...VPC_API,
      Tags: [
        { Key: 'Name', Value: 'main' },
        { Key: 'owner', Value: 'eve' },
      ],
    },
  ],
  [
    'cloud-default',
    'tenancy set to default, the API says dedicated',
    'aws_instance',
    'tenancy',
    { ...INSTANCE_TF, tenancy: 'default' },
    { ...INSTANCE_API, Placement: { AvailabilityZone: 'us-east-1a', Tenancy: 'dedicated' } },
  ],
  [
    'computed',
    'a changed CIDR block is configuration',
    'aws_vpc',
    'cidr_block',
    VPC_TF,
    { ...VPC_API, CidrBlock: '10.1.0.0/16' },
  ],
  [
    'volatile',
    'a changed instance type is configuration',
    'aws_instance',
    'instance_type',
    INSTANCE_TF,
    { ...INSTANCE_API, InstanceType: 't3.large' },
  ],
  [
    'volatile-when-present',
    'a public IP that appeared',
    'aws_instance',
    'public_ip',
    { ...INSTANCE_TF, public_ip: '' },
    { ...INSTANCE_API, PublicIpAddress: '3.80.2.2' },
  ],
  [
    'not-listed-by-api',
    'a listed public key that differs',
    'aws_key_pair',
    'public_key',
    KEY_TF,
    { ...KEY_API, PublicKey: 'ssh-ed25519 AAAAC3Nza other' },
  ],
  [
    'undeclared-elements',
    'a declared association gone, though another is there',
    'aws_route_table',
    'association',
    RTB_TF,
    rtbApi('subnet-2'),
  ],
];

const changeAt = (tfType: string, path: string, state: Record<string, unknown>, api: Record<string, unknown>) =>
  diffResource(mappingForTfType(tfType)!, state, api).find((c) => c.path === path);

describe('noise rules the diff applies', () => {
  it.each(LABELLED)('%s: %s is labelled with the rule', (rule, _, tfType, path, state, api) => {
    expect(changeAt(tfType, path, state, api)?.noise_rule).toBe(rule);
  });

  it.each(NEAR_MISSES)('%s does not hide %s', (_, __, tfType, path, state, api) => {
    const change = changeAt(tfType, path, state, api);
    expect(change).toBeDefined();
    expect(change!.noise_rule).toBeUndefined();
  });
});

describe('the catalog', () => {
  it('explains every rule a report can cite: the normalisers and the rules the diff applies', () => {
    const cited = new Set([...Object.keys(NORMALISERS), ...LABELLED.map(([rule]) => rule)]);
    expect(NOISE_RULES.map((r) => r.id).filter((id) => !cited.has(id))).toEqual([]);
    for (const id of cited) expect(noiseRule(id)?.description, id).toMatch(/\w{3,}/);
  });
});
