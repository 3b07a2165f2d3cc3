import { setTimeout as sleep } from 'node:timers/promises';
import type { Provider } from '../contract/resource.js';
import type { EmulatorContext, Fault, Rng } from './types.js';

export type FaultKind = Exclude<Fault, null>;

/** An injected failure is equally likely to be each of these. */
const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'server-error', 'drop'];

export interface EmulatorControlOptions {
  /** Added to every call before it is answered. */
  latencyMs?: number;
  /** Probability in [0, 1] that a call fails with an injected fault. */
  faultRate?: number;
  /** Decides faults; seeded in tests so a fault sequence can be replayed. */
  random?: Rng;
  /** Milliseconds clock for the token buckets; replaceable so tests need not sleep. */
  now?: () => number;
}

/** What the emulator has served so far: `GET /__emulator/stats` returns this. */
export interface EmulatorStats {
  /** Served calls per cloud and API action (as each handler names its actions). */
  calls: Record<Provider, Record<string, number>>;
  /** Injected faults by kind. */
  faults: Record<FaultKind, number>;
  /** Calls refused because their rate-limit bucket was empty. */
  rateLimited: number;
}

interface Bucket {
  tokens: number;
  refilledAt: number;
}

/**
 * The emulator's switches shared by every cloud handler: per-call latency, random faults,
 * rate-limit token buckets and call counters.
 */
export class EmulatorControls implements EmulatorContext {
  private readonly latencyMs: number;
  private readonly faultRate: number;
  private readonly random: Rng;
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly counts: EmulatorStats;

  constructor(opts: EmulatorControlOptions = {}) {
    this.latencyMs = Math.max(0, opts.latencyMs ?? 0);
    this.faultRate = Math.min(1, Math.max(0, opts.faultRate ?? 0));
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
    this.counts = {
      calls: { aws: {}, azure: {}, gcp: {} },
      faults: { throttle: 0, 'server-error': 0, drop: 0 },
      rateLimited: 0,
    };
  }

  fault(): Fault {
    if (this.faultRate === 0 || this.random() >= this.faultRate) return null;
    const kind = FAULT_KINDS[Math.floor(this.random() * FAULT_KINDS.length)] as FaultKind;
    this.counts.faults[kind] += 1;
    return kind;
  }

  /** A token bucket per key, created full on first use and refilled lazily on each take. */
  takeToken(key: string, capacity: number, refillPerSecond: number): boolean {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, refilledAt: now };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.refilledAt) / 1000) * refillPerSecond);
    bucket.refilledAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) {
      this.counts.rateLimited += 1;
      return false;
    }
    bucket.tokens -= 1;
    return true;
  }

  async delay(): Promise<void> {
    if (this.latencyMs > 0) await sleep(this.latencyMs);
  }

  record(provider: Provider, action: string): void {
    const perAction = this.counts.calls[provider];
    perAction[action] = (perAction[action] ?? 0) + 1;
  }

  /** A copy, so callers can compare snapshots taken before and after some calls. */
  stats(): EmulatorStats {
    return structuredClone(this.counts);
  }
}
