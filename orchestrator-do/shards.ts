import { z } from 'zod';
import { WorkItem } from '../contract/agent-protocol.js';
import { type JobCounts, ShardStatus, type ShardView } from '../contract/api.js';
import { shardIdOf } from '../contract/ids.js';
import { retryDelayMs } from './backoff.js';
import type { ShardOutcome } from './coverage.js';
import { shardRegion } from './shard-plan.js';
import { decodeRows, jsonColumn } from './sql-rows.js';

/** A row of the `shards` table; the one place such a row is decoded (the lease capability reads through it too). */
const ShardRow = z.object({
  shard_id: z.string(),
  seq: z.number().int(),
  account: z.string(),
  region: z.string(),
  work: jsonColumn(z.array(WorkItem)),
  status: ShardStatus,
  /** Leases handed out so far; the current attempt while leased. */
  attempt: z.number().int(),
  lease_id: z.string().nullable(),
  agent_id: z.string().nullable(),
  lease_expires_at: z.number().nullable(),
  /** A retried shard may not be leased before this time (backoff). */
  not_before: z.number(),
  /** Since when the shard has waited for an agent: created, backoff over, or its account's last lease. */
  ready_at: z.number(),
  /** When the shard was last leased. */
  leased_at: z.number().nullable(),
  resources: z.number().int(),
  last_error: z.string().nullable(),
  /** The shard whose remaining work this one continues. */
  parent_shard_id: z.string().nullable(),
  /** The job's change number at the shard's last status change (set by a trigger, job-schema.ts). */
  rev: z.number().int(),
});
export type Shard = z.output<typeof ShardRow>;

/** Rows of a query selecting whole `shards` rows, decoded. */
export function readShards(sql: SqlStorage, query: string, ...bindings: unknown[]): Shard[] {
  return decodeRows(sql.exec(query, ...bindings), ShardRow);
}

const StatusCount = z.object({ status: ShardStatus, n: z.number().int(), resources: z.number().int() });

/** How many attempts a shard gets and how long it waits between them. */
export interface RetryPolicy {
  maxAttempts: number;
  retryBaseSeconds: number;
}

export type AttemptOutcome = { status: 'pending' | 'failed'; next_attempt_at?: string };

/**
 * The job's shards and their attempts: planning them, counting them by status, and deciding
 * after a failed attempt whether the shard waits for a retry or fails for good.
 */
export class Shards {
  constructor(
    private readonly sql: SqlStorage,
    private readonly policy: RetryPolicy,
  ) {}

  /** Adds a pending shard, ready now; `seq` orders the shards and makes the id unique within the job. */
  insert(jobId: string, seq: number, account: string, work: WorkItem[], parent: string | null, now: number): string {
    const shardId = shardIdOf(jobId, seq);
    this.sql.exec(
      `INSERT INTO shards (shard_id, seq, account, region, work, status, parent_shard_id, ready_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)`,
      shardId,
      seq,
      account,
      shardRegion(work),
      JSON.stringify(work),
      parent,
      now,
    );
    return shardId;
  }

  get(shardId: string): Shard | undefined {
    return readShards(this.sql, `SELECT * FROM shards WHERE shard_id = ?`, shardId)[0];
  }

  /**
   * Up to `limit` shards in plan order, after the shard `after` (from the first when null), and
   * the id to read on from when more follow; undefined when `after` is no shard of this job.
   */
  page(after: string | null, limit: number): { shards: ShardView[]; next: string | null } | undefined {
    const from = after === null ? -1 : this.get(after)?.seq;
    if (from === undefined) return undefined;
    const rows = readShards(this.sql, `SELECT * FROM shards WHERE seq > ? ORDER BY seq LIMIT ?`, from, limit + 1);
    const shards = rows.slice(0, limit).map(shardView);
    return { shards, next: rows.length > limit ? (shards.at(-1)?.shard_id ?? null) : null };
  }

  /** What the coverage of one account's analysis needs of its shards. */
  outcomes(account: string): ShardOutcome[] {
    return readShards(this.sql, `SELECT * FROM shards WHERE account = ?`, account).map(({ account, work, status }) => ({
      account,
      work,
      status,
    }));
  }

  counts(): JobCounts {
    const byStatus = new Map(
      decodeRows(
        this.sql.exec(`SELECT status, COUNT(*) AS n, SUM(resources) AS resources FROM shards GROUP BY status`),
        StatusCount,
      ).map((r) => [r.status, r]),
    );
    const n = (s: ShardStatus) => byStatus.get(s)?.n ?? 0;
    return {
      shards_total: [...byStatus.values()].reduce((sum, r) => sum + r.n, 0),
      shards_pending: n('pending'),
      shards_leased: n('leased'),
      shards_succeeded: n('succeeded'),
      shards_failed: n('failed'),
      shards_cancelled: n('cancelled'),
      resources_discovered: byStatus.get('succeeded')?.resources ?? 0,
    };
  }

  /** The newest error any shard recorded, for the message of a job whose every shard failed. */
  lastError(): string | null {
    return (
      this.sql
        .exec<{ last_error: string | null }>(
          `SELECT last_error FROM shards WHERE last_error IS NOT NULL ORDER BY seq DESC LIMIT 1`,
        )
        .toArray()[0]?.last_error ?? null
    );
  }

  succeed(shardId: string, resources: number): void {
    this.sql.exec(
      `UPDATE shards SET status = 'succeeded', resources = ?, lease_id = NULL, lease_expires_at = NULL WHERE shard_id = ?`,
      resources,
      shardId,
    );
  }

  /** Cancels every shard not yet finished; their leases die with them. */
  cancelOpen(): void {
    this.sql.exec(
      `UPDATE shards SET status = 'cancelled', lease_id = NULL, lease_expires_at = NULL
       WHERE status IN ('pending', 'leased')`,
    );
  }

  /** Whether the shard may be leased again once its current attempt ends. */
  hasAttemptsLeft(shard: Shard): boolean {
    return shard.attempt < this.policy.maxAttempts;
  }

  /**
   * The shard an earlier attempt of `parent` handed exactly this remaining work to, so an attempt
   * that repeats the same split does not plan the same work twice.
   */
  continuationOf(parent: string, work: WorkItem[]): string | undefined {
    return this.sql
      .exec<{ shard_id: string }>(
        `SELECT shard_id FROM shards WHERE parent_shard_id = ? AND work = ?`,
        parent,
        JSON.stringify(work),
      )
      .toArray()[0]?.shard_id;
  }

  /** Ends the shard's current attempt: back to pending after a backoff, or failed when out of attempts. */
  retryOrFail(
    shard: Shard,
    reason: string,
    retryable: boolean,
    now: number,
    delayMs = retryDelayMs(shard.attempt, this.policy.retryBaseSeconds),
  ): AttemptOutcome {
    if (retryable && shard.attempt < this.policy.maxAttempts) {
      this.sql.exec(
        `UPDATE shards SET status = 'pending', lease_id = NULL, lease_expires_at = NULL, not_before = ?, ready_at = ?, last_error = ?
         WHERE shard_id = ?`,
        now + delayMs,
        now + delayMs,
        reason,
        shard.shard_id,
      );
      return { status: 'pending', next_attempt_at: new Date(now + delayMs).toISOString() };
    }
    this.sql.exec(
      `UPDATE shards SET status = 'failed', lease_id = NULL, lease_expires_at = NULL, last_error = ? WHERE shard_id = ?`,
      reason,
      shard.shard_id,
    );
    return { status: 'failed' };
  }

  /** The earliest time a backed-off shard becomes ready again, so the alarm wakes the job then. */
  nextWakeAt(now: number): number | null {
    return this.sql
      .exec<{ t: number | null }>(
        `SELECT MIN(not_before) AS t FROM shards WHERE status = 'pending' AND not_before > ?`,
        now,
      )
      .one().t;
  }
}

export function shardView(s: Shard): ShardView {
  return {
    shard_id: s.shard_id,
    account: s.account,
    region: s.region,
    resource_types: [...new Set(s.work.map((w) => w.type))],
    status: s.status,
    attempts: s.attempt,
    resources: s.resources,
    agent_id: s.agent_id,
    last_error: s.last_error,
    parent_shard_id: s.parent_shard_id,
  };
}
