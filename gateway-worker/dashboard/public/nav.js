// @ts-check
/** Which view is on screen lives in the URL hash (`#view=drift&job=…`), so views can be linked. */

const VIEWS = /** @type {const} */ ([
  'overview',
  'jobs',
  'drift',
  'unmanaged',
  'schedules',
  'notifications',
  'discover',
]);
/** @typedef {typeof VIEWS[number]} View */
const REFRESH_MS = 3000;

export function hashParams() {
  return new URLSearchParams(location.hash.slice(1));
}

/** @returns {View} */
export function currentView() {
  const view = hashParams().get('view');
  return VIEWS.find((v) => v === view) ?? 'overview';
}

/** @param {Record<string, string>} params */
export function navigate(params) {
  location.hash = new URLSearchParams(params).toString();
}

/** @type {ReturnType<typeof setTimeout> | undefined} */
let refreshTimer;

/**
 * Runs `refresh` once after a pause; one timer for whatever is on screen, which only asks for
 * it while a job is still moving.
 * @param {() => Promise<void>} refresh
 */
export function refreshSoon(refresh) {
  stopRefreshing();
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    void refresh();
  }, REFRESH_MS);
}

export function stopRefreshing() {
  clearTimeout(refreshTimer);
  refreshTimer = undefined;
}
