import type { DiscoveredResource } from '../../contract/resource.js';
import { frozen } from '../frozen.js';
import { chance, int, pick } from '../rng.js';
import type { CloudEstateGenerator, Rng } from '../types.js';
import {
  APPS,
  DEFAULT_NSG_RULES,
  type DiskSku,
  diskPerformance,
  ENVIRONMENTS,
  NSG_RULE_TEMPLATES,
  OS_IMAGES,
  type OsImage,
  OWNERS,
  regionCode,
  STORAGE_SKUS,
  SUBNET_ROLES,
  VM_SIZES,
} from './estate-data.js';

/**
 * An Azure estate as ARM reports it, per subscription and region: resource groups, networks with
 * subnets and NSGs, VMs with disks and NICs, public IPs and storage accounts. Long on purpose: one
 * small builder per ARM type, and the references between them wired in one place.
 */

type Json = Record<string, unknown>;
type Tags = Record<string, string>;

export const ARM_TYPES = {
  resourceGroup: 'Microsoft.Resources/resourceGroups',
  virtualMachine: 'Microsoft.Compute/virtualMachines',
  disk: 'Microsoft.Compute/disks',
  virtualNetwork: 'Microsoft.Network/virtualNetworks',
  subnet: 'Microsoft.Network/virtualNetworks/subnets',
  networkSecurityGroup: 'Microsoft.Network/networkSecurityGroups',
  publicIp: 'Microsoft.Network/publicIPAddresses',
  storageAccount: 'Microsoft.Storage/storageAccounts',
} as const;

const GIB = 1024 ** 3;

/** n hex digits drawn eight at a time: few string pieces, so half a million ids stay cheap. */
function hex(rng: Rng, n: number): string {
  const parts: string[] = [];
  for (let left = n; left > 0; left -= 8) {
    parts.push(
      Math.floor(rng() * 0x100000000)
        .toString(16)
        .padStart(8, '0')
        .slice(0, Math.min(8, left)),
    );
  }
  return parts.join('');
}

/** A version-4-shaped GUID (vmId, resourceGuid, uniqueId). */
function uuid(rng: Rng): string {
  const h = hex(rng, 32);
  const variant = '89ab'[Math.floor(rng() * 4)] as string;
  return [h.slice(0, 8), h.slice(8, 12), `4${h.slice(13, 16)}`, `${variant}${h.slice(17, 20)}`, h.slice(20)].join('-');
}

/** Creation times fall in 2022–2024, so the estate is the same whatever day it is generated. */
const EPOCH_START = Date.UTC(2022, 0, 1);
const EPOCH_SPAN_MS = 3 * 365 * 24 * 3600 * 1000;

/** The estate being built: the output list plus the counters that keep names unique. */
class EstateBuilder {
  readonly resources: DiscoveredResource[] = [];
  private storageAccounts = 0;

  constructor(readonly rng: Rng) {}

  add(account: string, region: string, type: string, attributes: Json, tags: Tags = {}): void {
    const id = attributes.id as string;
    const name = attributes.name as string;
    this.resources.push({ provider: 'azure', account, region, type, id, name, attributes, tags });
  }

  /** Storage account names are global across Azure: 3–24 lowercase letters and digits. */
  storageAccountName(app: string, env: string): string {
    const serial = (this.storageAccounts++).toString(36);
    return `st${app.slice(0, 6)}${env.slice(0, 4)}${serial}${hex(this.rng, 4)}`;
  }

  /** Compute's timestamp style: seven fractional digits and an explicit offset. */
  computeTime(): string {
    return this.time().replace('Z', '0000+00:00');
  }

  /** Storage's timestamp style: seven fractional digits, Z. */
  storageTime(): string {
    return this.time().replace('Z', '0000Z');
  }

  private time(): string {
    return new Date(EPOCH_START + Math.floor(this.rng() * EPOCH_SPAN_MS)).toISOString();
  }

  etag(): string {
    return `W/"${uuid(this.rng)}"`;
  }
}

/** Where one workload lives: a resource group in one subscription and region. */
interface Placement {
  account: string;
  region: string;
  /** `/subscriptions/{id}/resourceGroups/{name}`: every id in the group starts with it. */
  groupId: string;
  tags: Tags;
  /** The workload's serial number, used for address spaces and names. */
  serial: number;
}

function providerId(p: Placement, namespaceAndType: string, name: string): string {
  return `${p.groupId}/providers/${namespaceAndType}/${name}`;
}

function resourceGroupJson(account: string, name: string, location: string, tags: Tags): Json {
  return {
    id: `/subscriptions/${account}/resourceGroups/${name}`,
    name,
    type: ARM_TYPES.resourceGroup,
    location,
    ...(Object.keys(tags).length > 0 ? { tags } : {}),
    properties: SHARED.provisioned,
  };
}

/**
 * Resource groups Azure makes by itself: NetworkWatcherRG (network watcher is enabled per
 * region when the first virtual network is created) and DefaultResourceGroup-<code> (monitoring
 * and Log Analytics defaults). Nobody's Terraform manages them.
 */
function addPlatformResourceGroups(b: EstateBuilder, account: string, regions: readonly string[]): void {
  const first = regions[0] as string;
  b.add(account, first, ARM_TYPES.resourceGroup, resourceGroupJson(account, 'NetworkWatcherRG', first, {}));
  for (const region of regions) {
    const name = `DefaultResourceGroup-${regionCode(region)}`;
    b.add(account, region, ARM_TYPES.resourceGroup, resourceGroupJson(account, name, region, {}));
  }
}

/** Most workloads are Terraform-managed and tagged; some were clicked together and carry no tags. */
function workloadTags(rng: Rng, app: string, env: string): Tags {
  if (chance(rng, 0.15)) return {};
  const tags: Tags = { environment: env, application: app, owner: pick(rng, OWNERS) };
  if (chance(rng, 0.8)) tags['managed-by'] = 'terraform';
  if (chance(rng, 0.5)) tags['cost-center'] = `cc-${int(rng, 1000, 9999)}`;
  return tags;
}

interface SubnetRecord {
  json: Json & { properties: Json & { ipConfigurations: Json[] } };
}

interface NetworkRecord {
  subnets: SubnetRecord[];
}

/** Rule bodies are the same in every NSG (only ids and etags differ), so they are built once. */
const RULE_ARRAYS = {
  sourcePortRanges: [],
  destinationPortRanges: [],
  sourceAddressPrefixes: [],
  destinationAddressPrefixes: [],
};

const CUSTOM_RULE_PROPERTIES = frozen(
  NSG_RULE_TEMPLATES.map((rule, i) => ({
    provisioningState: 'Succeeded',
    protocol: rule.protocol,
    sourcePortRange: '*',
    destinationPortRange: rule.port,
    sourceAddressPrefix: rule.source,
    destinationAddressPrefix: '*',
    access: 'Allow',
    priority: 100 + i * 10,
    direction: 'Inbound',
    ...RULE_ARRAYS,
  })),
);

const DEFAULT_RULE_PROPERTIES = frozen(
  DEFAULT_NSG_RULES.map((rule) => ({
    provisioningState: 'Succeeded',
    description: rule.description,
    protocol: '*',
    sourcePortRange: '*',
    destinationPortRange: '*',
    sourceAddressPrefix: rule.source,
    destinationAddressPrefix: rule.destination,
    access: rule.access,
    priority: rule.priority,
    direction: rule.direction,
    ...RULE_ARRAYS,
  })),
);

function ruleJson(
  nsgId: string,
  etag: string,
  kind: 'securityRules' | 'defaultSecurityRules',
  name: string,
  properties: Json,
): Json {
  return { name, id: `${nsgId}/${kind}/${name}`, etag, type: `${ARM_TYPES.networkSecurityGroup}/${kind}`, properties };
}

function addNetworkSecurityGroup(b: EstateBuilder, p: Placement, subnetIds: string[], appName: string): string {
  const name = `nsg-${appName}-${p.serial}`;
  const id = providerId(p, ARM_TYPES.networkSecurityGroup, name);
  const etag = b.etag();
  const ruleCount = int(b.rng, 1, NSG_RULE_TEMPLATES.length);
  const securityRules = NSG_RULE_TEMPLATES.slice(0, ruleCount).map((rule, i) =>
    ruleJson(id, etag, 'securityRules', rule.name, CUSTOM_RULE_PROPERTIES[i] as Json),
  );
  const defaultSecurityRules = DEFAULT_NSG_RULES.map((rule, i) =>
    ruleJson(id, etag, 'defaultSecurityRules', rule.name, DEFAULT_RULE_PROPERTIES[i] as Json),
  );
  b.add(
    p.account,
    p.region,
    ARM_TYPES.networkSecurityGroup,
    {
      name,
      id,
      etag,
      type: ARM_TYPES.networkSecurityGroup,
      location: p.region,
      ...(Object.keys(p.tags).length > 0 ? { tags: p.tags } : {}),
      properties: {
        provisioningState: 'Succeeded',
        resourceGuid: uuid(b.rng),
        securityRules,
        defaultSecurityRules,
        subnets: subnetIds.map((subnetId) => ({ id: subnetId })),
      },
    },
    p.tags,
  );
  return id;
}

/**
 * A virtual network with 1–4 subnets and the NSG guarding them. Subnets carry no location in
 * ARM; their region is the virtual network's. The virtual network's JSON embeds the same
 * subnet objects, as a GET on the network does.
 */
function addNetwork(b: EstateBuilder, p: Placement, appName: string): NetworkRecord {
  const vnetName = `vnet-${appName}-${p.serial}`;
  const vnetId = providerId(p, ARM_TYPES.virtualNetwork, vnetName);
  const octet = p.serial % 256;
  const etag = b.etag();
  const roles = SUBNET_ROLES.slice(0, int(b.rng, 1, SUBNET_ROLES.length));
  const subnetIds = roles.map((role) => `${vnetId}/subnets/snet-${role}`);
  const nsgId = addNetworkSecurityGroup(b, p, subnetIds, appName);
  const subnets = roles.map((role, i): SubnetRecord => {
    const id = subnetIds[i] as string;
    const json = {
      name: `snet-${role}`,
      id,
      etag,
      type: ARM_TYPES.subnet,
      properties: {
        provisioningState: 'Succeeded',
        addressPrefix: `10.${octet}.${i}.0/24`,
        networkSecurityGroup: { id: nsgId },
        ipConfigurations: [] as Json[],
        delegations: [],
        privateEndpointNetworkPolicies: 'Disabled',
        privateLinkServiceNetworkPolicies: 'Enabled',
      },
    };
    return { json };
  });
  b.add(
    p.account,
    p.region,
    ARM_TYPES.virtualNetwork,
    {
      name: vnetName,
      id: vnetId,
      etag,
      type: ARM_TYPES.virtualNetwork,
      location: p.region,
      ...(Object.keys(p.tags).length > 0 ? { tags: p.tags } : {}),
      properties: {
        provisioningState: 'Succeeded',
        resourceGuid: uuid(b.rng),
        addressSpace: { addressPrefixes: [`10.${octet}.0.0/16`] },
        dhcpOptions: { dnsServers: [] },
        subnets: subnets.map((s) => s.json),
        virtualNetworkPeerings: [],
        enableDdosProtection: false,
        privateEndpointVNetPolicies: 'Disabled',
      },
    },
    p.tags,
  );
  for (const s of subnets) b.add(p.account, p.region, ARM_TYPES.subnet, s.json);
  return { subnets };
}

interface DiskSpec {
  name: string;
  sizeGb: number;
  sku: DiskSku;
  zone?: string;
  managedBy?: string;
  image?: OsImage;
}

function addDisk(b: EstateBuilder, p: Placement, spec: DiskSpec): string {
  const id = providerId(p, ARM_TYPES.disk, spec.name);
  const perf = diskPerformance(spec.sku, spec.sizeGb);
  const creationData = spec.image
    ? {
        createOption: 'FromImage',
        imageReference: {
          id: `/Subscriptions/${p.account}/Providers/Microsoft.Compute/Locations/${p.region}/Publishers/${spec.image.publisher}/ArtifactTypes/VMImage/Offers/${spec.image.offer}/Skus/${spec.image.sku}/Versions/${spec.image.exactVersion}`,
        },
      }
    : SHARED.emptyCreation;
  b.add(
    p.account,
    p.region,
    ARM_TYPES.disk,
    {
      name: spec.name,
      id,
      type: ARM_TYPES.disk,
      location: p.region,
      ...(Object.keys(p.tags).length > 0 ? { tags: p.tags } : {}),
      ...(spec.managedBy ? { managedBy: spec.managedBy } : {}),
      sku: SHARED.diskSku.get(spec.sku) as Json,
      ...(spec.zone ? { zones: [spec.zone] } : {}),
      properties: {
        ...(spec.image ? { osType: spec.image.osType, hyperVGeneration: 'V2', supportsHibernation: true } : {}),
        creationData,
        diskSizeGB: spec.sizeGb,
        diskIOPSReadWrite: perf.iops,
        diskMBpsReadWrite: perf.mbps,
        encryption: SHARED.diskEncryption,
        networkAccessPolicy: 'AllowAll',
        publicNetworkAccess: 'Enabled',
        timeCreated: b.computeTime(),
        provisioningState: 'Succeeded',
        diskState: spec.managedBy ? 'Attached' : 'Unattached',
        diskSizeBytes: spec.sizeGb * GIB,
        uniqueId: uuid(b.rng),
        ...(perf.tier ? { tier: perf.tier } : {}),
      },
    },
    p.tags,
  );
  return id;
}

function addPublicIp(b: EstateBuilder, p: Placement, name: string, ipConfigurationId?: string): void {
  const id = providerId(p, ARM_TYPES.publicIp, name);
  b.add(
    p.account,
    p.region,
    ARM_TYPES.publicIp,
    {
      name,
      id,
      etag: b.etag(),
      type: ARM_TYPES.publicIp,
      location: p.region,
      ...(Object.keys(p.tags).length > 0 ? { tags: p.tags } : {}),
      zones: SHARED.publicIpZones,
      sku: SHARED.publicIpSku,
      properties: {
        provisioningState: 'Succeeded',
        resourceGuid: uuid(b.rng),
        ipAddress: `${pick(b.rng, [20, 40, 52, 104])}.${int(b.rng, 0, 255)}.${int(b.rng, 0, 255)}.${int(b.rng, 1, 254)}`,
        publicIPAddressVersion: 'IPv4',
        publicIPAllocationMethod: 'Static',
        idleTimeoutInMinutes: 4,
        ipTags: [],
        ...(ipConfigurationId ? { ipConfiguration: { id: ipConfigurationId } } : {}),
        ddosSettings: SHARED.ddosSettings,
      },
    },
    p.tags,
  );
}

/** Fragments that are the same in many resources, built once. */
const SHARED = frozen({
  imageReferences: new Map(
    OS_IMAGES.map((image) => [
      image,
      {
        publisher: image.publisher,
        offer: image.offer,
        sku: image.sku,
        version: 'latest',
        exactVersion: image.exactVersion,
      },
    ]),
  ),
  windowsConfiguration: {
    provisionVMAgent: true,
    enableAutomaticUpdates: true,
    patchSettings: { patchMode: 'AutomaticByOS', assessmentMode: 'ImageDefault', enableHotpatching: false },
  },
  linuxPatchSettings: { patchMode: 'ImageDefault', assessmentMode: 'ImageDefault' },
  securityProfile: { uefiSettings: { secureBootEnabled: true, vTpmEnabled: true }, securityType: 'TrustedLaunch' },
  diagnosticsProfile: { bootDiagnostics: { enabled: true } },
  nicProperties: { deleteOption: 'Delete' },
  diskEncryption: { type: 'EncryptionAtRestWithPlatformKey' },
  publicIpZones: ['1', '2', '3'],
  publicIpSku: { name: 'Standard', tier: 'Regional' },
  ddosSettings: { protectionMode: 'VirtualNetworkInherited' },
  storageNetworkAcls: {
    ipv6Rules: [],
    bypass: 'AzureServices',
    virtualNetworkRules: [],
    ipRules: [],
    defaultAction: 'Allow',
  },
  storageSku: new Map(STORAGE_SKUS.map((sku) => [sku, { name: sku, tier: 'Standard' }])),
  diskSku: new Map(
    (['Premium_LRS', 'StandardSSD_LRS'] as const).map((sku) => [
      sku,
      { name: sku, tier: sku.startsWith('Premium') ? 'Premium' : 'Standard' },
    ]),
  ),
  provisioned: { provisioningState: 'Succeeded' },
  emptyCreation: { createOption: 'Empty' },
});

function osProfile(computerName: string, image: OsImage, rng: Rng): Json {
  const common = {
    computerName,
    adminUsername: 'azureuser',
    secrets: [],
    allowExtensionOperations: true,
    requireGuestProvisionSignal: true,
  };
  if (image.osType === 'Windows') {
    return {
      ...common,
      windowsConfiguration: SHARED.windowsConfiguration,
    };
  }
  return {
    ...common,
    linuxConfiguration: {
      disablePasswordAuthentication: true,
      ssh: {
        publicKeys: [
          {
            path: '/home/azureuser/.ssh/authorized_keys',
            keyData: `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${hex(rng, 43)} azureuser`,
          },
        ],
      },
      provisionVMAgent: true,
      patchSettings: SHARED.linuxPatchSettings,
    },
  };
}

/**
 * A VM with its managed OS disk, 0–2 data disks and maybe a public IP. Its NIC is referenced
 * by id (NICs are not a discovered type); the NIC's IP configuration is recorded on the subnet
 * and the public IP, as ARM shows it.
 */
function addVirtualMachine(
  b: EstateBuilder,
  p: Placement,
  net: NetworkRecord,
  name: string,
  withPublicIp: boolean,
): void {
  const rng = b.rng;
  const id = providerId(p, ARM_TYPES.virtualMachine, name);
  const image = pick(rng, OS_IMAGES);
  const size = pick(rng, VM_SIZES);
  const zone = pick(rng, ['1', '2', '3']);
  const diskSku: DiskSku = pick(rng, ['Premium_LRS', 'Premium_LRS', 'StandardSSD_LRS']);
  const osDiskName = `${name}_OsDisk_1_${hex(rng, 32)}`;
  const osDiskId = addDisk(b, p, {
    name: osDiskName,
    sizeGb: image.osDiskGb,
    sku: diskSku,
    zone,
    managedBy: id,
    image,
  });
  const dataDisks = Array.from({ length: int(rng, 0, 2) }, (_, lun) => {
    const diskName = `${name}-data-${lun}`;
    const sizeGb = pick(rng, [64, 128, 256, 512, 1024]);
    const diskId = addDisk(b, p, { name: diskName, sizeGb, sku: diskSku, zone, managedBy: id });
    return {
      lun,
      name: diskName,
      createOption: 'Attach',
      caching: 'ReadOnly',
      writeAcceleratorEnabled: false,
      managedDisk: { storageAccountType: diskSku, id: diskId },
      deleteOption: 'Detach',
      diskSizeGB: sizeGb,
      toBeDetached: false,
    };
  });
  const nicId = providerId(p, 'Microsoft.Network/networkInterfaces', `${name}-nic`);
  const ipConfigurationId = `${nicId}/ipConfigurations/ipconfig1`;
  pick(rng, net.subnets).json.properties.ipConfigurations.push({ id: ipConfigurationId });
  if (withPublicIp) addPublicIp(b, p, `pip-${name}`, ipConfigurationId);

  b.add(
    p.account,
    p.region,
    ARM_TYPES.virtualMachine,
    {
      name,
      id,
      type: ARM_TYPES.virtualMachine,
      location: p.region,
      ...(Object.keys(p.tags).length > 0 ? { tags: p.tags } : {}),
      zones: [zone],
      properties: {
        vmId: uuid(rng),
        hardwareProfile: { vmSize: size },
        storageProfile: {
          imageReference: SHARED.imageReferences.get(image) as Json,
          osDisk: {
            osType: image.osType,
            name: osDiskName,
            createOption: 'FromImage',
            caching: 'ReadWrite',
            managedDisk: { storageAccountType: diskSku, id: osDiskId },
            deleteOption: 'Delete',
            diskSizeGB: image.osDiskGb,
          },
          dataDisks,
          diskControllerType: 'SCSI',
        },
        osProfile: osProfile(name, image, rng),
        securityProfile: SHARED.securityProfile,
        networkProfile: { networkInterfaces: [{ id: nicId, properties: SHARED.nicProperties }] },
        diagnosticsProfile: SHARED.diagnosticsProfile,
        provisioningState: 'Succeeded',
        timeCreated: b.computeTime(),
      },
    },
    p.tags,
  );
}

function addStorageAccount(b: EstateBuilder, p: Placement, app: string, env: string): void {
  const rng = b.rng;
  const name = b.storageAccountName(app, env);
  const sku = pick(rng, STORAGE_SKUS);
  const created = b.storageTime();
  const encryptedService = { keyType: 'Account', enabled: true, lastEnabledTime: created };
  const geoReplicated = sku.endsWith('GRS');
  b.add(
    p.account,
    p.region,
    ARM_TYPES.storageAccount,
    {
      sku: SHARED.storageSku.get(sku) as Json,
      kind: 'StorageV2',
      id: providerId(p, ARM_TYPES.storageAccount, name),
      name,
      type: ARM_TYPES.storageAccount,
      location: p.region,
      tags: p.tags,
      properties: {
        dnsEndpointType: 'Standard',
        defaultToOAuthAuthentication: false,
        publicNetworkAccess: 'Enabled',
        keyCreationTime: { key1: created, key2: created },
        allowCrossTenantReplication: false,
        privateEndpointConnections: [],
        minimumTlsVersion: chance(rng, 0.9) ? 'TLS1_2' : 'TLS1_0',
        allowBlobPublicAccess: chance(rng, 0.1),
        allowSharedKeyAccess: true,
        isHnsEnabled: chance(rng, 0.2),
        networkAcls: SHARED.storageNetworkAcls,
        supportsHttpsTrafficOnly: true,
        encryption: {
          requireInfrastructureEncryption: false,
          services: { file: encryptedService, blob: encryptedService },
          keySource: 'Microsoft.Storage',
        },
        accessTier: pick(rng, ['Hot', 'Hot', 'Cool']),
        provisioningState: 'Succeeded',
        creationTime: created,
        primaryEndpoints: {
          dfs: `https://${name}.dfs.core.windows.net/`,
          web: `https://${name}.z13.web.core.windows.net/`,
          blob: `https://${name}.blob.core.windows.net/`,
          queue: `https://${name}.queue.core.windows.net/`,
          table: `https://${name}.table.core.windows.net/`,
          file: `https://${name}.file.core.windows.net/`,
        },
        primaryLocation: p.region,
        statusOfPrimary: 'available',
        ...(geoReplicated ? { secondaryLocation: 'westus', statusOfSecondary: 'available' } : {}),
      },
    },
    p.tags,
  );
}

/**
 * One application environment in one resource group: network, NSG, 1–6 VMs with disks,
 * public IPs, storage accounts, and now and then an orphaned disk or public IP.
 */
function addWorkload(b: EstateBuilder, account: string, region: string, serial: number): void {
  const rng = b.rng;
  const app = pick(rng, APPS);
  const env = pick(rng, ENVIRONMENTS);
  const resourceGroup = `rg-${app}-${env}-${region}-${serial}`;
  const groupId = `/subscriptions/${account}/resourceGroups/${resourceGroup}`;
  const tags = workloadTags(rng, app, env);
  const p: Placement = { account, region, groupId, tags, serial };
  b.add(account, region, ARM_TYPES.resourceGroup, resourceGroupJson(account, resourceGroup, region, tags), tags);

  const appName = `${app}-${env}`;
  const net = addNetwork(b, p, appName);
  const vmCount = int(rng, 1, 6);
  for (let i = 0; i < vmCount; i++) {
    addVirtualMachine(b, p, net, `vm-${appName}-${serial}-${i}`, i === 0 || chance(rng, 0.3));
  }
  const storageCount = chance(rng, 0.3) ? 2 : 1;
  for (let i = 0; i < storageCount; i++) addStorageAccount(b, p, app, env);
  if (chance(rng, 0.1)) {
    addDisk(b, p, { name: `disk-${appName}-${serial}-orphan`, sizeGb: 128, sku: 'StandardSSD_LRS' });
  }
  if (chance(rng, 0.1)) addPublicIp(b, p, `pip-${appName}-${serial}-spare`);
}

/**
 * The Azure share of the estate: per subscription the platform resource groups, then
 * workloads spread round-robin over subscriptions and regions until `count` is reached
 * (at least one per subscription and region, so every type appears everywhere).
 */
export const generateAzureEstate: CloudEstateGenerator = ({ rng, count, accounts, regions }) => {
  const b = new EstateBuilder(rng);
  for (const account of accounts) addPlatformResourceGroups(b, account, regions);
  const placements = accounts.length * regions.length;
  for (let serial = 0; serial < placements || b.resources.length < count; serial++) {
    const account = accounts[serial % accounts.length] as string;
    const region = regions[Math.floor(serial / accounts.length) % regions.length] as string;
    addWorkload(b, account, region, serial);
  }
  return b.resources;
};
