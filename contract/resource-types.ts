import { z } from 'zod';
import { AWS_CLOUD_CONTROL_ATTRIBUTE_TYPES } from './aws-cloud-control.js';
import { AWS_S3_IAM_TYPES } from './aws-s3-iam.js';
import { EXISTENCE_ROWS, isGlobalType } from './existence/index.js';
import { GCP_IAM_POLICY_TYPES } from './gcp-iam-types.js';
import { INVENTORY_ATTRIBUTE_TYPES } from './inventory-attribute-types.js';
import { Provider } from './resource.js';

/**
 * How one list call of a type is scoped: `regional` types are listed per region
 * (EC2's regional endpoints), `account` types with one call per account, subscription or
 * project (ARM subscription lists, Cloud Asset ListAssets), whatever region each resource is in.
 */
export type ListingScope = 'regional' | 'account';

/**
 * How much DriftMgr compares of a type: `attributes` diffs mapped attributes (engine/mappings),
 * `existence` only finds resources missing from the cloud or from every state.
 */
export const CoverageLevel = z.enum(['attributes', 'existence']);
export type CoverageLevel = z.infer<typeof CoverageLevel>;

/** The generic inventory API a type is listed through: every existence-level type, and attribute-level ones read from it. */
export const Inventory = z.enum(['cloud-control', 'resource-graph', 'cloud-asset']);
export type Inventory = z.infer<typeof Inventory>;

export interface ResourceTypeInfo {
  provider: Provider;
  type: string;
  listing: ListingScope;
  level: CoverageLevel;
  /** The generic inventory that lists the type (every existence-level type, and some attribute-level ones). */
  inventory?: Inventory;
}

const aws = (type: string): ResourceTypeInfo => ({ provider: 'aws', type, listing: 'regional', level: 'attributes' });
const azure = (type: string): ResourceTypeInfo => ({
  provider: 'azure',
  type,
  listing: 'account',
  level: 'attributes',
});
const gcp = (type: string): ResourceTypeInfo => ({ provider: 'gcp', type, listing: 'account', level: 'attributes' });
/** Diffed attribute by attribute, listed with the rest of the subscription's or project's inventory. */
const inventoried = (provider: 'azure' | 'gcp', inventory: Inventory) => (type: string) => ({
  provider,
  type,
  listing: 'account' as const,
  level: 'attributes' as const,
  inventory,
});

/** The types the EC2, ARM and Cloud Asset listings map attribute by attribute. */
const ATTRIBUTE_TYPES: readonly ResourceTypeInfo[] = [
  aws('AWS::EC2::Instance'),
  aws('AWS::EC2::SecurityGroup'),
  aws('AWS::EC2::VPC'),
  aws('AWS::EC2::Subnet'),
  aws('AWS::EC2::Volume'),
  aws('AWS::EC2::NetworkInterface'),
  aws('AWS::EC2::RouteTable'),
  aws('AWS::EC2::InternetGateway'),
  aws('AWS::EC2::NatGateway'),
  aws('AWS::EC2::EIP'),
  aws('AWS::EC2::KeyPair'),
  aws('AWS::EC2::LaunchTemplate'),
  aws('AWS::EC2::NetworkAcl'),
  // Global ones (Route 53 zones) are listed once per account, like IAM.
  ...AWS_CLOUD_CONTROL_ATTRIBUTE_TYPES.map((t) =>
    isGlobalType('aws', t) ? { ...aws(t), listing: 'account' as const } : aws(t),
  ),
  ...AWS_S3_IAM_TYPES,
  azure('Microsoft.Compute/virtualMachines'),
  azure('Microsoft.Compute/disks'),
  azure('Microsoft.Network/virtualNetworks'),
  azure('Microsoft.Network/virtualNetworks/subnets'),
  azure('Microsoft.Network/networkSecurityGroups'),
  azure('Microsoft.Network/publicIPAddresses'),
  azure('Microsoft.Storage/storageAccounts'),
  azure('Microsoft.Resources/resourceGroups'),
  gcp('compute.googleapis.com/Instance'),
  gcp('compute.googleapis.com/Disk'),
  gcp('compute.googleapis.com/Network'),
  gcp('compute.googleapis.com/Subnetwork'),
  gcp('compute.googleapis.com/Firewall'),
  gcp('storage.googleapis.com/Bucket'),
  // Listed with contentType IAM_POLICY, a ListAssets stream of their own (agents/providers/gcp.ts).
  ...Object.keys(GCP_IAM_POLICY_TYPES).map(gcp),
  ...INVENTORY_ATTRIBUTE_TYPES.azure.map(inventoried('azure', 'resource-graph')),
  ...INVENTORY_ATTRIBUTE_TYPES.gcp.map(inventoried('gcp', 'cloud-asset')),
];

const INVENTORY: Record<Provider, Inventory> = { aws: 'cloud-control', azure: 'resource-graph', gcp: 'cloud-asset' };

/**
 * Existence-level types, once each, in table order. Cloud Control lists per region (global
 * types once per account); Resource Graph and Cloud Asset list a whole subscription or project.
 * A type also mapped attribute by attribute is left to its attribute-level listing.
 */
function existenceTypes(): ResourceTypeInfo[] {
  const attributeLevel = new Set(ATTRIBUTE_TYPES.map((t) => `${t.provider}|${t.type}`));
  const seen = new Set<string>();
  const types: ResourceTypeInfo[] = [];
  for (const { provider, cloudType } of EXISTENCE_ROWS) {
    const key = `${provider}|${cloudType}`;
    if (seen.has(key) || attributeLevel.has(key)) continue;
    seen.add(key);
    const regional = provider === 'aws' && !isGlobalType(provider, cloudType);
    types.push({
      provider,
      type: cloudType,
      listing: regional ? 'regional' : 'account',
      level: 'existence',
      inventory: INVENTORY[provider],
    });
  }
  return types;
}

/** Every resource type DriftMgr discovers, by cloud-native type name. */
export const RESOURCE_TYPES: readonly ResourceTypeInfo[] = [...ATTRIBUTE_TYPES, ...existenceTypes()];

/** Inventories whose one call lists every type of the subscription or project together. */
const SHARED_INVENTORIES: ReadonlySet<Inventory> = new Set(['resource-graph', 'cloud-asset']);

/** Whether one paged call lists this type together with every other type of its inventory. */
export function listedTogether(info: Pick<ResourceTypeInfo, 'inventory'>): boolean {
  return info.inventory !== undefined && SHARED_INVENTORIES.has(info.inventory);
}

const byKey = new Map(RESOURCE_TYPES.map((t) => [`${t.provider}|${t.type}`, t]));

export function resourceTypeInfo(provider: Provider, type: string): ResourceTypeInfo | undefined {
  return byKey.get(`${provider}|${type}`);
}

export function resourceTypesOf(provider: Provider): ResourceTypeInfo[] {
  return RESOURCE_TYPES.filter((t) => t.provider === provider);
}

/** One cloud type as GET /api/v1/resource-types lists it, with the Terraform types mapped onto it. */
export const ResourceTypeEntry = z.object({
  provider: Provider,
  cloud_type: z.string().describe('CloudFormation type, ARM type or Cloud Asset type'),
  terraform_types: z.array(z.string()),
  level: CoverageLevel.describe('attributes: mapped attributes are diffed; existence: only missing and unmanaged'),
  listing: z.enum(['regional', 'account']).describe('listed per region, or once per account'),
  inventory: Inventory.optional().describe('existence-level types: the inventory API that lists them'),
});
export type ResourceTypeEntry = z.infer<typeof ResourceTypeEntry>;

export const ResourceTypeCounts = z.object({
  cloud_types: z.number().int(),
  terraform_types: z.number().int(),
});

export const ResourceTypesResponse = z.object({
  resource_types: z.array(ResourceTypeEntry),
  /** Over the whole catalog, whatever the filters: provider → level → counts. */
  counts: z.record(Provider, z.record(CoverageLevel, ResourceTypeCounts)),
});
export type ResourceTypesResponse = z.infer<typeof ResourceTypesResponse>;

/** The shard region used for account-scoped listings. */
export const ACCOUNT_WIDE_REGION = '*';
