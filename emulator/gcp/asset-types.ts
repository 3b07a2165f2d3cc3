import { createHash } from 'node:crypto';
import { resourceTypesOf } from '../../contract/resource-types.js';

/** How Cloud Asset Inventory describes one asset type's `resource` envelope. */
export interface AssetTypeSpec {
  /** The API host in the asset name, e.g. `//compute.googleapis.com/...`. */
  service: string;
  discoveryName: string;
  discoveryDocumentUri: string;
  version: string;
  /** The data field Cloud Asset takes the asset's `updateTime` from. */
  updateTimeField: string;
}

const COMPUTE_DISCOVERY = 'https://www.googleapis.com/discovery/v1/apis/compute/v1/rest';
const STORAGE_DISCOVERY = 'https://www.googleapis.com/discovery/v1/apis/storage/v1/rest';

const compute = (discoveryName: string): AssetTypeSpec => ({
  service: 'compute.googleapis.com',
  discoveryName,
  discoveryDocumentUri: COMPUTE_DISCOVERY,
  version: 'v1',
  updateTimeField: 'creationTimestamp',
});

/** Every Cloud Asset type the emulator serves, in the order ListAssets returns them. */
export const ASSET_TYPES: Readonly<Record<string, AssetTypeSpec>> = {
  'compute.googleapis.com/Disk': compute('Disk'),
  'compute.googleapis.com/Firewall': compute('Firewall'),
  'compute.googleapis.com/Instance': compute('Instance'),
  'compute.googleapis.com/Network': compute('Network'),
  'compute.googleapis.com/Subnetwork': compute('Subnetwork'),
  'storage.googleapis.com/Bucket': {
    service: 'storage.googleapis.com',
    discoveryName: 'Bucket',
    discoveryDocumentUri: STORAGE_DISCOVERY,
    version: 'v1',
    updateTimeField: 'updated',
  },
};

/** An existence-level type's envelope: its service's discovery document, `updateTime` in its data. */
function existenceSpec(type: string): AssetTypeSpec {
  const [service = type, discoveryName = type] = type.split('/');
  return {
    service,
    discoveryName,
    discoveryDocumentUri: `https://${service}/$discovery/rest?version=v1`,
    version: 'v1',
    updateTimeField: 'updateTime',
  };
}

/** Every asset type the emulator serves, in ListAssets order: the types above, then those of the whole-project listing. */
export const SERVED_ASSET_TYPES: readonly string[] = [
  ...Object.keys(ASSET_TYPES),
  ...resourceTypesOf('gcp')
    .filter((t) => t.inventory === 'cloud-asset')
    .map((t) => t.type),
];

export function assetTypeSpec(type: string): AssetTypeSpec {
  return ASSET_TYPES[type] ?? existenceSpec(type);
}

/**
 * A project's number, derived from its id so the estate and the protocol handler agree on it
 * without sharing state (GCP shows both: ids in URLs, numbers in parents and service accounts).
 */
export function projectNumber(projectId: string): string {
  const digest = createHash('sha256').update(projectId).digest();
  return String(100_000_000_000 + (digest.readUInt32BE(0) % 900_000_000) * 1000 + (digest[4]! % 1000));
}
