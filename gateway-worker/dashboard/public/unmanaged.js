// @ts-check
/**
 * The unmanaged view: a job's resources that no Terraform state manages, each with the import
 * block that codifies it, and the whole codify file to download.
 */
import { isTokenRefused, listDrift, showFailure } from './api.js';
import { blockFor, codifyFile } from './codify.js';
import { $, badge, copyOnClick, el, emptyRow, fmt, labelCells, notice, saveFile, show } from './dom.js';

/** @typedef {import('./api.js').DriftPage} DriftPage */
/** @typedef {DriftPage['items'][number]} DriftItem */

const COLUMNS = 6;

/** @type {string | null} the job whose unmanaged resources are on screen */
let jobId = null;
/** @type {string | null} */
let cursor = null;
let shown = 0;

const ui = {
  form: $('unmanaged-form', HTMLFormElement),
  jobInput: $('unmanaged-job-id', HTMLInputElement),
  job: $('unmanaged-job', HTMLElement),
  error: $('unmanaged-error', HTMLElement),
  body: $('unmanaged-body', HTMLTableSectionElement),
  count: $('unmanaged-count', HTMLElement),
  more: $('unmanaged-more', HTMLButtonElement),
  download: $('unmanaged-download', HTMLButtonElement),
};

/** @param {string | null} nextCursor */
function query(nextCursor) {
  const params = new URLSearchParams({ kind: 'unmanaged', limit: '100' });
  const requested = ui.jobInput.value.trim();
  if (requested) params.set('job_id', requested);
  if (nextCursor) params.set('cursor', nextCursor);
  return params;
}

/** @param {string | null} requestedJob the job to show; the newest analysed job when none */
export async function openUnmanaged(requestedJob) {
  if (requestedJob) ui.jobInput.value = requestedJob;
  await load();
}

async function load() {
  notice(ui.error, '');
  try {
    const page = await listDrift(query(null));
    jobId = page.job_id;
    ui.job.textContent = page.job_id;
    ui.body.replaceChildren();
    shown = 0;
    append(page);
  } catch (err) {
    if (isTokenRefused(err)) return;
    jobId = null;
    ui.job.textContent = '';
    ui.body.replaceChildren(emptyRow(COLUMNS, 'No unmanaged resources to show.'));
    ui.count.textContent = '';
    show(ui.more, false);
    showFailure(ui.error, err);
  }
  ui.download.disabled = !jobId || shown === 0;
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
  for (const item of page.items) ui.body.append(...itemRows(item, page.job_id));
  labelCells(ui.body);
  shown += page.items.length;
  cursor = page.next_cursor;
  if (!shown) ui.body.replaceChildren(emptyRow(COLUMNS, 'Every discovered resource is managed by Terraform.'));
  ui.count.textContent = cursor ? `${shown}+ resources` : `${shown} ${shown === 1 ? 'resource' : 'resources'}`;
  show(ui.more, Boolean(cursor));
}

/**
 * The item's row, and a row under it for its import block that the row's button opens.
 * @param {DriftItem} item
 * @param {string} job
 */
function itemRows(item, job) {
  const where = [item.account, item.region].filter(Boolean).join(' / ');
  const blockRow = el('tr', { class: 'subrow' });
  blockRow.hidden = true;
  const toggle = el('button', { type: 'button', 'aria-expanded': 'false' }, 'Show import block');
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.textContent = open ? 'Hide import block' : 'Show import block';
    show(blockRow, open);
    // Filled once it has shown a block; after a failure, opening it again tries again.
    if (open && !blockRow.querySelector('pre')) void fillBlock(blockRow, item, job);
  });
  const row = el(
    'tr',
    {},
    el('th', { scope: 'row', class: 'mono wrap' }, item.address),
    el('td', { class: 'nowrap' }, el('div', {}, item.cloud_type), el('div', { class: 'mono muted' }, item.id)),
    el('td', { class: 'nowrap' }, where),
    el('td', {}, badge(item.severity, `sev-${item.severity}`)),
    el('td', { class: 'num', title: item.cost?.basis ?? '' }, item.cost ? fmt.usd(item.cost.monthly_usd) : '—'),
    el('td', { class: 'nowrap' }, toggle),
  );
  return [row, blockRow];
}

/**
 * @param {HTMLTableRowElement} row
 * @param {DriftItem} item
 * @param {string} job
 */
async function fillBlock(row, item, job) {
  const cell = el('td', { colspan: COLUMNS });
  row.replaceChildren(cell);
  try {
    const block = blockFor(await codifyFile(job), item);
    if (!block)
      return cell.replaceChildren(el('p', { class: 'muted' }, 'No import block: this type cannot be imported.'));
    const copy = el('button', { type: 'button' }, 'Copy');
    copyOnClick(copy, () => block.text);
    cell.replaceChildren(el('pre', { class: 'code' }, block.text), copy);
  } catch (err) {
    const message = el('div', { role: 'alert' });
    cell.replaceChildren(message);
    showFailure(message, err, 'Codify failed: ');
  }
}

async function downloadAll() {
  if (!jobId) return;
  try {
    const file = await codifyFile(jobId);
    saveFile(new Blob([file.text], { type: 'text/plain' }), `driftmgr-${jobId}-import.tf`);
  } catch (err) {
    showFailure(ui.error, err, 'Codify failed: ');
  }
}

ui.form.addEventListener('submit', (event) => {
  event.preventDefault();
  void load();
});
ui.more.addEventListener('click', () => void loadMore());
ui.download.addEventListener('click', () => void downloadAll());
