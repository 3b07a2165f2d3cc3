import type { DiscoveredResource } from '../../contract/resource.js';
import { parseTerraformState } from '../../engine/index.js';
import { type EvalCase, stateResource } from './case.js';

/**
 * Hand-written cases for the riskiest Azure and GCP types read from Resource Graph and Cloud
 * Asset: a database made public, Key Vault purge protection off, a cluster made public or its
 * authorization loosened, a public database made by hand; beside them the formats a state and
 * these documents spell differently (location display names, SKU case, names for links).
 */

const SUB = '3a9e1c55-0d2b-4f61-9b7e-5c2d8a6f1e40';
const PROJECT = 'acme-data';
const RG = `/subscriptions/${SUB}/resourceGroups/rg-data/providers`;
const SQL_SERVER = `${RG}/Microsoft.Sql/servers/sql-orders`;
const VAULT = `${RG}/Microsoft.KeyVault/vaults/kv-orders`;
const AKS = `${RG}/Microsoft.ContainerService/managedClusters/aks-orders`;
const SQL_ASSET = `//cloudsql.googleapis.com/projects/${PROJECT}/instances/orders-pg`;
const ROGUE_SQL_ASSET = `//cloudsql.googleapis.com/projects/${PROJECT}/instances/debug-copy`;
const GKE_ASSET = `//container.googleapis.com/projects/${PROJECT}/locations/europe-west1/clusters/orders`;
const AZ_PROVIDER = 'provider["registry.terraform.io/hashicorp/azurerm"]';
const GCP_PROVIDER = 'provider["registry.terraform.io/hashicorp/google"]';
const OFFICE = '203.0.113.0/24';

type Attrs = Record<string, unknown>;

const azure = (type: string, id: string, json: Attrs): DiscoveredResource => {
  const name = id.slice(id.lastIndexOf('/') + 1);
  return {
    provider: 'azure',
    account: SUB,
    region: 'westeurope',
    type,
    id,
    name,
    attributes: { id, name, type: type.toLowerCase(), location: 'westeurope', tags: { app: 'orders' }, ...json },
    tags: { app: 'orders' },
  };
};

const gcp = (type: string, id: string, region: string, data: Attrs): DiscoveredResource => ({
  provider: 'gcp',
  account: PROJECT,
  region,
  type,
  id,
  name: String(data.name),
  attributes: data,
  tags: {},
});

const sqlInstance = (name: string, ipConfiguration: Attrs): Attrs => ({
  kind: 'sql#instance',
  name,
  project: PROJECT,
  region: 'europe-west1',
  databaseVersion: 'POSTGRES_16',
  connectionName: `${PROJECT}:europe-west1:${name}`,
  settings: {
    tier: 'db-custom-2-7680',
    availabilityType: 'REGIONAL',
    dataDiskSizeGb: '100',
    ipConfiguration,
    backupConfiguration: { enabled: true, pointInTimeRecoveryEnabled: true },
    deletionProtectionEnabled: true,
  },
});

function inventory(): DiscoveredResource[] {
  return [
    azure('Microsoft.Sql/servers', SQL_SERVER, {
      kind: 'v12.0',
      properties: {
        administratorLogin: 'sqladmin',
        version: '12.0',
        minimalTlsVersion: '1.0',
        publicNetworkAccess: 'Enabled',
        restrictOutboundNetworkAccess: 'Disabled',
        fullyQualifiedDomainName: 'sql-orders.database.windows.net',
      },
    }),
    // Azure leaves enablePurgeProtection out of a vault that does not have it.
    azure('Microsoft.KeyVault/vaults', VAULT, {
      properties: {
        sku: { family: 'A', name: 'standard' },
        tenantId: '72f988bf-0000-4000-8000-00000000a1b2',
        enableSoftDelete: true,
        softDeleteRetentionInDays: 90,
        enableRbacAuthorization: true,
        publicNetworkAccess: 'Disabled',
        networkAcls: { bypass: 'AzureServices', defaultAction: 'Deny', ipRules: [{ value: '203.0.113.0/24' }] },
        vaultUri: 'https://kv-orders.vault.azure.net/',
      },
    }),
    azure('Microsoft.ContainerService/managedClusters', AKS, {
      sku: { name: 'Base', tier: 'Standard' },
      properties: {
        kubernetesVersion: '1.30.5',
        currentKubernetesVersion: '1.30.5',
        dnsPrefix: 'aks-orders',
        enableRBAC: true,
        disableLocalAccounts: true,
        apiServerAccessProfile: { enablePrivateCluster: false },
        agentPoolProfiles: [{ name: 'system', count: 5, vmSize: 'Standard_D4s_v5', mode: 'System' }],
      },
    }),
    gcp(
      'sqladmin.googleapis.com/Instance',
      SQL_ASSET,
      'europe-west1',
      sqlInstance('orders-pg', {
        ipv4Enabled: true,
        requireSsl: true,
        authorizedNetworks: [
          { kind: 'sql#aclEntry', name: 'office', value: OFFICE },
          { kind: 'sql#aclEntry', name: 'anywhere', value: '0.0.0.0/0' },
        ],
      }),
    ),
    gcp(
      'sqladmin.googleapis.com/Instance',
      ROGUE_SQL_ASSET,
      'europe-west1',
      sqlInstance('debug-copy', { ipv4Enabled: true, authorizedNetworks: [{ value: '0.0.0.0/0' }] }),
    ),
    gcp('container.googleapis.com/Cluster', GKE_ASSET, 'europe-west1', {
      name: 'orders',
      location: 'europe-west1',
      network: `projects/${PROJECT}/global/networks/vpc-data`,
      subnetwork: `projects/${PROJECT}/regions/europe-west1/subnetworks/gke`,
      privateClusterConfig: { enablePrivateNodes: true },
      masterAuthorizedNetworksConfig: { enabled: true, cidrBlocks: [{ cidrBlock: OFFICE }] },
      legacyAbac: { enabled: true },
      networkPolicy: { enabled: true },
      shieldedNodes: { enabled: true },
      currentMasterVersion: '1.31.1-gke.1678000',
    }),
  ];
}

const resource = (type: string, name: string, provider: string, attributes: Attrs) =>
  stateResource(provider, type, name, attributes);

function state(): unknown {
  return {
    version: 4,
    terraform_version: '1.9.8',
    serial: 12,
    lineage: '6f1d2c3b-0000-4000-8000-0000000000c7',
    outputs: {},
    resources: [
      resource('azurerm_mssql_server', 'orders', AZ_PROVIDER, {
        id: SQL_SERVER,
        name: 'sql-orders',
        location: 'West Europe',
        version: '12.0',
        administrator_login: 'sqladmin',
        minimum_tls_version: '1.2',
        public_network_access_enabled: false,
        outbound_network_restriction_enabled: false,
        fully_qualified_domain_name: 'sql-orders.database.windows.net',
        tags: { app: 'orders' },
      }),
      resource('azurerm_key_vault', 'orders', AZ_PROVIDER, {
        id: VAULT,
        name: 'kv-orders',
        location: 'westeurope',
        sku_name: 'Standard',
        tenant_id: '72f988bf-0000-4000-8000-00000000a1b2',
        soft_delete_retention_days: 90,
        purge_protection_enabled: true,
        enable_rbac_authorization: true,
        public_network_access_enabled: false,
        network_acls: [{ bypass: 'AzureServices', default_action: 'Deny', ip_rules: ['203.0.113.0/24'] }],
        tags: { app: 'orders' },
      }),
      resource('azurerm_kubernetes_cluster', 'orders', AZ_PROVIDER, {
        id: AKS,
        name: 'aks-orders',
        location: 'westeurope',
        kubernetes_version: '1.30.5',
        dns_prefix: 'aks-orders',
        sku_tier: 'Standard',
        private_cluster_enabled: true,
        role_based_access_control_enabled: true,
        local_account_disabled: true,
        default_node_pool: [{ name: 'system', vm_size: 'Standard_D4s_v5', node_count: 3 }],
        tags: { app: 'orders' },
      }),
      resource('google_sql_database_instance', 'orders', GCP_PROVIDER, {
        id: 'orders-pg',
        name: 'orders-pg',
        project: PROJECT,
        region: 'europe-west1',
        database_version: 'POSTGRES_16',
        settings: [
          {
            tier: 'db-custom-2-7680',
            availability_type: 'REGIONAL',
            disk_size: 50,
            deletion_protection_enabled: true,
            ip_configuration: [
              { ipv4_enabled: false, require_ssl: true, authorized_networks: [{ name: 'office', value: OFFICE }] },
            ],
            backup_configuration: [{ enabled: true, point_in_time_recovery_enabled: true }],
          },
        ],
      }),
      resource('google_container_cluster', 'orders', GCP_PROVIDER, {
        id: `projects/${PROJECT}/locations/europe-west1/clusters/orders`,
        name: 'orders',
        project: PROJECT,
        location: 'europe-west1',
        network: 'vpc-data',
        subnetwork: 'gke',
        private_cluster_config: [{ enable_private_nodes: true }],
        master_authorized_networks_config: [{ cidr_blocks: [{ cidr_block: OFFICE, display_name: 'office' }] }],
        enable_legacy_abac: false,
        network_policy: [{ enabled: true }],
        enable_shielded_nodes: true,
      }),
    ],
  };
}

export function inventoryTypeCases(): EvalCase[] {
  const sqlServer = 'azurerm_mssql_server.orders';
  const gcpSql = 'google_sql_database_instance.orders';
  return [
    {
      name: 'Azure and GCP inventory documents: databases made public, purge protection off, clusters loosened',
      states: [parseTerraformState(JSON.stringify(state()), 'inventory.tfstate')],
      inventory: inventory(),
      expected: {
        drift: [
          {
            kind: 'changed',
            address: sqlServer,
            id: SQL_SERVER,
            paths: ['minimum_tls_version', 'public_network_access_enabled'],
          },
          { kind: 'changed', address: 'azurerm_key_vault.orders', id: VAULT, paths: ['purge_protection_enabled'] },
          {
            kind: 'changed',
            address: 'azurerm_kubernetes_cluster.orders',
            id: AKS,
            paths: ['private_cluster_enabled'],
          },
          {
            kind: 'changed',
            address: gcpSql,
            id: SQL_ASSET,
            paths: ['settings.0.ip_configuration.0.ipv4_enabled', 'settings.0.ip_configuration.0.authorized_networks'],
          },
          {
            kind: 'changed',
            address: 'google_container_cluster.orders',
            id: GKE_ASSET,
            paths: ['enable_legacy_abac'],
          },
          { kind: 'unmanaged', id: ROGUE_SQL_ASSET },
        ],
        noise: [
          { address: sqlServer, path: 'location', rule: 'azure-location-format' },
          { address: 'azurerm_key_vault.orders', path: 'sku_name', rule: 'case-insensitive' },
          { address: 'azurerm_kubernetes_cluster.orders', path: 'default_node_pool.0.node_count', rule: 'volatile' },
          { address: gcpSql, path: 'settings.0.disk_size', rule: 'volatile' },
          { address: 'google_container_cluster.orders', path: 'network', rule: 'gcp-name-from-link' },
          { address: 'google_container_cluster.orders', path: 'subnetwork', rule: 'gcp-name-from-link' },
        ],
      },
    },
  ];
}
