// @ts-check
/** The jobs view: the job list with progress, and the selected job's detail and shards. */
import { cancelJob, followJobEvents, getJob, isTokenRefused, listJobs, showFailure } from './api.js';
import { $, badge, el, emptyRow, fmt, labelCells, notice, show } from './dom.js';
import { currentView, liveSignal, navigate, refreshSoon } from './nav.js';

/** @typedef {import('./api.js').JobSummary} JobSummary */
/** @typedef {import('./api.js').JobDetail} JobDetail */
/** @typedef {import('./api.js').JobEvent} JobEvent */
/** @typedef {import('./api.js').ShardEvent} ShardEvent */

const ACTIVE_JOB = new Set(['pending', 'running', 'analyzing']);
// The API's page limit; a refresh keeps as many rows as "load more" has shown, up to this.
const MAX_PAGE = 200;
const PAGE = 50;

/** @type {JobSummary[]} */
let jobs = [];
/** @type {string | null} */
let cursor = null;
/** @type {string | null} */
let selected = null;
/** @type {JobDetail | null} */
let detail = null;
/** @type {{ jobId: string } | null} the job whose event stream is being read */
let following = null;
/** Jobs whose event stream could not be read: polled instead. */
const unfollowable = new Set();

const ui = {
  note: $('jobs-note', HTMLElement),
  error: $('jobs-error', HTMLElement),
  body: $('jobs-body', HTMLTableSectionElement),
  more: $('jobs-more', HTMLButtonElement),
  detail: $('job-detail', HTMLElement),
  title: $('job-title', HTMLElement),
  status: $('job-status', HTMLElement),
  detailError: $('job-error', HTMLElement),
  meta: $('job-meta', HTMLElement),
  shards: $('shards-body', HTMLTableSectionElement),
  shardsNote: $('shards-note', HTMLElement),
  cancel: $('job-cancel', HTMLButtonElement),
  drift: $('job-drift', HTMLButtonElement),
};

/** @param {string | null} jobId the job to show in detail, if any */
export async function openJobs(jobId) {
  selected = jobId;
  await refresh();
  if (jobId && detail) ui.detail.scrollIntoView({ block: 'start', behavior: 'smooth' });
}

async function refresh() {
  await Promise.all([loadList(), loadDetail()]);
  if (detail && ACTIVE_JOB.has(detail.status) && currentView() === 'jobs') follow(detail.job_id);
  // The followed job changes on screen as its events come; any other running job is polled.
  const live = following?.jobId;
  const moving =
    jobs.some((j) => ACTIVE_JOB.has(j.status) && j.job_id !== live) ||
    (detail !== null && ACTIVE_JOB.has(detail.status) && detail.job_id !== live);
  ui.note.textContent = [
    live ? 'following the selected job live' : '',
    moving ? 'refreshing every 3 s while a job runs' : '',
  ]
    .filter(Boolean)
    .join('; ');
  if (moving && currentView() === 'jobs') refreshSoon(refresh);
}

/**
 * Reads the job's event stream, showing each change of its status, counts and shards as it
 * comes, and loads the job again once the stream ends after its final event. A stream that
 * fails has the job polled instead; one stopped by a change of view is opened again by the next view of it.
 * @param {string} jobId
 */
function follow(jobId) {
  if (following?.jobId === jobId || unfollowable.has(jobId)) return;
  const mine = { jobId };
  following = mine;
  const signal = liveSignal();
  let signedOut = false;
  followJobEvents(jobId, { job: showJobEvent, shard: showShardEvent }, signal)
    .catch((err) => {
      signedOut = isTokenRefused(err);
      if (!signal.aborted && !signedOut) unfollowable.add(jobId);
    })
    .finally(() => {
      if (following === mine) following = null;
      if (!signal.aborted && !signedOut && currentView() === 'jobs') void refresh();
    });
}

/** @param {JobEvent} event */
function showJobEvent(event) {
  const { shard_events_skipped: _skipped, ...changed } = event;
  const row = jobs.find((j) => j.job_id === event.job_id);
  if (row) {
    Object.assign(row, changed);
    renderList();
  }
  if (detail?.job_id === event.job_id) {
    detail = { ...detail, ...changed };
    renderDetail(detail);
  }
}

/** @param {ShardEvent} shard */
function showShardEvent(shard) {
  if (!detail) return;
  const at = detail.shards.findIndex((s) => s.shard_id === shard.shard_id);
  if (at < 0) return;
  detail.shards[at] = shard;
  renderDetail(detail);
}

async function loadList() {
  try {
    const page = await listJobs(Math.min(MAX_PAGE, Math.max(PAGE, jobs.length)));
    jobs = page.jobs;
    cursor = page.next_cursor;
    notice(ui.error, '');
    renderList();
  } catch (err) {
    showFailure(ui.error, err);
  }
}

async function loadMore() {
  try {
    const page = await listJobs(PAGE, cursor);
    jobs = jobs.concat(page.jobs);
    cursor = page.next_cursor;
    renderList();
  } catch (err) {
    showFailure(ui.error, err);
  }
}

/** @param {JobSummary['counts']} counts */
function progressBar(counts) {
  const done = counts.shards_succeeded + counts.shards_failed + counts.shards_cancelled;
  const total = counts.shards_total;
  const fill = el('div', { class: counts.shards_failed ? 'fill has-failures' : 'fill' });
  fill.style.width = `${total ? Math.round((done / total) * 100) : 0}%`;
  return el(
    'div',
    { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': done },
    el('div', { class: 'track' }, fill),
    el('span', {}, `${done} / ${total}`),
  );
}

/** @param {JobSummary} job */
function jobRow(job) {
  const open = () => navigate({ view: 'jobs', job: job.job_id });
  return el(
    'tr',
    { class: job.job_id === selected ? 'selected' : '' },
    el('td', { class: 'nowrap' }, el('button', { class: 'link mono', type: 'button', onclick: open }, job.job_id)),
    el('td', {}, job.provider),
    el('td', {}, badge(job.status, job.status)),
    el('td', {}, progressBar(job.counts)),
    el('td', { class: 'num' }, fmt.int(job.counts.resources_discovered)),
    el('td', { class: 'nowrap' }, fmt.time(job.created_at)),
  );
}

function renderList() {
  const rows = jobs.map(jobRow);
  ui.body.replaceChildren(...(rows.length ? rows : [emptyRow(6, 'No jobs yet. Start one under New discovery.')]));
  labelCells(ui.body);
  show(ui.more, Boolean(cursor));
}

async function loadDetail() {
  if (!selected) {
    detail = null;
    show(ui.detail, false);
    return;
  }
  try {
    detail = await getJob(selected);
    notice(ui.detailError, '');
  } catch (err) {
    if (isTokenRefused(err)) return;
    detail = null;
    showMissingDetail(selected);
    showFailure(ui.detailError, err);
    return;
  }
  renderDetail(detail);
}

/** @param {string} jobId */
function showMissingDetail(jobId) {
  ui.title.textContent = jobId;
  ui.status.replaceChildren();
  ui.meta.replaceChildren();
  ui.shards.replaceChildren();
  show(ui.shardsNote, false);
  show(ui.cancel, false);
  show(ui.drift, false);
  show(ui.detail, true);
}

/** @param {JobDetail} job */
function jobFacts(job) {
  /** @type {[string, string | Node][]} */
  const facts = [
    ['Provider', job.provider],
    ['Accounts', longList(job.accounts, 'accounts') || 'every account with a live agent'],
    ['Regions', longList(job.regions, 'regions')],
    ['Resource types', longList(job.resource_types, 'types') || 'all supported'],
    ['Mode', job.mode],
    ['Sharding', `${job.sharding.type}, ${fmt.int(job.sharding.shard_size)} resources per shard`],
    ['Resources', fmt.int(job.counts.resources_discovered)],
    ['Created', fmt.time(job.created_at)],
    ['Finished', fmt.time(job.finished_at)],
  ];
  if (job.error) facts.push(['Error', job.error]);
  return facts.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]);
}

/** Lists longer than this are folded under their count. */
const SHOWN_LIST = 8;

/**
 * A list as text, or folded under its count when it is long.
 * @param {string[]} values
 * @param {string} noun what the values are, plural
 * @returns {string | Node}
 */
function longList(values, noun) {
  if (values.length <= SHOWN_LIST) return values.join(', ');
  return el('details', {}, el('summary', {}, `${fmt.int(values.length)} ${noun}`), values.join(', '));
}

/** @param {JobDetail['shards'][number]} shard */
function shardRow(shard) {
  return el(
    'tr',
    {},
    el('td', { class: 'nowrap' }, shard.region),
    el('td', { class: 'mono nowrap' }, shard.account),
    el('td', { class: 'wrap' }, longList(shard.resource_types, 'types')),
    el('td', {}, badge(shard.status, shard.status)),
    el('td', { class: 'num' }, shard.attempts),
    el('td', { class: 'num' }, fmt.int(shard.resources)),
    el('td', { class: 'wrap' }, shard.last_error ?? ''),
  );
}

/** @param {JobDetail} job */
function renderDetail(job) {
  ui.title.textContent = job.job_id;
  ui.status.replaceChildren(badge(job.status, job.status));
  ui.meta.replaceChildren(...jobFacts(job));
  const rows = job.shards.map(shardRow);
  ui.shards.replaceChildren(...(rows.length ? rows : [emptyRow(7, 'No shards.')]));
  // The API lists one page of a job's shards; the counts above cover them all.
  ui.shardsNote.textContent = `The first ${fmt.int(job.shards.length)} of ${fmt.int(job.counts.shards_total)} shards.`;
  show(ui.shardsNote, job.shards_next_cursor !== null);
  labelCells(ui.shards);
  show(ui.cancel, ACTIVE_JOB.has(job.status));
  show(ui.drift, job.status === 'completed');
  show(ui.detail, true);
}

async function cancel() {
  const job = detail;
  if (!job || !confirm(`Cancel job ${job.job_id}? Agents holding its shards stop at their next call.`)) return;
  try {
    detail = await cancelJob(job.job_id);
    renderDetail(detail);
    await loadList();
  } catch (err) {
    showFailure(ui.detailError, err);
  }
}

$('jobs-refresh', HTMLButtonElement).addEventListener('click', () => void refresh());
ui.more.addEventListener('click', () => void loadMore());
$('job-close', HTMLButtonElement).addEventListener('click', () => navigate({ view: 'jobs' }));
ui.cancel.addEventListener('click', () => void cancel());
ui.drift.addEventListener('click', () => {
  if (selected) navigate({ view: 'drift', job: selected });
});
