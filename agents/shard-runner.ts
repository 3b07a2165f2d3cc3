import { setTimeout as sleep } from 'node:timers/promises';
import type { Lease, WorkItem } from '../contract/agent-protocol.js';
import { ErrorCode } from '../contract/errors.js';
import type { DiscoveredResource } from '../contract/resource.js';
import { listedTogether, resourceTypeInfo } from '../contract/resource-types.js';
import { GatewayError, LeaseLostError, type ShardGateway } from './gateway-client.js';
import { errorMessage, type Logger, silentLogger } from './log.js';
import { metrics } from './metrics.js';
import { isRetryableProviderError } from './provider-errors.js';
import type { DiscoveryProvider, ListContext, ResourcePage } from './providers/types.js';

/** How a shard ended for this agent. */
export type ShardOutcome =
  /** All work listed and completed. */
  | 'completed'
  /** shard_size reached: completed with the rest handed back as `remaining`. */
  | 'split'
  /** Reported as failed to the gateway (or the report itself failed). */
  | 'failed'
  /** The lease went to another agent or expired: abandoned without a word. */
  | 'lost'
  /** Shutdown: failed as retryable so another agent takes it over at once. */
  | 'handed_back';

export interface ShardRunnerOptions {
  gateway: ShardGateway;
  provider: DiscoveryProvider;
  log?: Logger;
  /** Most resources in one results chunk. */
  maxChunkResources?: number;
  /** Most bytes of resource JSON in one results chunk (the envelope adds a few dozen). */
  maxChunkBytes?: number;
}

export const DEFAULT_MAX_CHUNK_RESOURCES = 500;
export const DEFAULT_MAX_CHUNK_BYTES = 1_000_000;
export const SHUTDOWN_REASON = 'agent shutting down';

/** Heartbeats go out three times per lease TTL, so one lost heartbeat never loses the lease. */
const HEARTBEATS_PER_TTL = 3;
const MIN_HEARTBEAT_INTERVAL_MS = 100;

/** An error thrown by the provider's listing, as opposed to one from the gateway. */
class ListingError extends Error {
  override readonly name = 'ListingError';

  constructor(
    readonly type: string,
    override readonly cause: unknown,
  ) {
    super(`listing ${type} failed: ${errorMessage(cause)}`);
  }
}

/**
 * Runs one lease: lists each work item in order, streams resources to the gateway in
 * numbered chunks as they fill (so at most one chunk is held in memory), heartbeats while
 * running, and completes — splitting off the rest when shard_size is reached — or fails.
 * `shutdown` aborts the listing and hands the shard back.
 */
export async function runShard(lease: Lease, opts: ShardRunnerOptions, shutdown: AbortSignal): Promise<ShardOutcome> {
  const log = (opts.log ?? silentLogger).child({
    shard_id: lease.shard_id,
    job_id: lease.job_id,
    attempt: lease.attempt,
  });
  const leaseLost = new AbortController();
  const signal = AbortSignal.any([shutdown, leaseLost.signal]);
  const uploader = new ChunkUploader(opts, lease, signal);
  const heartbeats = startHeartbeats(lease, opts.gateway, leaseLost, log);
  log.info('shard started', {
    region: lease.region,
    work: lease.work.map((w) => `${w.type}@${w.region}`),
    shard_size: lease.shard_size,
  });
  metrics.shardsRunning.inc();
  let outcome: ShardOutcome;
  try {
    outcome = await listAndComplete(lease, opts, uploader, signal, log);
  } catch (err) {
    outcome = await settleFailure(err, lease, opts.gateway, { shutdown, leaseLost: leaseLost.signal }, log);
  } finally {
    heartbeats.stop();
    metrics.shardsRunning.dec();
  }
  metrics.shards.inc({ outcome });
  return outcome;
}

async function listAndComplete(
  lease: Lease,
  opts: ShardRunnerOptions,
  uploader: ChunkUploader,
  signal: AbortSignal,
  log: Logger,
): Promise<ShardOutcome> {
  const remaining = await listWork(lease, opts.provider, uploader, signal);
  await uploader.flush();
  const res = await opts.gateway.complete(lease.shard_id, {
    lease_id: lease.lease_id,
    resource_count: uploader.sent,
    remaining,
  });
  log.info('shard completed', {
    resources: uploader.sent,
    chunks: uploader.chunks,
    remaining: remaining?.length ?? 0,
    continuation_shard_id: res.continuation_shard_id,
  });
  return remaining ? 'split' : 'completed';
}

/**
 * One listing call of a shard: a work item, or consecutive items of types one inventory call
 * lists together (same region and cursor), which share that call and its cursor.
 */
interface Step {
  items: WorkItem[];
  together: boolean;
}

function stepsOf(lease: Lease, provider: DiscoveryProvider): Step[] {
  const together = (w: WorkItem) =>
    provider.listTogether !== undefined && listedTogether(resourceTypeInfo(lease.provider, w.type) ?? {});
  const steps: Step[] = [];
  for (const item of lease.work) {
    const step = steps.at(-1);
    const last = step?.items.at(-1);
    if (step?.together && together(item) && last?.region === item.region && last.cursor === item.cursor) {
      step.items.push(item);
    } else {
      steps.push({ items: [item], together: together(item) });
    }
  }
  return steps;
}

/**
 * Lists the lease's work items in order. Returns the work left over when shard_size was
 * reached at a page boundary with more to list, or undefined when everything was listed.
 */
async function listWork(
  lease: Lease,
  provider: DiscoveryProvider,
  uploader: ChunkUploader,
  signal: AbortSignal,
): Promise<WorkItem[] | undefined> {
  const steps = stepsOf(lease, provider);
  for (const [index, step] of steps.entries()) {
    const ctx: ListContext = { account: lease.account, region: step.items[0]!.region, regions: lease.regions, signal };
    for await (const page of pagesOf(provider, step, ctx)) {
      for (const resource of page.resources) await uploader.add(resource);
      const rest = steps.slice(index + 1).flatMap((s) => s.items);
      if (uploader.total >= lease.shard_size && (page.cursor !== undefined || rest.length > 0)) {
        const resumed = step.items.map((item) => ({ ...item, cursor: page.cursor }));
        return page.cursor === undefined ? rest : [...resumed, ...rest];
      }
    }
  }
  return undefined;
}

/** The provider's pages for one step: one type's listing, or several types' shared one. */
function listingOf(provider: DiscoveryProvider, step: Step, ctx: ListContext): AsyncIterable<ResourcePage> {
  const first = step.items[0]!;
  const types = step.items.map((w) => w.type);
  return step.together && provider.listTogether
    ? provider.listTogether(types, ctx, first.cursor)
    : provider.list(first.type, ctx, first.cursor);
}

/**
 * The provider's pages, with its errors marked as listing errors. Ends at once on abort,
 * even when the provider is stuck in a call that ignores the signal, so a shutdown never
 * waits on a slow cloud API.
 */
async function* pagesOf(provider: DiscoveryProvider, step: Step, ctx: ListContext): AsyncGenerator<ResourcePage> {
  const type = step.items.map((w) => w.type).join(', ');
  const pages = listingOf(provider, step, ctx)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let step: IteratorResult<ResourcePage>;
      try {
        step = await untilAborted(pages.next(), ctx.signal);
      } catch (err) {
        throw ctx.signal.aborted ? ctx.signal.reason : new ListingError(type, err);
      }
      if (step.done) return;
      yield step.value;
    }
  } finally {
    // Not awaited: a provider stuck in a call only finishes its cleanup when that call returns.
    pages.return?.().catch(() => undefined);
  }
}

/**
 * Settles like `promise`, or rejects with the signal's reason as soon as it aborts. The
 * abort listener is removed once `promise` settles: racing each page against one
 * long-lived abort promise would keep every page reachable until the shard ends.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  promise.catch(() => undefined);
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Decides what an error means for the shard and tells the gateway when it should know. */
async function settleFailure(
  err: unknown,
  lease: Lease,
  gateway: ShardGateway,
  signals: { shutdown: AbortSignal; leaseLost: AbortSignal },
  log: Logger,
): Promise<ShardOutcome> {
  if (err instanceof LeaseLostError || signals.leaseLost.aborted) {
    log.warn('lease lost; shard abandoned', { error: errorMessage(signals.leaseLost.reason ?? err) });
    return 'lost';
  }
  if (signals.shutdown.aborted) {
    return reportFailure(lease, gateway, { reason: SHUTDOWN_REASON, retryable: true }, 'handed_back', log);
  }
  const retryable = err instanceof ListingError ? isRetryableProviderError(err.cause) : isRetryableGatewayError(err);
  log.error('shard failed', { error: errorMessage(err), retryable });
  return reportFailure(lease, gateway, { reason: errorMessage(err).slice(0, 2000), retryable }, 'failed', log);
}

/** 4xx codes a fresh attempt can cure: missing chunks are all sent again by the next attempt. */
const RETRYABLE_GATEWAY_CODES = new Set<string>([ErrorCode.chunksMissing]);

/** A chunk the gateway refused with a 4xx will be refused again; anything else may pass later. */
function isRetryableGatewayError(err: unknown): boolean {
  return !(err instanceof GatewayError) || err.retryable || RETRYABLE_GATEWAY_CODES.has(err.code);
}

async function reportFailure(
  lease: Lease,
  gateway: ShardGateway,
  failure: { reason: string; retryable: boolean },
  outcome: ShardOutcome,
  log: Logger,
): Promise<ShardOutcome> {
  try {
    const res = await gateway.fail(lease.shard_id, { lease_id: lease.lease_id, ...failure });
    log.info(outcome === 'handed_back' ? 'shard handed back' : 'shard failure reported', {
      ...failure,
      status: res.status,
    });
    return outcome;
  } catch (err) {
    if (err instanceof LeaseLostError) return 'lost';
    // The lease will expire on its own and the control plane re-leases the shard.
    log.error('could not report shard failure', { error: errorMessage(err) });
    return outcome;
  }
}

/**
 * Buffers resources as JSON text and sends a chunk as soon as it reaches the resource or
 * byte limit; sequence numbers start at 0 and make re-sends idempotent at the gateway.
 */
class ChunkUploader {
  private buffer: string[] = [];
  private bufferBytes = 0;
  /** Resources the gateway has accepted in this attempt. */
  sent = 0;
  chunks = 0;
  private readonly maxResources: number;
  private readonly maxBytes: number;

  constructor(
    private readonly opts: ShardRunnerOptions,
    private readonly lease: Lease,
    private readonly signal: AbortSignal,
  ) {
    this.maxResources = opts.maxChunkResources ?? DEFAULT_MAX_CHUNK_RESOURCES;
    this.maxBytes = opts.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES;
  }

  /** Resources taken so far, sent or buffered. */
  get total(): number {
    return this.sent + this.buffer.length;
  }

  async add(resource: DiscoveredResource): Promise<void> {
    const json = JSON.stringify(resource);
    const bytes = Buffer.byteLength(json) + 1;
    if (this.buffer.length > 0 && this.bufferBytes + bytes > this.maxBytes) await this.flush();
    this.buffer.push(json);
    this.bufferBytes += bytes;
    if (this.buffer.length >= this.maxResources) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const resourcesJson = this.buffer;
    this.buffer = [];
    this.bufferBytes = 0;
    const chunk = { lease_id: this.lease.lease_id, sequence: this.chunks, resourcesJson };
    const ack = await this.opts.gateway.sendResults(this.lease.shard_id, chunk, this.signal);
    this.chunks += 1;
    this.sent += resourcesJson.length;
    metrics.chunks.inc({ result: ack.duplicate ? 'duplicate' : 'accepted' });
    metrics.resourcesSent.inc(resourcesJson.length);
  }
}

/** Heartbeats every TTL/3 until stopped; a 409 aborts `leaseLost` so the listing stops. */
function startHeartbeats(
  lease: Lease,
  gateway: ShardGateway,
  leaseLost: AbortController,
  log: Logger,
): { stop(): void } {
  const stopped = new AbortController();
  const intervalMs = Math.max(MIN_HEARTBEAT_INTERVAL_MS, (lease.lease_ttl_seconds * 1000) / HEARTBEATS_PER_TTL);
  const beat = async (): Promise<void> => {
    try {
      await gateway.heartbeat(lease.shard_id, lease.lease_id, stopped.signal);
      metrics.heartbeats.inc({ result: 'ok' });
    } catch (err) {
      if (stopped.signal.aborted) return;
      if (err instanceof LeaseLostError) {
        metrics.heartbeats.inc({ result: 'lost' });
        leaseLost.abort(err);
        stopped.abort();
        return;
      }
      metrics.heartbeats.inc({ result: 'error' });
      log.warn('heartbeat failed', { error: errorMessage(err) });
    }
  };
  void (async () => {
    for (;;) {
      try {
        await sleep(intervalMs, undefined, { signal: stopped.signal });
      } catch {
        return;
      }
      await beat();
    }
  })();
  return { stop: () => stopped.abort() };
}
