// @ts-check
/**
 * The notifications view: where new drift is announced (signed webhooks, Slack incoming webhooks)
 * and from which severity on, a form for a new target, and deletion. A generated webhook secret is
 * shown once, as the API gives it once.
 */
import { createNotification, deleteNotification, listNotifications, showFailure } from './api.js';
import { $, badge, el, emptyRow, fmt, labelCells, notice, show } from './dom.js';

/** @typedef {import('./api.js').NotificationView} NotificationView */
/** @typedef {import('./api.js').NotificationRequest} NotificationRequest */

const COLUMNS = 6;

const ui = {
  error: $('notifications-error', HTMLElement),
  body: $('notifications-body', HTMLTableSectionElement),
  form: $('notification-form', HTMLFormElement),
  type: $('notification-type', HTMLSelectElement),
  secretField: $('notification-secret-field', HTMLElement),
  submit: $('notification-submit', HTMLButtonElement),
  result: $('notification-result', HTMLElement),
};

export async function openNotifications() {
  try {
    const { notifications } = await listNotifications();
    notice(ui.error, '');
    render(notifications);
  } catch (err) {
    showFailure(ui.error, err);
  }
}

/** @param {NotificationView} n */
function notificationRow(n) {
  const remove = el(
    'button',
    { class: 'danger', type: 'button', 'aria-label': `Delete notification ${n.url}` },
    'Delete',
  );
  remove.addEventListener('click', () => void removeNotification(n));
  return el(
    'tr',
    {},
    el('th', { scope: 'row', class: 'mono wrap' }, n.url, el('div', { class: 'muted' }, n.notification_id)),
    el('td', {}, n.type),
    el('td', {}, badge(`${n.min_severity} and above`, `sev-${n.min_severity}`)),
    el('td', {}, n.signed ? 'yes' : 'no'),
    el('td', { class: 'nowrap' }, fmt.time(n.created_at)),
    el('td', {}, remove),
  );
}

/** @param {NotificationView[]} notifications */
function render(notifications) {
  const rows = notifications.map(notificationRow);
  ui.body.replaceChildren(...(rows.length ? rows : [emptyRow(COLUMNS, 'No notification targets yet. Add one below.')]));
  labelCells(ui.body);
}

/** @param {NotificationView} n */
async function removeNotification(n) {
  if (!confirm(`Delete the notification to ${n.url}?`)) return;
  try {
    await deleteNotification(n.notification_id);
    await openNotifications();
  } catch (err) {
    showFailure(ui.error, err);
  }
}

/** @returns {NotificationRequest} */
function notificationRequest() {
  const data = new FormData(ui.form);
  const secret = String(data.get('secret') ?? '').trim();
  return {
    type: /** @type {NotificationRequest['type']} */ (data.get('type')),
    url: String(data.get('url') ?? '').trim(),
    min_severity: /** @type {NotificationRequest['min_severity']} */ (data.get('min_severity')),
    ...(secret && ui.type.value === 'webhook' ? { secret } : {}),
  };
}

/** @param {import('./api.js').NotificationCreated} created */
function showCreated(created) {
  /** @type {HTMLElement[]} */
  const lines = [el('div', {}, `Notification ${created.notification_id} added.`)];
  if (created.secret) {
    lines.push(
      el('div', {}, 'Its signing secret, shown this once (receivers check X-DriftMgr-Signature with it):'),
      el('pre', { class: 'code' }, created.secret),
    );
  }
  ui.result.replaceChildren(...lines);
  ui.result.className = 'notice ok';
  show(ui.result, true);
}

function showSecretField() {
  show(ui.secretField, ui.type.value === 'webhook');
}

ui.form.addEventListener('submit', async (event) => {
  event.preventDefault();
  ui.submit.disabled = true;
  try {
    showCreated(await createNotification(notificationRequest()));
    ui.form.reset();
    showSecretField();
    await openNotifications();
  } catch (err) {
    showFailure(ui.result, err);
  } finally {
    ui.submit.disabled = false;
  }
});
ui.type.addEventListener('change', showSecretField);
$('notifications-refresh', HTMLButtonElement).addEventListener('click', () => void openNotifications());
showSecretField();
