// @ts-check
/** The schedules view: every schedule with its next and last runs, a form for a new one, and deletion. */
import { createSchedule, deleteSchedule, listSchedules, showFailure } from './api.js';
import { discoveryRequest, showRegionExamples } from './discovery-form.js';
import { $, el, emptyRow, fmt, labelCells, notice } from './dom.js';

/** @typedef {import('./api.js').ScheduleView} ScheduleView */

const COLUMNS = 7;

const ui = {
  error: $('schedules-error', HTMLElement),
  body: $('schedules-body', HTMLTableSectionElement),
  form: $('schedule-form', HTMLFormElement),
  submit: $('schedule-submit', HTMLButtonElement),
  result: $('schedule-result', HTMLElement),
};

export async function openSchedules() {
  try {
    const { schedules } = await listSchedules();
    notice(ui.error, '');
    render(schedules);
  } catch (err) {
    showFailure(ui.error, err);
  }
}

/** @param {string | null} jobId */
function jobLink(jobId) {
  return jobId
    ? el('a', { class: 'mono', href: `#${new URLSearchParams({ view: 'jobs', job: jobId })}` }, jobId)
    : null;
}

/** @param {ScheduleView['discovery']} d */
function discoveryText(d) {
  const accounts = d.accounts?.length
    ? `${d.accounts.length} ${d.accounts.length === 1 ? 'account' : 'accounts'}`
    : 'every account';
  return `${d.provider}: ${d.regions.join(', ')}; ${accounts}; ${d.sharding.type} sharding`;
}

/** @param {ScheduleView} s */
function scheduleRow(s) {
  const remove = el('button', { class: 'danger', type: 'button', 'aria-label': `Delete schedule ${s.name}` }, 'Delete');
  remove.addEventListener('click', () => void removeSchedule(s));
  return el(
    'tr',
    {},
    el('th', { scope: 'row', class: 'wrap' }, s.name, el('div', { class: 'mono muted' }, s.schedule_id)),
    el('td', { class: 'mono nowrap' }, s.cron),
    el('td', { class: 'wrap' }, discoveryText(s.discovery)),
    el('td', { class: 'nowrap' }, s.next_run_at ? fmt.time(s.next_run_at) : 'never again'),
    el('td', { class: 'nowrap' }, fmt.time(s.last_run_at), el('div', {}, jobLink(s.last_job_id))),
    el(
      'td',
      { class: 'wrap' },
      s.last_skipped_at ? `${fmt.time(s.last_skipped_at)}: ${s.last_skip_reason ?? ''}` : '—',
    ),
    el('td', {}, remove),
  );
}

/** @param {ScheduleView[]} schedules */
function render(schedules) {
  const rows = schedules.map(scheduleRow);
  ui.body.replaceChildren(...(rows.length ? rows : [emptyRow(COLUMNS, 'No schedules yet. Create one below.')]));
  labelCells(ui.body);
}

/** @param {ScheduleView} s */
async function removeSchedule(s) {
  if (!confirm(`Delete schedule "${s.name}"? A job it already started runs on.`)) return;
  try {
    await deleteSchedule(s.schedule_id);
    await openSchedules();
  } catch (err) {
    showFailure(ui.error, err);
  }
}

ui.form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const data = new FormData(ui.form);
  ui.submit.disabled = true;
  try {
    const created = await createSchedule({
      name: String(data.get('name') ?? '').trim(),
      cron: String(data.get('cron') ?? '').trim(),
      discovery: discoveryRequest(data),
    });
    const next = created.next_run_at ? `first run ${fmt.time(created.next_run_at)}` : 'it never runs';
    notice(ui.result, `Schedule ${created.schedule_id} created; ${next}.`, 'ok');
    ui.form.reset();
    await openSchedules();
  } catch (err) {
    showFailure(ui.result, err);
  } finally {
    ui.submit.disabled = false;
  }
});
showRegionExamples($('schedule-provider', HTMLSelectElement), $('schedule-regions', HTMLInputElement));
$('schedules-refresh', HTMLButtonElement).addEventListener('click', () => void openSchedules());
