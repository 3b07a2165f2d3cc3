import { describe, expect, it } from 'vitest';
import type { DiscoveredResource, Provider } from '../../contract/resource.js';
import { analyze } from '../analyze.js';
import { MAPPINGS } from '../mappings/index.js';
import { instanceAccounts, instanceSlot } from '../partition.js';
import { parseTerraformState } from '../state/parse.js';
import { SPLIT_CHILD_TYPES, SPLIT_FAMILIES } from './families.js';

const ACCOUNT = '111122223333';
const SUB = '0b7c5a4e-1f2d-4c3b-9a8e-7d6c5b4a3f2e';
type Attrs = Record<string, unknown>;

/**
 * One split family written out by hand: a parent, one rule as an inline block and as a separate
 * resource, and the cloud's spelling of that rule, of it changed, and of a rule added by hand.
 */
interface FamilyCase {
  name: string;
  provider: Provider;
  parentType: string;
  cloudType: string;
  parentId: string;
  attribute: string;
  parentState: (inline: Attrs[]) => Attrs;
  cloud: (rules: Attrs[]) => Attrs;
  inline: Attrs;
  child: { type: string; attributes: Attrs };
  rule: Attrs;
  changed: Attrs;
  handAdded: Attrs;
}

const sgState = (attribute: string) => (inline: Attrs[]) => ({
  id: 'sg-1',
  arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/sg-1`,
  name: 'web',
  description: 'web',
  vpc_id: 'vpc-1',
  ingress: attribute === 'ingress' ? inline : [],
  egress: attribute === 'egress' ? inline : [],
  tags: {},
});
const sgCloud = (attribute: string) => (rules: Attrs[]) => ({
  GroupId: 'sg-1',
  GroupName: 'web',
  Description: 'web',
  VpcId: 'vpc-1',
  OwnerId: ACCOUNT,
  IpPermissions: attribute === 'ingress' ? rules : [],
  IpPermissionsEgress: attribute === 'egress' ? rules : [],
});
const sgInline = {
  protocol: 'tcp',
  from_port: 22,
  to_port: 22,
  cidr_blocks: ['10.0.0.0/8'],
  ipv6_cidr_blocks: [],
  prefix_list_ids: [],
  security_groups: [],
  self: false,
  description: 'ssh',
};
const sgCloudRule = (cidr: string, port = 22) => ({
  IpProtocol: 'tcp',
  FromPort: port,
  ToPort: port,
  IpRanges: [{ CidrIp: cidr, Description: 'ssh' }],
});
const sgFamily = (name: string, attribute: string, child: FamilyCase['child']): FamilyCase => ({
  name,
  provider: 'aws',
  parentType: 'aws_security_group',
  cloudType: 'AWS::EC2::SecurityGroup',
  parentId: 'sg-1',
  attribute,
  parentState: sgState(attribute),
  cloud: sgCloud(attribute),
  inline: sgInline,
  child,
  rule: sgCloudRule('10.0.0.0/8'),
  changed: sgCloudRule('0.0.0.0/0'),
  handAdded: sgCloudRule('0.0.0.0/0', 3389),
});

const nsgId = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/nsg-web`;
const naclEntry = (rule: number, cidr: string, port: number) => ({
  RuleNumber: rule,
  RuleAction: 'allow',
  Protocol: '6',
  CidrBlock: cidr,
  Egress: false,
  PortRange: { From: port, To: port },
});
const nsgRule = (name: string, priority: number, port: string, source: string) => ({
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
  },
});

const FAMILIES: FamilyCase[] = [
  sgFamily('aws_security_group_rule (ingress)', 'ingress', {
    type: 'aws_security_group_rule',
    attributes: {
      id: 'sgrule-1',
      type: 'ingress',
      security_group_id: 'sg-1',
      protocol: 'tcp',
      from_port: 22,
      to_port: 22,
      cidr_blocks: ['10.0.0.0/8'],
      ipv6_cidr_blocks: [],
      prefix_list_ids: [],
      self: false,
      source_security_group_id: null,
      description: 'ssh',
    },
  }),
  sgFamily('aws_security_group_rule (egress)', 'egress', {
    type: 'aws_security_group_rule',
    attributes: {
      id: 'sgrule-2',
      type: 'egress',
      security_group_id: 'sg-1',
      protocol: 'tcp',
      from_port: 22,
      to_port: 22,
      cidr_blocks: ['10.0.0.0/8'],
      description: 'ssh',
    },
  }),
  sgFamily('aws_vpc_security_group_ingress_rule', 'ingress', {
    type: 'aws_vpc_security_group_ingress_rule',
    attributes: {
      id: 'sgr-0a1',
      security_group_id: 'sg-1',
      ip_protocol: 'tcp',
      from_port: 22,
      to_port: 22,
      cidr_ipv4: '10.0.0.0/8',
      description: 'ssh',
    },
  }),
  sgFamily('aws_vpc_security_group_egress_rule', 'egress', {
    type: 'aws_vpc_security_group_egress_rule',
    attributes: {
      id: 'sgr-0e1',
      security_group_id: 'sg-1',
      ip_protocol: 'tcp',
      from_port: 22,
      to_port: 22,
      cidr_ipv4: '10.0.0.0/8',
      description: 'ssh',
    },
  }),
  {
    name: 'aws_route',
    provider: 'aws',
    parentType: 'aws_route_table',
    cloudType: 'AWS::EC2::RouteTable',
    parentId: 'rtb-1',
    attribute: 'route',
    parentState: (route) => ({
      id: 'rtb-1',
      arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:route-table/rtb-1`,
      vpc_id: 'vpc-1',
      route,
      propagating_vgws: [],
      tags: {},
    }),
    cloud: (routes) => ({
      RouteTableId: 'rtb-1',
      VpcId: 'vpc-1',
      Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable' }, ...routes],
      PropagatingVgws: [],
    }),
    inline: { cidr_block: '0.0.0.0/0', gateway_id: 'igw-1' },
    child: {
      type: 'aws_route',
      attributes: {
        id: 'r-rtb-11080289494',
        route_table_id: 'rtb-1',
        destination_cidr_block: '0.0.0.0/0',
        gateway_id: 'igw-1',
      },
    },
    rule: { DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1', Origin: 'CreateRoute' },
    changed: { DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: 'nat-1', Origin: 'CreateRoute' },
    handAdded: { DestinationCidrBlock: '192.168.0.0/16', VpcPeeringConnectionId: 'pcx-1', Origin: 'CreateRoute' },
  },
  {
    name: 'aws_network_acl_rule',
    provider: 'aws',
    parentType: 'aws_network_acl',
    cloudType: 'AWS::EC2::NetworkAcl',
    parentId: 'acl-1',
    attribute: 'ingress',
    parentState: (ingress) => ({
      id: 'acl-1',
      arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:network-acl/acl-1`,
      vpc_id: 'vpc-1',
      subnet_ids: [],
      ingress,
      egress: [],
      tags: {},
    }),
    cloud: (entries) => ({
      NetworkAclId: 'acl-1',
      VpcId: 'vpc-1',
      Associations: [],
      Entries: [
        ...entries,
        { RuleNumber: 32767, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0', Egress: false },
        { RuleNumber: 32767, RuleAction: 'deny', Protocol: '-1', CidrBlock: '0.0.0.0/0', Egress: true },
      ],
    }),
    inline: { rule_no: 100, action: 'allow', protocol: '6', cidr_block: '10.0.0.0/8', from_port: 443, to_port: 443 },
    child: {
      type: 'aws_network_acl_rule',
      attributes: {
        id: 'nacl-1234',
        network_acl_id: 'acl-1',
        rule_number: 100,
        egress: false,
        protocol: 'tcp',
        rule_action: 'allow',
        cidr_block: '10.0.0.0/8',
        from_port: 443,
        to_port: 443,
      },
    },
    rule: naclEntry(100, '10.0.0.0/8', 443),
    changed: naclEntry(100, '0.0.0.0/0', 443),
    handAdded: naclEntry(200, '0.0.0.0/0', 22),
  },
  {
    name: 'azurerm_network_security_rule',
    provider: 'azure',
    parentType: 'azurerm_network_security_group',
    cloudType: 'Microsoft.Network/networkSecurityGroups',
    parentId: nsgId,
    attribute: 'security_rule',
    parentState: (security_rule) => ({
      id: nsgId,
      name: 'nsg-web',
      location: 'eastus',
      resource_group_name: 'rg-net',
      security_rule,
      tags: {},
    }),
    cloud: (securityRules) => ({ id: nsgId, name: 'nsg-web', location: 'eastus', properties: { securityRules } }),
    inline: {
      name: 'ssh',
      priority: 110,
      direction: 'Inbound',
      access: 'Allow',
      protocol: 'Tcp',
      source_port_range: '*',
      destination_port_range: '22',
      source_address_prefix: '10.0.0.0/8',
      destination_address_prefix: '*',
      description: '',
    },
    child: {
      type: 'azurerm_network_security_rule',
      attributes: {
        // ARM spells the resource group in whatever case it was created with.
        id: `${nsgId.replace('resourceGroups', 'resourcegroups')}/securityRules/ssh`,
        name: 'ssh',
        resource_group_name: 'rg-net',
        network_security_group_name: 'nsg-web',
        priority: 110,
        direction: 'Inbound',
        access: 'Allow',
        protocol: 'Tcp',
        source_port_range: '*',
        destination_port_range: '22',
        source_address_prefix: '10.0.0.0/8',
        destination_address_prefix: '*',
        description: '',
      },
    },
    rule: nsgRule('ssh', 110, '22', '10.0.0.0/8'),
    changed: nsgRule('ssh', 110, '22', 'Internet'),
    handAdded: nsgRule('rdp', 120, '3389', '*'),
  },
];

const PROVIDER_ADDRESS: Record<Provider, string> = {
  aws: 'provider["registry.terraform.io/hashicorp/aws"]',
  azure: 'provider["registry.terraform.io/hashicorp/azurerm"]',
  gcp: 'provider["registry.terraform.io/hashicorp/google"]',
};

function stateFile(provider: Provider, resources: { type: string; name: string; attributes: Attrs }[]) {
  return parseTerraformState(
    JSON.stringify({
      version: 4,
      resources: resources.map((r) => ({
        mode: 'managed',
        type: r.type,
        name: r.name,
        provider: PROVIDER_ADDRESS[provider],
        instances: [{ attributes: r.attributes }],
      })),
    }),
    'split.tfstate',
  );
}

const stateOf = (f: FamilyCase, inline: Attrs[], withChild: boolean) =>
  stateFile(f.provider, [
    { type: f.parentType, name: 'main', attributes: f.parentState(inline) },
    ...(withChild ? [{ type: f.child.type, name: 'ssh', attributes: f.child.attributes }] : []),
  ]);

function cloudOf(f: FamilyCase, rules: Attrs[]): DiscoveredResource {
  return {
    provider: f.provider,
    account: f.provider === 'aws' ? ACCOUNT : SUB,
    region: f.provider === 'aws' ? 'us-east-1' : 'eastus',
    type: f.cloudType,
    id: f.parentId,
    attributes: f.cloud(rules),
    tags: {},
  };
}

function run(f: FamilyCase, inline: Attrs[], withChild: boolean, cloudRules: Attrs[]) {
  const report = analyze({ states: [stateOf(f, inline, withChild)], inventory: [cloudOf(f, cloudRules)] });
  return {
    report,
    items: report.items.map((i) => [i.kind, i.address, i.changes.map((c) => c.path)]),
  };
}

const parent = (f: FamilyCase) => `${f.parentType}.main`;
const child = (f: FamilyCase) => `${f.child.type}.ssh`;

describe.each(FAMILIES)('split family $name', (f) => {
  it('finds no drift when the rule is declared inline', () => {
    expect(run(f, [f.inline], false, [f.rule]).items).toEqual([]);
  });

  it('finds no drift when the rule is a separate resource and the parent declares none inline', () => {
    const { items, report } = run(f, [], true, [f.rule]);
    expect(items).toEqual([]);
    expect(report.summary.unsupported_types).toEqual({});
    expect(report.summary).toMatchObject({ state_resources: 2, managed: 1, in_sync: 1, missing: 0, unmanaged: 0 });
  });

  it('finds no drift when a refresh copied the separate rule into the inline list', () => {
    expect(run(f, [f.inline], true, [f.rule]).items).toEqual([]);
  });

  it('reports a separate rule deleted in the cloud as that rule missing, not the parent changed', () => {
    expect(run(f, [], true, []).items).toEqual([['missing', child(f), []]]);
    expect(run(f, [f.inline], true, []).items).toEqual([['missing', child(f), []]]);
  });

  it('reports a separate rule changed in the cloud on its own address', () => {
    const { items, report } = run(f, [], true, [f.changed]);
    expect(items).toEqual([['changed', child(f), [f.attribute]]]);
    const change = report.items[0]!.changes[0]!;
    expect(change.expected).not.toEqual(change.actual);
    expect(report.items[0]).toMatchObject({ tf_type: f.child.type, id: f.child.attributes.id });
    expect(report.items[0]!.resource_key).toBeUndefined();
  });

  it('reports a rule added by hand on the parent, whichever way the state declares the others', () => {
    const added = [['changed', parent(f), [f.attribute]]];
    expect(run(f, [], true, [f.rule, f.handAdded]).items).toEqual(added);
    expect(run(f, [f.inline], true, [f.rule, f.handAdded]).items).toEqual(added);
    const onParent = run(f, [], true, [f.rule, f.handAdded]).report.items[0]!.changes[0]!;
    expect((onParent.actual as unknown[]).length).toBe((onParent.expected as unknown[]).length + 1);
  });

  it('still reports the parent when the state declares the attribute empty and no separate rule exists', () => {
    expect(run(f, [], false, [f.rule]).items).toEqual([['changed', parent(f), [f.attribute]]]);
  });

  it('analyses the separate rule in the part its parent is in', () => {
    const [parentInstance, childInstance] = stateOf(f, [], true).instances;
    expect(instanceSlot(childInstance!)).toBe(instanceSlot(parentInstance!));
  });

  it("files the separate rule under its parent's account, though it names none itself", () => {
    const [parentAccount, childAccount] = instanceAccounts(stateOf(f, [], true));
    expect(parentAccount).toBe(f.provider === 'aws' ? ACCOUNT : SUB);
    expect(childAccount).toBe(parentAccount);
  });
});

describe('split family table', () => {
  it("names parent attributes the parents' mappings compare", () => {
    for (const f of SPLIT_FAMILIES) {
      const mapping = MAPPINGS.find((m) => m.tfType === f.parentTfType);
      expect(
        mapping?.attributes.map((a) => a.tf),
        f.childTfType,
      ).toContain(f.attribute);
    }
  });

  it('keeps child types out of the mappings, so none is missing or unmanaged on its own', () => {
    expect(MAPPINGS.filter((m) => SPLIT_CHILD_TYPES.has(m.tfType))).toEqual([]);
  });

  it('reports nothing for separate rules whose parent is in no state', () => {
    const f = FAMILIES[0]!;
    const childOnly = stateFile('aws', [{ type: f.child.type, name: 'ssh', attributes: f.child.attributes }]);
    const report = analyze({ states: [childOnly], inventory: [] });
    expect(report.items).toEqual([]);
    expect(report.summary.unsupported_types).toEqual({});
  });

  it('judges a changed separate rule by its parent risk rules: a rule opened to the world is critical', () => {
    const f = FAMILIES[0]!;
    const report = analyze({ states: [stateOf(f, [], true)], inventory: [cloudOf(f, [f.changed])] });
    expect(report.items[0]).toMatchObject({ kind: 'changed', severity: 'critical' });
  });
});

describe('route table associations (aws_route_table_association, aws_main_route_table_association)', () => {
  const rtb = 'rtb-0a1';
  const routeTable = {
    id: rtb,
    arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:route-table/${rtb}`,
    vpc_id: 'vpc-1',
    route: [],
    propagating_vgws: [],
    tags: {},
  };
  const subnetAssociation = {
    id: 'rtbassoc-0b1',
    route_table_id: rtb,
    subnet_id: 'subnet-1',
    gateway_id: '',
  };
  const mainAssociation = {
    id: 'rtbassoc-0c2',
    route_table_id: rtb,
    vpc_id: 'vpc-1',
    original_route_table_id: 'rtb-0default',
  };
  const cloudAssociation = (a: Attrs): Attrs => ({
    RouteTableAssociationId: `rtbassoc-${String(a.SubnetId ?? 'main')}`,
    RouteTableId: rtb,
    AssociationState: { State: 'associated' },
    Main: false,
    ...a,
  });
  const SUBNET_1 = cloudAssociation({ SubnetId: 'subnet-1' });
  const MAIN = cloudAssociation({ Main: true });
  const BY_HAND = cloudAssociation({ SubnetId: 'subnet-9' });

  function runAssociations(children: ('subnet' | 'main')[], associations: Attrs[], mode?: 'full') {
    const state = stateFile('aws', [
      { type: 'aws_route_table', name: 'private', attributes: routeTable },
      ...(children.includes('subnet')
        ? [{ type: 'aws_route_table_association', name: 'private_a', attributes: subnetAssociation }]
        : []),
      ...(children.includes('main')
        ? [{ type: 'aws_main_route_table_association', name: 'main', attributes: mainAssociation }]
        : []),
    ]);
    const cloud: DiscoveredResource = {
      provider: 'aws',
      account: ACCOUNT,
      region: 'us-east-1',
      type: 'AWS::EC2::RouteTable',
      id: rtb,
      attributes: {
        RouteTableId: rtb,
        VpcId: 'vpc-1',
        OwnerId: ACCOUNT,
        Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable' }],
        PropagatingVgws: [],
        Associations: associations,
        Tags: [],
      },
      tags: {},
    };
    const report = analyze({ states: [state], inventory: [cloud], mode: mode ?? 'smart' });
    const association = report.items.flatMap((i) => i.changes).find((c) => c.path === 'association');
    const items = report.items
      .map((i) => [i.kind, i.address, i.changes.filter((c) => !c.noise_rule).map((c) => c.path)])
      .filter(([kind, , paths]) => kind !== 'changed' || (paths as string[]).length > 0);
    return { report, items, association };
  }

  it('finds no drift when the state declares no associations and the cloud has some', () => {
    const { items, report, association } = runAssociations([], [SUBNET_1, MAIN], 'full');
    expect(items).toEqual([]);
    expect(association).toMatchObject({ noise_rule: 'undeclared-elements' });
    expect(report.summary).toMatchObject({ managed: 1, in_sync: 1 });
  });

  it('finds no drift when separate association resources declare what the cloud has', () => {
    const { items, report, association } = runAssociations(['subnet', 'main'], [MAIN, SUBNET_1], 'full');
    expect(items).toEqual([]);
    // Only their order differs: the state lists its resources in another order than the API.
    expect(association).toMatchObject({ noise_rule: 'order-insensitive' });
    expect(report.summary).toMatchObject({ state_resources: 3, managed: 1, in_sync: 1 });
    expect(report.summary.unsupported_types).toEqual({});
  });

  it('labels an association no state declares as noise, not drift', () => {
    const { items, report, association } = runAssociations(['subnet'], [SUBNET_1, BY_HAND], 'full');
    expect(items).toEqual([]);
    expect(association).toMatchObject({ noise_rule: 'undeclared-elements' });
    expect(report.summary).toMatchObject({ in_sync: 1, changed: 0 });
  });

  it("reports a subnet association removed in the cloud on the association's address", () => {
    expect(runAssociations(['subnet', 'main'], [MAIN]).items).toEqual([
      ['missing', 'aws_route_table_association.private_a', []],
    ]);
  });

  it('reports the main association moved to another table on its own address', () => {
    expect(runAssociations(['subnet', 'main'], [SUBNET_1]).items).toEqual([
      ['missing', 'aws_main_route_table_association.main', []],
    ]);
  });

  it('reports a removed association alone when the cloud also has one nobody declares', () => {
    const { items, report, association } = runAssociations(['subnet'], [BY_HAND, MAIN], 'full');
    expect(items).toEqual([['missing', 'aws_route_table_association.private_a', []]]);
    expect(association).toMatchObject({ noise_rule: 'undeclared-elements', expected: [] });
    expect(association!.actual).toEqual(expect.arrayContaining(['subnet=subnet-9', 'main=true']));
    expect(report.summary).toMatchObject({ changed: 0, missing: 1 });
  });

  it('reports an association being torn down as removed', () => {
    const leaving = { ...SUBNET_1, AssociationState: { State: 'disassociating' } };
    expect(runAssociations(['subnet'], [leaving]).items).toEqual([
      ['missing', 'aws_route_table_association.private_a', []],
    ]);
  });
});
