import type { DiscoveredResource, Provider } from '../../contract/resource.js';
import { parseTerraformState } from '../../engine/index.js';
import type { EvalCase } from './case.js';
import type { ExpectedDrift } from './score.js';

/**
 * Split resources, hand-written: for each family (a parent whose rules Terraform may also
 * declare as separate resources) six parents in one state: rules inline, rules separate, both
 * (a refresh copied the separate rules inline), a separate rule deleted in the cloud, one
 * changed in the cloud, and a rule added by hand. Only the last three are drift: on the
 * separate rule's address for the first two, on the parent for the hand-added rule.
 */

const ACCOUNT = '111122223333';
const SUB = '5d2c8e1a-7b3f-4e9d-8c1a-2f4e6b8d0a13';
const PROVIDERS: Record<Provider, string> = {
  aws: 'provider["registry.terraform.io/hashicorp/aws"]',
  azure: 'provider["registry.terraform.io/hashicorp/azurerm"]',
  gcp: 'provider["registry.terraform.io/hashicorp/google"]',
};

type Attrs = Record<string, unknown>;

/** One rule of a family in its three spellings: inline block, separate resource, cloud element. */
interface Rule {
  inline: Attrs;
  separate: (parentId: string, n: number) => Attrs;
  cloud: Attrs;
}

/** A family written out: how its parent looks in the state and the cloud, and its rules. */
interface Family {
  name: string;
  provider: Provider;
  parentType: string;
  childType: string;
  cloudType: string;
  attribute: string;
  parentId: (n: number) => string;
  parentState: (id: string, inline: Attrs[]) => Attrs;
  parentCloud: (id: string, rules: Attrs[]) => Attrs;
  /** Two rules the parents declare. */
  rules: [Rule, Rule];
  /** The second rule as someone changed it in the cloud (same identity, other content). */
  changed: Attrs;
  /** A rule nobody declared, added by hand. */
  handAdded: Attrs;
}

const region = (p: Provider) => (p === 'aws' ? 'us-east-1' : 'westeurope');

function resource(f: Family, type: string, name: string, attributes: Attrs) {
  return {
    mode: 'managed',
    type,
    name,
    provider: PROVIDERS[f.provider],
    instances: [{ schema_version: 0, sensitive_attributes: [], attributes }],
  };
}

function discovered(f: Family, id: string, rules: Attrs[]): DiscoveredResource {
  return {
    provider: f.provider,
    account: f.provider === 'aws' ? ACCOUNT : SUB,
    region: region(f.provider),
    type: f.cloudType,
    id,
    attributes: f.parentCloud(id, rules),
    tags: {},
  };
}

const SCENARIOS = ['inline', 'separate', 'both', 'deleted', 'changed', 'added'] as const;

function familyCase(f: Family): EvalCase {
  const resources: unknown[] = [];
  const inventory: DiscoveredResource[] = [];
  const drift: ExpectedDrift[] = [];
  const [one, two] = f.rules;
  for (const [n, scenario] of SCENARIOS.entries()) {
    const id = f.parentId(n);
    const inline = scenario === 'inline' || scenario === 'both' ? [one.inline, two.inline] : [];
    resources.push(resource(f, f.parentType, scenario, f.parentState(id, inline)));
    if (scenario !== 'inline') {
      resources.push(resource(f, f.childType, `${scenario}_one`, one.separate(id, n * 10 + 1)));
      resources.push(resource(f, f.childType, `${scenario}_two`, two.separate(id, n * 10 + 2)));
    }
    const cloud: Record<(typeof SCENARIOS)[number], Attrs[]> = {
      inline: [two.cloud, one.cloud],
      separate: [two.cloud, one.cloud],
      both: [one.cloud, two.cloud],
      deleted: [one.cloud],
      changed: [one.cloud, f.changed],
      added: [one.cloud, two.cloud, f.handAdded],
    };
    inventory.push(discovered(f, id, cloud[scenario]));
    const secondAddress = `${f.childType}.${scenario}_two`;
    const childId = String(two.separate(id, n * 10 + 2).id);
    if (scenario === 'deleted') drift.push({ kind: 'missing', address: secondAddress, id: childId });
    if (scenario === 'changed')
      drift.push({ kind: 'changed', address: secondAddress, id: childId, paths: [f.attribute] });
    if (scenario === 'added')
      drift.push({ kind: 'changed', address: `${f.parentType}.added`, id, paths: [f.attribute] });
  }
  const state = { version: 4, terraform_version: '1.9.8', serial: 3, lineage: 'split', outputs: {}, resources };
  return {
    name: `split resources: ${f.name}`,
    states: [parseTerraformState(JSON.stringify(state), `${f.childType}.tfstate`)],
    inventory,
    expected: { drift, noise: [] },
  };
}

// ---------------------------------------------------------------- AWS security groups

const sgState = (attribute: string) => (id: string, inline: Attrs[]) => ({
  id,
  arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/${id}`,
  name: id,
  description: 'app tier',
  vpc_id: 'vpc-0a1b',
  ingress: attribute === 'ingress' ? inline : [],
  egress: attribute === 'egress' ? inline : [],
  tags: { Team: 'app' },
  tags_all: { Team: 'app' },
});
const sgCloud = (attribute: string) => (id: string, rules: Attrs[]) => ({
  GroupId: id,
  GroupName: id,
  Description: 'app tier',
  VpcId: 'vpc-0a1b',
  OwnerId: ACCOUNT,
  IpPermissions: attribute === 'ingress' ? rules : [],
  IpPermissionsEgress: attribute === 'egress' ? rules : [],
  Tags: [{ Key: 'Team', Value: 'app' }],
});
const sgBlock = (port: number, cidr: string, description: string) => ({
  protocol: 'tcp',
  from_port: port,
  to_port: port,
  cidr_blocks: [cidr],
  ipv6_cidr_blocks: [],
  prefix_list_ids: [],
  security_groups: [],
  self: false,
  description,
});
const sgPermission = (port: number, cidr: string, description: string) => ({
  IpProtocol: 'tcp',
  FromPort: port,
  ToPort: port,
  IpRanges: [{ CidrIp: cidr, Description: description }],
  Ipv6Ranges: [],
  PrefixListIds: [],
  UserIdGroupPairs: [],
});
/** aws_security_group_rule: one resource, `type` says which list. */
const legacyRule =
  (type: string, port: number, cidr: string, description: string) =>
  (sg: string, n: number): Attrs => ({
    id: `sgrule-${3000000000 + n}`,
    type,
    security_group_id: sg,
    protocol: 'tcp',
    from_port: port,
    to_port: port,
    cidr_blocks: [cidr],
    ipv6_cidr_blocks: null,
    prefix_list_ids: [],
    self: false,
    source_security_group_id: null,
    description,
  });
/** aws_vpc_security_group_{ingress,egress}_rule: one source per resource, ids `sgr-…`. */
const vpcRule =
  (port: number, cidr: string, description: string) =>
  (sg: string, n: number): Attrs => ({
    id: `sgr-0${(n + 4096).toString(16)}`,
    arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group-rule/sgr-0${(n + 4096).toString(16)}`,
    security_group_id: sg,
    security_group_rule_id: `sgr-0${(n + 4096).toString(16)}`,
    ip_protocol: 'tcp',
    from_port: port,
    to_port: port,
    cidr_ipv4: cidr,
    cidr_ipv6: null,
    prefix_list_id: null,
    referenced_security_group_id: null,
    description,
    tags: null,
  });

const sgFamily = (
  name: string,
  childType: string,
  attribute: 'ingress' | 'egress',
  separate: (port: number, cidr: string, description: string) => Rule['separate'],
): Family => ({
  name,
  provider: 'aws',
  parentType: 'aws_security_group',
  childType,
  cloudType: 'AWS::EC2::SecurityGroup',
  attribute,
  parentId: (n) => `sg-0${name.length}${n}${attribute === 'ingress' ? 'a' : 'e'}`,
  parentState: sgState(attribute),
  parentCloud: sgCloud(attribute),
  rules: [
    {
      inline: sgBlock(443, '0.0.0.0/0', 'https'),
      separate: separate(443, '0.0.0.0/0', 'https'),
      cloud: sgPermission(443, '0.0.0.0/0', 'https'),
    },
    {
      inline: sgBlock(22, '10.20.0.0/16', 'ssh from office'),
      separate: separate(22, '10.20.0.0/16', 'ssh from office'),
      cloud: sgPermission(22, '10.20.0.0/16', 'ssh from office'),
    },
  ],
  changed: sgPermission(22, '0.0.0.0/0', 'ssh from office'),
  handAdded: sgPermission(3389, '0.0.0.0/0', 'rdp'),
});

// ---------------------------------------------------------------- AWS routes

const routeFamily: Family = {
  name: 'aws_route in aws_route_table.route',
  provider: 'aws',
  parentType: 'aws_route_table',
  childType: 'aws_route',
  cloudType: 'AWS::EC2::RouteTable',
  attribute: 'route',
  parentId: (n) => `rtb-0c4${n}`,
  parentState: (id, route) => ({
    id,
    arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:route-table/${id}`,
    vpc_id: 'vpc-0a1b',
    route,
    propagating_vgws: [],
    tags: {},
    tags_all: {},
  }),
  parentCloud: (id, routes) => ({
    RouteTableId: id,
    VpcId: 'vpc-0a1b',
    OwnerId: ACCOUNT,
    Routes: [
      { DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
      ...routes,
    ],
    PropagatingVgws: [],
    Associations: [],
    Tags: [],
  }),
  rules: [
    {
      inline: {
        cidr_block: '0.0.0.0/0',
        gateway_id: 'igw-0f1',
        nat_gateway_id: '',
        ipv6_cidr_block: '',
        destination_prefix_list_id: '',
      },
      separate: (rtb, n) => ({
        id: `r-${rtb}1080289494${n}`,
        route_table_id: rtb,
        destination_cidr_block: '0.0.0.0/0',
        destination_ipv6_cidr_block: '',
        destination_prefix_list_id: '',
        gateway_id: 'igw-0f1',
        nat_gateway_id: '',
        origin: 'CreateRoute',
        state: 'active',
      }),
      cloud: { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-0f1', Origin: 'CreateRoute', State: 'active' },
    },
    {
      inline: {
        cidr_block: '172.16.0.0/12',
        vpc_peering_connection_id: 'pcx-0d2',
        gateway_id: '',
        ipv6_cidr_block: '',
        destination_prefix_list_id: '',
      },
      separate: (rtb, n) => ({
        id: `r-${rtb}2750132062${n}`,
        route_table_id: rtb,
        destination_cidr_block: '172.16.0.0/12',
        vpc_peering_connection_id: 'pcx-0d2',
        gateway_id: '',
        origin: 'CreateRoute',
        state: 'active',
      }),
      cloud: {
        DestinationCidrBlock: '172.16.0.0/12',
        VpcPeeringConnectionId: 'pcx-0d2',
        Origin: 'CreateRoute',
        State: 'active',
      },
    },
  ],
  changed: { DestinationCidrBlock: '172.16.0.0/12', TransitGatewayId: 'tgw-0e3', Origin: 'CreateRoute' },
  handAdded: { DestinationCidrBlock: '192.168.0.0/16', NatGatewayId: 'nat-0b7', Origin: 'CreateRoute' },
};

// ---------------------------------------------------------------- AWS network ACLs

const naclEntry = (rule: number, proto: string, cidr: string, from?: number, to?: number) => ({
  RuleNumber: rule,
  RuleAction: 'allow',
  Protocol: proto,
  CidrBlock: cidr,
  Egress: false,
  ...(from === undefined ? {} : { PortRange: { From: from, To: to } }),
});

const naclFamily: Family = {
  name: 'aws_network_acl_rule in aws_network_acl.ingress',
  provider: 'aws',
  parentType: 'aws_network_acl',
  childType: 'aws_network_acl_rule',
  cloudType: 'AWS::EC2::NetworkAcl',
  attribute: 'ingress',
  parentId: (n) => `acl-0b9${n}`,
  parentState: (id, ingress) => ({
    id,
    arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:network-acl/${id}`,
    vpc_id: 'vpc-0a1b',
    subnet_ids: [],
    ingress,
    egress: [],
    tags: {},
    tags_all: {},
  }),
  parentCloud: (id, entries) => ({
    NetworkAclId: id,
    VpcId: 'vpc-0a1b',
    IsDefault: false,
    Associations: [],
    Entries: [
      ...entries,
      { RuleNumber: 32767, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0', Egress: false },
      { RuleNumber: 32767, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0', Egress: true },
    ],
    Tags: [],
  }),
  rules: [
    {
      inline: {
        rule_no: 100,
        action: 'allow',
        protocol: '6',
        cidr_block: '0.0.0.0/0',
        ipv6_cidr_block: '',
        from_port: 443,
        to_port: 443,
        icmp_type: 0,
        icmp_code: 0,
      },
      separate: (acl, n) => ({
        id: `nacl-${1800000000 + n}`,
        network_acl_id: acl,
        rule_number: 100,
        egress: false,
        protocol: 'tcp',
        rule_action: 'allow',
        cidr_block: '0.0.0.0/0',
        from_port: 443,
        to_port: 443,
      }),
      cloud: naclEntry(100, '6', '0.0.0.0/0', 443, 443),
    },
    {
      inline: {
        rule_no: 110,
        action: 'allow',
        protocol: '6',
        cidr_block: '10.20.0.0/16',
        ipv6_cidr_block: '',
        from_port: 1024,
        to_port: 65535,
        icmp_type: 0,
        icmp_code: 0,
      },
      separate: (acl, n) => ({
        id: `nacl-${2900000000 + n}`,
        network_acl_id: acl,
        rule_number: 110,
        egress: false,
        protocol: '6',
        rule_action: 'allow',
        cidr_block: '10.20.0.0/16',
        from_port: 1024,
        to_port: 65535,
      }),
      cloud: naclEntry(110, '6', '10.20.0.0/16', 1024, 65535),
    },
  ],
  changed: naclEntry(110, '-1', '0.0.0.0/0'),
  handAdded: naclEntry(90, '6', '0.0.0.0/0', 22, 22),
};

// ---------------------------------------------------------------- Azure network security groups

const nsgId = (n: number) =>
  `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.Network/networkSecurityGroups/nsg-edge-${n}`;
const armRule = (name: string, priority: number, port: string, source: string) => ({
  name,
  properties: {
    protocol: 'Tcp',
    sourcePortRange: '*',
    destinationPortRange: port,
    sourceAddressPrefix: source,
    destinationAddressPrefix: '*',
    access: 'Allow',
    priority,
    direction: 'Inbound',
    provisioningState: 'Succeeded',
  },
});
const azurermRule = (name: string, priority: number, port: string, source: string) => ({
  name,
  priority,
  direction: 'Inbound',
  access: 'Allow',
  protocol: 'Tcp',
  source_port_range: '*',
  source_port_ranges: [],
  destination_port_range: port,
  destination_port_ranges: [],
  source_address_prefix: source,
  source_address_prefixes: [],
  destination_address_prefix: '*',
  destination_address_prefixes: [],
  source_application_security_group_ids: [],
  destination_application_security_group_ids: [],
  description: '',
});
const separateNsgRule =
  (name: string, priority: number, port: string, source: string) =>
  (nsg: string): Attrs => ({
    ...azurermRule(name, priority, port, source),
    id: `${nsg}/securityRules/${name}`,
    resource_group_name: 'rg-edge',
    network_security_group_name: nsg.split('/').pop(),
  });

const nsgFamily: Family = {
  name: 'azurerm_network_security_rule in azurerm_network_security_group.security_rule',
  provider: 'azure',
  parentType: 'azurerm_network_security_group',
  childType: 'azurerm_network_security_rule',
  cloudType: 'Microsoft.Network/networkSecurityGroups',
  attribute: 'security_rule',
  parentId: nsgId,
  parentState: (id, security_rule) => ({
    id,
    name: id.split('/').pop(),
    location: 'westeurope',
    resource_group_name: 'rg-edge',
    security_rule,
    tags: { env: 'prod' },
  }),
  parentCloud: (id, securityRules) => ({
    id,
    name: id.split('/').pop(),
    location: 'westeurope',
    properties: { securityRules: securityRules.map((r) => ({ ...r, id: `${id}/securityRules/${r.name}` })) },
    tags: { env: 'prod' },
  }),
  rules: [
    {
      inline: azurermRule('https', 100, '443', 'Internet'),
      separate: separateNsgRule('https', 100, '443', 'Internet'),
      cloud: armRule('https', 100, '443', 'Internet'),
    },
    {
      inline: azurermRule('ssh', 110, '22', '10.20.0.0/16'),
      separate: separateNsgRule('ssh', 110, '22', '10.20.0.0/16'),
      cloud: armRule('ssh', 110, '22', '10.20.0.0/16'),
    },
  ],
  changed: armRule('ssh', 110, '22', '*'),
  handAdded: armRule('rdp', 120, '3389', 'Internet'),
};

export function splitFamilyCases(): EvalCase[] {
  return [
    sgFamily('aws_security_group_rule in ingress', 'aws_security_group_rule', 'ingress', (p, c, d) =>
      legacyRule('ingress', p, c, d),
    ),
    sgFamily('aws_security_group_rule in egress', 'aws_security_group_rule', 'egress', (p, c, d) =>
      legacyRule('egress', p, c, d),
    ),
    sgFamily('aws_vpc_security_group_ingress_rule', 'aws_vpc_security_group_ingress_rule', 'ingress', vpcRule),
    sgFamily('aws_vpc_security_group_egress_rule', 'aws_vpc_security_group_egress_rule', 'egress', vpcRule),
    routeFamily,
    naclFamily,
    nsgFamily,
  ].map(familyCase);
}
