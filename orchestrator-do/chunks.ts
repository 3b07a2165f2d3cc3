import type { PersistedPart } from '../contract/job.js';
import type { WakeSource } from './wake.js';

/**
 * How long a chunk acknowledged to an agent may wait for the queue consumer to write it when the
 * CHUNK_WRITE_TIMEOUT_SECONDS var is not set. A chunk still unwritten then was lost (a queue that
 * went down with it) or poisoned, and the job would otherwise wait forever.
 */
export const DEFAULT_CHUNK_WRITE_TIMEOUT_SECONDS = 600;

/** A results chunk as accepted: its sequence within the attempt, resources, and queue messages (parts). */
export interface ChunkReceipt {
  sequence: number;
  resources: number;
  parts: number;
}

/** A chunk by its place: which attempt of which shard sent it, under which sequence number. */
export type ChunkRef = {
  shard_id: string;
  attempt: number;
  sequence: number;
};

/** Chunks, as `c`, with parts the consumer has not written yet. */
const HAS_UNWRITTEN_PARTS = `c.parts > (
  SELECT COUNT(*) FROM persisted_parts p WHERE p.shard_id = c.shard_id AND p.attempt = c.attempt AND p.sequence = c.sequence)`;

/**
 * Result chunks of each shard attempt (`chunks`) and which of their parts the queue consumer
 * has written to the database (`persisted_parts`). Keyed by attempt, so a retried shard's
 * chunks never mix with a dead attempt's, and a resent chunk or redelivered part is a no-op.
 * A chunk of a live attempt still unwritten `timeoutMs` after it was accepted is overdue: its
 * messages were lost or cannot be stored, and the job must not wait for it.
 */
export class Chunks implements WakeSource {
  constructor(
    private readonly sql: SqlStorage,
    readonly timeoutMs: number,
  ) {}

  /** Whether this attempt already stored the chunk with this sequence number. */
  has(shardId: string, attempt: number, sequence: number): boolean {
    return (
      this.sql
        .exec(`SELECT 1 FROM chunks WHERE shard_id = ? AND attempt = ? AND sequence = ?`, shardId, attempt, sequence)
        .toArray().length > 0
    );
  }

  commit(shardId: string, attempt: number, chunk: ChunkReceipt, now: number): void {
    this.sql.exec(
      `INSERT OR IGNORE INTO chunks (shard_id, attempt, sequence, resources, parts, committed_at) VALUES (?, ?, ?, ?, ?, ?)`,
      shardId,
      attempt,
      chunk.sequence,
      chunk.resources,
      chunk.parts,
      now,
    );
  }

  /** Resources stored by one attempt, to check against the count the agent reports. */
  storedResources(shardId: string, attempt: number): number {
    return (
      this.sql
        .exec<{ n: number | null }>(
          `SELECT SUM(resources) AS n FROM chunks WHERE shard_id = ? AND attempt = ?`,
          shardId,
          attempt,
        )
        .one().n ?? 0
    );
  }

  recordPersisted(parts: readonly PersistedPart[]): void {
    for (const p of parts) {
      this.sql.exec(
        `INSERT OR IGNORE INTO persisted_parts (shard_id, attempt, sequence, part) VALUES (?, ?, ?, ?)`,
        p.shard_id,
        p.attempt,
        p.sequence,
        p.part,
      );
    }
  }

  /** Chunks of succeeded attempts that still have parts the consumer has not written. */
  unwritten(): number {
    return this.sql
      .exec<{ n: number }>(
        `SELECT COUNT(*) AS n FROM chunks c JOIN shards s ON s.shard_id = c.shard_id AND s.attempt = c.attempt
         WHERE s.status = 'succeeded' AND ${HAS_UNWRITTEN_PARTS}`,
      )
      .one().n;
  }

  /**
   * Whether a succeeded attempt of one of the account's shards still has a chunk to be written:
   * should it be lost, that shard is leased again, so the job is not done with the account yet.
   */
  awaitingWrite(account: string): boolean {
    const rows = this.sql.exec(
      `SELECT 1 FROM chunks c JOIN shards s ON s.shard_id = c.shard_id AND s.attempt = c.attempt
       WHERE s.account = ? AND s.status = 'succeeded' AND ${HAS_UNWRITTEN_PARTS} LIMIT 1`,
      account,
    );
    return rows.toArray().length > 0;
  }

  /** The longest-unwritten chunk of a live attempt, if it has been waiting past the timeout. */
  overdue(now: number): ChunkRef | undefined {
    const oldest = this.oldestUnwritten();
    return oldest && oldest.committed_at + this.timeoutMs <= now ? oldest : undefined;
  }

  nextWakeAt(): number | null {
    const oldest = this.oldestUnwritten();
    return oldest ? oldest.committed_at + this.timeoutMs : null;
  }

  /** Dead attempts are left out: nothing waits for their chunks. */
  private oldestUnwritten(): (ChunkRef & { committed_at: number }) | undefined {
    return this.sql
      .exec<ChunkRef & { committed_at: number }>(
        `SELECT c.shard_id, c.attempt, c.sequence, c.committed_at
         FROM chunks c JOIN shards s ON s.shard_id = c.shard_id AND s.attempt = c.attempt
         WHERE s.status IN ('leased', 'succeeded') AND ${HAS_UNWRITTEN_PARTS}
         ORDER BY c.committed_at LIMIT 1`,
      )
      .toArray()[0];
  }
}
