import { azure, location, tags } from './azure.js';
import type { AttributeMap, TypeMapping } from './types.js';

/**
 * Azure types mapped attribute by attribute from the row Resource Graph already returns for
 * them (ARM's resource JSON: `properties`, `sku`, `identity`, `kind`), so no call per resource.
 * Every azurerm id is the ARM id; a child without a location takes its parent's (managed.ts).
 */

const flag = (tf: string, cloud: string, byDefault: boolean, extra: Partial<AttributeMap> = {}): AttributeMap => ({
  tf,
  cloud,
  tfConvert: 'bool',
  default: byDefault,
  ...extra,
});
/** ARM's `Enabled`/`Disabled` switch as a Terraform bool. */
const switched = (tf: string, cloud: string, byDefault: boolean, extra: Partial<AttributeMap> = {}): AttributeMap =>
  flag(tf, cloud, byDefault, { cloudConvert: 'enabled-switch', ...extra });
const ranges = (tf: string, cloud: string): AttributeMap => ({
  tf,
  cloud,
  tfConvert: 'string-list',
  cloudConvert: 'string-list',
  steps: ['cidr-format', 'order-insensitive', 'empty-equivalent'],
});
const idRef = (tf: string, cloud: string): AttributeMap => ({
  tf,
  cloud,
  steps: ['azure-id-case', 'empty-equivalent'],
});
const identityType: AttributeMap = { tf: 'identity.0.type', cloud: 'identity.type', steps: ['empty-equivalent'] };
const computed = (tf: string, cloud: string): AttributeMap => ({ tf, cloud, noise: 'computed' });

/**
 * Blob containers and role assignments have no location: Resource Graph rows carry none, and
 * discovery files them under `global` (agents/providers/azure-resource-graph.ts).
 */
const GLOBAL: Partial<TypeMapping> = { region: [{ from: 'fixed', value: 'global' }] };

const SQL_SERVER = 'Microsoft.Sql/servers';
const SQL_DATABASE = 'Microsoft.Sql/servers/databases';
const SITE = 'Microsoft.Web/sites';

const sqlServer: AttributeMap[] = [
  location,
  { tf: 'version', cloud: 'properties.version' },
  { tf: 'administrator_login', cloud: 'properties.administratorLogin', steps: ['empty-equivalent'] },
  { tf: 'minimum_tls_version', cloud: 'properties.minimalTlsVersion', default: '1.2' },
  switched('public_network_access_enabled', 'properties.publicNetworkAccess', true),
  switched('outbound_network_restriction_enabled', 'properties.restrictOutboundNetworkAccess', false),
  identityType,
  computed('fully_qualified_domain_name', 'properties.fullyQualifiedDomainName'),
  tags,
];

/**
 * Resource Graph carries a site's `siteConfig` with most fields null, so settings read from it
 * count only when the row reports them.
 */
const siteConfig = (tf: string, cloud: string, byDefault?: string): AttributeMap => ({
  tf,
  cloud,
  cloudMayOmit: true,
  ...(byDefault ? { default: byDefault } : {}),
});
const webApp: AttributeMap[] = [
  location,
  flag('https_only', 'properties.httpsOnly', false),
  switched('public_network_access_enabled', 'properties.publicNetworkAccess', true, { cloudMayOmit: true }),
  flag('client_certificate_enabled', 'properties.clientCertEnabled', false),
  idRef('service_plan_id', 'properties.serverFarmId'),
  siteConfig('site_config.0.minimum_tls_version', 'properties.siteConfig.minTlsVersion', '1.2'),
  siteConfig('site_config.0.ftps_state', 'properties.siteConfig.ftpsState'),
  identityType,
  computed('default_hostname', 'properties.defaultHostName'),
  { tf: 'outbound_ip_addresses', cloud: 'properties.outboundIpAddresses', noise: 'volatile' },
  tags,
];
/** Function apps and the legacy App Service types share the site's type: their common settings. */
const otherSite: AttributeMap[] = [location, flag('https_only', 'properties.httpsOnly', false), identityType, tags];
const siteKind = (kind: string) => ({ codifyWhen: { cloudPath: 'kind', equals: kind } });

/** Terraform azurerm resources ↔ Resource Graph rows (ARM resource JSON). */
export const AZURE_INVENTORY_MAPPINGS: readonly TypeMapping[] = [
  azure('azurerm_mssql_server', SQL_SERVER, sqlServer),
  azure('azurerm_sql_server', SQL_SERVER, [location, { tf: 'version', cloud: 'properties.version' }, tags]),
  azure(
    'azurerm_mssql_database',
    SQL_DATABASE,
    [
      { tf: 'sku_name', cloud: 'sku.name' },
      { tf: 'max_size_gb', cloud: 'properties.maxSizeBytes', tfConvert: 'number', cloudConvert: 'bytes-to-gib' },
      { tf: 'collation', cloud: 'properties.collation', default: 'SQL_Latin1_General_CP1_CI_AS' },
      flag('zone_redundant', 'properties.zoneRedundant', false),
      switched('read_scale', 'properties.readScale', false),
      { tf: 'storage_account_type', cloud: 'properties.requestedBackupStorageRedundancy', default: 'Geo' },
      tags,
    ],
    { region: [] },
  ),
  azure('azurerm_sql_database', SQL_DATABASE, [location, tags]),
  azure('azurerm_key_vault', 'Microsoft.KeyVault/vaults', [
    location,
    { tf: 'sku_name', cloud: 'properties.sku.name', steps: ['case-insensitive'] },
    { tf: 'tenant_id', cloud: 'properties.tenantId' },
    {
      tf: 'soft_delete_retention_days',
      cloud: 'properties.softDeleteRetentionInDays',
      tfConvert: 'number',
      default: 90,
    },
    flag('purge_protection_enabled', 'properties.enablePurgeProtection', false),
    flag('enable_rbac_authorization', 'properties.enableRbacAuthorization', false),
    switched('public_network_access_enabled', 'properties.publicNetworkAccess', true),
    flag('enabled_for_disk_encryption', 'properties.enabledForDiskEncryption', false),
    { tf: 'network_acls.0.default_action', cloud: 'properties.networkAcls.defaultAction', default: 'Allow' },
    { tf: 'network_acls.0.bypass', cloud: 'properties.networkAcls.bypass', default: 'AzureServices' },
    ranges('network_acls.0.ip_rules', 'properties.networkAcls.ipRules[].value'),
    computed('vault_uri', 'properties.vaultUri'),
    tags,
  ]),
  azure('azurerm_linux_web_app', SITE, webApp, siteKind('app,linux')),
  azure('azurerm_windows_web_app', SITE, webApp, siteKind('app')),
  azure('azurerm_linux_function_app', SITE, otherSite, siteKind('functionapp,linux')),
  azure('azurerm_windows_function_app', SITE, otherSite, siteKind('functionapp')),
  azure('azurerm_app_service', SITE, otherSite),
  azure('azurerm_function_app', SITE, otherSite),
  azure('azurerm_kubernetes_cluster', 'Microsoft.ContainerService/managedClusters', [
    location,
    { tf: 'kubernetes_version', cloud: 'properties.kubernetesVersion' },
    { tf: 'dns_prefix', cloud: 'properties.dnsPrefix' },
    { tf: 'sku_tier', cloud: 'sku.tier', default: 'Free' },
    flag('private_cluster_enabled', 'properties.apiServerAccessProfile.enablePrivateCluster', false),
    ranges('api_server_access_profile.0.authorized_ip_ranges', 'properties.apiServerAccessProfile.authorizedIPRanges'),
    flag('role_based_access_control_enabled', 'properties.enableRBAC', true),
    flag('local_account_disabled', 'properties.disableLocalAccounts', false),
    flag('azure_policy_enabled', 'properties.addonProfiles.azurepolicy.enabled', false),
    { tf: 'default_node_pool.0.vm_size', cloud: 'properties.agentPoolProfiles.0.vmSize', steps: ['case-insensitive'] },
    // The cluster autoscaler moves the count without anyone touching configuration.
    {
      tf: 'default_node_pool.0.node_count',
      cloud: 'properties.agentPoolProfiles.0.count',
      tfConvert: 'number',
      noise: 'volatile',
    },
    identityType,
    computed('fqdn', 'properties.fqdn'),
    computed('node_resource_group', 'properties.nodeResourceGroup'),
    { tf: 'current_kubernetes_version', cloud: 'properties.currentKubernetesVersion', noise: 'volatile' },
    tags,
  ]),
  azure('azurerm_lb', 'Microsoft.Network/loadBalancers', [
    location,
    { tf: 'sku', cloud: 'sku.name', steps: ['case-insensitive'] },
    { tf: 'sku_tier', cloud: 'sku.tier', default: 'Regional' },
    { tf: 'frontend_ip_configuration.0.name', cloud: 'properties.frontendIPConfigurations.0.name' },
    idRef(
      'frontend_ip_configuration.0.public_ip_address_id',
      'properties.frontendIPConfigurations.0.properties.publicIPAddress.id',
    ),
    idRef('frontend_ip_configuration.0.subnet_id', 'properties.frontendIPConfigurations.0.properties.subnet.id'),
    {
      tf: 'frontend_ip_configuration.0.private_ip_address_allocation',
      cloud: 'properties.frontendIPConfigurations.0.properties.privateIPAllocationMethod',
      default: 'Dynamic',
    },
    tags,
  ]),
  azure(
    'azurerm_storage_container',
    'Microsoft.Storage/storageAccounts/blobServices/containers',
    [
      {
        tf: 'container_access_type',
        cloud: 'properties.publicAccess',
        cloudConvert: 'azure-container-access',
        default: 'private',
      },
      {
        tf: 'metadata',
        cloud: 'properties.metadata',
        tfConvert: 'string-map',
        cloudConvert: 'string-map',
        steps: ['empty-equivalent'],
      },
      computed('default_encryption_scope', 'properties.defaultEncryptionScope'),
      computed('has_immutability_policy', 'properties.hasImmutabilityPolicy'),
      computed('has_legal_hold', 'properties.hasLegalHold'),
    ],
    // azurerm 3.x keeps the blob endpoint URL in `id`; both major versions keep the ARM id here.
    { ...GLOBAL, id: { tf: 'resource_manager_id', kind: 'azure' } },
  ),
  azure(
    'azurerm_role_assignment',
    'Microsoft.Authorization/roleAssignments',
    [
      idRef('scope', 'properties.scope'),
      {
        tf: 'role_definition_id',
        cloud: 'properties.roleDefinitionId',
        tfConvert: 'azure-role-definition',
        cloudConvert: 'azure-role-definition',
        toTf: 'azure-role-definition-id',
      },
      { tf: 'principal_id', cloud: 'properties.principalId', steps: ['case-insensitive'] },
      { tf: 'principal_type', cloud: 'properties.principalType', steps: ['empty-equivalent'] },
      { tf: 'condition', cloud: 'properties.condition', steps: ['empty-equivalent'] },
      { tf: 'description', cloud: 'properties.description', steps: ['empty-equivalent'] },
    ],
    GLOBAL,
  ),
  azure('azurerm_container_registry', 'Microsoft.ContainerRegistry/registries', [
    location,
    { tf: 'sku', cloud: 'sku.name', steps: ['case-insensitive'] },
    flag('admin_enabled', 'properties.adminUserEnabled', false),
    switched('public_network_access_enabled', 'properties.publicNetworkAccess', true),
    flag('anonymous_pull_enabled', 'properties.anonymousPullEnabled', false),
    computed('login_server', 'properties.loginServer'),
    tags,
  ]),
];
