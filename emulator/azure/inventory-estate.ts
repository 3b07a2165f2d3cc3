import type { DiscoveredResource } from '../../contract/resource.js';
import { chance, hex, int, pick, uuid } from '../rng.js';
import type { CloudEstateGenerator, Rng } from '../types.js';

/**
 * The Azure types Resource Graph lists with their property documents and DriftMgr diffs
 * attribute by attribute (contract/inventory-attribute-types.ts): per subscription and region
 * a few SQL servers with a database (and the `master` database Azure adds), Key Vaults, Linux
 * and Windows web apps on a plan, AKS clusters, load balancers, container registries, blob
 * containers, and role assignments (per subscription and per resource group). `attributes` are
 * ARM's resource JSON as a Resource Graph row carries it.
 */

type Json = Record<string, unknown>;

const APPS = ['orders', 'billing', 'catalog', 'identity', 'search'] as const;
const ENVS = ['prod', 'staging', 'dev'] as const;
const GIB = 1024 ** 3;

function armId(account: string, group: string, type: string, name: string): string {
  return `/subscriptions/${account}/resourceGroups/${group}/providers/${type}/${name}`;
}

interface Place {
  account: string;
  region: string;
  group: string;
  app: string;
  env: string;
  tenant: string;
}

function resource(p: Place, type: string, name: string, json: Json, id = armId(p.account, p.group, type, name)) {
  const tags = { app: p.app, env: p.env };
  const attributes: Json = { id, name, type, location: p.region, tags, ...json };
  return {
    provider: 'azure',
    account: p.account,
    region: p.region,
    type,
    id,
    name,
    attributes,
    tags,
  } as DiscoveredResource;
}

function sqlServer(p: Place, rng: Rng): DiscoveredResource[] {
  const name = `sql-${p.app}-${p.env}-${hex(rng, 8)}`;
  const server = resource(p, 'Microsoft.Sql/servers', name, {
    kind: 'v12.0',
    properties: {
      administratorLogin: 'sqladmin',
      version: '12.0',
      state: 'Ready',
      fullyQualifiedDomainName: `${name}.database.windows.net`,
      privateEndpointConnections: [],
      minimalTlsVersion: '1.2',
      publicNetworkAccess: pick(rng, ['Enabled', 'Disabled']),
      restrictOutboundNetworkAccess: 'Disabled',
    },
  });
  const database = (db: string, sku: { name: string; tier: string; capacity: number }, maxGib: number) =>
    resource(
      p,
      'Microsoft.Sql/servers/databases',
      db,
      {
        kind: db === 'master' ? 'v12.0,system' : 'v12.0,user',
        sku,
        properties: {
          collation: 'SQL_Latin1_General_CP1_CI_AS',
          maxSizeBytes: maxGib * GIB,
          status: 'Online',
          databaseId: uuid(rng),
          creationDate: '2025-03-02T10:11:12.000Z',
          currentServiceObjectiveName: sku.name,
          requestedServiceObjectiveName: sku.name,
          defaultSecondaryLocation: p.region === 'eastus' ? 'westus' : 'northeurope',
          catalogCollation: 'SQL_Latin1_General_CP1_CI_AS',
          zoneRedundant: false,
          readScale: 'Disabled',
          currentBackupStorageRedundancy: 'Geo',
          requestedBackupStorageRedundancy: 'Geo',
          isLedgerOn: false,
        },
      },
      `${server.id}/databases/${db}`,
    );
  return [
    server,
    database('master', { name: 'System', tier: 'System', capacity: 0 }, 32),
    database(
      `${p.app}db`,
      pick(rng, [
        { name: 'S0', tier: 'Standard', capacity: 10 },
        { name: 'GP_S_Gen5_2', tier: 'GeneralPurpose', capacity: 2 },
      ]),
      pick(rng, [32, 250]),
    ),
  ];
}

function keyVault(p: Place, rng: Rng): DiscoveredResource {
  const name = `kv-${p.app}-${hex(rng, 8)}`;
  const restricted = chance(rng, 0.5);
  return resource(p, 'Microsoft.KeyVault/vaults', name, {
    properties: {
      sku: { family: 'A', name: pick(rng, ['standard', 'premium']) },
      tenantId: p.tenant,
      accessPolicies: [],
      enabledForDeployment: false,
      enabledForDiskEncryption: chance(rng, 0.3),
      enabledForTemplateDeployment: false,
      enableSoftDelete: true,
      softDeleteRetentionInDays: pick(rng, [7, 90]),
      enableRbacAuthorization: true,
      enablePurgeProtection: true,
      vaultUri: `https://${name}.vault.azure.net/`,
      provisioningState: 'Succeeded',
      publicNetworkAccess: restricted ? 'Disabled' : 'Enabled',
      networkAcls: {
        bypass: 'AzureServices',
        defaultAction: restricted ? 'Deny' : 'Allow',
        ipRules: restricted ? [{ value: `203.0.113.${int(rng, 1, 254)}/32` }] : [],
        virtualNetworkRules: [],
      },
    },
  });
}

function webApps(p: Place, rng: Rng): DiscoveredResource[] {
  const plan = armId(p.account, p.group, 'Microsoft.Web/serverfarms', `asp-${p.app}-${p.env}`);
  const site = (kind: string, os: string) => {
    const name = `app-${p.app}-${os}-${hex(rng, 8)}`;
    return resource(p, 'Microsoft.Web/sites', name, {
      kind,
      identity: { type: 'SystemAssigned', principalId: uuid(rng), tenantId: p.tenant },
      properties: {
        name,
        state: 'Running',
        hostNames: [`${name}.azurewebsites.net`],
        enabled: true,
        serverFarmId: plan,
        reserved: os === 'linux',
        httpsOnly: true,
        clientCertEnabled: false,
        defaultHostName: `${name}.azurewebsites.net`,
        outboundIpAddresses: `20.${int(rng, 1, 250)}.${int(rng, 1, 250)}.${int(rng, 1, 250)}`,
        // Resource Graph leaves most of a site's configuration out of its row.
        siteConfig: { linuxFxVersion: os === 'linux' ? 'NODE|20-lts' : '' },
        kind,
      },
    });
  };
  return [site('app,linux', 'linux'), site('app', 'win')];
}

function aksCluster(p: Place, rng: Rng): DiscoveredResource {
  const name = `aks-${p.app}-${p.env}`;
  const version = pick(rng, ['1.29.9', '1.30.5']);
  const isPrivate = chance(rng, 0.5);
  return resource(p, 'Microsoft.ContainerService/managedClusters', `${name}-${hex(rng, 8)}`, {
    sku: { name: 'Base', tier: pick(rng, ['Free', 'Standard']) },
    identity: { type: 'SystemAssigned', principalId: uuid(rng), tenantId: p.tenant },
    properties: {
      provisioningState: 'Succeeded',
      powerState: { code: 'Running' },
      kubernetesVersion: version,
      currentKubernetesVersion: version,
      dnsPrefix: name,
      fqdn: `${name}-${hex(rng, 8)}.hcp.${p.region}.azmk8s.io`,
      agentPoolProfiles: [
        {
          name: 'system',
          count: int(rng, 2, 5),
          vmSize: pick(rng, ['Standard_D4s_v5', 'Standard_D2s_v3']),
          osType: 'Linux',
          mode: 'System',
          enableAutoScaling: true,
        },
      ],
      nodeResourceGroup: `MC_${p.group}_${name}_${p.region}`,
      enableRBAC: true,
      disableLocalAccounts: chance(rng, 0.5),
      addonProfiles: { azurepolicy: { enabled: true, config: null } },
      apiServerAccessProfile: isPrivate
        ? { enablePrivateCluster: true }
        : { enablePrivateCluster: false, authorizedIPRanges: [`198.51.100.${int(rng, 0, 255)}/32`] },
      networkProfile: { networkPlugin: 'azure', networkPolicy: 'calico', loadBalancerSku: 'standard' },
    },
  });
}

function loadBalancer(p: Place, rng: Rng): DiscoveredResource {
  const name = `lb-${p.app}-${hex(rng, 8)}`;
  const id = armId(p.account, p.group, 'Microsoft.Network/loadBalancers', name);
  const frontend = {
    name: 'frontend',
    id: `${id}/frontendIPConfigurations/frontend`,
    properties: {
      privateIPAllocationMethod: 'Dynamic',
      subnet: {
        id: `${armId(p.account, p.group, 'Microsoft.Network/virtualNetworks', `vnet-${p.app}`)}/subnets/backend`,
      },
    },
  };
  return resource(p, 'Microsoft.Network/loadBalancers', name, {
    sku: { name: 'Standard', tier: 'Regional' },
    properties: {
      provisioningState: 'Succeeded',
      resourceGuid: uuid(rng),
      frontendIPConfigurations: [frontend],
      backendAddressPools: [{ name: 'backend', id: `${id}/backendAddressPools/backend` }],
      loadBalancingRules: [],
      probes: [],
    },
  });
}

function containerRegistry(p: Place, rng: Rng): DiscoveredResource {
  const name = `acr${p.app}${hex(rng, 8)}`;
  return resource(p, 'Microsoft.ContainerRegistry/registries', name, {
    sku: { name: pick(rng, ['Basic', 'Standard', 'Premium']), tier: 'Standard' },
    properties: {
      loginServer: `${name}.azurecr.io`,
      creationDate: '2025-02-10T09:00:00.000Z',
      provisioningState: 'Succeeded',
      adminUserEnabled: false,
      publicNetworkAccess: 'Enabled',
      anonymousPullEnabled: false,
      zoneRedundancy: 'Disabled',
    },
  });
}

/** A resource with no location or tags (blob containers, role assignments): Resource Graph rows say `""`, discovery files them under `global`. */
function unplaced(account: string, type: string, id: string, name: string, json: Json): DiscoveredResource {
  return {
    provider: 'azure',
    account,
    region: 'global',
    type,
    id,
    name,
    attributes: { id, name, type, location: '', tags: {}, ...json },
    tags: {},
  };
}

const CONTAINER = 'Microsoft.Storage/storageAccounts/blobServices/containers';

/** Containers of one storage account: `assets` sometimes readable by anyone, the others private. */
function blobContainers(p: Place, rng: Rng): DiscoveredResource[] {
  const account = `st${p.app}${p.env}${hex(rng, 6)}`;
  const blobService = `${armId(p.account, p.group, 'Microsoft.Storage/storageAccounts', account)}/blobServices/default`;
  return ['assets', 'backups'].map((name) =>
    unplaced(p.account, CONTAINER, `${blobService}/containers/${name}`, name, {
      etag: `"0x8DC${hex(rng, 12).toUpperCase()}"`,
      properties: {
        publicAccess: name === 'assets' && chance(rng, 0.3) ? 'Blob' : 'None',
        metadata: name === 'backups' ? { retention: '30d' } : {},
        defaultEncryptionScope: '$account-encryption-key',
        denyEncryptionScopeOverride: false,
        hasImmutabilityPolicy: false,
        hasLegalHold: false,
        immutableStorageWithVersioning: { enabled: false },
        deleted: false,
        remainingRetentionDays: 0,
        leaseState: 'Available',
        leaseStatus: 'Unlocked',
        lastModifiedTime: '2025-04-01T08:00:00.0000000Z',
      },
    }),
  );
}

const ROLE_ASSIGNMENT = 'Microsoft.Authorization/roleAssignments';
const ROLES = {
  Owner: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
  Reader: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
} as const;

function roleAssignment(
  account: string,
  scope: string,
  role: keyof typeof ROLES,
  principalType: string,
  rng: Rng,
): DiscoveredResource {
  const name = uuid(rng);
  return unplaced(
    account,
    ROLE_ASSIGNMENT,
    `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    {
      properties: {
        roleDefinitionId: `/subscriptions/${account}/providers/Microsoft.Authorization/roleDefinitions/${ROLES[role]}`,
        principalId: uuid(rng),
        principalType,
        scope,
        condition: null,
        conditionVersion: null,
        createdOn: '2025-01-15T10:00:00.0000000Z',
        updatedOn: '2025-01-15T10:00:00.0000000Z',
        createdBy: uuid(rng),
        updatedBy: uuid(rng),
        delegatedManagedIdentityResourceId: null,
        description: null,
      },
    },
  );
}

/** About one of each type per this many resources requested, per subscription and region; at least one. */
const RESOURCES_PER_SET = 150;

export const generateAzureInventoryEstate: CloudEstateGenerator = ({ rng, count, accounts, regions }) => {
  const sets = Math.max(1, Math.round(count / RESOURCES_PER_SET / Math.max(1, accounts.length * regions.length)));
  const out: DiscoveredResource[] = [];
  for (const account of accounts) {
    const tenant = uuid(rng);
    // The platform team owns the subscription; auditors read it.
    const subscription = `/subscriptions/${account}`;
    out.push(roleAssignment(account, subscription, 'Owner', 'Group', rng));
    out.push(roleAssignment(account, subscription, 'Reader', 'Group', rng));
    for (const region of regions) {
      for (let i = 0; i < sets; i++) {
        const app = pick(rng, APPS);
        const env = pick(rng, ENVS);
        const p: Place = { account, region, group: `rg-${app}-${env}-${region}`, app, env, tenant };
        out.push(...sqlServer(p, rng), keyVault(p, rng), ...webApps(p, rng), aksCluster(p, rng));
        out.push(loadBalancer(p, rng), containerRegistry(p, rng), ...blobContainers(p, rng));
        // Each application's deployment identity may change its own resource group.
        out.push(
          roleAssignment(account, `${subscription}/resourceGroups/${p.group}`, 'Contributor', 'ServicePrincipal', rng),
        );
      }
    }
  }
  return out;
};
