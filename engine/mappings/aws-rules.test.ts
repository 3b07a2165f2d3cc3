import { describe, expect, it } from 'vitest';
import { AWS_RULE_CONVERTERS } from './aws-rules.js';

/**
 * Golden cases written by hand from what the EC2 API returns (DescribeSecurityGroups,
 * DescribeRouteTables, DescribeNetworkAcls as @aws-sdk/client-ec2 decodes them) and what the
 * Terraform AWS provider (v5) stores in state for the same configuration. Both shapes must
 * give the same canonical rules; a mapping error shows up as a row whose two sides disagree.
 * Long on purpose: one table row per rule shape, written out in both forms.
 */
type Converter = (value: unknown, attributes: Record<string, unknown>) => unknown;
const run = (name: keyof typeof AWS_RULE_CONVERTERS, value: unknown, attributes: Record<string, unknown> = {}) =>
  (AWS_RULE_CONVERTERS[name] as Converter)(value, attributes);
const sorted = (v: unknown) => [...(v as string[])].sort();

// ---------------------------------------------------------------- security groups

const GROUP = {
  GroupId: 'sg-0a11c0ffee0000001',
  OwnerId: '111122223333',
  GroupName: 'web',
  VpcId: 'vpc-0a11c0ffee0000001',
};
const PEER_ACCOUNT = '444455556666';

/** An aws_security_group ingress/egress block as the provider writes it: every argument present. */
const sgBlock = (b: Record<string, unknown>) => ({
  cidr_blocks: [],
  description: '',
  ipv6_cidr_blocks: [],
  prefix_list_ids: [],
  security_groups: [],
  self: false,
  ...b,
});

const SG_CASES: [name: string, ipPermissions: unknown[], tfBlocks: unknown[], canonical: string[]][] = [
  [
    'HTTPS from anywhere over IPv4 and IPv6',
    [
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'public https' }],
        Ipv6Ranges: [{ CidrIpv6: '::/0', Description: 'public https' }],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ],
    [
      sgBlock({
        protocol: 'tcp',
        from_port: 443,
        to_port: 443,
        cidr_blocks: ['0.0.0.0/0'],
        ipv6_cidr_blocks: ['::/0'],
        description: 'public https',
      }),
    ],
    [
      'proto=tcp ports=443-443 source=0.0.0.0/0 description="public https"',
      'proto=tcp ports=443-443 source=::/0 description="public https"',
    ],
  ],
  [
    'all traffic from members of the group itself (the default group rule)',
    [
      {
        IpProtocol: '-1',
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [{ GroupId: GROUP.GroupId, UserId: GROUP.OwnerId }],
      },
    ],
    [sgBlock({ protocol: '-1', from_port: 0, to_port: 0, self: true })],
    ['proto=all ports=* source=self'],
  ],
  [
    'a port range from a group of this account and one of a peered account',
    [
      {
        IpProtocol: 'tcp',
        FromPort: 8000,
        ToPort: 8099,
        IpRanges: [],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [
          { GroupId: 'sg-0b22c0ffee0000002', UserId: GROUP.OwnerId, Description: 'from the load balancer' },
          {
            GroupId: 'sg-0c33c0ffee0000003',
            UserId: PEER_ACCOUNT,
            VpcId: 'vpc-0peer',
            VpcPeeringConnectionId: 'pcx-0d44c0ffee0000004',
            PeeringStatus: 'active',
          },
        ],
      },
    ],
    [
      sgBlock({
        protocol: 'tcp',
        from_port: 8000,
        to_port: 8099,
        security_groups: ['sg-0b22c0ffee0000002'],
        description: 'from the load balancer',
      }),
      sgBlock({
        protocol: 'tcp',
        from_port: 8000,
        to_port: 8099,
        security_groups: [`${PEER_ACCOUNT}/sg-0c33c0ffee0000003`],
      }),
    ],
    [
      'proto=tcp ports=8000-8099 source=sg-0b22c0ffee0000002 description="from the load balancer"',
      `proto=tcp ports=8000-8099 source=${PEER_ACCOUNT}/sg-0c33c0ffee0000003`,
    ],
  ],
  [
    'ICMP echo requests (type 8, any code) from a host and a managed prefix list',
    [
      {
        IpProtocol: 'icmp',
        FromPort: 8,
        ToPort: -1,
        IpRanges: [{ CidrIp: '10.1.2.3/32' }],
        Ipv6Ranges: [],
        PrefixListIds: [{ PrefixListId: 'pl-0e55c0ffee0000005' }],
        UserIdGroupPairs: [],
      },
    ],
    [
      sgBlock({
        protocol: 'icmp',
        from_port: 8,
        to_port: -1,
        cidr_blocks: ['10.1.2.3/32'],
        prefix_list_ids: ['pl-0e55c0ffee0000005'],
      }),
    ],
    ['proto=icmp ports=8--1 source=10.1.2.3/32', 'proto=icmp ports=8--1 source=pl-0e55c0ffee0000005'],
  ],
  [
    'ESP by protocol number: the API reports no ports, Terraform stores 0-0',
    [
      {
        IpProtocol: '50',
        IpRanges: [{ CidrIp: '203.0.113.0/24' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
        UserIdGroupPairs: [],
      },
    ],
    [sgBlock({ protocol: '50', from_port: 0, to_port: 0, cidr_blocks: ['203.0.113.0/24'] })],
    ['proto=50 ports=* source=203.0.113.0/24'],
  ],
];

describe('security group rules (IpPermissions vs aws_security_group ingress/egress)', () => {
  it.each(SG_CASES)('%s: from the EC2 API', (_, permissions, __, canonical) => {
    expect(sorted(run('aws-sg-rules-cloud', permissions, GROUP))).toEqual(sorted(canonical));
  });

  it.each(SG_CASES)('%s: from Terraform state', (_, __, blocks, canonical) => {
    expect(sorted(run('aws-sg-rules-tf', blocks))).toEqual(sorted(canonical));
  });

  it.each([
    [
      'proto=tcp ports=443-443 source=0.0.0.0/0 description="public https"',
      sgBlock({
        protocol: 'tcp',
        from_port: 443,
        to_port: 443,
        cidr_blocks: ['0.0.0.0/0'],
        description: 'public https',
      }),
    ],
    [
      'proto=udp ports=53-53 source=2001:db8::/32',
      sgBlock({ protocol: 'udp', from_port: 53, to_port: 53, ipv6_cidr_blocks: ['2001:db8::/32'] }),
    ],
    ['proto=all ports=* source=self', sgBlock({ protocol: '-1', from_port: 0, to_port: 0, self: true })],
    [
      'proto=icmp ports=8--1 source=pl-0e55c0ffee0000005',
      sgBlock({ protocol: 'icmp', from_port: 8, to_port: -1, prefix_list_ids: ['pl-0e55c0ffee0000005'] }),
    ],
    [
      `proto=tcp ports=8000-8099 source=${PEER_ACCOUNT}/sg-0c33c0ffee0000003`,
      sgBlock({
        protocol: 'tcp',
        from_port: 8000,
        to_port: 8099,
        security_groups: [`${PEER_ACCOUNT}/sg-0c33c0ffee0000003`],
      }),
    ],
  ])('writes %s back as the block Terraform stores', (rule, block) => {
    expect(run('aws-sg-rules-to-tf', [rule])).toEqual([block]);
    expect(run('aws-sg-rules-tf', [block])).toEqual([rule]);
  });
});

// ---------------------------------------------------------------- route tables

/** An aws_route_table route block as the provider writes it: every destination and target argument present. */
const routeBlock = (b: Record<string, unknown>) => ({
  carrier_gateway_id: '',
  cidr_block: '',
  core_network_arn: '',
  destination_prefix_list_id: '',
  egress_only_gateway_id: '',
  gateway_id: '',
  ipv6_cidr_block: '',
  local_gateway_id: '',
  nat_gateway_id: '',
  network_interface_id: '',
  transit_gateway_id: '',
  vpc_endpoint_id: '',
  vpc_peering_connection_id: '',
  ...b,
});
const active = { Origin: 'CreateRoute', State: 'active' };

const ROUTE_CASES: [
  name: string,
  route: Record<string, unknown>,
  tfBlock: Record<string, unknown>,
  canonical: string,
][] = [
  [
    'default route to an internet gateway',
    { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0a11c0ffee0000001', ...active },
    routeBlock({ cidr_block: '0.0.0.0/0', gateway_id: 'igw-0a11c0ffee0000001' }),
    'destination=0.0.0.0/0 target=igw-0a11c0ffee0000001',
  ],
  [
    'default route to a NAT gateway',
    { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-0a11c0ffee0000001', ...active },
    routeBlock({ cidr_block: '0.0.0.0/0', nat_gateway_id: 'nat-0a11c0ffee0000001' }),
    'destination=0.0.0.0/0 target=nat-0a11c0ffee0000001',
  ],
  [
    'IPv6 default route to an egress-only gateway',
    { DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: 'eigw-0a11c0ffee0000001', ...active },
    routeBlock({ ipv6_cidr_block: '::/0', egress_only_gateway_id: 'eigw-0a11c0ffee0000001' }),
    'destination=::/0 target=eigw-0a11c0ffee0000001',
  ],
  [
    'peered VPC range',
    { DestinationCidrBlock: '10.20.0.0/16', VpcPeeringConnectionId: 'pcx-0a11c0ffee0000001', ...active },
    routeBlock({ cidr_block: '10.20.0.0/16', vpc_peering_connection_id: 'pcx-0a11c0ffee0000001' }),
    'destination=10.20.0.0/16 target=pcx-0a11c0ffee0000001',
  ],
  [
    'range behind an appliance instance (the API names both the instance and its interface)',
    {
      DestinationCidrBlock: '192.168.0.0/16',
      InstanceId: 'i-0a11c0ffee0000001',
      InstanceOwnerId: '111122223333',
      NetworkInterfaceId: 'eni-0a11c0ffee0000001',
      ...active,
    },
    routeBlock({ cidr_block: '192.168.0.0/16', network_interface_id: 'eni-0a11c0ffee0000001' }),
    'destination=192.168.0.0/16 target=eni-0a11c0ffee0000001',
  ],
  [
    'prefix list through a transit gateway',
    { DestinationPrefixListId: 'pl-0a11c0ffee0000001', TransitGatewayId: 'tgw-0a11c0ffee0000001', ...active },
    routeBlock({ destination_prefix_list_id: 'pl-0a11c0ffee0000001', transit_gateway_id: 'tgw-0a11c0ffee0000001' }),
    'destination=pl-0a11c0ffee0000001 target=tgw-0a11c0ffee0000001',
  ],
  [
    'range through a Gateway Load Balancer endpoint',
    { DestinationCidrBlock: '10.0.0.0/8', GatewayId: 'vpce-0a11c0ffee0000001', ...active },
    routeBlock({ cidr_block: '10.0.0.0/8', vpc_endpoint_id: 'vpce-0a11c0ffee0000001' }),
    'destination=10.0.0.0/8 target=vpce-0a11c0ffee0000001',
  ],
  [
    'Wavelength zone default route to a carrier gateway',
    { DestinationCidrBlock: '0.0.0.0/0', CarrierGatewayId: 'cagw-0a11c0ffee0000001', ...active },
    routeBlock({ cidr_block: '0.0.0.0/0', carrier_gateway_id: 'cagw-0a11c0ffee0000001' }),
    'destination=0.0.0.0/0 target=cagw-0a11c0ffee0000001',
  ],
  [
    'Outposts range to a local gateway',
    { DestinationCidrBlock: '172.20.0.0/16', LocalGatewayId: 'lgw-0a11c0ffee0000001', ...active },
    routeBlock({ cidr_block: '172.20.0.0/16', local_gateway_id: 'lgw-0a11c0ffee0000001' }),
    'destination=172.20.0.0/16 target=lgw-0a11c0ffee0000001',
  ],
];

describe('route table routes (Routes vs aws_route_table route)', () => {
  it.each(ROUTE_CASES)('%s: from the EC2 API', (_, route, __, canonical) => {
    expect(run('aws-routes-cloud', [route])).toEqual([canonical]);
  });

  it.each(ROUTE_CASES)('%s: from Terraform state', (_, __, block, canonical) => {
    expect(run('aws-routes-tf', [block])).toEqual([canonical]);
  });

  it.each(ROUTE_CASES)('%s: written back to the same target argument', (_, __, block, canonical) => {
    const written = run('aws-routes-to-tf', [canonical]) as Record<string, unknown>[];
    expect(written).toEqual([
      expect.objectContaining(Object.fromEntries(Object.entries(block).filter(([, v]) => v !== ''))),
    ]);
    expect(run('aws-routes-tf', written)).toEqual([canonical]);
  });

  it.each([
    [
      'a route a virtual private gateway propagates',
      {
        DestinationCidrBlock: '172.16.0.0/12',
        GatewayId: 'vgw-0a11c0ffee0000001',
        Origin: 'EnableVgwRoutePropagation',
        State: 'active',
      },
    ],
    [
      'a gateway endpoint route (owned by aws_vpc_endpoint)',
      {
        DestinationPrefixListId: 'pl-63a5400a',
        GatewayId: 'vpce-0b22c0ffee0000002',
        Origin: 'CreateRoute',
        State: 'active',
      },
    ],
    [
      'a VPC Lattice route',
      { DestinationCidrBlock: '169.254.171.0/24', GatewayId: 'VpcLattice', Origin: 'CreateRoute', State: 'active' },
    ],
  ])('leaves out %s: Terraform never lists it in route blocks', (_, route) => {
    expect(run('aws-routes-cloud', [route, ROUTE_CASES[0]![1]])).toEqual([ROUTE_CASES[0]![3]]);
  });

  it('keeps the VPC-local route for its noise rule to label', () => {
    expect(
      run('aws-routes-cloud', [
        { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
      ]),
    ).toEqual(['destination=10.0.0.0/16 target=local']);
  });
});

// ---------------------------------------------------------------- network ACLs

/** An aws_network_acl ingress/egress block as the provider writes it: protocol as its number. */
const naclBlock = (b: Record<string, unknown>) => ({
  cidr_block: '',
  ipv6_cidr_block: '',
  from_port: 0,
  to_port: 0,
  icmp_type: 0,
  icmp_code: 0,
  ...b,
});

const NACL_CASES: [
  name: string,
  entry: Record<string, unknown>,
  tfBlock: Record<string, unknown>,
  canonical: string,
][] = [
  [
    'allow HTTPS in from anywhere',
    {
      CidrBlock: '0.0.0.0/0',
      Egress: false,
      PortRange: { From: 443, To: 443 },
      Protocol: '6',
      RuleAction: 'allow',
      RuleNumber: 100,
    },
    naclBlock({ rule_no: 100, action: 'allow', protocol: '6', cidr_block: '0.0.0.0/0', from_port: 443, to_port: 443 }),
    'rule=100 action=allow proto=tcp source=0.0.0.0/0 ports=443-443',
  ],
  [
    'allow UDP return traffic from any IPv6 address',
    {
      Ipv6CidrBlock: '::/0',
      Egress: false,
      PortRange: { From: 1024, To: 65535 },
      Protocol: '17',
      RuleAction: 'allow',
      RuleNumber: 110,
    },
    naclBlock({
      rule_no: 110,
      action: 'allow',
      protocol: '17',
      ipv6_cidr_block: '::/0',
      from_port: 1024,
      to_port: 65535,
    }),
    'rule=110 action=allow proto=udp source=::/0 ports=1024-65535',
  ],
  [
    'deny ICMP echo requests (the API has a type and code, no port range)',
    {
      CidrBlock: '0.0.0.0/0',
      Egress: false,
      IcmpTypeCode: { Code: -1, Type: 8 },
      Protocol: '1',
      RuleAction: 'deny',
      RuleNumber: 90,
    },
    naclBlock({ rule_no: 90, action: 'deny', protocol: '1', cidr_block: '0.0.0.0/0', icmp_type: 8, icmp_code: -1 }),
    'rule=90 action=deny proto=icmp source=0.0.0.0/0 icmp=8:-1',
  ],
  [
    'allow all traffic inside the VPC',
    { CidrBlock: '10.0.0.0/16', Egress: false, Protocol: '-1', RuleAction: 'allow', RuleNumber: 200 },
    naclBlock({ rule_no: 200, action: 'allow', protocol: '-1', cidr_block: '10.0.0.0/16' }),
    'rule=200 action=allow proto=all source=10.0.0.0/16',
  ],
];

describe('network ACL entries (Entries vs aws_network_acl ingress/egress)', () => {
  const outbound = {
    CidrBlock: '0.0.0.0/0',
    Egress: true,
    PortRange: { From: 443, To: 443 },
    Protocol: '6',
    RuleAction: 'allow',
    RuleNumber: 100,
  };

  it.each(NACL_CASES)('%s: from the EC2 API', (_, entry, __, canonical) => {
    expect(run('aws-nacl-ingress-cloud', [entry, outbound])).toEqual([canonical]);
  });

  it.each(NACL_CASES)('%s: from Terraform state', (_, __, block, canonical) => {
    expect(run('aws-nacl-tf', [block])).toEqual([canonical]);
  });

  it.each(NACL_CASES)('%s: written back as the block Terraform stores', (_, __, block, canonical) => {
    expect(run('aws-nacl-to-tf', [canonical])).toEqual([block]);
  });

  it('reads egress entries only into egress', () => {
    expect(run('aws-nacl-egress-cloud', [NACL_CASES[0]![1], outbound])).toEqual([
      'rule=100 action=allow proto=tcp source=0.0.0.0/0 ports=443-443',
    ]);
    expect(
      run(
        'aws-nacl-egress-cloud',
        NACL_CASES.map(([, entry]) => entry),
      ),
    ).toEqual([]);
  });
});

// ---------------------------------------------------------------- route table associations

/**
 * DescribeRouteTables Associations[] against the block each association resource adds
 * (engine/split/families.ts: subnet_id and gateway_id of aws_route_table_association as the
 * provider stores them, "" for the unset one; `main` for aws_main_route_table_association).
 */
const ASSOCIATION_CASES: [
  name: string,
  cloud: Record<string, unknown>,
  block: Record<string, unknown>,
  canonical: string,
][] = [
  [
    'a subnet association',
    {
      Main: false,
      RouteTableAssociationId: 'rtbassoc-0a11c0ffee0000001',
      RouteTableId: 'rtb-0a11c0ffee0000001',
      SubnetId: 'subnet-0a11c0ffee0000001',
      AssociationState: { State: 'associated' },
    },
    { subnet_id: 'subnet-0a11c0ffee0000001', gateway_id: '' },
    'subnet=subnet-0a11c0ffee0000001',
  ],
  [
    'an edge association of an internet gateway (ingress routing)',
    {
      Main: false,
      RouteTableAssociationId: 'rtbassoc-0b22c0ffee0000002',
      RouteTableId: 'rtb-0a11c0ffee0000001',
      GatewayId: 'igw-0a11c0ffee0000001',
      AssociationState: { State: 'associated' },
    },
    { subnet_id: '', gateway_id: 'igw-0a11c0ffee0000001' },
    'gateway=igw-0a11c0ffee0000001',
  ],
  [
    "the VPC's main association",
    {
      Main: true,
      RouteTableAssociationId: 'rtbassoc-0c33c0ffee0000003',
      RouteTableId: 'rtb-0a11c0ffee0000001',
      AssociationState: { State: 'associated' },
    },
    { main: true },
    'main=true',
  ],
];

describe('route table associations (Associations vs association resources)', () => {
  it.each(ASSOCIATION_CASES)('%s: from the EC2 API', (_, association, __, canonical) => {
    expect(run('aws-route-associations-cloud', [association])).toEqual([canonical]);
  });

  it.each(ASSOCIATION_CASES)('%s: from the association resource', (_, __, block, canonical) => {
    expect(run('aws-route-associations-tf', [block])).toEqual([canonical]);
  });

  it.each(ASSOCIATION_CASES)('%s: written back as the same block', (_, __, block, canonical) => {
    const written = run('aws-route-associations-to-tf', [canonical]);
    expect(written).toEqual([block]);
    expect(run('aws-route-associations-tf', written)).toEqual([canonical]);
  });

  it.each(['disassociating', 'disassociated', 'failed'])('leaves out an association %s', (State) => {
    const [, subnet] = ASSOCIATION_CASES[0]!;
    const leaving = { ...subnet, SubnetId: 'subnet-0d44c0ffee0000004', AssociationState: { State } };
    expect(run('aws-route-associations-cloud', [subnet, leaving])).toEqual([ASSOCIATION_CASES[0]![3]]);
  });

  it('keeps an association whose state the API leaves out', () => {
    const { AssociationState: _, ...bare } = ASSOCIATION_CASES[0]![1];
    expect(run('aws-route-associations-cloud', [bare])).toEqual([ASSOCIATION_CASES[0]![3]]);
  });
});

it('every AWS rule converter has golden cases here', () => {
  const tested = [
    'aws-sg-rules-cloud',
    'aws-sg-rules-tf',
    'aws-sg-rules-to-tf',
    'aws-routes-cloud',
    'aws-routes-tf',
    'aws-routes-to-tf',
    'aws-route-associations-cloud',
    'aws-route-associations-tf',
    'aws-route-associations-to-tf',
    'aws-nacl-ingress-cloud',
    'aws-nacl-egress-cloud',
    'aws-nacl-tf',
    'aws-nacl-to-tf',
  ];
  expect(Object.keys(AWS_RULE_CONVERTERS).sort()).toEqual(tested.sort());
});
