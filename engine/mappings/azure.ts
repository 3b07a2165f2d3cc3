import type { AttributeMap, ScopeSource, TypeMapping } from './types.js';

const ACCOUNT: ScopeSource[] = [{ from: 'azure-id' }];
const REGION: ScopeSource[] = [{ from: 'attr', path: 'location', form: 'azure-location' }];

export const location: AttributeMap = { tf: 'location', cloud: 'location', steps: ['azure-location-format'] };
export const tags: AttributeMap = {
  tf: 'tags',
  cloud: 'tags',
  tfConvert: 'string-map',
  cloudConvert: 'string-map',
  steps: ['azure-tag-key-case', 'empty-equivalent'],
};
const idRefs = (tf: string, cloud: string): AttributeMap => ({
  tf,
  cloud,
  tfConvert: 'string-list',
  cloudConvert: 'string-list',
  steps: ['azure-id-case', 'order-insensitive'],
});
const cidrs = (tf: string, cloud: string): AttributeMap => ({
  tf,
  cloud,
  tfConvert: 'string-list',
  cloudConvert: 'string-list',
  steps: ['cidr-format', 'order-insensitive'],
});

export const azure = (
  tfType: string,
  cloudType: string,
  attributes: AttributeMap[],
  extra: Partial<TypeMapping> = {},
): TypeMapping => ({
  provider: 'azure',
  tfType,
  cloudType,
  level: 'attributes',
  id: { tf: 'id', kind: 'azure' },
  account: ACCOUNT,
  region: REGION,
  attributes,
  ...extra,
});

const VM = 'Microsoft.Compute/virtualMachines';
const vmCommon: AttributeMap[] = [
  location,
  idRefs('network_interface_ids', 'properties.networkProfile.networkInterfaces[].id'),
  { tf: 'zone', cloud: 'zones.0', steps: ['empty-equivalent'] },
  { tf: 'admin_username', cloud: 'properties.osProfile.adminUsername' },
  { tf: 'computer_name', cloud: 'properties.osProfile.computerName', noise: 'computed' },
  {
    tf: 'os_disk.0.storage_account_type',
    cloud: 'properties.storageProfile.osDisk.managedDisk.storageAccountType',
    steps: ['case-insensitive'],
  },
  { tf: 'vm_id', cloud: 'properties.vmId', noise: 'computed' },
  tags,
];

/** Terraform azurerm resources ↔ ARM resource JSON. */
export const AZURE_MAPPINGS: TypeMapping[] = [
  azure(
    'azurerm_linux_virtual_machine',
    VM,
    [{ tf: 'size', cloud: 'properties.hardwareProfile.vmSize', steps: ['case-insensitive'] }, ...vmCommon],
    {
      codifyWhen: { cloudPath: 'properties.storageProfile.osDisk.osType', equals: 'Linux' },
    },
  ),
  azure(
    'azurerm_windows_virtual_machine',
    VM,
    [{ tf: 'size', cloud: 'properties.hardwareProfile.vmSize', steps: ['case-insensitive'] }, ...vmCommon],
    {
      codifyWhen: { cloudPath: 'properties.storageProfile.osDisk.osType', equals: 'Windows' },
    },
  ),
  azure('azurerm_virtual_machine', VM, [
    { tf: 'vm_size', cloud: 'properties.hardwareProfile.vmSize', steps: ['case-insensitive'] },
    location,
    idRefs('network_interface_ids', 'properties.networkProfile.networkInterfaces[].id'),
    tags,
  ]),
  azure('azurerm_managed_disk', 'Microsoft.Compute/disks', [
    location,
    { tf: 'disk_size_gb', cloud: 'properties.diskSizeGB', tfConvert: 'number', cloudConvert: 'number' },
    { tf: 'storage_account_type', cloud: 'sku.name', steps: ['case-insensitive'] },
    { tf: 'create_option', cloud: 'properties.creationData.createOption', steps: ['case-insensitive'] },
    { tf: 'zone', cloud: 'zones.0', steps: ['empty-equivalent'] },
    { tf: 'disk_state', cloud: 'properties.diskState', noise: 'volatile' },
    tags,
  ]),
  azure('azurerm_virtual_network', 'Microsoft.Network/virtualNetworks', [
    location,
    cidrs('address_space', 'properties.addressSpace.addressPrefixes'),
    {
      tf: 'dns_servers',
      cloud: 'properties.dhcpOptions.dnsServers',
      tfConvert: 'string-list',
      cloudConvert: 'string-list',
      steps: ['order-insensitive', 'empty-equivalent'],
    },
    { tf: 'guid', cloud: 'properties.resourceGuid', noise: 'computed' },
    tags,
  ]),
  azure(
    'azurerm_subnet',
    'Microsoft.Network/virtualNetworks/subnets',
    [
      cidrs('address_prefixes', 'properties.addressPrefixes|properties.addressPrefix'),
      {
        tf: 'service_endpoints',
        cloud: 'properties.serviceEndpoints[].service',
        tfConvert: 'string-list',
        cloudConvert: 'string-list',
        steps: ['order-insensitive', 'empty-equivalent'],
      },
    ],
    {
      region: [],
      codifyExtra: [{ tf: 'virtual_network_name', cloud: 'id', convert: 'azure-subnet-vnet' }],
    },
  ),
  azure('azurerm_network_security_group', 'Microsoft.Network/networkSecurityGroups', [
    location,
    {
      tf: 'security_rule',
      cloud: 'properties.securityRules',
      tfConvert: 'azure-nsg-rules-tf',
      cloudConvert: 'azure-nsg-rules-cloud',
      steps: ['order-insensitive'],
      toTf: 'azure-nsg-rules-to-tf',
    },
    tags,
  ]),
  azure('azurerm_public_ip', 'Microsoft.Network/publicIPAddresses', [
    location,
    { tf: 'allocation_method', cloud: 'properties.publicIPAllocationMethod', steps: ['case-insensitive'] },
    { tf: 'sku', cloud: 'sku.name', steps: ['case-insensitive'], default: 'Standard' },
    { tf: 'ip_version', cloud: 'properties.publicIPAddressVersion', steps: ['case-insensitive'], default: 'IPv4' },
    { tf: 'idle_timeout_in_minutes', cloud: 'properties.idleTimeoutInMinutes', tfConvert: 'number', default: 4 },
    {
      tf: 'zones',
      cloud: 'zones',
      tfConvert: 'string-list',
      cloudConvert: 'string-list',
      steps: ['order-insensitive', 'empty-equivalent'],
    },
    { tf: 'ip_address', cloud: 'properties.ipAddress', steps: ['empty-equivalent'], noise: 'volatile-when-present' },
    tags,
  ]),
  azure('azurerm_storage_account', 'Microsoft.Storage/storageAccounts', [
    location,
    { tf: 'account_tier', cloud: 'sku.tier', steps: ['case-insensitive'] },
    {
      tf: 'account_replication_type',
      cloud: 'sku.name',
      cloudConvert: 'azure-replication',
      steps: ['case-insensitive'],
    },
    { tf: 'account_kind', cloud: 'kind', default: 'StorageV2' },
    {
      tf: 'https_traffic_only_enabled',
      cloud: 'properties.supportsHttpsTrafficOnly',
      tfConvert: 'bool',
      default: true,
    },
    { tf: 'min_tls_version', cloud: 'properties.minimumTlsVersion', default: 'TLS1_2' },
    {
      tf: 'allow_nested_items_to_be_public',
      cloud: 'properties.allowBlobPublicAccess',
      tfConvert: 'bool',
      default: false,
    },
    {
      tf: 'infrastructure_encryption_enabled',
      cloud: 'properties.encryption.requireInfrastructureEncryption',
      tfConvert: 'bool',
      default: false,
    },
    { tf: 'primary_blob_endpoint', cloud: 'properties.primaryEndpoints.blob', noise: 'computed' },
    tags,
  ]),
  azure('azurerm_resource_group', 'Microsoft.Resources/resourceGroups', [location, tags]),
];
