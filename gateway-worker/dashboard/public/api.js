// @ts-check
/**
 * The API as the dashboard calls it: the token lives in this tab's sessionStorage and goes out
 * as a bearer; the answers are typed by the gateway's own response schemas.
 */
import { notice } from './dom.js';

/** @typedef {import('../../../contract/api.js').JobDetail} JobDetail */
/** @typedef {import('../../../contract/api.js').JobSummary} JobSummary */
/** @typedef {import('../../../contract/job-events.js').JobEvent} JobEvent */
/** @typedef {import('../../../contract/job-events.js').ShardEvent} ShardEvent */
/** @typedef {import('../../../contract/drift.js').DriftPage} DriftPage */
/** @typedef {import('zod').infer<typeof import('../../../contract/api.js').JobList>} JobList */
/** @typedef {import('zod').infer<typeof import('../../../contract/api.js').DiscoveryAccepted>} DiscoveryAccepted */
/** @typedef {import('zod').input<typeof import('../../../contract/api.js').DiscoveryRequest>} DiscoveryRequest */
/** @typedef {import('../../../contract/drift.js').DriftSummary} DriftSummary */
/** @typedef {import('../../../contract/resource.js').Provider} Provider */
/** @typedef {import('../../../contract/schedules.js').ScheduleView} ScheduleView */
/** @typedef {import('../../../contract/schedules.js').ScheduleCreated} ScheduleCreated */
/** @typedef {import('zod').input<typeof import('../../../contract/schedules.js').ScheduleRequest>} ScheduleRequest */
/** @typedef {import('../../../contract/drift.js').Severity} Severity */
/** @typedef {import('../../../contract/notifications.js').NotificationView} NotificationView */
/** @typedef {import('../../../contract/notifications.js').NotificationCreated} NotificationCreated */
/** @typedef {import('../../../contract/notifications.js').NotificationRequest} NotificationRequest */
/**
 * `GET /api/v1/resources/summary` (its schema lives beside the route).
 * @typedef {{ key: string, count: number }} Count
 * @typedef {{ job_id: string, completed_at: string, managed: number, in_sync: number, changed: number,
 *   missing: number, unmanaged: number, coverage: number }} ProviderDrift
 * @typedef {{ total: number, by_provider: Count[], by_account: Count[], by_region: Count[], by_type: Count[],
 *   drift: Record<string, ProviderDrift>, coverage: number | null }} ResourceSummary
 */
/**
 * One point of `GET /api/v1/trends` (its schema lives beside the route).
 * @typedef {{ job_id: string, provider: Provider, completed_at: string, in_sync: number, changed: number,
 *   missing: number, unmanaged: number, coverage: number, by_severity: Record<Severity, number>,
 *   monthly_cost_delta_usd: number }} TrendPoint
 */

const TOKEN_KEY = 'driftmgr.token';

export const session = {
  /** @returns {string | null} */
  get token() {
    return sessionStorage.getItem(TOKEN_KEY);
  },
  /** @param {string | null} value */
  set token(value) {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  },
};

/** A '#token=…' in the URL (for scripted screenshots) is stored once and removed from the address bar. */
export function adoptTokenFromHash() {
  const params = new URLSearchParams(location.hash.slice(1));
  const token = params.get('token');
  if (!token) return;
  session.token = token;
  params.delete('token');
  const rest = params.toString();
  history.replaceState(null, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
}

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** @type {(reason: string) => void} */
let onTokenRefused = () => {};

/**
 * What to do when the API refuses the tab's token (the page signs out).
 * @param {(reason: string) => void} handler
 */
export function whenTokenRefused(handler) {
  onTokenRefused = handler;
}

/**
 * Calls the API with the session's token; a refused token signs the tab out.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @param {AbortSignal} [signal]
 */
async function authorizedFetch(method, path, body, signal) {
  const token = session.token;
  /** @type {Record<string, string>} */
  const headers = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal,
  });
  if (res.status === 401) {
    // A late answer for a token already replaced must not sign out the new one.
    if (session.token === token) onTokenRefused('The API refused this token. Sign in again.');
    throw new ApiError(401, 'not signed in');
  }
  if (!res.ok) throw new ApiError(res.status, await errorMessage(res));
  return res;
}

/**
 * The message of the API's `{error: {code, message}}` body, or the start of whatever came instead.
 * @param {Response} res
 */
async function errorMessage(res) {
  const text = await res.text();
  try {
    const message = JSON.parse(text)?.error?.message;
    if (typeof message === 'string' && message) return message;
  } catch {
    // Not the API's JSON error shape: fall through to the raw text.
  }
  return `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
}

/**
 * The JSON answer of an API call; its shape is the one the gateway's schema for `path` declares.
 * @template T
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<T>}
 */
async function call(method, path, body) {
  const res = await authorizedFetch(method, path, body);
  return res.json();
}

/**
 * @param {number} limit
 * @param {string | null} [cursor]
 * @returns {Promise<JobList>}
 */
export function listJobs(limit, cursor) {
  const params = new URLSearchParams({ limit: String(limit) });
  if (cursor) params.set('cursor', cursor);
  return call('GET', `/api/v1/jobs?${params}`);
}

/**
 * @param {string} jobId
 * @returns {Promise<JobDetail>}
 */
export function getJob(jobId) {
  return call('GET', `/api/v1/jobs/${encodeURIComponent(jobId)}`);
}

/**
 * Reads a job's Server-Sent Events (`GET /api/v1/jobs/{id}/events`) until the gateway ends the
 * stream after the job's final event; rejects when the stream cannot be read or `signal` aborts.
 * A fetch rather than an EventSource, which cannot send the bearer token.
 * @param {string} jobId
 * @param {{ job: (event: JobEvent) => void, shard: (event: ShardEvent) => void }} on
 * @param {AbortSignal} signal
 */
export async function followJobEvents(jobId, on, signal) {
  const res = await authorizedFetch('GET', `/api/v1/jobs/${encodeURIComponent(jobId)}/events`, undefined, signal);
  // 204: the job had finished already.
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let pending = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    pending += value;
    // The gateway frames each event as `event:`, `id:` and one `data:` line, then a blank line.
    const frames = pending.split('\n\n');
    pending = frames.pop() ?? '';
    for (const frame of frames) {
      const fields = new Map(
        frame.split('\n').map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 2)]),
      );
      const data = fields.get('data');
      if (data === undefined) continue;
      if (fields.get('event') === 'job') on.job(JSON.parse(data));
      else if (fields.get('event') === 'shard') on.shard(JSON.parse(data));
    }
  }
}

/**
 * @param {string} jobId
 * @returns {Promise<JobDetail>}
 */
export function cancelJob(jobId) {
  return call('POST', `/api/v1/jobs/${encodeURIComponent(jobId)}/cancel`);
}

/**
 * @param {URLSearchParams} query job_id, kind, severity, limit and cursor
 * @returns {Promise<DriftPage>}
 */
export function listDrift(query) {
  return call('GET', `/api/v1/drift?${query}`);
}

/**
 * @param {DiscoveryRequest} request
 * @returns {Promise<DiscoveryAccepted>}
 */
export function startDiscovery(request) {
  return call('POST', '/api/v1/discovery', request);
}

/**
 * @param {string} jobId
 * @param {string} format
 */
export async function fetchReport(jobId, format) {
  const params = new URLSearchParams({ job_id: jobId, format });
  return (await authorizedFetch('GET', `/api/v1/drift/report?${params}`)).blob();
}

/** @returns {Promise<ResourceSummary>} */
export function resourceSummary() {
  return call('GET', '/api/v1/resources/summary');
}

/**
 * @param {string} since ISO time of the oldest point
 * @returns {Promise<{ points: TrendPoint[] }>}
 */
export function listTrends(since) {
  return call('GET', `/api/v1/trends?${new URLSearchParams({ since })}`);
}

/** @returns {Promise<{ schedules: ScheduleView[] }>} */
export function listSchedules() {
  return call('GET', '/api/v1/schedules');
}

/**
 * @param {ScheduleRequest} request
 * @returns {Promise<ScheduleCreated>}
 */
export function createSchedule(request) {
  return call('POST', '/api/v1/schedules', request);
}

/** @param {string} scheduleId */
export async function deleteSchedule(scheduleId) {
  await authorizedFetch('DELETE', `/api/v1/schedules/${encodeURIComponent(scheduleId)}`);
}

/** @returns {Promise<{ notifications: NotificationView[] }>} */
export function listNotifications() {
  return call('GET', '/api/v1/notifications');
}

/**
 * @param {NotificationRequest} request
 * @returns {Promise<NotificationCreated>}
 */
export function createNotification(request) {
  return call('POST', '/api/v1/notifications', request);
}

/** @param {string} notificationId */
export async function deleteNotification(notificationId) {
  await authorizedFetch('DELETE', `/api/v1/notifications/${encodeURIComponent(notificationId)}`);
}

/**
 * Shows a failed call's message in `node`; a refused token has already signed the tab out.
 * @param {HTMLElement} node
 * @param {unknown} err
 * @param {string} [prefix]
 */
export function showFailure(node, err, prefix = '') {
  if (isTokenRefused(err)) return;
  notice(node, prefix + (err instanceof Error ? err.message : String(err)), 'error');
}

/** @param {unknown} err */
export function isTokenRefused(err) {
  return err instanceof ApiError && err.status === 401;
}
