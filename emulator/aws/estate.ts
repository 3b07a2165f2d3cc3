import type { DiscoveredResource } from '../../contract/resource.js';
import { frozen } from '../frozen.js';
import type { CloudEstateGenerator, Rng } from '../types.js';
import {
  CLOUD_CONTROL_RESOURCES_PER_REGION,
  generateCloudControlRegion,
  generateHostedZones,
} from './cloud-control-estate.js';
import { generateS3IamEstate } from './s3-iam-estate.js';

/**
 * A realistic EC2 estate, per account and region: the default VPC exactly as AWS creates it
 * (default subnets per AZ, default security group, main route table, default network ACL,
 * attached internet gateway), plus Terraform-style application VPCs (public and private
 * subnets, NAT gateway with its Elastic IP and interface, route tables, tiered security
 * groups, launch template, instances with their interfaces and volumes). Attributes are the
 * EC2 API objects as @aws-sdk/client-ec2 returns them, JSON-normalised.
 *
 * Longer than most modules on purpose: one small builder per EC2 resource type, and the
 * cross-references between them (VPC → subnets → route tables → instances) wired in one place.
 */

type Attrs = Record<string, unknown>;
type Tag = { Key: string; Value: string };

/** About how many resources one application VPC adds besides its instances. */
const VPC_OVERHEAD = 20;
/** About how many resources one instance adds: itself, its interface, root volume, some data volumes and EIPs. */
const PER_INSTANCE = 3.4;
const MAX_INSTANCES_PER_VPC = 150;
const MIN_INSTANCES_PER_VPC = 3;
const KEY_PAIRS_PER_REGION = 2;

const ENVIRONMENTS = ['prod', 'staging', 'dev'] as const;
const APPS = [
  'checkout',
  'search',
  'billing',
  'catalog',
  'auth',
  'reporting',
  'payments',
  'inventory',
  'media',
  'ml',
] as const;
const TEAMS = ['platform', 'payments', 'data', 'web', 'mobile', 'sre'] as const;

/** Instance tiers: where they run, which security group, which instance types. */
const TIERS = [
  {
    tier: 'web',
    subnet: 'public',
    types: ['t3.micro', 't3.small', 't3.medium', 'm5.large', 't4g.small'],
    dataVolumeShare: 0.1,
  },
  {
    tier: 'app',
    subnet: 'private',
    types: ['m5.large', 'm5.xlarge', 'c5.large', 'm7g.large', 'c6i.xlarge'],
    dataVolumeShare: 0.3,
  },
  { tier: 'db', subnet: 'private', types: ['r5.large', 'r6g.xlarge', 'r5.2xlarge'], dataVolumeShare: 0.9 },
] as const;

/** vCPU cores per instance size (threads per core is 2 on x86, 1 on Graviton). */
const CORES_BY_SIZE: Record<string, number> = { micro: 1, small: 1, medium: 1, large: 1, xlarge: 2, '2xlarge': 4 };

const AMIS = ['ami-0c101f26f147fa7fd', 'ami-0230bd60aa48260c6', 'ami-06b21ccaeff8cd686', 'ami-0fa1ca9559f1892ec'];

const STATE_RUNNING = frozen({ Code: 16, Name: 'running' });
const STATE_STOPPED = frozen({ Code: 80, Name: 'stopped' });
const STOPPED_REASON = frozen({
  Code: 'Client.UserInitiatedShutdown',
  Message: 'Client.UserInitiatedShutdown: User initiated shutdown',
});

/** Instance settings Terraform's aws_instance defaults to, the same on every instance. */
const INSTANCE_DEFAULTS = frozen({
  CapacityReservationSpecification: { CapacityReservationPreference: 'open' },
  HibernationOptions: { Configured: false },
  MetadataOptions: {
    State: 'applied',
    HttpTokens: 'required',
    HttpPutResponseHopLimit: 2,
    HttpEndpoint: 'enabled',
    HttpProtocolIpv6: 'disabled',
    InstanceMetadataTags: 'disabled',
  },
  EnclaveOptions: { Enabled: false },
  PrivateDnsNameOptions: {
    HostnameType: 'ip-name',
    EnableResourceNameDnsARecord: false,
    EnableResourceNameDnsAAAARecord: false,
  },
  MaintenanceOptions: { AutoRecovery: 'default' },
  MONITORING_ENABLED: { State: 'enabled' },
  MONITORING_DISABLED: { State: 'disabled' },
});

/** Security groups each application VPC gets, with the ports their ingress opens. */
const TIER_GROUPS = [
  { tier: 'web', ports: [80, 443], from: 'internet' },
  { tier: 'app', ports: [8080], from: 'web' },
  { tier: 'db', ports: [5432], from: 'app' },
] as const;

const BYTE_HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** `digits` (even) random lowercase hex digits; ids are made by the hundred thousand, so no padStart/slice. */
function hex(rng: Rng, digits: number): string {
  let s = '';
  for (let i = 0; i < digits; i += 8) {
    const n = Math.floor(rng() * 0x1_0000_0000);
    s += BYTE_HEX[n >>> 24]! + BYTE_HEX[(n >>> 16) & 0xff]! + BYTE_HEX[(n >>> 8) & 0xff]! + BYTE_HEX[n & 0xff]!;
  }
  return s.length === digits ? s : s.slice(0, digits);
}

const tagList = (tags: Record<string, string>): Tag[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

/** Member holding the tags in each type's API object (EC2 is not uniform here). */
const TAG_MEMBER: Record<string, string> = { 'AWS::EC2::NetworkInterface': 'TagSet' };

/** `us-east-1` → `use1`, the prefix of availability-zone ids like `use1-az1`. */
function zoneIdPrefix(region: string): string {
  const [geo = '', direction = '', n = ''] = region.split('-');
  return `${geo}${direction.charAt(0)}${n}`;
}

const EPOCH = Date.parse('2023-01-01T00:00:00.000Z');
const SPAN_MS = 2 * 365 * 24 * 3600 * 1000;

/** One account in one region: allocates ids, addresses and timestamps, and collects resources. */
class RegionEstate {
  readonly azs: string[];
  private vpcCount = 0;
  private publicIpCounter: number;

  constructor(
    readonly rng: Rng,
    readonly account: string,
    readonly region: string,
    private readonly out: DiscoveredResource[],
  ) {
    this.azs = ['a', 'b', 'c'].map((s) => `${region}${s}`);
    this.publicIpCounter = Math.floor(rng() * 0xff_ffff);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rng() * items.length)]!;
  }

  chance(p: number): boolean {
    return this.rng() < p;
  }

  id(prefix: string): string {
    return `${prefix}-0${hex(this.rng, 16)}`;
  }

  time(): string {
    return new Date(EPOCH + Math.floor((this.rng() * SPAN_MS) / 1000) * 1000).toISOString();
  }

  azId(az: string): string {
    return `${zoneIdPrefix(this.region)}-az${az.charCodeAt(az.length - 1) - 96}`;
  }

  nextVpcOctet(): number {
    return this.vpcCount++ % 256;
  }

  publicIp(): string {
    const n = this.publicIpCounter++;
    return `54.${(n >> 16) & 0xff}.${(n >> 8) & 0xff}.${n & 0xff || 1}`;
  }

  privateDnsName(ip: string): string {
    const host = `ip-${ip.replaceAll('.', '-')}`;
    return this.region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${this.region}.compute.internal`;
  }

  publicDnsName(ip: string): string {
    const host = `ec2-${ip.replaceAll('.', '-')}`;
    return this.region === 'us-east-1'
      ? `${host}.compute-1.amazonaws.com`
      : `${host}.${this.region}.compute.amazonaws.com`;
  }

  mac(): string {
    const h = hex(this.rng, 10);
    return `0e:${h.slice(0, 2)}:${h.slice(2, 4)}:${h.slice(4, 6)}:${h.slice(6, 8)}:${h.slice(8, 10)}`;
  }

  add(type: string, id: string, attributes: Attrs): void {
    const tagArray = (attributes[TAG_MEMBER[type] ?? 'Tags'] as Tag[] | undefined) ?? [];
    const tags: Record<string, string> = {};
    for (const t of tagArray) tags[t.Key] = t.Value;
    this.out.push({
      provider: 'aws',
      account: this.account,
      region: this.region,
      type,
      id,
      name: tags.Name,
      attributes,
      tags,
    });
  }

  count(): number {
    return this.out.length;
  }
}

/** Host addresses handed out inside one subnet, in order. */
class Subnet {
  private nextHost = 4; // AWS reserves the first four addresses of every subnet
  constructor(
    readonly id: string,
    readonly az: string,
    readonly base: string,
    readonly kind: 'public' | 'private' | 'default',
  ) {}

  nextIp(): string {
    const n = this.nextHost++;
    const [a, b, c] = this.base.split('.').map(Number) as [number, number, number];
    return `${a}.${b}.${c + (n >> 8)}.${n & 0xff}`;
  }
}

interface VpcContext {
  vpcId: string;
  cidr: string;
  igwId: string;
  subnets: Subnet[];
  groups: Map<string, { GroupId: string; GroupName: string }>;
  tags: Record<string, string>;
  env: string;
  app: string;
  keyName: string;
  launchTemplateId?: string;
}

const allTraffic = (rule: Attrs): Attrs => ({
  IpProtocol: '-1',
  IpRanges: [],
  Ipv6Ranges: [],
  PrefixListIds: [],
  UserIdGroupPairs: [],
  ...rule,
});

const egressAll = frozen([allTraffic({ IpRanges: [{ CidrIp: '0.0.0.0/0' }] })]);

function addVpc(e: RegionEstate, cidr: string, isDefault: boolean, tags: Record<string, string>): string {
  const vpcId = e.id('vpc');
  e.add('AWS::EC2::VPC', vpcId, {
    OwnerId: e.account,
    InstanceTenancy: 'default',
    CidrBlockAssociationSet: [
      { AssociationId: e.id('vpc-cidr-assoc'), CidrBlock: cidr, CidrBlockState: { State: 'associated' } },
    ],
    IsDefault: isDefault,
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    VpcId: vpcId,
    State: 'available',
    CidrBlock: cidr,
    DhcpOptionsId: e.id('dopt'),
    ...(isDefault ? {} : { Tags: tagList(tags) }),
  });
  return vpcId;
}

function addInternetGateway(e: RegionEstate, vpcId: string, tags: Record<string, string> | undefined): string {
  const igwId = e.id('igw');
  e.add('AWS::EC2::InternetGateway', igwId, {
    Attachments: [{ State: 'available', VpcId: vpcId }],
    InternetGatewayId: igwId,
    OwnerId: e.account,
    Tags: tags ? tagList(tags) : [],
  });
  return igwId;
}

function addSubnet(
  e: RegionEstate,
  vpcId: string,
  az: string,
  cidr: string,
  kind: Subnet['kind'],
  tags: Record<string, string> | undefined,
): Subnet {
  const subnetId = e.id('subnet');
  const prefix = Number(cidr.split('/')[1]);
  e.add('AWS::EC2::Subnet', subnetId, {
    AvailabilityZoneId: e.azId(az),
    MapCustomerOwnedIpOnLaunch: false,
    OwnerId: e.account,
    AssignIpv6AddressOnCreation: false,
    Ipv6CidrBlockAssociationSet: [],
    ...(tags ? { Tags: tagList(tags) } : {}),
    SubnetArn: `arn:aws:ec2:${e.region}:${e.account}:subnet/${subnetId}`,
    EnableDns64: false,
    Ipv6Native: false,
    PrivateDnsNameOptionsOnLaunch: {
      HostnameType: 'ip-name',
      EnableResourceNameDnsARecord: false,
      EnableResourceNameDnsAAAARecord: false,
    },
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    SubnetId: subnetId,
    State: 'available',
    VpcId: vpcId,
    CidrBlock: cidr,
    AvailableIpAddressCount: 2 ** (32 - prefix) - 5,
    AvailabilityZone: az,
    DefaultForAz: kind === 'default',
    MapPublicIpOnLaunch: kind !== 'private',
  });
  return new Subnet(subnetId, az, cidr.split('/')[0]!, kind);
}

function addDefaultSecurityGroup(e: RegionEstate, vpcId: string): { GroupId: string; GroupName: string } {
  const groupId = e.id('sg');
  e.add('AWS::EC2::SecurityGroup', groupId, {
    GroupId: groupId,
    IpPermissionsEgress: egressAll,
    VpcId: vpcId,
    SecurityGroupArn: `arn:aws:ec2:${e.region}:${e.account}:security-group/${groupId}`,
    OwnerId: e.account,
    GroupName: 'default',
    Description: 'default VPC security group',
    IpPermissions: [allTraffic({ UserIdGroupPairs: [{ UserId: e.account, GroupId: groupId }] })],
  });
  return { GroupId: groupId, GroupName: 'default' };
}

function addRouteTable(
  e: RegionEstate,
  vpc: { vpcId: string; cidr: string },
  main: boolean,
  subnets: Subnet[],
  extraRoutes: Attrs[],
  tags: Record<string, string> | undefined,
): void {
  const routeTableId = e.id('rtb');
  const associated = (a: Attrs): Attrs => ({
    RouteTableAssociationId: e.id('rtbassoc'),
    RouteTableId: routeTableId,
    AssociationState: { State: 'associated' },
    ...a,
  });
  e.add('AWS::EC2::RouteTable', routeTableId, {
    Associations: [
      ...(main ? [associated({ Main: true })] : []),
      ...subnets.map((s) => associated({ Main: false, SubnetId: s.id })),
    ],
    PropagatingVgws: [],
    RouteTableId: routeTableId,
    Routes: [
      { DestinationCidrBlock: vpc.cidr, GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
      ...extraRoutes,
    ],
    Tags: tags ? tagList(tags) : [],
    VpcId: vpc.vpcId,
    OwnerId: e.account,
  });
}

const aclEntry = (
  RuleNumber: number,
  Egress: boolean,
  RuleAction: 'allow' | 'deny',
  Protocol: string,
  CidrBlock: string,
  range?: [number, number],
): Attrs => ({
  CidrBlock,
  Egress,
  Protocol,
  RuleAction,
  RuleNumber,
  ...(range ? { PortRange: { From: range[0], To: range[1] } } : {}),
});

const DEFAULT_ACL_ENTRIES = frozen([
  aclEntry(100, true, 'allow', '-1', '0.0.0.0/0'),
  aclEntry(32767, true, 'deny', '-1', '0.0.0.0/0'),
  aclEntry(100, false, 'allow', '-1', '0.0.0.0/0'),
  aclEntry(32767, false, 'deny', '-1', '0.0.0.0/0'),
]);

/** A hardened ACL for private subnets: VPC traffic and return traffic only. */
const privateAclEntries = (vpcCidr: string) => [
  aclEntry(100, true, 'allow', '-1', '0.0.0.0/0'),
  aclEntry(32767, true, 'deny', '-1', '0.0.0.0/0'),
  aclEntry(100, false, 'allow', '-1', vpcCidr),
  aclEntry(200, false, 'allow', '6', '0.0.0.0/0', [1024, 65535]),
  aclEntry(32767, false, 'deny', '-1', '0.0.0.0/0'),
];

function addNetworkAcl(
  e: RegionEstate,
  vpcId: string,
  isDefault: boolean,
  subnets: Subnet[],
  entries: Attrs[],
  tags: Record<string, string> | undefined,
): void {
  const aclId = e.id('acl');
  e.add('AWS::EC2::NetworkAcl', aclId, {
    Associations: subnets.map((s) => ({
      NetworkAclAssociationId: e.id('aclassoc'),
      NetworkAclId: aclId,
      SubnetId: s.id,
    })),
    Entries: entries,
    IsDefault: isDefault,
    NetworkAclId: aclId,
    Tags: tags ? tagList(tags) : [],
    VpcId: vpcId,
    OwnerId: e.account,
  });
}

/** The default VPC AWS creates in every region of a new account (172.31.0.0/16, one /20 per AZ). */
function addDefaultVpc(e: RegionEstate): void {
  const cidr = '172.31.0.0/16';
  const vpcId = addVpc(e, cidr, true, {});
  const igwId = addInternetGateway(e, vpcId, undefined);
  const subnets = e.azs.map((az, i) => addSubnet(e, vpcId, az, `172.31.${i * 16}.0/20`, 'default', undefined));
  addDefaultSecurityGroup(e, vpcId);
  addRouteTable(
    e,
    { vpcId, cidr },
    true,
    [],
    [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId, Origin: 'CreateRoute', State: 'active' }],
    undefined,
  );
  addNetworkAcl(e, vpcId, true, subnets, DEFAULT_ACL_ENTRIES, undefined);
}

function addKeyPairs(e: RegionEstate): string[] {
  const names: string[] = [];
  for (let i = 0; i < KEY_PAIRS_PER_REGION; i++) {
    const keyPairId = e.id('key');
    const ed25519 = i % 2 === 1;
    const keyName = `${e.pick(TEAMS)}-${e.region}-${i}`;
    names.push(keyName);
    e.add('AWS::EC2::KeyPair', keyPairId, {
      KeyPairId: keyPairId,
      KeyType: ed25519 ? 'ed25519' : 'rsa',
      Tags: tagList({ Name: keyName, ManagedBy: 'terraform' }),
      PublicKey: ed25519
        ? `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${keyPairId.slice(4)} ${keyName}`
        : `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${keyPairId.slice(4)} ${keyName}`,
      CreateTime: e.time(),
      KeyName: keyName,
      KeyFingerprint: ed25519
        ? `SHA256:${keyPairId.slice(4)}+kB1mL0v3kPzQ=`
        : `${keyPairId.slice(4, 20).match(/../g)!.join(':')}`,
    });
  }
  return names;
}

function addTierSecurityGroups(e: RegionEstate, v: VpcContext): void {
  for (const g of TIER_GROUPS) {
    const groupId = e.id('sg');
    const groupName = `${v.env}-${v.app}-${g.tier}`;
    const source = g.from === 'internet' ? undefined : v.groups.get(g.from);
    e.add('AWS::EC2::SecurityGroup', groupId, {
      GroupId: groupId,
      IpPermissionsEgress: egressAll,
      Tags: tagList({ ...v.tags, Name: groupName }),
      VpcId: v.vpcId,
      SecurityGroupArn: `arn:aws:ec2:${e.region}:${e.account}:security-group/${groupId}`,
      OwnerId: e.account,
      GroupName: groupName,
      Description: `${g.tier} tier of ${v.app} (${v.env})`,
      IpPermissions: g.ports.map((port) => ({
        IpProtocol: 'tcp',
        FromPort: port,
        ToPort: port,
        UserIdGroupPairs: source ? [{ UserId: e.account, GroupId: source.GroupId }] : [],
        IpRanges: source ? [] : [{ CidrIp: '0.0.0.0/0', Description: 'public' }],
        Ipv6Ranges: [],
        PrefixListIds: [],
      })),
    });
    v.groups.set(g.tier, { GroupId: groupId, GroupName: groupName });
  }
}

/** An Elastic IP in the VPC domain, associated with an interface when `eni` is given. */
function addAddress(
  e: RegionEstate,
  tags: Record<string, string>,
  eni?: { id: string; privateIp: string; instanceId?: string },
): { allocationId: string; publicIp: string; associationId?: string } {
  const allocationId = e.id('eipalloc');
  const publicIp = e.publicIp();
  const associationId = eni ? e.id('eipassoc') : undefined;
  e.add('AWS::EC2::EIP', allocationId, {
    AllocationId: allocationId,
    Domain: 'vpc',
    ...(eni
      ? {
          AssociationId: associationId,
          NetworkInterfaceId: eni.id,
          NetworkInterfaceOwnerId: e.account,
          PrivateIpAddress: eni.privateIp,
        }
      : {}),
    ...(eni?.instanceId ? { InstanceId: eni.instanceId } : {}),
    Tags: tagList(tags),
    PublicIpv4Pool: 'amazon',
    NetworkBorderGroup: e.region,
    PublicIp: publicIp,
  });
  return { allocationId, publicIp, associationId };
}

function addNatGateway(e: RegionEstate, v: VpcContext, subnet: Subnet): string {
  const natId = e.id('nat');
  const eniId = e.id('eni');
  const privateIp = subnet.nextIp();
  const eip = addAddress(e, { ...v.tags, Name: `${v.env}-${v.app}-nat` }, { id: eniId, privateIp });
  e.add('AWS::EC2::NetworkInterface', eniId, {
    Association: {
      AllocationId: eip.allocationId,
      AssociationId: eip.associationId,
      IpOwnerId: 'amazon',
      PublicDnsName: e.publicDnsName(eip.publicIp),
      PublicIp: eip.publicIp,
    },
    AvailabilityZone: subnet.az,
    Description: `Interface for NAT Gateway ${natId}`,
    Groups: [],
    InterfaceType: 'nat_gateway',
    Ipv6Addresses: [],
    MacAddress: e.mac(),
    NetworkInterfaceId: eniId,
    OwnerId: e.account,
    PrivateDnsName: e.privateDnsName(privateIp),
    PrivateIpAddress: privateIp,
    PrivateIpAddresses: [{ Primary: true, PrivateDnsName: e.privateDnsName(privateIp), PrivateIpAddress: privateIp }],
    RequesterId: 'AWS:AROAEXAMPLENATGATEWAY',
    RequesterManaged: true,
    SourceDestCheck: false,
    Status: 'in-use',
    SubnetId: subnet.id,
    TagSet: [],
    VpcId: v.vpcId,
    AvailabilityZoneId: e.azId(subnet.az),
  });
  e.add('AWS::EC2::NatGateway', natId, {
    CreateTime: e.time(),
    NatGatewayAddresses: [
      {
        AllocationId: eip.allocationId,
        NetworkInterfaceId: eniId,
        PrivateIp: privateIp,
        PublicIp: eip.publicIp,
        AssociationId: eip.associationId,
        IsPrimary: true,
        Status: 'succeeded',
      },
    ],
    NatGatewayId: natId,
    State: 'available',
    SubnetId: subnet.id,
    VpcId: v.vpcId,
    Tags: tagList({ ...v.tags, Name: `${v.env}-${v.app}-nat` }),
    ConnectivityType: 'public',
  });
  return natId;
}

function addLaunchTemplate(e: RegionEstate, v: VpcContext): void {
  const id = e.id('lt');
  const versions = 1 + Math.floor(e.rng() * 5);
  e.add('AWS::EC2::LaunchTemplate', id, {
    LaunchTemplateId: id,
    LaunchTemplateName: `${v.env}-${v.app}-app`,
    CreateTime: e.time(),
    CreatedBy: `arn:aws:iam::${e.account}:user/terraform`,
    DefaultVersionNumber: versions,
    LatestVersionNumber: versions,
    Tags: tagList({ ...v.tags, Name: `${v.env}-${v.app}-app` }),
  });
  v.launchTemplateId = id;
}

const isGraviton = (instanceType: string) => /^[a-z]+\dg\./.test(instanceType);

function addVolume(
  e: RegionEstate,
  az: string,
  sizeGiB: number,
  tags: Record<string, string>,
  attachment?: { instanceId: string; device: string; attachTime: string; root: boolean },
): string {
  const volumeId = e.id('vol');
  const gp3 = e.chance(0.8);
  e.add('AWS::EC2::Volume', volumeId, {
    AvailabilityZoneId: e.azId(az),
    Iops: gp3 ? 3000 : Math.max(100, sizeGiB * 3),
    Tags: tagList(tags),
    VolumeType: gp3 ? 'gp3' : 'gp2',
    MultiAttachEnabled: false,
    ...(gp3 ? { Throughput: 125 } : {}),
    VolumeId: volumeId,
    Size: sizeGiB,
    SnapshotId: attachment?.root ? e.id('snap') : '',
    AvailabilityZone: az,
    State: attachment ? 'in-use' : 'available',
    CreateTime: attachment?.attachTime ?? e.time(),
    Attachments: attachment
      ? [
          {
            DeleteOnTermination: attachment.root,
            VolumeId: volumeId,
            InstanceId: attachment.instanceId,
            Device: attachment.device,
            State: 'attached',
            AttachTime: attachment.attachTime,
          },
        ]
      : [],
    Encrypted: true,
    KmsKeyId: `arn:aws:kms:${e.region}:${e.account}:key/${hex(e.rng, 8)}-${hex(e.rng, 4)}-4${hex(e.rng, 3)}-a${hex(e.rng, 3)}-${hex(e.rng, 12)}`,
  });
  return volumeId;
}

interface InstanceNetwork {
  eniId: string;
  privateIp: string;
  publicIp?: string;
  attachmentId: string;
}

/** The instance's primary interface as DescribeNetworkInterfaces shows it. */
function addInstanceInterface(
  e: RegionEstate,
  v: VpcContext,
  subnet: Subnet,
  instanceId: string,
  group: { GroupId: string; GroupName: string },
  launchTime: string,
  publicIp?: string,
): InstanceNetwork {
  const eniId = e.id('eni');
  const privateIp = subnet.nextIp();
  const attachmentId = e.id('eni-attach');
  const association = publicIp
    ? { IpOwnerId: 'amazon', PublicDnsName: e.publicDnsName(publicIp), PublicIp: publicIp }
    : undefined;
  e.add('AWS::EC2::NetworkInterface', eniId, {
    ...(association ? { Association: association } : {}),
    Attachment: {
      AttachTime: launchTime,
      AttachmentId: attachmentId,
      DeleteOnTermination: true,
      DeviceIndex: 0,
      NetworkCardIndex: 0,
      InstanceId: instanceId,
      InstanceOwnerId: e.account,
      Status: 'attached',
    },
    AvailabilityZone: subnet.az,
    Description: '',
    Groups: [group],
    InterfaceType: 'interface',
    Ipv6Addresses: [],
    MacAddress: e.mac(),
    NetworkInterfaceId: eniId,
    OwnerId: e.account,
    PrivateDnsName: e.privateDnsName(privateIp),
    PrivateIpAddress: privateIp,
    PrivateIpAddresses: [
      {
        ...(association ? { Association: association } : {}),
        Primary: true,
        PrivateDnsName: e.privateDnsName(privateIp),
        PrivateIpAddress: privateIp,
      },
    ],
    RequesterManaged: false,
    SourceDestCheck: true,
    Status: 'in-use',
    SubnetId: subnet.id,
    TagSet: [],
    VpcId: v.vpcId,
    AvailabilityZoneId: e.azId(subnet.az),
  });
  return { eniId, privateIp, publicIp, attachmentId };
}

function addInstance(e: RegionEstate, v: VpcContext, tierIndex: number, n: number): void {
  const tier = TIERS[tierIndex]!;
  const candidates = v.subnets.filter((s) => s.kind === tier.subnet);
  const subnet = candidates[n % candidates.length]!;
  const group = v.groups.get(tier.tier)!;
  const instanceId = e.id('i');
  const instanceType = e.pick(tier.types);
  const running = !e.chance(0.08);
  const launchTime = e.time();
  const name = `${v.env}-${v.app}-${tier.tier}-${n}`;
  const tags = { ...v.tags, Name: name, Tier: tier.tier };
  const withElasticIp = running && tier.subnet === 'public' && e.chance(0.15);
  const publicIp = running && tier.subnet === 'public' && !withElasticIp ? e.publicIp() : undefined;

  const net = addInstanceInterface(e, v, subnet, instanceId, group, launchTime, publicIp);
  let elasticIp: string | undefined;
  if (withElasticIp) {
    elasticIp = addAddress(
      e,
      { ...v.tags, Name: `${name}-eip` },
      { id: net.eniId, privateIp: net.privateIp, instanceId },
    ).publicIp;
  }
  const shownPublicIp = publicIp ?? elasticIp;

  const rootSize = e.pick([8, 20, 30, 50, 100]);
  const rootVolume = addVolume(
    e,
    subnet.az,
    rootSize,
    { ...v.tags, Name: `${name}-root` },
    { instanceId, device: '/dev/xvda', attachTime: launchTime, root: true },
  );
  const blockDevices = [
    {
      DeviceName: '/dev/xvda',
      Ebs: { AttachTime: launchTime, DeleteOnTermination: true, Status: 'attached', VolumeId: rootVolume },
    },
  ];
  if (e.chance(tier.dataVolumeShare)) {
    const dataVolume = addVolume(
      e,
      subnet.az,
      e.pick([50, 100, 200, 500, 1000]),
      { ...v.tags, Name: `${name}-data` },
      { instanceId, device: '/dev/sdf', attachTime: launchTime, root: false },
    );
    blockDevices.push({
      DeviceName: '/dev/sdf',
      Ebs: { AttachTime: launchTime, DeleteOnTermination: false, Status: 'attached', VolumeId: dataVolume },
    });
  }

  const size = instanceType.split('.')[1]!;
  const graviton = isGraviton(instanceType);
  const association = shownPublicIp
    ? { IpOwnerId: 'amazon', PublicDnsName: e.publicDnsName(shownPublicIp), PublicIp: shownPublicIp }
    : undefined;
  const privateDnsName = e.privateDnsName(net.privateIp);
  e.add('AWS::EC2::Instance', instanceId, {
    Architecture: graviton ? 'arm64' : 'x86_64',
    BlockDeviceMappings: blockDevices,
    ClientToken: `terraform-${launchTime.replace(/\D/g, '').slice(0, 14)}${hex(e.rng, 12)}`,
    EbsOptimized: !instanceType.startsWith('t'),
    EnaSupport: true,
    Hypervisor: 'xen',
    IamInstanceProfile: {
      Arn: `arn:aws:iam::${e.account}:instance-profile/${v.env}-${v.app}-${tier.tier}`,
      Id: `AIPA${hex(e.rng, 16).toUpperCase()}`,
    },
    NetworkInterfaces: [
      {
        ...(association ? { Association: association } : {}),
        Attachment: {
          AttachTime: launchTime,
          AttachmentId: net.attachmentId,
          DeleteOnTermination: true,
          DeviceIndex: 0,
          Status: 'attached',
          NetworkCardIndex: 0,
        },
        Description: '',
        Groups: [group],
        Ipv6Addresses: [],
        MacAddress: e.mac(),
        NetworkInterfaceId: net.eniId,
        OwnerId: e.account,
        PrivateDnsName: privateDnsName,
        PrivateIpAddress: net.privateIp,
        PrivateIpAddresses: [
          {
            ...(association ? { Association: association } : {}),
            Primary: true,
            PrivateDnsName: privateDnsName,
            PrivateIpAddress: net.privateIp,
          },
        ],
        SourceDestCheck: true,
        Status: 'in-use',
        SubnetId: subnet.id,
        VpcId: v.vpcId,
        InterfaceType: 'interface',
      },
    ],
    RootDeviceName: '/dev/xvda',
    RootDeviceType: 'ebs',
    SecurityGroups: [group],
    SourceDestCheck: true,
    ...(running ? {} : { StateReason: STOPPED_REASON }),
    Tags: tagList(tags),
    VirtualizationType: 'hvm',
    CpuOptions: { CoreCount: CORES_BY_SIZE[size] ?? 2, ThreadsPerCore: graviton ? 1 : 2 },
    CapacityReservationSpecification: INSTANCE_DEFAULTS.CapacityReservationSpecification,
    HibernationOptions: INSTANCE_DEFAULTS.HibernationOptions,
    MetadataOptions: INSTANCE_DEFAULTS.MetadataOptions,
    EnclaveOptions: INSTANCE_DEFAULTS.EnclaveOptions,
    BootMode: graviton ? 'uefi' : 'uefi-preferred',
    PlatformDetails: 'Linux/UNIX',
    UsageOperation: 'RunInstances',
    UsageOperationUpdateTime: launchTime,
    PrivateDnsNameOptions: INSTANCE_DEFAULTS.PrivateDnsNameOptions,
    MaintenanceOptions: INSTANCE_DEFAULTS.MaintenanceOptions,
    CurrentInstanceBootMode: graviton ? 'uefi' : 'legacy-bios',
    InstanceId: instanceId,
    ImageId: e.pick(AMIS),
    State: running ? STATE_RUNNING : STATE_STOPPED,
    PrivateDnsName: privateDnsName,
    PublicDnsName: shownPublicIp ? e.publicDnsName(shownPublicIp) : '',
    StateTransitionReason: running ? '' : `User initiated (${launchTime.slice(0, 19).replace('T', ' ')} GMT)`,
    KeyName: v.keyName,
    AmiLaunchIndex: 0,
    ProductCodes: [],
    InstanceType: instanceType,
    LaunchTime: launchTime,
    Placement: {
      AvailabilityZoneId: e.azId(subnet.az),
      GroupName: '',
      Tenancy: 'default',
      AvailabilityZone: subnet.az,
    },
    Monitoring: e.chance(0.2) ? INSTANCE_DEFAULTS.MONITORING_ENABLED : INSTANCE_DEFAULTS.MONITORING_DISABLED,
    SubnetId: subnet.id,
    VpcId: v.vpcId,
    PrivateIpAddress: net.privateIp,
    ...(shownPublicIp ? { PublicIpAddress: shownPublicIp } : {}),
  });
}

/** An application VPC as a Terraform VPC module lays it out, with `instances` instances. */
function addApplicationVpc(e: RegionEstate, keyNames: string[], instances: number): void {
  const env = e.pick(ENVIRONMENTS);
  const app = e.pick(APPS);
  const tags = { Environment: env, Application: app, Team: e.pick(TEAMS), ManagedBy: 'terraform' };
  const octet = e.nextVpcOctet();
  const cidr = `10.${octet}.0.0/16`;
  const vpcId = addVpc(e, cidr, false, { ...tags, Name: `${env}-${app}-vpc` });
  const igwId = addInternetGateway(e, vpcId, { ...tags, Name: `${env}-${app}-igw` });
  const subnets = e.azs.flatMap((az, i) => [
    addSubnet(e, vpcId, az, `10.${octet}.${i * 16}.0/20`, 'public', { ...tags, Name: `${env}-${app}-public-${az}` }),
    addSubnet(e, vpcId, az, `10.${octet}.${128 + i * 16}.0/20`, 'private', {
      ...tags,
      Name: `${env}-${app}-private-${az}`,
    }),
  ]);
  const publicSubnets = subnets.filter((s) => s.kind === 'public');
  const privateSubnets = subnets.filter((s) => s.kind === 'private');
  const v: VpcContext = { vpcId, cidr, igwId, subnets, groups: new Map(), tags, env, app, keyName: e.pick(keyNames) };

  v.groups.set('default', addDefaultSecurityGroup(e, vpcId));
  addTierSecurityGroups(e, v);
  addRouteTable(e, v, true, [], [], undefined);
  addRouteTable(
    e,
    v,
    false,
    publicSubnets,
    [{ DestinationCidrBlock: '0.0.0.0/0', GatewayId: igwId, Origin: 'CreateRoute', State: 'active' }],
    { ...tags, Name: `${env}-${app}-public` },
  );
  const natId = addNatGateway(e, v, publicSubnets[0]!);
  addRouteTable(
    e,
    v,
    false,
    privateSubnets,
    [{ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: natId, Origin: 'CreateRoute', State: 'active' }],
    { ...tags, Name: `${env}-${app}-private` },
  );
  const hardened = e.chance(0.3);
  addNetworkAcl(e, vpcId, true, hardened ? publicSubnets : subnets, DEFAULT_ACL_ENTRIES, undefined);
  if (hardened)
    addNetworkAcl(e, vpcId, false, privateSubnets, privateAclEntries(cidr), { ...tags, Name: `${env}-${app}-private` });
  addLaunchTemplate(e, v);

  for (let n = 0; n < instances; n++) addInstance(e, v, n % TIERS.length, n);
  // Leftovers every real account has: a detached volume and an idle Elastic IP now and then.
  if (e.chance(0.5)) addVolume(e, e.pick(e.azs), e.pick([20, 100]), { ...tags, Name: `${env}-${app}-orphan` });
  if (e.chance(0.3)) addAddress(e, { ...tags, Name: `${env}-${app}-spare` });
}

function addRegionEstate(e: RegionEstate, budget: number): void {
  const start = e.count();
  addDefaultVpc(e);
  const keyNames = addKeyPairs(e);
  do {
    const remaining = budget - (e.count() - start) - VPC_OVERHEAD;
    const instances = Math.max(
      MIN_INSTANCES_PER_VPC,
      Math.min(MAX_INSTANCES_PER_VPC, Math.floor(remaining / PER_INSTANCE)),
    );
    addApplicationVpc(e, keyNames, instances);
  } while (e.count() - start < budget - VPC_OVERHEAD - MIN_INSTANCES_PER_VPC * PER_INSTANCE);
}

export const generateAwsEstate: CloudEstateGenerator = ({ rng, count, accounts, regions }) => {
  const out: DiscoveredResource[] = [];
  const budget = Math.max(
    0,
    count / Math.max(1, accounts.length * regions.length) - CLOUD_CONTROL_RESOURCES_PER_REGION,
  );
  for (const account of accounts) {
    for (const region of regions) {
      const start = out.length;
      addRegionEstate(new RegionEstate(rng, account, region, out), budget);
      out.push(...generateCloudControlRegion(rng, account, region, out.slice(start)));
    }
    out.push(...generateHostedZones(rng, account));
  }
  out.push(...generateS3IamEstate({ rng, count, accounts, regions }));
  return out;
};
