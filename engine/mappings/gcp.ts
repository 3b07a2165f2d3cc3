import type { AttributeMap, ScopeSource, TypeMapping } from './types.js';

const ACCOUNT: ScopeSource[] = [{ from: 'gcp-id' }, { from: 'attr', path: 'project', form: 'as-is' }];
const REGION: ScopeSource[] = [{ from: 'gcp-id' }];

const labels: AttributeMap = {
  tf: 'labels',
  tfEffective: 'effective_labels',
  cloud: 'labels',
  tfConvert: 'string-map',
  cloudConvert: 'string-map',
  steps: ['gcp-provider-labels', 'empty-equivalent'],
};
const link = (tf: string, cloud: string, extra: Partial<AttributeMap> = {}): AttributeMap => ({
  tf,
  cloud,
  steps: ['gcp-self-link', 'empty-equivalent'],
  ...extra,
});
const name = (tf: string, cloud: string): AttributeMap => ({ tf, cloud, steps: ['gcp-name-from-link'] });
const set = (tf: string, cloud: string, steps: AttributeMap['steps'] = []): AttributeMap => ({
  tf,
  cloud,
  tfConvert: 'string-list',
  cloudConvert: 'string-list',
  steps: [...steps, 'order-insensitive', 'empty-equivalent'],
});

const gcp = (
  tfType: string,
  cloudType: string,
  attributes: AttributeMap[],
  extra: Partial<TypeMapping> = {},
): TypeMapping => ({
  provider: 'gcp',
  tfType,
  cloudType,
  level: 'attributes',
  id: { tf: 'id', kind: 'gcp-path' },
  account: ACCOUNT,
  region: REGION,
  attributes,
  ...extra,
});

/** Terraform google resources ↔ Compute/Storage API JSON (a Cloud Asset's resource.data). */
export const GCP_MAPPINGS: TypeMapping[] = [
  gcp('google_compute_instance', 'compute.googleapis.com/Instance', [
    name('machine_type', 'machineType'),
    name('zone', 'zone'),
    link('network_interface.0.network', 'networkInterfaces.0.network'),
    link('network_interface.0.subnetwork', 'networkInterfaces.0.subnetwork'),
    { tf: 'network_interface.0.network_ip', cloud: 'networkInterfaces.0.networkIP', noise: 'computed' },
    {
      tf: 'network_interface.0.access_config.0.nat_ip',
      cloud: 'networkInterfaces.0.accessConfigs.0.natIP',
      steps: ['empty-equivalent'],
      noise: 'volatile-when-present',
    },
    set('tags', 'tags.items'),
    { tf: 'can_ip_forward', cloud: 'canIpForward', tfConvert: 'bool', default: false },
    { tf: 'deletion_protection', cloud: 'deletionProtection', tfConvert: 'bool', default: false },
    { tf: 'description', cloud: 'description', steps: ['empty-equivalent'] },
    { tf: 'service_account.0.email', cloud: 'serviceAccounts.0.email', steps: ['empty-equivalent'] },
    { tf: 'scheduling.0.preemptible', cloud: 'scheduling.preemptible', tfConvert: 'bool', default: false },
    { tf: 'current_status', cloud: 'status', noise: 'volatile' },
    { tf: 'cpu_platform', cloud: 'cpuPlatform', noise: 'computed' },
    labels,
  ]),
  gcp('google_compute_disk', 'compute.googleapis.com/Disk', [
    { tf: 'size', cloud: 'sizeGb', tfConvert: 'number', cloudConvert: 'number' },
    name('type', 'type'),
    name('zone', 'zone'),
    link('image', 'sourceImage'),
    {
      tf: 'users',
      cloud: 'users',
      tfConvert: 'string-list',
      cloudConvert: 'string-list',
      steps: ['gcp-self-link', 'order-insensitive', 'empty-equivalent'],
      noise: 'computed',
    },
    {
      tf: 'disk_encryption_key.0.kms_key_self_link',
      cloud: 'diskEncryptionKey.kmsKeyName',
      steps: ['empty-equivalent'],
    },
    labels,
  ]),
  gcp('google_compute_network', 'compute.googleapis.com/Network', [
    { tf: 'auto_create_subnetworks', cloud: 'autoCreateSubnetworks', tfConvert: 'bool', default: true },
    { tf: 'routing_mode', cloud: 'routingConfig.routingMode', default: 'REGIONAL' },
    { tf: 'mtu', cloud: 'mtu', tfConvert: 'number', default: 1460 },
    { tf: 'description', cloud: 'description', steps: ['empty-equivalent'] },
  ]),
  gcp('google_compute_subnetwork', 'compute.googleapis.com/Subnetwork', [
    { tf: 'ip_cidr_range', cloud: 'ipCidrRange', steps: ['cidr-format'] },
    link('network', 'network'),
    name('region', 'region'),
    { tf: 'private_ip_google_access', cloud: 'privateIpGoogleAccess', tfConvert: 'bool', default: false },
    { tf: 'gateway_address', cloud: 'gatewayAddress', noise: 'computed' },
  ]),
  gcp('google_compute_firewall', 'compute.googleapis.com/Firewall', [
    link('network', 'network'),
    { tf: 'direction', cloud: 'direction', default: 'INGRESS' },
    { tf: 'priority', cloud: 'priority', tfConvert: 'number', default: 1000 },
    set('source_ranges', 'sourceRanges', ['cidr-format']),
    set('destination_ranges', 'destinationRanges', ['cidr-format']),
    set('source_tags', 'sourceTags'),
    set('target_tags', 'targetTags'),
    {
      tf: 'allow',
      cloud: 'allowed',
      tfConvert: 'gcp-firewall-rules-tf',
      cloudConvert: 'gcp-firewall-rules-cloud',
      steps: ['order-insensitive', 'empty-equivalent'],
      toTf: 'gcp-firewall-rules-to-tf',
    },
    {
      tf: 'deny',
      cloud: 'denied',
      tfConvert: 'gcp-firewall-rules-tf',
      cloudConvert: 'gcp-firewall-rules-cloud',
      steps: ['order-insensitive', 'empty-equivalent'],
      toTf: 'gcp-firewall-rules-to-tf',
    },
    { tf: 'disabled', cloud: 'disabled', tfConvert: 'bool', default: false },
  ]),
  gcp(
    'google_storage_bucket',
    'storage.googleapis.com/Bucket',
    [
      { tf: 'location', cloud: 'location', steps: ['case-insensitive'] },
      { tf: 'storage_class', cloud: 'storageClass', default: 'STANDARD' },
      { tf: 'versioning.0.enabled', cloud: 'versioning.enabled', tfConvert: 'bool', default: false },
      {
        tf: 'uniform_bucket_level_access',
        cloud: 'iamConfiguration.uniformBucketLevelAccess.enabled',
        tfConvert: 'bool',
        default: false,
      },
      { tf: 'public_access_prevention', cloud: 'iamConfiguration.publicAccessPrevention', default: 'inherited' },
      { tf: 'encryption.0.default_kms_key_name', cloud: 'encryption.defaultKmsKeyName', steps: ['empty-equivalent'] },
      { tf: 'self_link', cloud: 'selfLink', noise: 'computed' },
      labels,
    ],
    {
      id: { tf: 'id', kind: 'gcp-bucket' },
      account: [{ from: 'attr', path: 'project', form: 'as-is' }],
      region: [{ from: 'attr', path: 'location', form: 'lower' }],
      importId: { cloudPath: 'name' },
    },
  ),
];
