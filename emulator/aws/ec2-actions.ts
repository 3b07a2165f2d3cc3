import {
  DescribeAddressesResult$,
  DescribeInstancesResult$,
  DescribeInternetGatewaysResult$,
  DescribeKeyPairsResult$,
  DescribeLaunchTemplatesResult$,
  DescribeNatGatewaysResult$,
  DescribeNetworkAclsResult$,
  DescribeNetworkInterfacesResult$,
  DescribeRouteTablesResult$,
  DescribeSecurityGroupsResult$,
  DescribeSubnetsResult$,
  DescribeVolumesResult$,
  DescribeVpcsResult$,
} from '@aws-sdk/client-ec2';

type Attributes = Record<string, unknown>;

/** Allowed `MaxResults` for a paginated Describe call (EC2 API Reference, per action). */
export interface PageLimits {
  min: number;
  max: number;
}

/** How the emulator serves one EC2 Describe action over one resource type. */
export interface Ec2ListAction {
  action: string;
  type: string;
  /** The operation's output schema from the SDK's service model (names the XML elements). */
  outputSchema: unknown;
  /** The output member holding the list, e.g. `Vpcs`. */
  listMember: string;
  /** `null`: the action takes no MaxResults/NextToken (DescribeAddresses, DescribeKeyPairs). */
  page: PageLimits | null;
  /** Query parameter prefix of the action's ID list (`VpcId` for `VpcId.1=vpc-…`). */
  idParam: string;
  /** Builds the list entries from the stored resources (instances go inside reservations). */
  toItems?: (items: Attributes[], account: string, params: URLSearchParams) => unknown[];
}

/** One reservation per instance: the estate does not model launch batches. */
function instancesInReservations(items: Attributes[], account: string): unknown[] {
  return items.map((instance) => ({
    ReservationId: `r-${String(instance.InstanceId).slice(2)}`,
    OwnerId: account,
    Groups: [],
    Instances: [instance],
  }));
}

/** EC2 returns a key pair's public key only when asked with IncludePublicKey=true. */
function keyPairsWithOptionalPublicKey(items: Attributes[], _account: string, params: URLSearchParams): unknown[] {
  if (params.get('IncludePublicKey') === 'true') return items;
  return items.map(({ PublicKey: _omitted, ...rest }) => rest);
}

const standard: PageLimits = { min: 5, max: 1000 };

export const EC2_LIST_ACTIONS: readonly Ec2ListAction[] = [
  {
    action: 'DescribeInstances',
    type: 'AWS::EC2::Instance',
    outputSchema: DescribeInstancesResult$,
    listMember: 'Reservations',
    page: standard,
    idParam: 'InstanceId',
    toItems: instancesInReservations,
  },
  {
    action: 'DescribeSecurityGroups',
    type: 'AWS::EC2::SecurityGroup',
    outputSchema: DescribeSecurityGroupsResult$,
    listMember: 'SecurityGroups',
    page: standard,
    idParam: 'GroupId',
  },
  {
    action: 'DescribeVpcs',
    type: 'AWS::EC2::VPC',
    outputSchema: DescribeVpcsResult$,
    listMember: 'Vpcs',
    page: standard,
    idParam: 'VpcId',
  },
  {
    action: 'DescribeSubnets',
    type: 'AWS::EC2::Subnet',
    outputSchema: DescribeSubnetsResult$,
    listMember: 'Subnets',
    page: standard,
    idParam: 'SubnetId',
  },
  {
    action: 'DescribeVolumes',
    type: 'AWS::EC2::Volume',
    outputSchema: DescribeVolumesResult$,
    listMember: 'Volumes',
    page: standard,
    idParam: 'VolumeId',
  },
  {
    action: 'DescribeNetworkInterfaces',
    type: 'AWS::EC2::NetworkInterface',
    outputSchema: DescribeNetworkInterfacesResult$,
    listMember: 'NetworkInterfaces',
    page: standard,
    idParam: 'NetworkInterfaceId',
  },
  {
    action: 'DescribeRouteTables',
    type: 'AWS::EC2::RouteTable',
    outputSchema: DescribeRouteTablesResult$,
    listMember: 'RouteTables',
    page: { min: 5, max: 100 },
    idParam: 'RouteTableId',
  },
  {
    action: 'DescribeInternetGateways',
    type: 'AWS::EC2::InternetGateway',
    outputSchema: DescribeInternetGatewaysResult$,
    listMember: 'InternetGateways',
    page: standard,
    idParam: 'InternetGatewayId',
  },
  {
    action: 'DescribeNatGateways',
    type: 'AWS::EC2::NatGateway',
    outputSchema: DescribeNatGatewaysResult$,
    listMember: 'NatGateways',
    page: standard,
    idParam: 'NatGatewayId',
  },
  {
    action: 'DescribeAddresses',
    type: 'AWS::EC2::EIP',
    outputSchema: DescribeAddressesResult$,
    listMember: 'Addresses',
    page: null,
    idParam: 'AllocationId',
  },
  {
    action: 'DescribeKeyPairs',
    type: 'AWS::EC2::KeyPair',
    outputSchema: DescribeKeyPairsResult$,
    listMember: 'KeyPairs',
    page: null,
    idParam: 'KeyPairId',
    toItems: keyPairsWithOptionalPublicKey,
  },
  {
    action: 'DescribeLaunchTemplates',
    type: 'AWS::EC2::LaunchTemplate',
    outputSchema: DescribeLaunchTemplatesResult$,
    listMember: 'LaunchTemplates',
    page: { min: 1, max: 200 },
    idParam: 'LaunchTemplateId',
  },
  {
    action: 'DescribeNetworkAcls',
    type: 'AWS::EC2::NetworkAcl',
    outputSchema: DescribeNetworkAclsResult$,
    listMember: 'NetworkAcls',
    page: { min: 5, max: 100 },
    idParam: 'NetworkAclId',
  },
];

export const EC2_LIST_ACTION_BY_NAME = new Map(EC2_LIST_ACTIONS.map((a) => [a.action, a]));

/**
 * EC2's published request-rate limits ("Request throttling for the Amazon EC2 API"): token
 * buckets per account and Region. Describe calls: bucket 100, refill 20/s. The heavy
 * actions called without pagination or filters fall in a smaller class: bucket 50, refill 10/s.
 */
export const EC2_THROTTLE_CLASSES = {
  describe: { capacity: 100, refillPerSecond: 20 },
  unfilteredUnpaginated: { capacity: 50, refillPerSecond: 10 },
} as const;

const UNFILTERED_UNPAGINATED_ACTIONS = new Set([
  'DescribeInstances',
  'DescribeNetworkInterfaces',
  'DescribeSecurityGroups',
  'DescribeVolumes',
]);

export function throttleClassOf(action: string, paginatedOrFiltered: boolean): keyof typeof EC2_THROTTLE_CLASSES {
  return UNFILTERED_UNPAGINATED_ACTIONS.has(action) && !paginatedOrFiltered ? 'unfilteredUnpaginated' : 'describe';
}
