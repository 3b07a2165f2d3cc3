import type { Provider } from '../contract/resource.js';
import { readShards, type Shards } from './shards.js';
import type { WakeSource } from './wake.js';

/** How long a ready shard may wait for an agent when the UNCLAIMED_SHARD_TIMEOUT_SECONDS var is not set. */
export const DEFAULT_UNCLAIMED_TIMEOUT_SECONDS = 1800;

/**
 * Shards no agent comes for. A shard that has waited ready for the timeout while no agent leased
 * any shard of its account in this job fails, so a job of an account no agent serves ends
 * instead of running forever. While an account's agents keep leasing, its other shards are only
 * queued behind their work: their wait starts again from the account's last lease.
 */
export class UnclaimedShards implements WakeSource {
  constructor(
    private readonly sql: SqlStorage,
    private readonly shards: Shards,
    readonly timeoutMs: number,
  ) {}

  /** Fails every overdue shard of an account nobody served within the timeout. */
  failOverdue(provider: Provider, now: number): void {
    const cutoff = now - this.timeoutMs;
    const overdue = readShards(this.sql, `SELECT * FROM shards WHERE status = 'pending' AND ready_at <= ?`, cutoff);
    for (const [account, shards] of Map.groupBy(overdue, (s) => s.account)) {
      const lastLease = this.lastLeaseIn(account);
      if (lastLease !== null && lastLease > cutoff) {
        this.sql.exec(
          `UPDATE shards SET ready_at = ? WHERE status = 'pending' AND account = ? AND ready_at < ?`,
          lastLease,
          account,
          lastLease,
        );
        continue;
      }
      for (const shard of shards)
        this.shards.retryOrFail(shard, `no agent serves ${provider} ${account} ${shard.region}`, false, now);
    }
  }

  /** When the longest-waiting ready shard reaches the timeout. */
  nextWakeAt(): number | null {
    const t = this.sql
      .exec<{ t: number | null }>(`SELECT MIN(ready_at) AS t FROM shards WHERE status = 'pending'`)
      .one().t;
    return t === null ? null : t + this.timeoutMs;
  }

  private lastLeaseIn(account: string): number | null {
    return this.sql
      .exec<{ t: number | null }>(`SELECT MAX(leased_at) AS t FROM shards WHERE account = ?`, account)
      .one().t;
  }
}
