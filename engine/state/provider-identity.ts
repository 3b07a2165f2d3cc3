import type { Provider } from '../../contract/resource.js';
import type { StateInstance } from './types.js';

/**
 * Data sources that tell which account a provider configuration talks to. A configuration
 * whose resources' ids name no account (S3 bucket ARNs carry none) is placed by them; real
 * states commonly read `data.aws_caller_identity` for that. They are kept (reading.ts), never compared.
 */
const PROVIDER_IDENTITY_SOURCES: Readonly<Record<string, { provider: Provider; account: string }>> = {
  aws_caller_identity: { provider: 'aws', account: 'account_id' },
};

/** Whether a data source of this type is kept for the account it names. */
export const isProviderIdentityType = (tfType: unknown): boolean =>
  typeof tfType === 'string' && Object.hasOwn(PROVIDER_IDENTITY_SOURCES, tfType);

/** The account a kept identity data source names; undefined for every other instance. */
export function providerIdentityAccount(instance: StateInstance): string | undefined {
  const source = Object.hasOwn(PROVIDER_IDENTITY_SOURCES, instance.tfType)
    ? PROVIDER_IDENTITY_SOURCES[instance.tfType]
    : undefined;
  const account = source && instance.attributes[source.account];
  return typeof account === 'string' && account !== '' ? account : undefined;
}

/** The identity data source types of a provider, read with its resources. */
export const providerIdentityTfTypes = (provider: Provider): string[] =>
  Object.entries(PROVIDER_IDENTITY_SOURCES)
    .filter(([, s]) => s.provider === provider)
    .map(([tfType]) => tfType);
