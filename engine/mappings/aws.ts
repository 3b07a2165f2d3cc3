import type { AttributeMap, ScopeSource, TypeMapping } from './types.js';

const ACCOUNT: ScopeSource[] = [{ from: 'arn' }];
const REGION: ScopeSource[] = [{ from: 'arn' }, { from: 'attr', path: 'availability_zone', form: 'az-to-region' }];

/** Tags (a Key/Value list in EC2, S3 and IAM answers) against Terraform's tags and tags_all. */
export const tags = (cloud = 'Tags'): AttributeMap => ({
  tf: 'tags',
  tfEffective: 'tags_all',
  cloud,
  tfConvert: 'string-map',
  cloudConvert: 'aws-tags',
  steps: ['aws-provider-tags', 'empty-equivalent'],
});
const idSet = (tf: string, cloud: string): AttributeMap => ({
  tf,
  cloud,
  tfConvert: 'string-list',
  cloudConvert: 'string-list',
  steps: ['order-insensitive', 'empty-equivalent'],
});
const cidr = (tf: string, cloud: string): AttributeMap => ({ tf, cloud, steps: ['cidr-format'] });

/** An AWS attribute-level mapping: ARN-placed, id in `id`, unless `extra` says otherwise. */
export const aws = (
  tfType: string,
  cloudType: string,
  attributes: AttributeMap[],
  extra: Partial<TypeMapping> = {},
): TypeMapping => ({
  provider: 'aws',
  tfType,
  cloudType,
  level: 'attributes',
  id: { tf: 'id', kind: 'aws' },
  account: ACCOUNT,
  region: REGION,
  attributes,
  ...extra,
});

/** Terraform AWS provider resources ↔ EC2 API objects (as @aws-sdk/client-ec2 returns them). */
export const AWS_MAPPINGS: TypeMapping[] = [
  aws('aws_instance', 'AWS::EC2::Instance', [
    { tf: 'instance_type', cloud: 'InstanceType' },
    { tf: 'ami', cloud: 'ImageId' },
    { tf: 'subnet_id', cloud: 'SubnetId' },
    idSet('vpc_security_group_ids', 'SecurityGroups[].GroupId'),
    { tf: 'key_name', cloud: 'KeyName', steps: ['empty-equivalent'] },
    { tf: 'availability_zone', cloud: 'Placement.AvailabilityZone' },
    { tf: 'tenancy', cloud: 'Placement.Tenancy', default: 'default' },
    { tf: 'ebs_optimized', cloud: 'EbsOptimized', tfConvert: 'bool', default: false },
    { tf: 'monitoring', cloud: 'Monitoring.State', tfConvert: 'bool', cloudConvert: 'enabled-bool', default: false },
    { tf: 'source_dest_check', cloud: 'SourceDestCheck', tfConvert: 'bool', default: true, cloudMayOmit: true },
    { tf: 'private_ip', cloud: 'PrivateIpAddress', steps: ['empty-equivalent'] },
    { tf: 'public_ip', cloud: 'PublicIpAddress', steps: ['empty-equivalent'], noise: 'volatile-when-present' },
    { tf: 'public_dns', cloud: 'PublicDnsName', steps: ['empty-equivalent'], noise: 'volatile' },
    { tf: 'instance_state', cloud: 'State.Name', noise: 'volatile' },
    { tf: 'iam_instance_profile', cloud: 'IamInstanceProfile.Arn', steps: ['arn-to-name', 'empty-equivalent'] },
    { tf: 'metadata_options.0.http_tokens', cloud: 'MetadataOptions.HttpTokens', default: 'optional' },
    { tf: 'metadata_options.0.http_endpoint', cloud: 'MetadataOptions.HttpEndpoint', default: 'enabled' },
    { tf: 'cpu_core_count', cloud: 'CpuOptions.CoreCount', tfConvert: 'number', noise: 'computed' },
    tags(),
  ]),
  aws('aws_security_group', 'AWS::EC2::SecurityGroup', [
    { tf: 'name', cloud: 'GroupName' },
    { tf: 'description', cloud: 'Description' },
    { tf: 'vpc_id', cloud: 'VpcId' },
    {
      tf: 'ingress',
      cloud: 'IpPermissions',
      tfConvert: 'aws-sg-rules-tf',
      cloudConvert: 'aws-sg-rules-cloud',
      steps: ['order-insensitive'],
      toTf: 'aws-sg-rules-to-tf',
    },
    {
      tf: 'egress',
      cloud: 'IpPermissionsEgress',
      tfConvert: 'aws-sg-rules-tf',
      cloudConvert: 'aws-sg-rules-cloud',
      steps: ['order-insensitive'],
      toTf: 'aws-sg-rules-to-tf',
    },
    tags(),
  ]),
  aws('aws_vpc', 'AWS::EC2::VPC', [
    cidr('cidr_block', 'CidrBlock'),
    { tf: 'instance_tenancy', cloud: 'InstanceTenancy', default: 'default' },
    { tf: 'dhcp_options_id', cloud: 'DhcpOptionsId', noise: 'computed' },
    {
      tf: 'ipv6_cidr_block',
      cloud: 'Ipv6CidrBlockAssociationSet.0.Ipv6CidrBlock',
      steps: ['cidr-format', 'empty-equivalent'],
    },
    tags(),
  ]),
  aws('aws_subnet', 'AWS::EC2::Subnet', [
    { tf: 'vpc_id', cloud: 'VpcId' },
    cidr('cidr_block', 'CidrBlock'),
    { tf: 'availability_zone', cloud: 'AvailabilityZone' },
    { tf: 'map_public_ip_on_launch', cloud: 'MapPublicIpOnLaunch', tfConvert: 'bool', default: false },
    {
      tf: 'ipv6_cidr_block',
      cloud: 'Ipv6CidrBlockAssociationSet.0.Ipv6CidrBlock',
      steps: ['cidr-format', 'empty-equivalent'],
    },
    { tf: 'available_ip_address_count', cloud: 'AvailableIpAddressCount', noise: 'volatile' },
    tags(),
  ]),
  aws('aws_ebs_volume', 'AWS::EC2::Volume', [
    { tf: 'size', cloud: 'Size', tfConvert: 'number' },
    { tf: 'type', cloud: 'VolumeType', default: 'gp2' },
    { tf: 'encrypted', cloud: 'Encrypted', tfConvert: 'bool', default: false },
    { tf: 'availability_zone', cloud: 'AvailabilityZone' },
    { tf: 'iops', cloud: 'Iops', tfConvert: 'number', steps: ['empty-equivalent'], noise: 'computed' },
    { tf: 'throughput', cloud: 'Throughput', tfConvert: 'number', steps: ['empty-equivalent'], noise: 'computed' },
    { tf: 'kms_key_id', cloud: 'KmsKeyId', steps: ['empty-equivalent'] },
    tags(),
  ]),
  aws('aws_network_interface', 'AWS::EC2::NetworkInterface', [
    { tf: 'subnet_id', cloud: 'SubnetId' },
    { tf: 'description', cloud: 'Description', steps: ['empty-equivalent'] },
    {
      tf: 'private_ips',
      cloud: 'PrivateIpAddresses[].PrivateIpAddress',
      tfConvert: 'string-list',
      cloudConvert: 'string-list',
      steps: ['order-insensitive'],
    },
    idSet('security_groups', 'Groups[].GroupId'),
    { tf: 'source_dest_check', cloud: 'SourceDestCheck', tfConvert: 'bool', default: true },
    { tf: 'mac_address', cloud: 'MacAddress', noise: 'computed' },
    tags('TagSet'),
  ]),
  aws('aws_route_table', 'AWS::EC2::RouteTable', [
    { tf: 'vpc_id', cloud: 'VpcId' },
    {
      tf: 'route',
      cloud: 'Routes',
      tfConvert: 'aws-routes-tf',
      cloudConvert: 'aws-routes-cloud',
      steps: ['aws-local-route', 'order-insensitive'],
      toTf: 'aws-routes-to-tf',
    },
    {
      // No such argument: only separate association resources declare these (engine/split).
      tf: 'association',
      cloud: 'Associations',
      tfConvert: 'aws-route-associations-tf',
      cloudConvert: 'aws-route-associations-cloud',
      steps: ['order-insensitive'],
      noise: 'undeclared-elements',
      toTf: 'aws-route-associations-to-tf',
    },
    idSet('propagating_vgws', 'PropagatingVgws[].GatewayId'),
    tags(),
  ]),
  aws('aws_internet_gateway', 'AWS::EC2::InternetGateway', [
    { tf: 'vpc_id', cloud: 'Attachments.0.VpcId', steps: ['empty-equivalent'] },
    tags(),
  ]),
  aws('aws_nat_gateway', 'AWS::EC2::NatGateway', [
    { tf: 'subnet_id', cloud: 'SubnetId' },
    { tf: 'allocation_id', cloud: 'NatGatewayAddresses.0.AllocationId', steps: ['empty-equivalent'] },
    { tf: 'connectivity_type', cloud: 'ConnectivityType', default: 'public' },
    { tf: 'private_ip', cloud: 'NatGatewayAddresses.0.PrivateIp', noise: 'computed' },
    { tf: 'public_ip', cloud: 'NatGatewayAddresses.0.PublicIp', noise: 'computed' },
    tags(),
  ]),
  aws('aws_eip', 'AWS::EC2::EIP', [
    { tf: 'domain', cloud: 'Domain', default: 'vpc' },
    { tf: 'public_ip', cloud: 'PublicIp' },
    { tf: 'instance', cloud: 'InstanceId', steps: ['empty-equivalent'] },
    { tf: 'network_interface', cloud: 'NetworkInterfaceId', steps: ['empty-equivalent'] },
    { tf: 'association_id', cloud: 'AssociationId', steps: ['empty-equivalent'], noise: 'computed' },
    tags(),
  ]),
  aws(
    'aws_key_pair',
    'AWS::EC2::KeyPair',
    [
      { tf: 'key_name', cloud: 'KeyName' },
      { tf: 'key_type', cloud: 'KeyType', default: 'rsa' },
      { tf: 'fingerprint', cloud: 'KeyFingerprint', noise: 'computed' },
      { tf: 'public_key', cloud: 'PublicKey', cloudMayOmit: true },
      tags(),
    ],
    { id: { tf: 'key_pair_id', kind: 'aws' }, importId: { cloudPath: 'KeyName' } },
  ),
  aws('aws_launch_template', 'AWS::EC2::LaunchTemplate', [
    { tf: 'name', cloud: 'LaunchTemplateName' },
    { tf: 'default_version', cloud: 'DefaultVersionNumber', tfConvert: 'number' },
    { tf: 'latest_version', cloud: 'LatestVersionNumber', tfConvert: 'number', noise: 'computed' },
    tags(),
  ]),
  aws('aws_network_acl', 'AWS::EC2::NetworkAcl', [
    { tf: 'vpc_id', cloud: 'VpcId' },
    idSet('subnet_ids', 'Associations[].SubnetId'),
    {
      tf: 'ingress',
      cloud: 'Entries',
      tfConvert: 'aws-nacl-tf',
      cloudConvert: 'aws-nacl-ingress-cloud',
      steps: ['aws-nacl-default-rule', 'order-insensitive'],
      toTf: 'aws-nacl-to-tf',
    },
    {
      tf: 'egress',
      cloud: 'Entries',
      tfConvert: 'aws-nacl-tf',
      cloudConvert: 'aws-nacl-egress-cloud',
      steps: ['aws-nacl-default-rule', 'order-insensitive'],
      toTf: 'aws-nacl-to-tf',
    },
    tags(),
  ]),
];
