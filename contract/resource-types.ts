import type { Provider } from './resource.js';

/**
 * How one list call of a type is scoped: `regional` types are listed per region
 * (EC2's regional endpoints), `account` types with one call per account, subscription or
 * project (ARM subscription lists, Cloud Asset ListAssets), whatever region each resource is in.
 */
export type ListingScope = 'regional' | 'account';

export interface ResourceTypeInfo {
  provider: Provider;
  type: string;
  listing: ListingScope;
}

const aws = (type: string): ResourceTypeInfo => ({ provider: 'aws', type, listing: 'regional' });
const azure = (type: string): ResourceTypeInfo => ({ provider: 'azure', type, listing: 'account' });
const gcp = (type: string): ResourceTypeInfo => ({ provider: 'gcp', type, listing: 'account' });

/** Every resource type DriftMgr discovers, by cloud-native type name. */
export const RESOURCE_TYPES: readonly ResourceTypeInfo[] = [
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
];

const byKey = new Map(RESOURCE_TYPES.map((t) => [`${t.provider}|${t.type}`, t]));

export function resourceTypeInfo(provider: Provider, type: string): ResourceTypeInfo | undefined {
  return byKey.get(`${provider}|${type}`);
}

export function resourceTypesOf(provider: Provider): ResourceTypeInfo[] {
  return RESOURCE_TYPES.filter((t) => t.provider === provider);
}

/** The shard region used for account-scoped listings. */
export const ACCOUNT_WIDE_REGION = '*';
