import type { DiscoveredResource } from '../../contract/resource.js';
import { parseTerraformState } from '../../engine/index.js';
import { type EvalCase, stateResource } from './case.js';
import type { ExpectedDrift, ExpectedNoise } from './score.js';

/**
 * Route table associations, hand-written: aws_route_table has no inline form of them, so a
 * state declares them as aws_route_table_association / aws_main_route_table_association
 * resources or not at all. Five tables: associations undeclared, declared and in the cloud, a
 * subnet association removed in the cloud, the main association moved to another table, and
 * one associated by hand next to a declared one. Only the removed and the moved are drift, each
 * on the association's own address; an association no state declares is noise.
 */

const ACCOUNT = '111122223333';
const PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const VPC = 'vpc-0e5a1c2b3d4f50001';

type Attrs = Record<string, unknown>;

const tableState = (id: string): Attrs => ({
  id,
  arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:route-table/${id}`,
  owner_id: ACCOUNT,
  vpc_id: VPC,
  route: [],
  propagating_vgws: [],
  tags: { Name: id },
  tags_all: { Name: id },
  timeouts: null,
});

/** aws_route_table_association as provider v5 stores it: the unset target is "". */
const subnetAssociation = (id: string, table: string, subnet: string): Attrs => ({
  id,
  route_table_id: table,
  subnet_id: subnet,
  gateway_id: '',
  timeouts: null,
});
const gatewayAssociation = (id: string, table: string, gateway: string): Attrs => ({
  id,
  route_table_id: table,
  subnet_id: '',
  gateway_id: gateway,
  timeouts: null,
});
const mainAssociation = (id: string, table: string): Attrs => ({
  id,
  route_table_id: table,
  vpc_id: VPC,
  original_route_table_id: 'rtb-0d0d0d0d0d0d0d0d0',
  timeouts: null,
});

/** DescribeRouteTables Associations[] entries as @aws-sdk/client-ec2 decodes them. */
const cloudAssociation = (id: string, table: string, target: Attrs): Attrs => ({
  Main: false,
  RouteTableAssociationId: id,
  RouteTableId: table,
  AssociationState: { State: 'associated' },
  ...target,
});

function table(id: string, associations: Attrs[]): DiscoveredResource {
  return {
    provider: 'aws',
    account: ACCOUNT,
    region: 'us-east-1',
    type: 'AWS::EC2::RouteTable',
    id,
    name: id,
    attributes: {
      RouteTableId: id,
      VpcId: VPC,
      OwnerId: ACCOUNT,
      Routes: [
        { DestinationCidrBlock: '10.40.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
      ],
      PropagatingVgws: [],
      Associations: associations,
      Tags: [{ Key: 'Name', Value: id }],
    },
    tags: { Name: id },
  };
}

const resource = (type: string, name: string, attributes: Attrs) => stateResource(PROVIDER, type, name, attributes);

export function routeAssociationCase(): EvalCase {
  const [undeclared, declared, removed, moved, byHand] = [1, 2, 3, 4, 5].map((n) => `rtb-0a5${n}c0ffee000000${n}`) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const resources = [
    resource('aws_route_table', 'undeclared', tableState(undeclared)),
    resource('aws_route_table', 'declared', tableState(declared)),
    resource('aws_route_table_association', 'declared_a', subnetAssociation('rtbassoc-0b21', declared, 'subnet-0c21')),
    resource('aws_route_table_association', 'declared_edge', gatewayAssociation('rtbassoc-0b22', declared, 'igw-0c22')),
    resource('aws_main_route_table_association', 'declared', mainAssociation('rtbassoc-0b23', declared)),
    resource('aws_route_table', 'removed', tableState(removed)),
    resource('aws_route_table_association', 'removed_a', subnetAssociation('rtbassoc-0b31', removed, 'subnet-0c31')),
    resource('aws_route_table_association', 'removed_b', subnetAssociation('rtbassoc-0b32', removed, 'subnet-0c32')),
    resource('aws_route_table', 'moved', tableState(moved)),
    resource('aws_main_route_table_association', 'moved', mainAssociation('rtbassoc-0b41', moved)),
    resource('aws_route_table', 'by_hand', tableState(byHand)),
    resource('aws_route_table_association', 'by_hand_a', subnetAssociation('rtbassoc-0b51', byHand, 'subnet-0c51')),
  ];
  const inventory = [
    table(undeclared, [
      cloudAssociation('rtbassoc-0b11', undeclared, { SubnetId: 'subnet-0c11' }),
      cloudAssociation('rtbassoc-0b12', undeclared, { SubnetId: 'subnet-0c12' }),
    ]),
    // The API lists them in its own order, the main one last.
    table(declared, [
      cloudAssociation('rtbassoc-0b22', declared, { GatewayId: 'igw-0c22' }),
      cloudAssociation('rtbassoc-0b21', declared, { SubnetId: 'subnet-0c21' }),
      cloudAssociation('rtbassoc-0b23', declared, { Main: true }),
    ]),
    // subnet-0c32 disassociated by hand.
    table(removed, [cloudAssociation('rtbassoc-0b31', removed, { SubnetId: 'subnet-0c31' })]),
    // Another table was made the VPC's main one.
    table(moved, []),
    table(byHand, [
      cloudAssociation('rtbassoc-0b51', byHand, { SubnetId: 'subnet-0c51' }),
      cloudAssociation('rtbassoc-0b52', byHand, { SubnetId: 'subnet-0c52' }),
    ]),
  ];
  const drift: ExpectedDrift[] = [
    { kind: 'missing', address: 'aws_route_table_association.removed_b', id: 'rtbassoc-0b32' },
    { kind: 'missing', address: 'aws_main_route_table_association.moved', id: 'rtbassoc-0b41' },
  ];
  const noise: ExpectedNoise[] = [
    { address: 'aws_route_table.undeclared', path: 'association', rule: 'undeclared-elements' },
    { address: 'aws_route_table.by_hand', path: 'association', rule: 'undeclared-elements' },
  ];
  const state = { version: 4, terraform_version: '1.9.8', serial: 7, lineage: 'rtb-assoc', outputs: {}, resources };
  return {
    name: 'split resources: route table associations',
    states: [parseTerraformState(JSON.stringify(state), 'network.tfstate')],
    inventory,
    expected: { drift, noise },
  };
}
