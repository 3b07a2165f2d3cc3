import type { Provider } from '../../contract/resource.js';
import type { DiscoveryProvider } from './types.js';

type ProviderFactory = () => Promise<DiscoveryProvider>;

/**
 * Each cloud's provider, imported on first use: an agent serves one cloud, and loading all
 * three SDKs would cost every agent about a second of start-up and 100+ MB it never uses.
 */
const factories: Record<Provider, ProviderFactory> = {
  aws: async () => (await import('./aws.js')).createAwsProvider(),
  azure: async () => (await import('./azure.js')).createAzureProvider(),
  gcp: async () => (await import('./gcp.js')).createGcpProvider(),
};

export async function providerFor(name: Provider): Promise<DiscoveryProvider> {
  return factories[name]();
}
