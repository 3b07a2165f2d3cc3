import type { Dispatcher } from 'undici';
import { Pool } from 'undici';
import type { z } from 'zod';
import {
  type AccountProof,
  type CompleteRequest,
  CompleteResponse,
  type FailRequest,
  FailResponse,
  HeartbeatResponse,
  Lease,
  LeaseRequest,
  ResultsResponse,
} from '../contract/agent-protocol.js';
import { ErrorBody, ErrorCode } from '../contract/errors.js';
import {
  type StateLeaseRequest,
  type StateReadComplete,
  type StateReadFail,
  StateReadFinished,
  StateReadLease,
  StateUploadResult,
} from '../contract/state-sources.js';
import { childSpan, formatTraceparent } from '../contract/trace-context.js';
import { insecureGatewayReason } from './config.js';
import { errorMessage, type Logger, silentLogger } from './log.js';
import { metrics } from './metrics.js';
import { type ErrorClass, parseRetryAfter, withRetry } from './resilience.js';

/**
 * The gateway answered 409 (lease_conflict, lease_expired, shard_finished, job_finished):
 * this agent no longer holds the shard's lease (it expired, was given to another agent, or
 * the job ended), so the work must be abandoned at once rather than retried.
 */
export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';

  constructor(
    readonly shardId: string,
    readonly code: string,
    message: string,
  ) {
    super(`lease on shard ${shardId} lost (${code}): ${message}`);
  }
}

/** A non-2xx answer other than a lost lease, carrying the server's `{error: {code, message}}`. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';

  constructor(
    readonly operation: string,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(`gateway ${operation} failed: HTTP ${status} ${code}: ${message}`);
  }

  /** 5xx and 429 may pass; any other 4xx will be answered the same way again. */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429;
  }
}

/** A 2xx answer whose body does not match the agent protocol. */
export class GatewayProtocolError extends Error {
  override readonly name = 'GatewayProtocolError';
}

/**
 * A results chunk whose resources are already JSON text: the shard runner serialises each
 * resource once, to measure the chunk's size, and the same text is what goes on the wire.
 */
export interface EncodedResultsChunk {
  lease_id: string;
  sequence: number;
  resourcesJson: readonly string[];
}

/** What a shard runner needs from the gateway; GatewayClient is the real one. */
export interface ShardGateway {
  heartbeat(shardId: string, leaseId: string, signal?: AbortSignal): Promise<HeartbeatAck>;
  sendResults(shardId: string, chunk: EncodedResultsChunk, signal?: AbortSignal): Promise<ResultsAck>;
  complete(shardId: string, req: CompleteRequest): Promise<CompleteAck>;
  fail(shardId: string, req: z.input<typeof FailRequest>): Promise<FailAck>;
}

/** What a state read needs from the gateway; GatewayClient is the real one. */
export interface StateReadGateway {
  leaseStateRead(req: z.input<typeof StateLeaseRequest>, signal?: AbortSignal): Promise<StateReadLease | null>;
  heartbeatStateRead(sourceId: string, leaseId: string, signal?: AbortSignal): Promise<HeartbeatAck>;
  uploadState(
    sourceId: string,
    leaseId: string,
    name: string,
    bytes: Uint8Array,
    signal?: AbortSignal,
  ): Promise<StateUploadResult>;
  completeStateRead(sourceId: string, req: StateReadComplete): Promise<StateReadFinished>;
  failStateRead(sourceId: string, req: z.input<typeof StateReadFail>): Promise<StateReadFinished>;
}

export type HeartbeatAck = z.infer<typeof HeartbeatResponse>;
export type ResultsAck = z.infer<typeof ResultsResponse>;
export type CompleteAck = z.infer<typeof CompleteResponse>;
export type FailAck = z.infer<typeof FailResponse>;

export interface GatewayClientOptions {
  /** Gateway base URL, e.g. https://driftmgr.example.com (a path prefix is kept); http only to this machine. */
  url: string;
  token: string;
  /** Keep-alive connections to the gateway; one per lease loop plus heartbeats is plenty. */
  connections?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Time to wait for response headers on calls other than the lease long-poll. */
  requestTimeoutMs?: number;
  /** The W3C traceparent each request carries (agents/tracing.ts); a fresh trace per request by default. */
  traceparent?: () => string;
  /** Proof of the account, signed afresh for each lease, for tokens that require it. */
  proof?: () => Promise<AccountProof>;
  log?: Logger;
}

/** Node and undici error codes of failures a new attempt may not meet. */
const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * 409 codes that do not mean the lease is gone: the agent still holds the shard and must
 * report the failure itself (complete found fewer stored resources than were sent).
 */
const CONFLICTS_WITH_LEASE_HELD = new Set<string>([ErrorCode.chunksMissing, ErrorCode.stateConflict]);

/** Extra time a long-poll lease call may take beyond the wait it asked the gateway for. */
const LEASE_TIMEOUT_MARGIN_MS = 30_000;

interface CallSpec<T> {
  operation: string;
  path: string;
  body?: string | Uint8Array;
  schema: z.ZodType<T>;
  shardId?: string;
  signal?: AbortSignal;
  headersTimeout?: number;
}

/**
 * The agent's HTTP client for the gateway's agent protocol (contract/agent-protocol.ts):
 * one keep-alive pool, bearer auth, responses checked against the protocol's schemas,
 * 5xx/429/network errors retried with full-jitter backoff (Retry-After honoured).
 */
export class GatewayClient implements ShardGateway, StateReadGateway {
  private readonly pool: Pool;
  private readonly basePath: string;
  private readonly headers: Record<string, string>;
  private readonly log: Logger;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly requestTimeoutMs: number;
  private readonly traceparent: () => string;
  private readonly proof?: () => Promise<AccountProof>;

  constructor(opts: GatewayClientOptions) {
    const refused = insecureGatewayReason(opts.url);
    if (refused) throw new Error(`gateway ${opts.url}: ${refused}`);
    const url = new URL(opts.url);
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 60_000;
    this.pool = new Pool(url.origin, {
      connections: opts.connections ?? 8,
      headersTimeout: this.requestTimeoutMs,
      bodyTimeout: this.requestTimeoutMs,
    });
    this.headers = {
      authorization: `Bearer ${opts.token}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'user-agent': 'driftmgr-agent',
    };
    this.log = opts.log ?? silentLogger;
    this.maxAttempts = opts.maxAttempts ?? 8;
    this.baseDelayMs = opts.baseDelayMs ?? 200;
    this.maxDelayMs = opts.maxDelayMs ?? 10_000;
    this.traceparent = opts.traceparent ?? (() => formatTraceparent(childSpan(undefined)));
    this.proof = opts.proof;
  }

  /** Long-polls for a shard; null when the gateway had none within `wait_seconds` (204). */
  async lease(req: z.input<typeof LeaseRequest>, signal?: AbortSignal): Promise<Lease | null> {
    const body = LeaseRequest.parse(this.proof ? { ...req, proof: await this.proof() } : req);
    return this.call({
      operation: 'lease',
      path: '/api/v1/agents/lease',
      body: JSON.stringify(body),
      schema: Lease,
      signal,
      headersTimeout: body.wait_seconds * 1000 + LEASE_TIMEOUT_MARGIN_MS,
    });
  }

  async heartbeat(shardId: string, leaseId: string, signal?: AbortSignal): Promise<HeartbeatAck> {
    return this.callForBody({
      operation: 'heartbeat',
      path: shardPath(shardId, 'heartbeat'),
      body: JSON.stringify({ lease_id: leaseId }),
      schema: HeartbeatResponse,
      shardId,
      signal,
    });
  }

  /** Sends one chunk; safe to repeat, the gateway de-duplicates by sequence number. */
  async sendResults(shardId: string, chunk: EncodedResultsChunk, signal?: AbortSignal): Promise<ResultsAck> {
    const body = `{"lease_id":${JSON.stringify(chunk.lease_id)},"sequence":${chunk.sequence},"resources":[${chunk.resourcesJson.join(',')}]}`;
    const stopTimer = metrics.chunkUploadSeconds.startTimer();
    const res = await this.callForBody({
      operation: 'results',
      path: shardPath(shardId, 'results'),
      body,
      schema: ResultsResponse,
      shardId,
      signal,
    });
    stopTimer();
    return res;
  }

  async complete(shardId: string, req: CompleteRequest): Promise<CompleteAck> {
    return this.callForBody({
      operation: 'complete',
      path: shardPath(shardId, 'complete'),
      body: JSON.stringify(req),
      schema: CompleteResponse,
      shardId,
    });
  }

  async fail(shardId: string, req: z.input<typeof FailRequest>): Promise<FailAck> {
    return this.callForBody({
      operation: 'fail',
      path: shardPath(shardId, 'fail'),
      body: JSON.stringify(req),
      schema: FailResponse,
      shardId,
    });
  }

  /** Long-polls for a read of one of the account's state sources; null when none came (204). */
  async leaseStateRead(req: z.input<typeof StateLeaseRequest>, signal?: AbortSignal): Promise<StateReadLease | null> {
    const body = this.proof ? { ...req, proof: await this.proof() } : req;
    return this.call({
      operation: 'state-lease',
      path: '/api/v1/agents/state-lease',
      body: JSON.stringify(body),
      schema: StateReadLease,
      signal,
      headersTimeout: (req.wait_seconds ?? 20) * 1000 + LEASE_TIMEOUT_MARGIN_MS,
    });
  }

  async heartbeatStateRead(sourceId: string, leaseId: string, signal?: AbortSignal): Promise<HeartbeatAck> {
    return this.callForBody({
      operation: 'state-heartbeat',
      path: stateSourcePath(sourceId, 'heartbeat'),
      body: JSON.stringify({ lease_id: leaseId }),
      schema: HeartbeatResponse,
      shardId: sourceId,
      signal,
    });
  }

  /** Sends one state file as read; safe to repeat (the same state again is answered unchanged). */
  async uploadState(
    sourceId: string,
    leaseId: string,
    name: string,
    bytes: Uint8Array,
    signal?: AbortSignal,
  ): Promise<StateUploadResult> {
    const query = new URLSearchParams({ lease_id: leaseId, name });
    return this.callForBody({
      operation: 'state-upload',
      path: `${stateSourcePath(sourceId, 'states')}?${query}`,
      body: bytes,
      schema: StateUploadResult,
      shardId: sourceId,
      signal,
    });
  }

  async completeStateRead(sourceId: string, req: StateReadComplete): Promise<StateReadFinished> {
    return this.callForBody({
      operation: 'state-complete',
      path: stateSourcePath(sourceId, 'complete'),
      body: JSON.stringify(req),
      schema: StateReadFinished,
      shardId: sourceId,
    });
  }

  async failStateRead(sourceId: string, req: z.input<typeof StateReadFail>): Promise<StateReadFinished> {
    return this.callForBody({
      operation: 'state-fail',
      path: stateSourcePath(sourceId, 'fail'),
      body: JSON.stringify(req),
      schema: StateReadFinished,
      shardId: sourceId,
    });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async callForBody<T>(spec: CallSpec<T>): Promise<T> {
    const result = await this.call(spec);
    if (result === null) throw new GatewayProtocolError(`gateway ${spec.operation}: unexpected 204 without a body`);
    return result;
  }

  private call<T>(spec: CallSpec<T>): Promise<T | null> {
    return withRetry(() => this.attempt(spec), {
      classify: (err) => this.classify(err),
      maxAttempts: this.maxAttempts,
      baseDelayMs: this.baseDelayMs,
      maxDelayMs: this.maxDelayMs,
      signal: spec.signal,
      onRetry: (err, _cls, attempt, delayMs) => {
        metrics.gatewayRetries.inc({ operation: spec.operation });
        this.log.warn('gateway call retried', {
          operation: spec.operation,
          shard_id: spec.shardId,
          attempt,
          delay_ms: delayMs,
          error: errorMessage(err),
        });
      },
    });
  }

  private async attempt<T>(spec: CallSpec<T>): Promise<T | null> {
    const options: Dispatcher.RequestOptions = {
      method: 'POST',
      path: this.basePath + spec.path,
      headers: { ...this.headers, traceparent: this.traceparent() },
      body: spec.body,
      signal: spec.signal,
      headersTimeout: spec.headersTimeout ?? this.requestTimeoutMs,
    };
    const res = await this.pool.request(options);
    const text = await res.body.text();
    if (res.statusCode === 204) return null;
    if (res.statusCode >= 200 && res.statusCode < 300) return parseBody(spec, text);
    const { code, message } = errorOf(res.statusCode, text);
    if (res.statusCode === 409 && !CONFLICTS_WITH_LEASE_HELD.has(code)) {
      throw new LeaseLostError(spec.shardId ?? '?', code, message);
    }
    const retryAfter = headerValue(res.headers['retry-after']);
    throw new GatewayError(spec.operation, res.statusCode, code, message, parseRetryAfter(retryAfter));
  }

  private classify(err: unknown): ErrorClass {
    if (err instanceof GatewayError) {
      if (!err.retryable) return { kind: 'permanent' };
      const retryAfterMs = err.retryAfterMs === undefined ? undefined : Math.min(err.retryAfterMs, this.maxDelayMs);
      return { kind: err.status === 429 ? 'throttle' : 'transient', retryAfterMs };
    }
    const code = (err as { code?: unknown } | null)?.code;
    return typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code)
      ? { kind: 'transient' }
      : { kind: 'permanent' };
  }
}

function stateSourcePath(sourceId: string, action: string): string {
  return `/api/v1/state-sources/${encodeURIComponent(sourceId)}/${action}`;
}

function shardPath(shardId: string, action: string): string {
  return `/api/v1/shards/${encodeURIComponent(shardId)}/${action}`;
}

function parseBody<T>(spec: CallSpec<T>, text: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new GatewayProtocolError(`gateway ${spec.operation}: response is not JSON: ${text.slice(0, 200)}`);
  }
  const parsed = spec.schema.safeParse(json);
  if (!parsed.success) {
    throw new GatewayProtocolError(`gateway ${spec.operation}: unexpected response: ${parsed.error.message}`);
  }
  return parsed.data;
}

/** The server's error code and message, or the status line when the body is not the error shape. */
function errorOf(status: number, text: string): { code: string; message: string } {
  try {
    const parsed = ErrorBody.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data.error;
  } catch {
    // not JSON: fall through to the raw text
  }
  return { code: `http_${status}`, message: text.slice(0, 500) || `HTTP ${status}` };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
