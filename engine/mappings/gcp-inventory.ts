import { existenceRow } from '../../contract/existence/index.js';
import type { AttributeMap, ScopeSource, TypeMapping } from './types.js';

/**
 * GCP types mapped attribute by attribute from the `resource.data` Cloud Asset ListAssets
 * already returns for them (the service's own REST object: SQL Admin, GKE, IAM, Pub/Sub,
 * Cloud Run, Compute), so no call per resource. Ids are the full asset names, rendered from
 * the state as the existence-level table spells them (contract/existence/gcp.ts).
 */

const ACCOUNT: ScopeSource[] = [{ from: 'attr', path: 'project', form: 'as-is' }, { from: 'gcp-id' }];
/** A zone, region or location in the id or attributes; Pub/Sub, IAM and routes are global. */
const REGION: ScopeSource[] = [
  { from: 'gcp-id' },
  { from: 'attr', path: 'region', form: 'lower' },
  { from: 'attr', path: 'location', form: 'lower' },
  { from: 'fixed', value: 'global' },
];

const labels = (cloud = 'labels'): AttributeMap => ({
  tf: 'labels',
  tfEffective: 'effective_labels',
  cloud,
  tfConvert: 'string-map',
  cloudConvert: 'string-map',
  steps: ['gcp-provider-labels', 'empty-equivalent'],
});
const flag = (tf: string, cloud: string, byDefault: boolean): AttributeMap => ({
  tf,
  cloud,
  tfConvert: 'bool',
  default: byDefault,
});
const text = (tf: string, cloud: string, extra: Partial<AttributeMap> = {}): AttributeMap => ({
  tf,
  cloud,
  steps: ['empty-equivalent'],
  ...extra,
});
const link = (tf: string, cloud: string): AttributeMap => ({ tf, cloud, steps: ['gcp-self-link', 'empty-equivalent'] });
/** Names a state may hold as a name or a link, and the API as a link (networks, topics, gateways). */
const named = (tf: string, cloud: string): AttributeMap => ({
  tf,
  cloud,
  steps: ['gcp-name-from-link', 'empty-equivalent'],
});
const set = (tf: string, cloud: string): AttributeMap => ({
  tf,
  cloud,
  tfConvert: 'string-list',
  cloudConvert: 'string-list',
  steps: ['order-insensitive', 'empty-equivalent'],
});
/** CIDR blocks Terraform writes as blocks (`{value}`, `{cidr_block}`) and the API as objects. */
const cidrBlocks = (tf: string, cloud: string, toTf: 'to-value-blocks' | 'to-cidr-blocks'): AttributeMap => ({
  tf,
  cloud,
  tfConvert: 'cidr-values',
  cloudConvert: 'cidr-values',
  steps: ['cidr-format', 'order-insensitive', 'empty-equivalent'],
  toTf,
});
const computed = (tf: string, cloud: string): AttributeMap => ({ tf, cloud, noise: 'computed' });

function gcp(tfType: string, attributes: AttributeMap[], extra: Partial<TypeMapping> = {}): TypeMapping {
  const row = existenceRow(tfType);
  if (!row) throw new Error(`gcp-inventory: ${tfType} has no asset name rule`);
  return {
    provider: 'gcp',
    tfType,
    cloudType: row.cloudType,
    level: 'attributes',
    id: { tf: 'id', kind: 'gcp-asset', template: row.id },
    account: ACCOUNT,
    region: REGION,
    attributes,
    ...extra,
  };
}

const address: AttributeMap[] = [
  text('address', 'address'),
  { tf: 'address_type', cloud: 'addressType', default: 'EXTERNAL' },
  text('purpose', 'purpose'),
  text('description', 'description'),
  labels(),
  computed('self_link', 'selfLink'),
];

/** Terraform google resources ↔ Cloud Asset `resource.data`. */
export const GCP_INVENTORY_MAPPINGS: readonly TypeMapping[] = [
  gcp(
    'google_sql_database_instance',
    [
      { tf: 'database_version', cloud: 'databaseVersion' },
      { tf: 'region', cloud: 'region' },
      { tf: 'settings.0.tier', cloud: 'settings.tier' },
      { tf: 'settings.0.availability_type', cloud: 'settings.availabilityType', default: 'ZONAL' },
      flag('settings.0.ip_configuration.0.ipv4_enabled', 'settings.ipConfiguration.ipv4Enabled', true),
      flag('settings.0.ip_configuration.0.require_ssl', 'settings.ipConfiguration.requireSsl', false),
      {
        tf: 'settings.0.ip_configuration.0.ssl_mode',
        cloud: 'settings.ipConfiguration.sslMode',
        default: 'ALLOW_UNENCRYPTED_AND_ENCRYPTED',
      },
      cidrBlocks(
        'settings.0.ip_configuration.0.authorized_networks',
        'settings.ipConfiguration.authorizedNetworks',
        'to-value-blocks',
      ),
      link('settings.0.ip_configuration.0.private_network', 'settings.ipConfiguration.privateNetwork'),
      flag('settings.0.backup_configuration.0.enabled', 'settings.backupConfiguration.enabled', false),
      flag(
        'settings.0.backup_configuration.0.point_in_time_recovery_enabled',
        'settings.backupConfiguration.pointInTimeRecoveryEnabled',
        false,
      ),
      flag('settings.0.deletion_protection_enabled', 'settings.deletionProtectionEnabled', false),
      {
        tf: 'settings.0.user_labels',
        cloud: 'settings.userLabels',
        tfConvert: 'string-map',
        cloudConvert: 'string-map',
        steps: ['empty-equivalent'],
      },
      // Storage auto-increase grows the disk without a configuration change.
      {
        tf: 'settings.0.disk_size',
        cloud: 'settings.dataDiskSizeGb',
        tfConvert: 'number',
        cloudConvert: 'number',
        noise: 'volatile',
      },
      computed('connection_name', 'connectionName'),
      computed('self_link', 'selfLink'),
    ],
    { importId: { cloudPath: 'name' } },
  ),
  gcp('google_container_cluster', [
    { tf: 'location', cloud: 'location' },
    named('network', 'network'),
    named('subnetwork', 'subnetwork'),
    text('release_channel.0.channel', 'releaseChannel.channel', { cloudMayOmit: true }),
    flag('private_cluster_config.0.enable_private_nodes', 'privateClusterConfig.enablePrivateNodes', false),
    flag('private_cluster_config.0.enable_private_endpoint', 'privateClusterConfig.enablePrivateEndpoint', false),
    cidrBlocks(
      'master_authorized_networks_config.0.cidr_blocks',
      'masterAuthorizedNetworksConfig.cidrBlocks',
      'to-cidr-blocks',
    ),
    flag('enable_legacy_abac', 'legacyAbac.enabled', false),
    flag('network_policy.0.enabled', 'networkPolicy.enabled', false),
    flag('enable_shielded_nodes', 'shieldedNodes.enabled', true),
    text('workload_identity_config.0.workload_pool', 'workloadIdentityConfig.workloadPool'),
    {
      tf: 'resource_labels',
      cloud: 'resourceLabels',
      tfConvert: 'string-map',
      cloudConvert: 'string-map',
      steps: ['gcp-provider-labels', 'empty-equivalent'],
    },
    { tf: 'master_version', cloud: 'currentMasterVersion', noise: 'volatile' },
    computed('endpoint', 'endpoint'),
    computed('self_link', 'selfLink'),
  ]),
  gcp(
    'google_service_account',
    [
      { tf: 'unique_id', cloud: 'uniqueId' },
      text('display_name', 'displayName'),
      text('description', 'description'),
      flag('disabled', 'disabled', false),
      computed('email', 'email'),
    ],
    { importId: { cloudPath: 'name' } },
  ),
  gcp('google_pubsub_topic', [
    named('name', 'name'),
    text('kms_key_name', 'kmsKeyName'),
    text('message_retention_duration', 'messageRetentionDuration'),
    set('message_storage_policy.0.allowed_persistence_regions', 'messageStoragePolicy.allowedPersistenceRegions'),
    labels(),
  ]),
  gcp('google_pubsub_subscription', [
    named('name', 'name'),
    named('topic', 'topic'),
    { tf: 'ack_deadline_seconds', cloud: 'ackDeadlineSeconds', tfConvert: 'number', default: 10 },
    { tf: 'message_retention_duration', cloud: 'messageRetentionDuration', default: '604800s' },
    flag('retain_acked_messages', 'retainAckedMessages', false),
    flag('enable_message_ordering', 'enableMessageOrdering', false),
    text('push_config.0.push_endpoint', 'pushConfig.pushEndpoint'),
    text('filter', 'filter'),
    labels(),
  ]),
  // Cloud Asset reports a Cloud Run service in the Knative form of the v1 API.
  gcp('google_cloud_run_v2_service', [
    { tf: 'name', cloud: 'metadata.name' },
    { tf: 'location', cloud: 'metadata.labels', cloudConvert: 'run-location' },
    { tf: 'ingress', cloud: 'metadata.annotations', cloudConvert: 'run-ingress', default: 'INGRESS_TRAFFIC_ALL' },
    text('template.0.service_account', 'spec.template.spec.serviceAccountName'),
    { tf: 'template.0.containers.0.image', cloud: 'spec.template.spec.containers.0.image' },
    labels('metadata.labels'),
    computed('uri', 'status.url'),
  ]),
  gcp('google_cloud_run_service', [
    { tf: 'name', cloud: 'metadata.name' },
    { tf: 'location', cloud: 'metadata.labels', cloudConvert: 'run-location' },
  ]),
  gcp('google_compute_route', [
    { tf: 'dest_range', cloud: 'destRange', steps: ['cidr-format'] },
    link('network', 'network'),
    { tf: 'priority', cloud: 'priority', tfConvert: 'number', default: 1000 },
    named('next_hop_gateway', 'nextHopGateway'),
    text('next_hop_ip', 'nextHopIp'),
    link('next_hop_instance', 'nextHopInstance'),
    text('next_hop_ilb', 'nextHopIlb'),
    set('tags', 'tags'),
    text('description', 'description'),
  ]),
  gcp('google_compute_address', [
    ...address,
    named('region', 'region'),
    { tf: 'network_tier', cloud: 'networkTier', default: 'PREMIUM' },
    link('subnetwork', 'subnetwork'),
    computed('users', 'users'),
  ]),
  gcp('google_compute_global_address', [
    ...address,
    { tf: 'ip_version', cloud: 'ipVersion', steps: ['empty-equivalent'] },
    {
      tf: 'prefix_length',
      cloud: 'prefixLength',
      tfConvert: 'number',
      cloudConvert: 'number',
      steps: ['empty-equivalent'],
    },
    link('network', 'network'),
  ]),
];
