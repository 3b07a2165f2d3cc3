import type { Provider } from './resource.js';

/**
 * Types listed through Resource Graph or Cloud Asset that are diffed attribute by attribute:
 * the inventory's row already holds the resource's property document (Resource Graph's
 * `properties`, Cloud Asset's `resource.data`), so they stay in the one paged inventory call.
 */
export const INVENTORY_ATTRIBUTE_TYPES: Readonly<Record<Exclude<Provider, 'aws'>, readonly string[]>> = {
  azure: [
    'Microsoft.Sql/servers',
    'Microsoft.Sql/servers/databases',
    'Microsoft.KeyVault/vaults',
    'Microsoft.Web/sites',
    'Microsoft.ContainerService/managedClusters',
    'Microsoft.Network/loadBalancers',
    'Microsoft.ContainerRegistry/registries',
    'Microsoft.Storage/storageAccounts/blobServices/containers',
    // Listed from Resource Graph's AuthorizationResources table, in the same query (agents/providers/azure-resource-graph.ts).
    'Microsoft.Authorization/roleAssignments',
  ],
  gcp: [
    'sqladmin.googleapis.com/Instance',
    'container.googleapis.com/Cluster',
    'iam.googleapis.com/ServiceAccount',
    'pubsub.googleapis.com/Topic',
    'pubsub.googleapis.com/Subscription',
    'run.googleapis.com/Service',
    'compute.googleapis.com/Route',
    'compute.googleapis.com/Address',
    'compute.googleapis.com/GlobalAddress',
  ],
};
