import type { PersistedPart } from '../contract/job.js';

/** A results chunk as accepted: its sequence within the attempt, resources, and queue messages (parts). */
export interface ChunkReceipt {
  sequence: number;
  resources: number;
  parts: number;
}

/**
 * Result chunks of each shard attempt (`chunks`) and which of their parts the queue consumer
 * has written to the database (`persisted_parts`). Keyed by attempt, so a retried shard's
 * chunks never mix with a dead attempt's, and a resent chunk or redelivered part is a no-op.
 */
export class Chunks {
  constructor(private readonly sql: SqlStorage) {}

  /** Whether this attempt already stored the chunk with this sequence number. */
  has(shardId: string, attempt: number, sequence: number): boolean {
    return (
      this.sql.exec(`SELECT 1 FROM chunks WHERE shard_id = ? AND attempt = ? AND sequence = ?`, shardId, attempt, sequence).toArray().length > 0
    );
  }

  commit(shardId: string, attempt: number, chunk: ChunkReceipt): void {
    this.sql.exec(
      `INSERT OR IGNORE INTO chunks (shard_id, attempt, sequence, resources, parts) VALUES (?, ?, ?, ?, ?)`,
      shardId,
      attempt,
      chunk.sequence,
      chunk.resources,
      chunk.parts,
    );
  }

  /** Resources stored by one attempt, to check against the count the agent reports. */
  storedResources(shardId: string, attempt: number): number {
    return (
      this.sql
        .exec<{ n: number | null }>(`SELECT SUM(resources) AS n FROM chunks WHERE shard_id = ? AND attempt = ?`, shardId, attempt)
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
         WHERE s.status = 'succeeded' AND c.parts > (
           SELECT COUNT(*) FROM persisted_parts p
           WHERE p.shard_id = c.shard_id AND p.attempt = c.attempt AND p.sequence = c.sequence)`,
      )
      .one().n;
  }
}
