import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A token bucket: `capacity` calls at once, refilled at `refillPerSecond`. Cloud quotas are
 * published in this form (EC2: bucket 100, refill 20/s), so the agent spends its budget the
 * way the cloud counts it instead of discovering the limit through throttling errors.
 */
export class TokenBucket {
  private tokens: number;
  private last = Date.now();

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
  ) {
    this.tokens = capacity;
  }

  /** Waits until a token is free, then takes it. */
  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      this.refill();
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      const waitMs = Math.ceil(((1 - this.tokens) / this.refillPerSecond) * 1000);
      await sleep(waitMs, undefined, { signal });
    }
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.refillPerSecond);
    this.last = now;
  }
}

/** Token buckets keyed by (account, region, API action), created on first use from a limits table. */
export class BucketPool {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(private readonly limitFor: (action: string) => { capacity: number; refillPerSecond: number }) {}

  get(account: string, region: string, action: string): TokenBucket {
    const key = `${account}|${region}|${action}`;
    let bucket = this.buckets.get(key);
    if (!bucket) {
      const { capacity, refillPerSecond } = this.limitFor(action);
      bucket = new TokenBucket(capacity, refillPerSecond);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

/** How a failed call should be treated. */
export type ErrorClass =
  | { kind: 'throttle'; retryAfterMs?: number }
  | { kind: 'transient'; retryAfterMs?: number }
  | { kind: 'permanent' };

export interface RetryOptions {
  classify: (err: unknown) => ErrorClass;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal?: AbortSignal;
  onRetry?: (err: unknown, cls: ErrorClass, attempt: number, delayMs: number) => void;
}

/**
 * Runs `fn`, retrying throttling and transient errors with exponential backoff and full
 * jitter (a random delay in [0, min(max, base * 2^attempt)]), or the server's Retry-After
 * when it gives one. Permanent errors (a 4xx that a retry will not change) are thrown at once.
 */
export async function withRetry<T>(fn: () => Promise<T>, opts: RetryOptions): Promise<T> {
  const maxAttempts = opts.maxAttempts ?? 8;
  const base = opts.baseDelayMs ?? 100;
  const cap = opts.maxDelayMs ?? 20_000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const cls = opts.classify(err);
      if (cls.kind === 'permanent' || attempt >= maxAttempts || opts.signal?.aborted) throw err;
      const delayMs = cls.retryAfterMs ?? Math.floor(Math.random() * Math.min(cap, base * 2 ** attempt));
      opts.onRetry?.(err, cls, attempt, delayMs);
      await sleep(delayMs, undefined, { signal: opts.signal });
    }
  }
}

/** Parses an HTTP Retry-After value (seconds or an HTTP date) into milliseconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
