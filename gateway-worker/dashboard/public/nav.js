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
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => {
    refreshTimer = undefined;
    void refresh();
  }, REFRESH_MS);
}

/** @type {AbortController | undefined} */
let liveStream;

/**
 * The signal of an event stream the view on screen reads; one at a time, stopped with the
 * refresh timer when the view or its parameters change.
 */
export function liveSignal() {
  liveStream?.abort();
  liveStream = new AbortController();
  return liveStream.signal;
}

export function stopRefreshing() {
  clearTimeout(refreshTimer);
  refreshTimer = undefined;
  liveStream?.abort();
  liveStream = undefined;
}
