// @ts-check
/** The drift view: a job's summary cards, its drift items (each opens in detail), and report downloads. */
import { fetchReport, isTokenRefused, listDrift, showFailure } from './api.js';
import { $, badge, el, emptyRow, fmt, labelCells, notice, saveFile, show } from './dom.js';
import { closeItem, itemKey, openItem } from './drift-detail.js';
import { navigate } from './nav.js';

/** @typedef {import('./api.js').DriftPage} DriftPage */
/** @typedef {DriftPage['items'][number]} DriftItem */
/** @typedef {DriftPage['summary']} Summary */

const COLUMNS = 7;
const REPORT_FILES = { markdown: 'md', html: 'html', sarif: 'sarif', json: 'json' };
/** @typedef {keyof typeof REPORT_FILES} ReportFormat */

/**
 * @param {Summary} summary
 * @returns {unknown}
 */
function costDelta(summary) {
  const cost = summary.cost;
  return typeof cost === 'object' && cost !== null && 'monthly_delta_usd' in cost ? cost.monthly_delta_usd : undefined;
}

/** @type {{ label: string, cls: string, value: (summary: Summary) => string }[]} */
const SUMMARY_CARDS = [
  { label: 'In sync', cls: 'in-sync', value: (s) => fmt.int(s.in_sync) },
  { label: 'Changed', cls: 'changed', value: (s) => fmt.int(s.changed) },
  { label: 'Missing', cls: 'missing', value: (s) => fmt.int(s.missing) },
  { label: 'Unmanaged', cls: 'unmanaged', value: (s) => fmt.int(s.unmanaged) },
  { label: 'Coverage', cls: '', value: (s) => fmt.pct(s.coverage) },
  { label: 'Noise filtered', cls: '', value: (s) => fmt.int(s.noise_filtered) },
  { label: 'Est. monthly cost delta', cls: '', value: (s) => fmt.usd(costDelta(s)) },
];

/** @type {string | null} the job whose drift is on screen, once a page of it has loaded */
let jobId = null;
/** @type {string | null} */
let cursor = null;
/** @type {DriftItem[]} the items on screen */
let items = [];
/** @type {string | null} the query of the items on screen */
let loadedQuery = null;

const ui = {
  form: $('drift-form', HTMLFormElement),
  jobInput: $('drift-job-id', HTMLInputElement),
  kind: $('drift-kind', HTMLSelectElement),
  severity: $('drift-severity', HTMLSelectElement),
  job: $('drift-job', HTMLElement),
  error: $('drift-error', HTMLElement),
  cards: $('drift-cards', HTMLElement),
  body: $('drift-body', HTMLTableSectionElement),
  count: $('drift-count', HTMLElement),
  more: $('drift-more', HTMLButtonElement),
  reports: Array.from(document.querySelectorAll('button[data-report]'), (b) => /** @type {HTMLButtonElement} */ (b)),
};

/** @param {string | null} nextCursor */
function query(nextCursor) {
  // fix: each item's Terraform fix, which its detail shows.
  const params = new URLSearchParams({ limit: '100', fix: 'true' });
  const requested = ui.jobInput.value.trim();
  if (requested) params.set('job_id', requested);
  if (ui.kind.value) params.set('kind', ui.kind.value);
  if (ui.severity.value) params.set('severity', ui.severity.value);
  if (nextCursor) params.set('cursor', nextCursor);
  return params;
}

/**
 * Shows a job's drift, and the item `itemShown` names in a dialog. The items load as the view
 * comes on screen or the job changes; opening and closing an item keeps those on screen.
 * @param {string | null} requestedJob the job to show; the newest analysed job when none
 * @param {string | null} itemShown an item's key (itemKey)
 * @param {boolean} entering whether the view has just come on screen
 */
export async function openDrift(requestedJob, itemShown, entering) {
  if (requestedJob) ui.jobInput.value = requestedJob;
  if (entering || query(null).toString() !== loadedQuery) await load();
  if (!itemShown) return closeItem();
  const item = items.find((i) => itemKey(i) === itemShown);
  if (item && jobId) openItem(item, () => navigate({ view: 'drift', job: jobId ?? '' }));
  else notice(ui.error, 'That item is not among the items loaded; load more, or change the filters.');
}

async function load() {
  notice(ui.error, '');
  const params = query(null);
  try {
    const page = await listDrift(params);
    loadedQuery = params.toString();
    jobId = page.job_id;
    ui.job.textContent = page.job_id;
    renderSummary(page.summary);
    ui.body.replaceChildren();
    items = [];
    append(page);
  } catch (err) {
    if (isTokenRefused(err)) return;
    clear();
    showFailure(ui.error, err);
  }
  for (const button of ui.reports) button.disabled = !jobId;
}

function clear() {
  jobId = null;
  loadedQuery = null;
  items = [];
  ui.job.textContent = '';
  ui.cards.replaceChildren();
  ui.body.replaceChildren(emptyRow(COLUMNS, 'No drift to show.'));
  ui.count.textContent = '';
  show(ui.more, false);
}

async function loadMore() {
  try {
    append(await listDrift(query(cursor)));
  } catch (err) {
    showFailure(ui.error, err);
  }
}

/** @param {DriftPage} page */
function append(page) {
  items.push(...page.items);
  ui.body.append(...page.items.map(itemRow));
  labelCells(ui.body);
  const shown = items.length;
  cursor = page.next_cursor;
  if (!shown) ui.body.replaceChildren(emptyRow(COLUMNS, 'No drift matches these filters.'));
  ui.count.textContent = cursor ? `${shown}+ items` : `${shown} ${shown === 1 ? 'item' : 'items'}`;
  show(ui.more, Boolean(cursor));
}

/** @param {Summary} summary */
function renderSummary(summary) {
  ui.cards.replaceChildren(
    ...SUMMARY_CARDS.map((card) =>
      el(
        'div',
        { class: `card ${card.cls}` },
        el('span', { class: 'label' }, card.label),
        el('span', { class: 'figure' }, card.value(summary)),
      ),
    ),
  );
}

/** @param {DriftItem} item */
function itemRow(item) {
  const where = [item.account, item.region].filter(Boolean).join(' / ');
  const changes = item.changes.length;
  const open = el(
    'button',
    { class: 'link mono', type: 'button', title: 'Show this item' },
    item.address,
    changes ? el('span', { class: 'count' }, `${changes} ${changes === 1 ? 'change' : 'changes'}`) : null,
  );
  open.addEventListener('click', () => {
    if (jobId) navigate({ view: 'drift', job: jobId, item: itemKey(item) });
  });
  return el(
    'tr',
    {},
    el('td', {}, badge(item.severity, `sev-${item.severity}`)),
    el('td', {}, badge(item.kind, `kind-${item.kind}`)),
    el('td', { class: 'wrap' }, open),
    el('td', { class: 'nowrap' }, el('div', {}, item.cloud_type), el('div', { class: 'mono muted' }, item.id)),
    el('td', { class: 'nowrap' }, where),
    el('td', { class: 'num' }, item.score),
    el('td', { class: 'num', title: item.cost?.basis ?? '' }, item.cost ? fmt.usd(item.cost.monthly_usd) : '—'),
  );
}

/** @param {ReportFormat} format */
async function download(format) {
  if (!jobId) return;
  try {
    saveFile(await fetchReport(jobId, format), `driftmgr-${jobId}.${REPORT_FILES[format]}`);
  } catch (err) {
    showFailure(ui.error, err, 'Report download failed: ');
  }
}

/**
 * @param {string | undefined} value
 * @returns {value is ReportFormat}
 */
function isReportFormat(value) {
  return value !== undefined && Object.hasOwn(REPORT_FILES, value);
}

ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  void load();
});
ui.kind.addEventListener('change', () => void load());
ui.severity.addEventListener('change', () => void load());
ui.more.addEventListener('click', () => void loadMore());
for (const button of ui.reports) {
  const format = button.dataset.report;
  if (isReportFormat(format)) button.addEventListener('click', () => void download(format));
}
