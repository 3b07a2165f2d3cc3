import { setTimeout as sleep } from 'node:timers/promises';
import type { Provider } from '../contract/resource.js';
import type { BucketUsage } from './quotas.js';
import type { EmulatorContext, Fault, Rng } from './types.js';

export type FaultKind = Exclude<Fault, null>;

const FAULT_KINDS: readonly FaultKind[] = ['throttle', 'server-error', 'drop'];

/** Probability in [0, 1] of each kind of injected fault per call. */
export type FaultRates = Record<FaultKind, number>;

export interface EmulatorControlOptions {
  /** Added to every call before it is answered. */
  latencyMs?: number;
  /** Probability in [0, 1] that a call fails with an injected fault, each kind equally likely. */
  faultRate?: number;
  /** Probability of one kind of fault, instead of its third of `faultRate`; the rates add up to at most 1. */
  faultRates?: Partial<FaultRates>;
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
  /** With `--quotas`: what each (account, Region, action) bucket has served. */
  quotaBuckets?: BucketUsage[];
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
  private readonly faultRates: FaultRates;
  private readonly random: Rng;
  private readonly now: () => number;
  private readonly buckets = new Map<string, Bucket>();
  private readonly counts: EmulatorStats;

  constructor(opts: EmulatorControlOptions = {}) {
    this.latencyMs = Math.max(0, opts.latencyMs ?? 0);
    this.faultRates = resolveFaultRates(opts.faultRate ?? 0, opts.faultRates ?? {});
    this.random = opts.random ?? Math.random;
    this.now = opts.now ?? Date.now;
    this.counts = {
      calls: { aws: {}, azure: {}, gcp: {} },
      faults: { throttle: 0, 'server-error': 0, drop: 0 },
      rateLimited: 0,
    };
  }

  /** One draw per call, placed on the kinds' rates laid end to end. */
  fault(): Fault {
    let draw = this.random();
    for (const kind of FAULT_KINDS) {
      if (draw < this.faultRates[kind]) {
        this.counts.faults[kind] += 1;
        return kind;
      }
      draw -= this.faultRates[kind];
    }
    return null;
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

/** Each kind's rate: its own when given, else a third of the overall rate; throws when they add up to more than 1. */
export function resolveFaultRates(faultRate: number, rates: Partial<FaultRates>): FaultRates {
  const clamp = (p: number) => Math.min(1, Math.max(0, p));
  const resolved = Object.fromEntries(
    FAULT_KINDS.map((k) => [k, clamp(rates[k] ?? faultRate / FAULT_KINDS.length)]),
  ) as FaultRates;
  const total = FAULT_KINDS.reduce((sum, k) => sum + resolved[k], 0);
  // A tolerance for the thirds of a fault rate of 1, which add up to a hair over 1 in floating point.
  if (total > 1 + 1e-9) throw new Error(`fault rates add up to ${total}; at most 1`);
  return resolved;
}
