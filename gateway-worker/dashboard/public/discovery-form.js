// @ts-check
/**
 * The discovery fields the new-discovery and new-schedule forms share (provider, regions, accounts,
 * sharding, shard size): read into a discovery request, which the API validates and explains.
 */

/** @typedef {import('./api.js').DiscoveryRequest} DiscoveryRequest */

/** @type {Record<string, string>} */
const REGION_EXAMPLES = { aws: 'us-east-1, eu-west-1', azure: 'eastus, westeurope', gcp: 'us-central1, europe-west1' };

/** @param {FormDataEntryValue | null} value a comma- or space-separated list */
function listField(value) {
  return String(value ?? '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/**
 * The discovery request a form's fields describe.
 * @param {FormData} data
 * @returns {DiscoveryRequest}
 */
export function discoveryRequest(data) {
  const accounts = listField(data.get('accounts'));
  const shardSize = String(data.get('shard_size') ?? '').trim();
  return {
    provider: /** @type {DiscoveryRequest['provider']} */ (data.get('provider')),
    regions: listField(data.get('regions')),
    ...(accounts.length ? { accounts } : {}),
    sharding: {
      type: /** @type {NonNullable<DiscoveryRequest['sharding']>['type']} */ (data.get('sharding')),
      ...(shardSize ? { shard_size: Number(shardSize) } : {}),
    },
  };
}

/**
 * Keeps the regions field's placeholder an example of the chosen provider's regions.
 * @param {HTMLSelectElement} provider
 * @param {HTMLInputElement} regions
 */
export function showRegionExamples(provider, regions) {
  const update = () => {
    regions.placeholder = REGION_EXAMPLES[provider.value] ?? '';
  };
  provider.addEventListener('change', update);
  // A form resets its fields after its reset event, without a change event.
  provider.form?.addEventListener('reset', () => setTimeout(update));
  update();
}
