import type { DiscoveredResource } from '../../contract/resource.js';
import { parseTerraformState } from '../../engine/index.js';
import { routeAssociationCase } from './association-cases.js';
import { azureAccessCase } from './azure-access-cases.js';
import type { EvalCase } from './case.js';
import { cloudControlCases } from './cloud-control-cases.js';
import { existenceLevel } from './existence-case.js';
import { gcpIamCase } from './gcp-iam-cases.js';
import { inventoryTypeCases } from './inventory-cases.js';
import { s3IamCase } from './s3-iam-cases.js';
import { splitFamilyCases } from './split-cases.js';

/**
 * Hand-written labelled cases for what generated estates exercise least: modules and index
 * keys, cloud defaults and default resources, tags, network policies, sensitive values, legacy
 * v3 states, several states, tainted/deposed objects, partial discovery and format quirks.
 *
 * Long on purpose: it is a corpus, each case a state and an inventory written out in full.
 */

const ACCOUNT = '111122223333';
const SUB = '0b7c5a4e-1f2d-4c3b-9a8e-7d6c5b4a3f2e';
const PROJECT = 'acme-prod';
const AWS_PROVIDER = 'provider["registry.terraform.io/hashicorp/aws"]';
const AZ_PROVIDER = 'provider["registry.terraform.io/hashicorp/azurerm"]';
const GCP_PROVIDER = 'provider["registry.terraform.io/hashicorp/google"]';
const GCP_API = 'https://www.googleapis.com/compute/v1/';

type Attrs = Record<string, unknown>;

const awsTags = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

function aws(type: string, id: string, attributes: Attrs, region = 'us-east-1'): DiscoveredResource {
  const tags = Object.fromEntries(
    ((attributes.Tags ?? attributes.TagSet ?? []) as { Key: string; Value: string }[]).map((t) => [t.Key, t.Value]),
  );
  return { provider: 'aws', account: ACCOUNT, region, type, id, name: tags.Name, attributes, tags };
}

function ec2Instance(id: string, extra: Attrs = {}, region = 'us-east-1'): DiscoveredResource {
  return aws(
    'AWS::EC2::Instance',
    id,
    {
      InstanceId: id,
      InstanceType: 't3.small',
      ImageId: 'ami-0abc',
      SubnetId: 'subnet-1',
      VpcId: 'vpc-1',
      SecurityGroups: [{ GroupId: 'sg-1', GroupName: 'web' }],
      Placement: { AvailabilityZone: `${region}a`, Tenancy: 'default' },
      EbsOptimized: false,
      Monitoring: { State: 'disabled' },
      SourceDestCheck: true,
      PrivateIpAddress: '10.0.1.10',
      State: { Code: 16, Name: 'running' },
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled' },
      Tags: awsTags({ Name: id }),
      ...extra,
    },
    region,
  );
}

function tfInstance(id: string, extra: Attrs = {}, region = 'us-east-1'): Attrs {
  return {
    id,
    arn: `arn:aws:ec2:${region}:${ACCOUNT}:instance/${id}`,
    instance_type: 't3.small',
    ami: 'ami-0abc',
    subnet_id: 'subnet-1',
    vpc_security_group_ids: ['sg-1'],
    availability_zone: `${region}a`,
    tenancy: 'default',
    ebs_optimized: false,
    monitoring: false,
    source_dest_check: true,
    private_ip: '10.0.1.10',
    instance_state: 'running',
    public_ip: '',
    metadata_options: [{ http_tokens: 'required', http_endpoint: 'enabled' }],
    tags: { Name: id },
    tags_all: { Name: id },
    ...extra,
  };
}

interface TfResource {
  module?: string;
  mode?: 'managed' | 'data';
  type: string;
  name: string;
  provider?: string;
  each?: 'list' | 'map';
  instances: {
    index_key?: string | number;
    status?: 'tainted';
    deposed?: string;
    attributes: Attrs;
    sensitive_attributes?: unknown[];
  }[];
}

function v4(resources: TfResource[]): unknown {
  return {
    version: 4,
    terraform_version: '1.9.8',
    serial: 7,
    lineage: 'e0c2a1f4-0000-4000-8000-000000000001',
    outputs: {},
    resources: resources.map((r) => ({
      mode: 'managed',
      provider: AWS_PROVIDER,
      ...r,
      instances: r.instances.map((i) => ({ schema_version: 1, sensitive_attributes: [], ...i })),
    })),
  };
}

const single = (type: string, name: string, attributes: Attrs, extra: Partial<TfResource> = {}): TfResource => ({
  type,
  name,
  instances: [{ attributes }],
  ...extra,
});

function modulesAndIndexKeys(): EvalCase {
  const inventory = [
    ec2Instance('i-a'),
    ec2Instance('i-b'),
    ec2Instance('i-c', { InstanceType: 't3.large' }),
    ec2Instance('i-d'),
  ];
  const state = v4([
    {
      module: 'module.app.module.web',
      type: 'aws_instance',
      name: 'web',
      each: 'list',
      instances: [
        { index_key: 0, attributes: tfInstance('i-a') },
        { index_key: 1, attributes: tfInstance('i-b') },
      ],
    },
    {
      module: 'module.app.module.web',
      type: 'aws_instance',
      name: 'worker',
      each: 'map',
      instances: [
        { index_key: 'blue', attributes: tfInstance('i-c') },
        { index_key: 'green', attributes: tfInstance('i-gone') },
      ],
    },
    { module: 'module.batch', type: 'aws_instance', name: 'job', instances: [{ attributes: tfInstance('i-d') }] },
  ]);
  return {
    name: 'modules and index keys',
    states: [parseTerraformState(JSON.stringify(state), 'modules.tfstate')],
    inventory,
    expected: {
      drift: [
        {
          kind: 'changed',
          address: 'module.app.module.web.aws_instance.worker["blue"]',
          id: 'i-c',
          paths: ['instance_type'],
        },
        { kind: 'missing', address: 'module.app.module.web.aws_instance.worker["green"]', id: 'i-gone' },
      ],
      noise: [],
    },
  };
}

function defaultsAndDefaultResources(): EvalCase {
  const inventory: DiscoveredResource[] = [
    aws('AWS::EC2::VPC', 'vpc-default', {
      VpcId: 'vpc-default',
      CidrBlock: '172.31.0.0/16',
      IsDefault: true,
      InstanceTenancy: 'default',
    }),
    aws('AWS::EC2::Subnet', 'subnet-default-a', {
      SubnetId: 'subnet-default-a',
      VpcId: 'vpc-default',
      CidrBlock: '172.31.0.0/20',
      DefaultForAz: true,
    }),
    aws('AWS::EC2::SecurityGroup', 'sg-default', {
      GroupId: 'sg-default',
      GroupName: 'default',
      VpcId: 'vpc-default',
      IpPermissions: [],
      IpPermissionsEgress: [],
    }),
    aws('AWS::EC2::RouteTable', 'rtb-main', {
      RouteTableId: 'rtb-main',
      VpcId: 'vpc-default',
      Associations: [{ Main: true }],
      Routes: [],
    }),
    aws('AWS::EC2::NetworkAcl', 'acl-default', {
      NetworkAclId: 'acl-default',
      VpcId: 'vpc-default',
      IsDefault: true,
      Entries: [],
    }),
    aws('AWS::EC2::InternetGateway', 'igw-default', {
      InternetGatewayId: 'igw-default',
      Attachments: [{ VpcId: 'vpc-default', State: 'available' }],
    }),
    aws('AWS::EC2::VPC', 'vpc-shadow', {
      VpcId: 'vpc-shadow',
      CidrBlock: '10.9.0.0/16',
      IsDefault: false,
      InstanceTenancy: 'default',
      Tags: awsTags({ Name: 'shadow-it' }),
    }),
    ec2Instance('i-defaults'),
    {
      provider: 'azure',
      account: SUB,
      region: 'eastus',
      type: 'Microsoft.Resources/resourceGroups',
      id: `/subscriptions/${SUB}/resourceGroups/NetworkWatcherRG`,
      name: 'NetworkWatcherRG',
      attributes: {
        id: `/subscriptions/${SUB}/resourceGroups/NetworkWatcherRG`,
        name: 'NetworkWatcherRG',
        location: 'eastus',
      },
      tags: {},
    },
    {
      provider: 'gcp',
      account: PROJECT,
      region: 'global',
      type: 'compute.googleapis.com/Network',
      id: `//compute.googleapis.com/projects/${PROJECT}/global/networks/default`,
      name: 'default',
      attributes: {
        name: 'default',
        selfLink: `${GCP_API}projects/${PROJECT}/global/networks/default`,
        autoCreateSubnetworks: true,
      },
      tags: {},
    },
    {
      provider: 'gcp',
      account: PROJECT,
      region: 'global',
      type: 'compute.googleapis.com/Firewall',
      id: `//compute.googleapis.com/projects/${PROJECT}/global/firewalls/default-allow-ssh`,
      name: 'default-allow-ssh',
      attributes: {
        name: 'default-allow-ssh',
        network: `${GCP_API}projects/${PROJECT}/global/networks/default`,
        sourceRanges: ['0.0.0.0/0'],
        allowed: [{ IPProtocol: 'tcp', ports: ['22'] }],
      },
      tags: {},
    },
  ];
  // Configuration left these unset; the cloud reports its defaults.
  const instance = tfInstance('i-defaults', {
    ebs_optimized: null,
    monitoring: null,
    tenancy: null,
    metadata_options: [{ http_tokens: 'required', http_endpoint: null }],
  });
  const state = v4([single('aws_instance', 'defaults', instance)]);
  return {
    name: 'cloud defaults and resources the cloud creates',
    states: [parseTerraformState(JSON.stringify(state), 'defaults.tfstate')],
    inventory,
    expected: {
      drift: [{ kind: 'unmanaged', id: 'vpc-shadow' }],
      noise: ['ebs_optimized', 'monitoring', 'tenancy', 'metadata_options.0.http_endpoint'].map((path) => ({
        address: 'aws_instance.defaults',
        path,
        rule: 'cloud-default',
      })),
    },
  };
}

function tags(): EvalCase {
  const rgId = `/subscriptions/${SUB}/resourceGroups/rg-app`;
  const gcpInstance = `projects/${PROJECT}/zones/us-central1-a/instances/api-1`;
  const inventory: DiscoveredResource[] = [
    ec2Instance('i-cfn', { Tags: awsTags({ Name: 'i-cfn', Env: 'prod', 'aws:cloudformation:stack-name': 'legacy' }) }),
    ec2Instance('i-owner', { Tags: awsTags({ Name: 'i-owner', Owner: 'bob' }) }),
    {
      provider: 'azure',
      account: SUB,
      region: 'eastus',
      type: 'Microsoft.Resources/resourceGroups',
      id: rgId,
      name: 'rg-app',
      attributes: { id: rgId, name: 'rg-app', location: 'eastus', tags: { environment: 'prod' } },
      tags: { environment: 'prod' },
    },
    {
      provider: 'gcp',
      account: PROJECT,
      region: 'us-central1-a',
      type: 'compute.googleapis.com/Instance',
      id: `//compute.googleapis.com/${gcpInstance}`,
      name: 'api-1',
      attributes: {
        name: 'api-1',
        machineType: `${GCP_API}projects/${PROJECT}/zones/us-central1-a/machineTypes/e2-medium`,
        zone: `${GCP_API}projects/${PROJECT}/zones/us-central1-a`,
        labels: { team: 'api', 'goog-ops-agent-policy': 'v2' },
        status: 'RUNNING',
        networkInterfaces: [{ network: `${GCP_API}projects/${PROJECT}/global/networks/main` }],
      },
      tags: { team: 'api' },
    },
  ];
  const state = v4([
    single(
      'aws_instance',
      'cfn',
      tfInstance('i-cfn', { tags: { Name: 'i-cfn' }, tags_all: { Name: 'i-cfn', Env: 'prod' } }),
    ),
    single(
      'aws_instance',
      'owner',
      tfInstance('i-owner', {
        tags: { Name: 'i-owner', Owner: 'alice' },
        tags_all: { Name: 'i-owner', Owner: 'alice' },
      }),
    ),
    single(
      'azurerm_resource_group',
      'app',
      { id: rgId, name: 'rg-app', location: 'eastus', tags: { Environment: 'prod' } },
      { provider: AZ_PROVIDER },
    ),
    single(
      'google_compute_instance',
      'api',
      {
        id: gcpInstance,
        name: 'api-1',
        project: PROJECT,
        machine_type: 'e2-medium',
        zone: 'us-central1-a',
        current_status: 'RUNNING',
        network_interface: [{ network: `${GCP_API}projects/${PROJECT}/global/networks/main` }],
        labels: { team: 'api' },
        effective_labels: { team: 'api', 'goog-ops-agent-policy': 'v2' },
      },
      { provider: GCP_PROVIDER },
    ),
  ]);
  return {
    name: 'tags: provider tags, default tags, key case, labels',
    states: [parseTerraformState(JSON.stringify(state), 'tags.tfstate')],
    inventory,
    expected: {
      drift: [{ kind: 'changed', address: 'aws_instance.owner', id: 'i-owner', paths: ['tags'] }],
      noise: [
        { address: 'aws_instance.cfn', path: 'tags', rule: 'tags-all' },
        { address: 'azurerm_resource_group.app', path: 'tags', rule: 'azure-tag-key-case' },
        { address: 'google_compute_instance.api', path: 'labels', rule: 'gcp-provider-labels' },
      ],
    },
  };
}

function networkPolicies(): EvalCase {
  const sg = (id: string, ingress: Attrs[]) =>
    aws('AWS::EC2::SecurityGroup', id, {
      GroupId: id,
      GroupName: id,
      Description: 'managed',
      VpcId: 'vpc-1',
      IpPermissions: ingress,
      IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
    });
  const ssh = {
    IpProtocol: 'tcp',
    FromPort: 22,
    ToPort: 22,
    IpRanges: [{ CidrIp: '10.0.0.0/8' }, { CidrIp: '192.168.1.7/32', Description: 'bastion' }],
  };
  const https = { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
  const sshWorld = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] };
  const tfRule = (proto: string, port: number, cidrs: string[], description = '') => ({
    protocol: proto,
    from_port: port,
    to_port: port,
    cidr_blocks: cidrs,
    ipv6_cidr_blocks: [],
    prefix_list_ids: [],
    security_groups: [],
    self: false,
    description,
  });
  const egress = [
    {
      protocol: '-1',
      from_port: 0,
      to_port: 0,
      cidr_blocks: ['0.0.0.0/0'],
      ipv6_cidr_blocks: [],
      prefix_list_ids: [],
      security_groups: [],
      self: false,
      description: '',
    },
  ];
  const sgState = (id: string, ingress: Attrs[]) => ({
    id,
    arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/${id}`,
    name: id,
    description: 'managed',
    vpc_id: 'vpc-1',
    ingress,
    egress,
    tags: {},
    tags_all: {},
  });
  const nsgId = `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/networkSecurityGroups/nsg-web`;
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
  const tfNsgRule = (name: string, priority: number, port: string, source: string) => ({
    name,
    priority,
    direction: 'Inbound',
    access: 'Allow',
    protocol: 'Tcp',
    source_port_range: '*',
    destination_port_range: port,
    source_address_prefix: source,
    destination_address_prefix: '*',
    description: '',
  });
  const fwPath = `projects/${PROJECT}/global/firewalls/allow-web`;
  const inventory: DiscoveredResource[] = [
    sg('sg-web', [https, ssh]),
    sg('sg-admin', [ssh, sshWorld]),
    {
      provider: 'azure',
      account: SUB,
      region: 'eastus',
      type: 'Microsoft.Network/networkSecurityGroups',
      id: nsgId,
      name: 'nsg-web',
      attributes: {
        id: nsgId,
        name: 'nsg-web',
        location: 'eastus',
        properties: {
          securityRules: [nsgRule('https', 100, '443', 'Internet'), nsgRule('ssh', 110, '22', '10.0.0.0/8')],
        },
      },
      tags: {},
    },
    {
      provider: 'gcp',
      account: PROJECT,
      region: 'global',
      type: 'compute.googleapis.com/Firewall',
      id: `//compute.googleapis.com/${fwPath}`,
      name: 'allow-web',
      attributes: {
        name: 'allow-web',
        network: `${GCP_API}projects/${PROJECT}/global/networks/main`,
        direction: 'INGRESS',
        priority: 1000,
        sourceRanges: ['10.0.0.0/8', '192.168.0.0/16', '1.2.3.4'],
        allowed: [
          { IPProtocol: 'udp', ports: ['53'] },
          { IPProtocol: 'tcp', ports: ['443', '80'] },
        ],
        targetTags: ['web'],
      },
      tags: {},
    },
  ];
  const state = v4([
    // Same rules, blocks in another order and protocol given as a number.
    single(
      'aws_security_group',
      'web',
      sgState(
        'sg-web',
        [
          tfRule('tcp', 22, ['10.0.0.0/8']),
          tfRule('tcp', 22, ['192.168.1.7/32'], 'bastion'),
          tfRule('6', 443, ['0.0.0.0/0']),
        ].reverse(),
      ),
    ),
    single(
      'aws_security_group',
      'admin',
      sgState('sg-admin', [tfRule('tcp', 22, ['10.0.0.0/8']), tfRule('tcp', 22, ['192.168.1.7/32'], 'bastion')]),
    ),
    single(
      'azurerm_network_security_group',
      'web',
      {
        id: nsgId,
        name: 'nsg-web',
        location: 'eastus',
        security_rule: [tfNsgRule('ssh', 110, '22', '10.0.0.0/8'), tfNsgRule('https', 100, '443', 'Internet')],
        tags: {},
      },
      { provider: AZ_PROVIDER },
    ),
    single(
      'google_compute_firewall',
      'web',
      {
        id: fwPath,
        name: 'allow-web',
        project: PROJECT,
        network: `projects/${PROJECT}/global/networks/main`,
        direction: 'INGRESS',
        priority: 1000,
        source_ranges: ['10.0.0.0/8', '192.168.0.0/16', '1.2.3.4/32'],
        allow: [
          { protocol: 'tcp', ports: ['80', '443'] },
          { protocol: 'udp', ports: ['53'] },
        ],
        deny: [],
        target_tags: ['web'],
        source_tags: [],
        destination_ranges: [],
        disabled: false,
      },
      { provider: GCP_PROVIDER },
    ),
  ]);
  return {
    name: 'network policies compared as data',
    states: [parseTerraformState(JSON.stringify(state), 'network.tfstate')],
    inventory,
    expected: {
      drift: [{ kind: 'changed', address: 'aws_security_group.admin', id: 'sg-admin', paths: ['ingress'] }],
      noise: [
        { address: 'aws_security_group.web', path: 'ingress', rule: 'order-insensitive' },
        { address: 'azurerm_network_security_group.web', path: 'security_rule', rule: 'order-insensitive' },
        { address: 'google_compute_firewall.web', path: 'source_ranges', rule: 'cidr-format' },
        { address: 'google_compute_firewall.web', path: 'network', rule: 'gcp-self-link' },
        { address: 'google_compute_firewall.web', path: 'allow', rule: 'order-insensitive' },
      ],
    },
  };
}

/** Public keys marked sensitive in state: compared by hash, never shown in clear. */
export const SENSITIVE_CLEAR_VALUES = [
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDEPLOY deploy@ci',
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOLDKEY old@laptop',
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINEWKEY new@laptop',
];

function sensitiveValues(): EvalCase {
  const [deploy, oldKey, newKey] = SENSITIVE_CLEAR_VALUES as [string, string, string];
  const key = (id: string, name: string, publicKey: string) =>
    aws('AWS::EC2::KeyPair', id, {
      KeyPairId: id,
      KeyName: name,
      KeyType: 'ed25519',
      KeyFingerprint: 'fp',
      PublicKey: publicKey,
      Tags: [],
    });
  const tfKey = (id: string, name: string, publicKey: string) => ({
    attributes: {
      id: name,
      key_pair_id: id,
      key_name: name,
      key_type: 'ed25519',
      fingerprint: 'fp',
      public_key: publicKey,
      arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:key-pair/${name}`,
      tags: {},
      tags_all: {},
    },
    sensitive_attributes: [[{ type: 'get_attr', value: 'public_key' }]],
  });
  const state = v4([
    { type: 'aws_key_pair', name: 'deploy', instances: [tfKey('key-1', 'deploy', deploy)] },
    { type: 'aws_key_pair', name: 'laptop', instances: [tfKey('key-2', 'laptop', oldKey)] },
  ]);
  return {
    name: 'sensitive values compared by hash',
    states: [parseTerraformState(JSON.stringify(state), 'keys.tfstate')],
    inventory: [key('key-1', 'deploy', deploy), key('key-2', 'laptop', newKey)],
    expected: {
      drift: [{ kind: 'changed', address: 'aws_key_pair.laptop', id: 'key-2', paths: ['public_key'] }],
      noise: [],
    },
  };
}

function legacyV3State(): EvalCase {
  const flat = (id: string, type: string) => ({
    id,
    arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:instance/${id}`,
    instance_type: type,
    ami: 'ami-0abc',
    subnet_id: 'subnet-1',
    availability_zone: 'us-east-1a',
    ebs_optimized: 'false',
    monitoring: 'false',
    source_dest_check: 'true',
    private_ip: '10.0.1.10',
    tenancy: 'default',
    'vpc_security_group_ids.#': '1',
    'vpc_security_group_ids.2541745430': 'sg-1',
    'tags.%': '1',
    'tags.Name': id,
    'metadata_options.#': '1',
    'metadata_options.0.http_tokens': 'required',
    'metadata_options.0.http_endpoint': 'enabled',
  });
  const state = {
    version: 3,
    terraform_version: '0.11.14',
    serial: 3,
    lineage: 'legacy',
    modules: [
      {
        path: ['root'],
        outputs: {},
        resources: {
          'aws_instance.old': { type: 'aws_instance', primary: { id: 'i-v3a', attributes: flat('i-v3a', 't3.small') } },
          'data.aws_ami.ubuntu': { type: 'aws_ami', primary: { id: 'ami-0abc', attributes: { id: 'ami-0abc' } } },
        },
      },
      {
        path: ['root', 'legacy'],
        outputs: {},
        resources: {
          'aws_instance.batch.1': {
            type: 'aws_instance',
            primary: { id: 'i-v3b', attributes: flat('i-v3b', 'm5.large') },
          },
        },
      },
    ],
  };
  return {
    name: 'legacy v3 state (flatmap attributes)',
    states: [parseTerraformState(JSON.stringify(state), 'legacy.tfstate')],
    inventory: [ec2Instance('i-v3a'), ec2Instance('i-v3b', { InstanceType: 'm5.xlarge' })],
    expected: {
      drift: [
        { kind: 'changed', address: 'module.legacy.aws_instance.batch[1]', id: 'i-v3b', paths: ['instance_type'] },
      ],
      noise: [],
    },
  };
}

function severalStatesAndDuplicates(): EvalCase {
  const vpc = aws('AWS::EC2::VPC', 'vpc-shared', {
    VpcId: 'vpc-shared',
    CidrBlock: '10.0.0.0/16',
    IsDefault: false,
    InstanceTenancy: 'default',
    Tags: awsTags({ Name: 'shared' }),
  });
  const subnet = aws('AWS::EC2::Subnet', 'subnet-a', {
    SubnetId: 'subnet-a',
    VpcId: 'vpc-shared',
    CidrBlock: '10.0.1.0/24',
    AvailabilityZone: 'us-east-1a',
    MapPublicIpOnLaunch: false,
    Tags: [],
  });
  const tfVpc = {
    id: 'vpc-shared',
    arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:vpc/vpc-shared`,
    cidr_block: '10.0.0.0/16',
    instance_tenancy: 'default',
    tags: { Name: 'shared' },
    tags_all: { Name: 'shared' },
  };
  const tfSubnet = (id: string, cidr: string) => ({
    id,
    arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:subnet/${id}`,
    vpc_id: 'vpc-shared',
    cidr_block: cidr,
    availability_zone: 'us-east-1a',
    map_public_ip_on_launch: false,
    tags: {},
    tags_all: {},
  });
  const network = v4([
    single('aws_vpc', 'main', tfVpc),
    single('aws_subnet', 'a', tfSubnet('subnet-a', '10.0.1.0/24')),
  ]);
  const app = v4([
    single('aws_vpc', 'imported', tfVpc, { module: 'module.legacy' }),
    single('aws_subnet', 'b', tfSubnet('subnet-b', '10.0.2.0/24')),
  ]);
  return {
    name: 'several states per workspace, one resource in two states',
    states: [
      parseTerraformState(JSON.stringify(network), 'network.tfstate'),
      parseTerraformState(JSON.stringify(app), 'app.tfstate'),
    ],
    inventory: [vpc, subnet],
    expected: { drift: [{ kind: 'missing', address: 'aws_subnet.b', id: 'subnet-b' }], noise: [] },
  };
}

function taintedAndDeposed(): EvalCase {
  const state = v4([
    {
      type: 'aws_instance',
      name: 'api',
      instances: [{ status: 'tainted', attributes: tfInstance('i-tainted', { instance_type: 't3.micro' }) }],
    },
    {
      type: 'aws_instance',
      name: 'blue_green',
      instances: [{ attributes: tfInstance('i-new') }, { deposed: '00000001', attributes: tfInstance('i-old') }],
    },
    { mode: 'data', type: 'aws_ami', name: 'ubuntu', instances: [{ attributes: { id: 'ami-0abc' } }] },
  ]);
  return {
    name: 'tainted and deposed instances, data sources',
    states: [parseTerraformState(JSON.stringify(state), 'bluegreen.tfstate')],
    inventory: [ec2Instance('i-tainted'), ec2Instance('i-new'), ec2Instance('i-old')],
    expected: {
      drift: [{ kind: 'changed', address: 'aws_instance.api', id: 'i-tainted', paths: ['instance_type'] }],
      noise: [],
    },
  };
}

function partialDiscovery(): EvalCase {
  const state = v4([
    single('aws_instance', 'east', tfInstance('i-east')),
    single('aws_instance', 'east_gone', tfInstance('i-east-gone')),
    single('aws_instance', 'west', tfInstance('i-west', {}, 'eu-west-1'), { provider: `${AWS_PROVIDER}.eu` }),
    // No ARN: the region comes from the other resources of the same provider alias.
    single(
      'aws_nat_gateway',
      'west',
      { id: 'nat-west', subnet_id: 'subnet-w', connectivity_type: 'public', tags: {}, tags_all: {} },
      { provider: `${AWS_PROVIDER}.eu` },
    ),
  ]);
  return {
    name: 'a region discovery could not list is never reported missing',
    states: [parseTerraformState(JSON.stringify(state), 'regions.tfstate')],
    inventory: [ec2Instance('i-east')],
    scopes: [
      { provider: 'aws', account: ACCOUNT, type: 'AWS::EC2::Instance', regions: ['us-east-1'] },
      { provider: 'aws', account: ACCOUNT, type: 'AWS::EC2::NatGateway', regions: ['us-east-1'] },
    ],
    expected: { drift: [{ kind: 'missing', address: 'aws_instance.east_gone', id: 'i-east-gone' }], noise: [] },
  };
}

/** Subnets carry no location: a state subnet lives where its network does, as discovery files it. */
function azureSubnetsGone(): EvalCase {
  const vnet = (name: string) =>
    `/subscriptions/${SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet-${name}`;
  const discovered = (type: string, id: string, attributes: Attrs): DiscoveredResource => ({
    provider: 'azure',
    account: SUB,
    region: 'eastus',
    type,
    id,
    name: id.slice(id.lastIndexOf('/') + 1),
    attributes: { id, ...attributes },
    tags: {},
  });
  const cloudVnet = (name: string) =>
    discovered('Microsoft.Network/virtualNetworks', vnet(name), {
      location: 'eastus',
      properties: { addressSpace: { addressPrefixes: ['10.0.0.0/16'] } },
    });
  const tfVnet = (name: string, location: string) => ({
    id: vnet(name),
    name: `vnet-${name}`,
    resource_group_name: 'rg-net',
    location,
    address_space: ['10.0.0.0/16'],
    tags: {},
  });
  const tfSubnet = (network: string, name: string) => ({
    id: `${vnet(network)}/subnets/${name}`,
    name,
    resource_group_name: 'rg-net',
    address_prefixes: ['10.0.1.0/24'],
  });
  const state = v4(
    [
      single('azurerm_virtual_network', 'east', tfVnet('east', 'eastus')),
      single('azurerm_subnet', 'app', tfSubnet('east', 'app')),
      single('azurerm_subnet', 'gone', tfSubnet('east', 'gone')),
      // A network some other configuration manages: the cloud says where it is.
      single('azurerm_subnet', 'shared_gone', tfSubnet('shared', 'gone')),
      // westeurope was not in the job's regions: nothing there is missing.
      single('azurerm_virtual_network', 'west', tfVnet('west', 'westeurope')),
      single('azurerm_subnet', 'west', tfSubnet('west', 'db')),
    ].map((r) => ({ ...r, provider: AZ_PROVIDER })),
  );
  const inventory = [
    cloudVnet('east'),
    cloudVnet('shared'),
    discovered('Microsoft.Network/virtualNetworks/subnets', `${vnet('east')}/subnets/app`, {
      properties: { addressPrefix: '10.0.1.0/24' },
    }),
  ];
  // What a job over eastus covers: account-wide listings filed under its regions and global.
  const scopes = ['Microsoft.Network/virtualNetworks', 'Microsoft.Network/virtualNetworks/subnets'].map((type) => ({
    provider: 'azure' as const,
    account: SUB,
    type,
    regions: ['eastus', 'global'],
  }));
  return {
    name: 'an Azure subnet gone from the cloud is missing in its network’s region',
    states: [parseTerraformState(JSON.stringify(state), 'subnets.tfstate')],
    inventory,
    scopes,
    expected: {
      drift: [
        { kind: 'missing', address: 'azurerm_subnet.gone', id: `${vnet('east')}/subnets/gone` },
        { kind: 'missing', address: 'azurerm_subnet.shared_gone', id: `${vnet('shared')}/subnets/gone` },
        { kind: 'unmanaged', id: vnet('shared') },
      ],
      noise: [],
    },
  };
}

function azureAndGcpFormats(): EvalCase {
  const rg = `/subscriptions/${SUB}/resourceGroups/rg-app/providers`;
  const vmId = `${rg}/Microsoft.Compute/virtualMachines/vm-1`;
  const nicId = `${rg}/Microsoft.Network/networkInterfaces/vm-1-nic`;
  const diskId = `${rg}/Microsoft.Compute/disks/data-1`;
  const bucket = `${PROJECT}-logs`;
  const inventory: DiscoveredResource[] = [
    {
      provider: 'azure',
      account: SUB,
      region: 'eastus',
      type: 'Microsoft.Compute/virtualMachines',
      id: vmId,
      name: 'vm-1',
      attributes: {
        id: vmId,
        name: 'vm-1',
        location: 'eastus',
        zones: ['1'],
        tags: { env: 'prod' },
        properties: {
          vmId: 'guid-1',
          hardwareProfile: { vmSize: 'Standard_D2s_v5' },
          osProfile: { adminUsername: 'azureuser', computerName: 'vm-1' },
          networkProfile: { networkInterfaces: [{ id: nicId }] },
          storageProfile: { osDisk: { osType: 'Linux', managedDisk: { storageAccountType: 'Premium_LRS' } } },
        },
      },
      tags: { env: 'prod' },
    },
    {
      provider: 'azure',
      account: SUB,
      region: 'eastus',
      type: 'Microsoft.Compute/disks',
      id: diskId,
      name: 'data-1',
      attributes: {
        id: diskId,
        name: 'data-1',
        location: 'eastus',
        sku: { name: 'Premium_LRS' },
        properties: { diskSizeGB: 256, creationData: { createOption: 'Empty' }, diskState: 'Attached' },
      },
      tags: {},
    },
    {
      provider: 'gcp',
      account: PROJECT,
      region: 'us',
      type: 'storage.googleapis.com/Bucket',
      id: `//storage.googleapis.com/${bucket}`,
      name: bucket,
      attributes: {
        name: bucket,
        location: 'US',
        storageClass: 'STANDARD',
        versioning: { enabled: false },
        iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' },
      },
      tags: {},
    },
  ];
  const state = v4([
    single(
      'azurerm_linux_virtual_machine',
      'vm',
      {
        id: vmId,
        name: 'vm-1',
        resource_group_name: 'rg-app',
        location: 'East US',
        size: 'standard_d2s_v5',
        zone: '1',
        admin_username: 'azureuser',
        computer_name: 'vm-1',
        vm_id: 'guid-1',
        network_interface_ids: [nicId.replace('/resourceGroups/', '/resourcegroups/')],
        os_disk: [{ storage_account_type: 'Premium_LRS' }],
        tags: { env: 'prod' },
      },
      { provider: AZ_PROVIDER },
    ),
    single(
      'azurerm_managed_disk',
      'data',
      {
        id: diskId,
        name: 'data-1',
        location: 'eastus',
        storage_account_type: 'Premium_LRS',
        create_option: 'Empty',
        disk_size_gb: 128,
        tags: {},
      },
      { provider: AZ_PROVIDER },
    ),
    single(
      'google_storage_bucket',
      'logs',
      {
        id: bucket,
        name: bucket,
        project: PROJECT,
        location: 'us',
        storage_class: 'STANDARD',
        versioning: [{ enabled: true }],
        uniform_bucket_level_access: true,
        public_access_prevention: 'enforced',
        labels: {},
      },
      { provider: GCP_PROVIDER },
    ),
  ]);
  return {
    name: 'Azure and GCP formats: locations, id case, SKU case, bucket locations',
    states: [parseTerraformState(JSON.stringify(state), 'formats.tfstate')],
    inventory,
    expected: {
      drift: [
        { kind: 'changed', address: 'azurerm_managed_disk.data', id: diskId, paths: ['disk_size_gb'] },
        { kind: 'changed', address: 'google_storage_bucket.logs', id: bucket, paths: ['versioning.0.enabled'] },
      ],
      noise: [
        { address: 'azurerm_linux_virtual_machine.vm', path: 'location', rule: 'azure-location-format' },
        { address: 'azurerm_linux_virtual_machine.vm', path: 'size', rule: 'case-insensitive' },
        { address: 'azurerm_linux_virtual_machine.vm', path: 'network_interface_ids', rule: 'azure-id-case' },
        { address: 'google_storage_bucket.logs', path: 'location', rule: 'case-insensitive' },
      ],
    },
  };
}

export function handWrittenCases(): EvalCase[] {
  return [
    modulesAndIndexKeys(),
    defaultsAndDefaultResources(),
    tags(),
    networkPolicies(),
    sensitiveValues(),
    legacyV3State(),
    severalStatesAndDuplicates(),
    taintedAndDeposed(),
    partialDiscovery(),
    azureSubnetsGone(),
    azureAndGcpFormats(),
    existenceLevel(),
    ...cloudControlCases(),
    s3IamCase(),
    ...splitFamilyCases(),
    routeAssociationCase(),
    azureAccessCase(),
    ...inventoryTypeCases(),
    gcpIamCase(),
  ];
}
