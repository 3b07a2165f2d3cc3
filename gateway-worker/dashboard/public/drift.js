// @ts-check
/** The drift view: a job's summary cards, its drift items with their changes, and report downloads. */
import { fetchReport, isTokenRefused, listDrift, showFailure } from './api.js';
import { $, badge, el, emptyRow, fmt, labelCells, notice, show } from './dom.js';

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
let shown = 0;

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
  const params = new URLSearchParams({ limit: '100' });
  const requested = ui.jobInput.value.trim();
  if (requested) params.set('job_id', requested);
  if (ui.kind.value) params.set('kind', ui.kind.value);
  if (ui.severity.value) params.set('severity', ui.severity.value);
  if (nextCursor) params.set('cursor', nextCursor);
  return params;
}

/** @param {string | null} requestedJob the job to show; the newest analysed job when none */
export async function openDrift(requestedJob) {
  if (requestedJob) ui.jobInput.value = requestedJob;
  await load();
}

async function load() {
  notice(ui.error, '');
  try {
    const page = await listDrift(query(null));
    jobId = page.job_id;
    ui.job.textContent = page.job_id;
    renderSummary(page.summary);
    ui.body.replaceChildren();
    shown = 0;
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
  for (const item of page.items) ui.body.append(...itemRows(item));
  labelCells(ui.body);
  shown += page.items.length;
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

/**
 * An item's row, plus a hidden row with its attribute changes that the address toggles.
 * @param {DriftItem} item
 */
function itemRows(item) {
  const where = [item.account, item.region].filter(Boolean).join(' / ');
  const changesRow = item.kind === 'changed' && item.changes.length > 0 ? changesTable(item.changes) : null;
  const address = changesRow ? changesToggle(item, changesRow) : el('span', { class: 'mono' }, item.address);
  const row = el(
    'tr',
    {},
    el('td', {}, badge(item.severity, `sev-${item.severity}`)),
    el('td', {}, badge(item.kind, `kind-${item.kind}`)),
    el('td', { class: 'wrap' }, address),
    el('td', { class: 'nowrap' }, el('div', {}, item.cloud_type), el('div', { class: 'mono muted' }, item.id)),
    el('td', { class: 'nowrap' }, where),
    el('td', { class: 'num' }, item.score),
    el('td', { class: 'num', title: item.cost?.basis ?? '' }, item.cost ? fmt.usd(item.cost.monthly_usd) : '—'),
  );
  return changesRow ? [row, changesRow] : [row];
}

/**
 * The item's address as a button that shows and hides its changes row.
 * @param {DriftItem} item
 * @param {HTMLTableRowElement} changesRow
 */
function changesToggle(item, changesRow) {
  const count = item.changes.length;
  const button = el(
    'button',
    { class: 'link mono expander', type: 'button', 'aria-expanded': 'false', title: 'Show attribute changes' },
    item.address,
    el('span', { class: 'count' }, `${count} ${count === 1 ? 'change' : 'changes'}`),
  );
  button.addEventListener('click', () => {
    const open = button.getAttribute('aria-expanded') !== 'true';
    show(changesRow, open);
    button.setAttribute('aria-expanded', String(open));
  });
  return button;
}

/** @param {DriftItem['changes']} changes */
function changesTable(changes) {
  const rows = changes.map((c) =>
    el(
      'tr',
      {},
      el('td', { class: 'mono wrap' }, c.path, c.noise_rule ? [' ', badge(`noise: ${c.noise_rule}`, 'noise')] : null),
      el('td', {}, el('div', { class: 'value mono' }, fmt.value(c.expected))),
      el('td', {}, el('div', { class: 'value mono' }, fmt.value(c.actual))),
    ),
  );
  const tbody = el('tbody', {}, rows);
  const head = el(
    'tr',
    {},
    el('th', {}, 'Attribute'),
    el('th', {}, 'Expected (Terraform)'),
    el('th', {}, 'Actual (cloud)'),
  );
  const table = el('table', { class: 'stack' }, el('thead', {}, head), tbody);
  labelCells(tbody);
  const row = el('tr', { class: 'changes' }, el('td', { colspan: COLUMNS }, table));
  row.hidden = true;
  return row;
}

/** @param {ReportFormat} format */
async function download(format) {
  if (!jobId) return;
  try {
    const url = URL.createObjectURL(await fetchReport(jobId, format));
    const link = el('a', { href: url, download: `driftmgr-${jobId}.${REPORT_FILES[format]}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
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
