// @ts-check
/** The new-discovery form: turns the fields into a discovery request and links the started job. */
import { showFailure, startDiscovery } from './api.js';
import { $, el, show } from './dom.js';

/** @typedef {import('./api.js').DiscoveryRequest} DiscoveryRequest */

/** @type {Record<string, string>} */
const REGION_EXAMPLES = { aws: 'us-east-1, eu-west-1', azure: 'eastus, westeurope', gcp: 'us-central1, europe-west1' };

const form = $('discover-form', HTMLFormElement);
const provider = $('discover-provider', HTMLSelectElement);
const regions = $('discover-regions', HTMLInputElement);
const submit = $('discover-submit', HTMLButtonElement);
const result = $('discover-result', HTMLElement);

/** @param {FormDataEntryValue | null} value a comma- or space-separated list */
function listField(value) {
  return String(value ?? '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

/**
 * The request the form describes; the API validates it and answers any mistake in words.
 * @returns {DiscoveryRequest}
 */
function discoveryRequest() {
  const data = new FormData(form);
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

function updateRegionExample() {
  regions.placeholder = REGION_EXAMPLES[provider.value] ?? '';
}

/** @param {import('./api.js').DiscoveryAccepted} accepted */
function showStarted(accepted) {
  const link = el(
    'a',
    { href: `#${new URLSearchParams({ view: 'jobs', job: accepted.job_id })}`, class: 'mono' },
    accepted.job_id,
  );
  const shards = `${accepted.shards} ${accepted.shards === 1 ? 'shard' : 'shards'}`;
  result.replaceChildren('Job ', link, ` started with ${shards}.`);
  result.className = 'notice ok';
  show(result, true);
}

provider.addEventListener('change', updateRegionExample);
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  submit.disabled = true;
  try {
    showStarted(await startDiscovery(discoveryRequest()));
  } catch (err) {
    showFailure(result, err);
  } finally {
    submit.disabled = false;
  }
});
updateRegionExample();
