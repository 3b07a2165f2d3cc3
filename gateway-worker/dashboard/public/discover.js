// @ts-check
/** The new-discovery form: turns the fields into a discovery request and links the started job. */
import { showFailure, startDiscovery } from './api.js';
import { discoveryRequest, showRegionExamples } from './discovery-form.js';
import { $, el, show } from './dom.js';

const form = $('discover-form', HTMLFormElement);
const submit = $('discover-submit', HTMLButtonElement);
const result = $('discover-result', HTMLElement);

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

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  submit.disabled = true;
  try {
    showStarted(await startDiscovery(discoveryRequest(new FormData(form))));
  } catch (err) {
    showFailure(result, err);
  } finally {
    submit.disabled = false;
  }
});
showRegionExamples($('discover-provider', HTMLSelectElement), $('discover-regions', HTMLInputElement));
