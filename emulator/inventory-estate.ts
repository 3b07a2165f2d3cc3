import type { Provider } from '../contract/resource.js';
import { generateAzureInventoryEstate } from './azure/inventory-estate.js';
import { generateGcpInventoryEstate } from './gcp/inventory-estate.js';
import type { CloudEstateGenerator } from './types.js';

/** Per cloud, the attribute-level types listed through its inventory (Resource Graph, Cloud Asset). */
export const INVENTORY_ESTATES: Partial<Record<Provider, CloudEstateGenerator>> = {
  azure: generateAzureInventoryEstate,
  gcp: generateGcpInventoryEstate,
};
