import { describe, expect, it } from 'vitest';
import type { DiscoveredResource, Provider } from '../../contract/resource.js';
import { DEFAULT_RESOURCE_RULES, defaultResourceReason, defaultVpcIds } from './default-resources.js';

/**
 * Resources a cloud creates by itself, as its API returns them (hand-written), each next to a
 * near miss a user created and Terraform should manage (reported unmanaged when it is not).
 */
const resource = (
  provider: Provider,
  type: string,
  id: string,
  attributes: Record<string, unknown>,
): DiscoveredResource => ({
  provider,
  account: provider === 'aws' ? '111122223333' : 'acct',
  region: 'us-east-1',
  type,
  id,
  attributes,
  tags: {},
});

const DEFAULT_VPC = resource('aws', 'AWS::EC2::VPC', 'vpc-0de', {
  VpcId: 'vpc-0de',
  CidrBlock: '172.31.0.0/16',
  IsDefault: true,
  State: 'available',
});
const USER_VPC = resource('aws', 'AWS::EC2::VPC', 'vpc-0a1', {
  VpcId: 'vpc-0a1',
  CidrBlock: '10.0.0.0/16',
  IsDefault: false,
  State: 'available',
});
const INVENTORY = [DEFAULT_VPC, USER_VPC];
const NETWORK = (name: string) => `https://www.googleapis.com/compute/v1/projects/prod-1/global/networks/${name}`;
const RG = (name: string) => `/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/${name}`;

/** An existence-level resource as an inventory lists it: told apart by its identifier. */
const listed = (provider: Provider, type: string, id: string) => resource(provider, type, id, {});
const ARN = (service: string, resource: string) => `arn:aws:${service}:us-east-1:111122223333:${resource}`;
const SQL = `${RG('data')}/providers/Microsoft.Sql/servers/orders`;
const SERVICE_ACCOUNT = (email: string) =>
  resource('gcp', 'iam.googleapis.com/ServiceAccount', '//iam.googleapis.com/projects/prod-1/serviceAccounts/1087', {
    email,
  });

type Case = [name: string, cloudCreated: DiscoveredResource, userCreated: DiscoveredResource];

const EXISTENCE_CASES: Case[] = [
  [
    'a service-linked role',
    listed('aws', 'AWS::IAM::Role', 'AWSServiceRoleForAutoScaling'),
    listed('aws', 'AWS::IAM::Role', 'app-AWSServiceRoleForAutoScaling'),
  ],
  [
    'an IAM Identity Center role',
    listed('aws', 'AWS::IAM::Role', 'AWSReservedSSO_Admin_0a1b2c'),
    listed('aws', 'AWS::IAM::Role', 'sso-admin'),
  ],
  [
    'an AWS managed key alias',
    listed('aws', 'AWS::KMS::Alias', 'alias/aws/ebs'),
    listed('aws', 'AWS::KMS::Alias', 'alias/ebs'),
  ],
  [
    'a default DB parameter group',
    listed('aws', 'AWS::RDS::DBParameterGroup', 'default.mysql8.0'),
    listed('aws', 'AWS::RDS::DBParameterGroup', 'orders-mysql8'),
  ],
  [
    'a default DB cluster parameter group',
    listed('aws', 'AWS::RDS::DBClusterParameterGroup', 'default.aurora-postgresql15'),
    listed('aws', 'AWS::RDS::DBClusterParameterGroup', 'aurora-default'),
  ],
  [
    'a default option group',
    listed('aws', 'AWS::RDS::OptionGroup', 'default:mysql-8-0'),
    listed('aws', 'AWS::RDS::OptionGroup', 'default-mysql-audit'),
  ],
  [
    'a default ElastiCache parameter group',
    listed('aws', 'AWS::ElastiCache::ParameterGroup', 'default.redis7'),
    listed('aws', 'AWS::ElastiCache::ParameterGroup', 'redis7-lru'),
  ],
  [
    'the default ElastiCache user',
    listed('aws', 'AWS::ElastiCache::User', 'default'),
    listed('aws', 'AWS::ElastiCache::User', 'app'),
  ],
  [
    'a default MemoryDB parameter group',
    listed('aws', 'AWS::MemoryDB::ParameterGroup', 'default.memorydb-redis7'),
    listed('aws', 'AWS::MemoryDB::ParameterGroup', 'memorydb-tuned'),
  ],
  [
    'the default MemoryDB user',
    listed('aws', 'AWS::MemoryDB::User', 'default'),
    listed('aws', 'AWS::MemoryDB::User', 'defaults'),
  ],
  [
    'the open-access ACL',
    listed('aws', 'AWS::MemoryDB::ACL', 'open-access'),
    listed('aws', 'AWS::MemoryDB::ACL', 'app-access'),
  ],
  [
    'a default Redshift parameter group',
    listed('aws', 'AWS::Redshift::ClusterParameterGroup', 'default.redshift-1.0'),
    listed('aws', 'AWS::Redshift::ClusterParameterGroup', 'wlm-tuned'),
  ],
  [
    'the default event bus',
    listed('aws', 'AWS::Events::EventBus', 'default'),
    listed('aws', 'AWS::Events::EventBus', 'orders'),
  ],
  [
    'the default schedule group',
    listed('aws', 'AWS::Scheduler::ScheduleGroup', 'default'),
    listed('aws', 'AWS::Scheduler::ScheduleGroup', 'nightly'),
  ],
  [
    'the primary Athena workgroup',
    listed('aws', 'AWS::Athena::WorkGroup', 'primary'),
    listed('aws', 'AWS::Athena::WorkGroup', 'analysts'),
  ],
  [
    'the Glue data catalog in Athena',
    listed('aws', 'AWS::Athena::DataCatalog', 'AwsDataCatalog'),
    listed('aws', 'AWS::Athena::DataCatalog', 'hive'),
  ],
  [
    'the default X-Ray group',
    listed('aws', 'AWS::XRay::Group', ARN('xray', 'group/Default')),
    listed('aws', 'AWS::XRay::Group', ARN('xray', 'group/Defaults/0a1b')),
  ],
  [
    'the default X-Ray sampling rule',
    listed('aws', 'AWS::XRay::SamplingRule', ARN('xray', 'sampling-rule/Default')),
    listed('aws', 'AWS::XRay::SamplingRule', ARN('xray', 'sampling-rule/checkout')),
  ],
  [
    'a Fargate capacity provider',
    listed('aws', 'AWS::ECS::CapacityProvider', 'FARGATE_SPOT'),
    listed('aws', 'AWS::ECS::CapacityProvider', 'asg-spot'),
  ],
  [
    'an autodefined resolver rule',
    listed('aws', 'AWS::Route53Resolver::ResolverRule', 'rslvr-autodefined-rr-internet-resolver'),
    listed('aws', 'AWS::Route53Resolver::ResolverRule', 'rslvr-rr-0a1b2c3d4e5f60718'),
  ],
  [
    'a Network Watcher',
    listed(
      'azure',
      'Microsoft.Network/networkWatchers',
      `${RG('NetworkWatcherRG')}/providers/Microsoft.Network/networkWatchers/NetworkWatcher_eastus`,
    ),
    listed(
      'azure',
      'Microsoft.Network/networkWatchers',
      `${RG('net')}/providers/Microsoft.Network/networkWatchers/watcher-eastus`,
    ),
  ],
  [
    'the master database of a SQL server',
    listed('azure', 'Microsoft.Sql/servers/databases', `${SQL}/databases/master`),
    listed('azure', 'Microsoft.Sql/servers/databases', `${SQL}/databases/masterdata`),
  ],
  [
    'the Compute Engine default service account',
    SERVICE_ACCOUNT('123456789012-compute@developer.gserviceaccount.com'),
    SERVICE_ACCOUNT('compute@prod-1.iam.gserviceaccount.com'),
  ],
  [
    'the App Engine default service account',
    SERVICE_ACCOUNT('prod-1@appspot.gserviceaccount.com'),
    SERVICE_ACCOUNT('appspot@prod-1.iam.gserviceaccount.com'),
  ],
  [
    'a default route of a network',
    listed(
      'gcp',
      'compute.googleapis.com/Route',
      '//compute.googleapis.com/projects/prod-1/global/routes/default-route-8e1f',
    ),
    listed('gcp', 'compute.googleapis.com/Route', '//compute.googleapis.com/projects/prod-1/global/routes/to-onprem'),
  ],
  [
    'a built-in log sink',
    listed('gcp', 'logging.googleapis.com/LogSink', '//logging.googleapis.com/projects/prod-1/sinks/_Required'),
    listed('gcp', 'logging.googleapis.com/LogSink', '//logging.googleapis.com/projects/prod-1/sinks/audit_to_bq'),
  ],
  [
    'a built-in log bucket',
    listed(
      'gcp',
      'logging.googleapis.com/LogBucket',
      '//logging.googleapis.com/projects/prod-1/locations/global/buckets/_Default',
    ),
    listed(
      'gcp',
      'logging.googleapis.com/LogBucket',
      '//logging.googleapis.com/projects/prod-1/locations/global/buckets/audit',
    ),
  ],
];

const CASES: Case[] = [
  ['the default VPC', DEFAULT_VPC, USER_VPC],
  [
    'a default subnet',
    resource('aws', 'AWS::EC2::Subnet', 'subnet-0de', {
      SubnetId: 'subnet-0de',
      VpcId: 'vpc-0de',
      CidrBlock: '172.31.0.0/20',
      AvailabilityZone: 'us-east-1a',
      DefaultForAz: true,
      MapPublicIpOnLaunch: true,
    }),
    resource('aws', 'AWS::EC2::Subnet', 'subnet-0a1', {
      SubnetId: 'subnet-0a1',
      VpcId: 'vpc-0de',
      CidrBlock: '172.31.96.0/20',
      AvailabilityZone: 'us-east-1a',
      DefaultForAz: false,
      MapPublicIpOnLaunch: false,
    }),
  ],
  [
    "a VPC's default security group",
    resource('aws', 'AWS::EC2::SecurityGroup', 'sg-0de', {
      GroupId: 'sg-0de',
      GroupName: 'default',
      Description: 'default VPC security group',
      VpcId: 'vpc-0a1',
    }),
    resource('aws', 'AWS::EC2::SecurityGroup', 'sg-0a1', {
      GroupId: 'sg-0a1',
      GroupName: 'default-web',
      Description: 'web',
      VpcId: 'vpc-0a1',
    }),
  ],
  [
    "a VPC's main route table",
    resource('aws', 'AWS::EC2::RouteTable', 'rtb-0de', {
      RouteTableId: 'rtb-0de',
      VpcId: 'vpc-0a1',
      Associations: [
        {
          Main: true,
          RouteTableAssociationId: 'rtbassoc-0de',
          RouteTableId: 'rtb-0de',
          AssociationState: { State: 'associated' },
        },
      ],
    }),
    resource('aws', 'AWS::EC2::RouteTable', 'rtb-0a1', {
      RouteTableId: 'rtb-0a1',
      VpcId: 'vpc-0a1',
      Associations: [
        {
          Main: false,
          RouteTableAssociationId: 'rtbassoc-0a1',
          RouteTableId: 'rtb-0a1',
          SubnetId: 'subnet-0a1',
          AssociationState: { State: 'associated' },
        },
      ],
    }),
  ],
  [
    "a VPC's default network ACL",
    resource('aws', 'AWS::EC2::NetworkAcl', 'acl-0de', { NetworkAclId: 'acl-0de', VpcId: 'vpc-0a1', IsDefault: true }),
    resource('aws', 'AWS::EC2::NetworkAcl', 'acl-0a1', { NetworkAclId: 'acl-0a1', VpcId: 'vpc-0a1', IsDefault: false }),
  ],
  [
    "the default VPC's internet gateway (a gateway of another VPC is the user's)",
    resource('aws', 'AWS::EC2::InternetGateway', 'igw-0de', {
      InternetGatewayId: 'igw-0de',
      Attachments: [{ State: 'available', VpcId: 'vpc-0de' }],
    }),
    resource('aws', 'AWS::EC2::InternetGateway', 'igw-0a1', {
      InternetGatewayId: 'igw-0a1',
      Attachments: [{ State: 'available', VpcId: 'vpc-0a1' }],
    }),
  ],
  [
    "a NAT gateway's requester-managed interface",
    resource('aws', 'AWS::EC2::NetworkInterface', 'eni-0de', {
      NetworkInterfaceId: 'eni-0de',
      InterfaceType: 'nat_gateway',
      RequesterId: '111122223333',
      RequesterManaged: true,
      SubnetId: 'subnet-0a1',
    }),
    resource('aws', 'AWS::EC2::NetworkInterface', 'eni-0a1', {
      NetworkInterfaceId: 'eni-0a1',
      InterfaceType: 'interface',
      RequesterManaged: false,
      SubnetId: 'subnet-0a1',
    }),
  ],
  [
    "Azure Network Watcher's resource group",
    resource('azure', 'Microsoft.Resources/resourceGroups', RG('NetworkWatcherRG'), {
      id: RG('NetworkWatcherRG'),
      name: 'NetworkWatcherRG',
      location: 'eastus',
    }),
    resource('azure', 'Microsoft.Resources/resourceGroups', RG('rg-networkwatcher-logs'), {
      id: RG('rg-networkwatcher-logs'),
      name: 'rg-networkwatcher-logs',
      location: 'eastus',
    }),
  ],
  [
    "a project's default network",
    resource('gcp', 'compute.googleapis.com/Network', 'projects/prod-1/global/networks/default', {
      name: 'default',
      selfLink: NETWORK('default'),
      autoCreateSubnetworks: true,
    }),
    resource('gcp', 'compute.googleapis.com/Network', 'projects/prod-1/global/networks/default-2', {
      name: 'default-2',
      selfLink: NETWORK('default-2'),
      autoCreateSubnetworks: false,
    }),
  ],
  [
    'an auto-mode subnetwork of the default network',
    resource('gcp', 'compute.googleapis.com/Subnetwork', 'projects/prod-1/regions/us-central1/subnetworks/default', {
      name: 'default',
      network: NETWORK('default'),
      ipCidrRange: '10.128.0.0/20',
    }),
    resource('gcp', 'compute.googleapis.com/Subnetwork', 'projects/prod-1/regions/us-central1/subnetworks/app', {
      name: 'app',
      network: NETWORK('default-2'),
      ipCidrRange: '10.10.0.0/24',
    }),
  ],
  [
    'a default-allow firewall rule of the default network',
    resource('gcp', 'compute.googleapis.com/Firewall', 'projects/prod-1/global/firewalls/default-allow-ssh', {
      name: 'default-allow-ssh',
      network: NETWORK('default'),
      sourceRanges: ['0.0.0.0/0'],
    }),
    resource('gcp', 'compute.googleapis.com/Firewall', 'projects/prod-1/global/firewalls/allow-ssh', {
      name: 'allow-ssh',
      network: NETWORK('default'),
      sourceRanges: ['0.0.0.0/0'],
    }),
  ],
  [
    "S3's default SSE-S3 encryption of a bucket",
    resource('aws', 'AWS::S3::BucketEncryption', 'logs-bucket', {
      Bucket: 'logs-bucket',
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }],
    }),
    resource('aws', 'AWS::S3::BucketEncryption', 'data-bucket', {
      Bucket: 'data-bucket',
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/data' } }],
    }),
  ],
  ...EXISTENCE_CASES,
];

describe('resources the cloud creates by itself', () => {
  const defaultVpcs = defaultVpcIds(INVENTORY);

  it('knows the default VPCs of an inventory', () => {
    expect([...defaultVpcs]).toEqual(['vpc-0de']);
  });

  it.each(CASES)('%s is skipped as a default', (_, cloudCreated) => {
    expect(defaultResourceReason(cloudCreated, defaultVpcs)).toEqual(expect.any(String));
  });

  it.each(CASES)('a near miss of %s is not', (_, __, userCreated) => {
    expect(defaultResourceReason(userCreated, defaultVpcs)).toBeUndefined();
  });

  it('every default-resource rule has a golden case', () => {
    const reasons = new Set(CASES.map(([, cloudCreated]) => defaultResourceReason(cloudCreated, defaultVpcs)));
    expect(DEFAULT_RESOURCE_RULES.map((r) => r.reason).filter((reason) => !reasons.has(reason))).toEqual([]);
  });
});
