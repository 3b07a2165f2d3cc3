/**
 * Whether a discovery error is worth another attempt (on this or another agent). A shard
 * failed with retryable=false is not re-leased, so only errors that a retry cannot change
 * count as permanent: access denied, bad request, unknown type. Providers may say so
 * directly with a boolean `retryable` on the error; otherwise the SDKs' own error shapes
 * are read.
 */
export function isRetryableProviderError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return true;
  const e = err as ProviderErrorShape;
  if (typeof e.retryable === 'boolean') return e.retryable;
  if (typeof e.name === 'string' && THROTTLE_ERROR_NAMES.has(e.name)) return true;
  const status = httpStatusOf(e);
  if (status !== undefined) return !(status >= 400 && status < 500 && !RETRYABLE_4XX.has(status));
  if (typeof e.code === 'number') return !PERMANENT_GRPC_CODES.has(e.code);
  return true;
}

interface ProviderErrorShape {
  retryable?: unknown;
  name?: unknown;
  code?: unknown;
  /** AWS SDK v3 */
  $metadata?: { httpStatusCode?: unknown };
  /** Azure RestError */
  statusCode?: unknown;
  /** gaxios / fetch-style errors */
  status?: unknown;
  response?: { status?: unknown };
}

/** Throttling errors AWS answers with a 4xx: retrying later is exactly what they ask for. */
const THROTTLE_ERROR_NAMES = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
]);

/** Request timeout, conflict with an in-flight change, rate limited: a later retry may pass. */
const RETRYABLE_4XX = new Set([408, 409, 429]);

/** gRPC codes (google-gax maps REST statuses onto them) that a retry will not change. */
const PERMANENT_GRPC_CODES = new Set([
  3, // INVALID_ARGUMENT
  5, // NOT_FOUND
  7, // PERMISSION_DENIED
  12, // UNIMPLEMENTED
  16, // UNAUTHENTICATED
]);

function httpStatusOf(e: ProviderErrorShape): number | undefined {
  const candidates = [e.$metadata?.httpStatusCode, e.statusCode, e.status, e.response?.status];
  return candidates.find((c): c is number => typeof c === 'number');
}
