import type { Provider } from '../contract/resource.js';
import type { StateReadSummary } from '../contract/state-sources.js';
import type { StateReadEnd, StoredStateSource } from '../storage/state-sources.js';
import type { Store } from '../storage/store.js';
import { nextFiring, parseCron } from './cron.js';

/** How long a read's lease lasts, how often it is tried, and how long a retry waits: the shards' settings. */
export interface StateReadSettings {
  leaseTtlMs: number;
  maxAttempts: number;
  retryBaseMs: number;
}

export function stateReadSettings(env: Env): StateReadSettings {
  return {
    leaseTtlMs: Number(env.LEASE_TTL_SECONDS) * 1000,
    maxAttempts: Number(env.MAX_SHARD_ATTEMPTS),
    retryBaseMs: Number(env.RETRY_BASE_SECONDS) * 1000,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** When a source's schedule next fires after `now`; null without a schedule (or one that never fires again). */
export function nextScheduledRead(schedule: string | null, now: number): string | null {
  if (schedule === null) return null;
  const parsed = parseCron(schedule);
  const next = parsed.ok ? nextFiring(parsed.cron, now) : null;
  return next === null ? null : iso(next);
}

/** A read that ended: the next one waits for the schedule, and its attempts start afresh. */
export function endedRead(source: StoredStateSource, summary: StateReadSummary, now: number): StateReadEnd {
  return { next_read_at: nextScheduledRead(source.schedule, now), reset_attempts: true, last_read: summary };
}

/** A failed read's end: retried after a doubling delay while attempts are left, else ended as failed. */
export function failedRead(
  source: StoredStateSource,
  reason: string,
  retryable: boolean,
  settings: StateReadSettings,
  now: number,
): StateReadEnd {
  if (retryable && source.attempts < settings.maxAttempts) {
    const delay = settings.retryBaseMs * 2 ** Math.max(0, source.attempts - 1);
    return { next_read_at: iso(now + delay), reset_attempts: false };
  }
  const summary: StateReadSummary = {
    at: iso(now),
    status: 'failed',
    error: reason,
    counts: { stored: 0, unchanged: 0, queued: 0, refused: 0, invalid: 0 },
    problems: [],
  };
  return endedRead(source, summary, now);
}

/** How long the known due time of an account's reads is trusted before storage is asked again. */
const DUE_TTL_MS = 30_000;

/**
 * The state reads of one account as its dispatcher sees them: when the next falls due (asked of
 * storage at most every DUE_TTL_MS, or when told the account's sources changed), and taking one
 * when it is due. A lease that ran out its attempts ends the read as failed and the next is tried.
 */
export class StateReadQueue {
  private due: { at: number | null; checkedAt: number } | null = null;

  constructor(
    private readonly store: () => Store,
    private readonly settings: StateReadSettings,
  ) {}

  /** Sources were added, requested or deleted: ask storage again. */
  changed(): void {
    this.due = null;
  }

  /** A read of the tenant's sources of the account leased to `agentId` under `leaseId`, or null when none is due now. */
  async take(
    provider: Provider,
    account: string,
    tenant: string,
    agentId: string,
    leaseId: string,
  ): Promise<StoredStateSource | null> {
    const now = Date.now();
    const dueAt = await this.dueAt(provider, account, tenant, now);
    if (dueAt === null || dueAt > now) return null;
    const store = this.store();
    for (;;) {
      const leased = await store.leaseStateRead({
        provider,
        account,
        tenant,
        agent_id: agentId,
        lease_id: leaseId,
        now: iso(now),
        expires_at: iso(now + this.settings.leaseTtlMs),
      });
      if (!leased) {
        this.due = null;
        return null;
      }
      if (leased.attempts <= this.settings.maxAttempts) return leased;
      const reason = `no agent finished the read in ${this.settings.maxAttempts} leases (each expired)`;
      await store.finishStateRead(leased.source_id, leaseId, failedRead(leased, reason, false, this.settings, now));
    }
  }

  private async dueAt(provider: Provider, account: string, tenant: string, now: number): Promise<number | null> {
    if (!this.due || now - this.due.checkedAt > DUE_TTL_MS) {
      const next = await this.store().nextStateReadAt(provider, account, tenant);
      this.due = { at: next === null ? null : Date.parse(next), checkedAt: now };
    }
    return this.due.at;
  }
}
