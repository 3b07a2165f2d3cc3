import type { Lease, LeaseRequest, WorkItem } from '../contract/agent-protocol.js';
import { ErrorCode } from '../contract/errors.js';
import type { JobSpec } from '../contract/job.js';
import { ok, type RpcResult, refuse } from './rpc-result.js';
import { readShards, type Shard, type Shards } from './shards.js';

/** Ready shards looked at per lease call; an agent with narrow filters may skip most of them. */
const LEASE_CANDIDATES = 200;

/** What a lease attempt found in this job for one agent. */
export type LeaseGrant =
  | { kind: 'leased'; shard: Shard; lease_id: string; expires_at: number }
  /** Nothing to hand out now, but shards of this account may become ready later. */
  | { kind: 'none' }
  /** This job will never have work for this account again. */
  | { kind: 'exhausted' };

/**
 * Leases on shards and their deadlines, kept in the lease columns of the `shards` table. A
 * lease is the agent's fence: only the holder of the live lease id may report on the shard,
 * and a lease past its deadline counts as a failed attempt.
 */
export class Leases {
  constructor(
    private readonly sql: SqlStorage,
    private readonly shards: Shards,
    readonly ttlMs: number,
  ) {}

  /** Leases the oldest ready shard of the agent's account that its filters allow. */
  grant(req: LeaseRequest, now: number): LeaseGrant {
    this.expire(now);
    const candidates = readShards(
      this.sql,
      `SELECT * FROM shards WHERE status = 'pending' AND account = ? AND not_before <= ? ORDER BY seq LIMIT ?`,
      req.account,
      now,
      LEASE_CANDIDATES,
    );
    const shard = candidates.find((s) => agentCanServe(req, s.work));
    if (!shard) return this.openShards(req.account) === 0 ? { kind: 'exhausted' } : { kind: 'none' };
    const leaseId = crypto.randomUUID();
    const attempt = shard.attempt + 1;
    const expiresAt = now + this.ttlMs;
    this.sql.exec(
      `UPDATE shards SET status = 'leased', lease_id = ?, agent_id = ?, attempt = ?, lease_expires_at = ?, leased_at = ?
       WHERE shard_id = ?`,
      leaseId,
      req.agent_id,
      attempt,
      expiresAt,
      now,
      shard.shard_id,
    );
    const leased: Shard = {
      ...shard,
      status: 'leased',
      lease_id: leaseId,
      agent_id: req.agent_id,
      attempt,
      lease_expires_at: expiresAt,
      leased_at: now,
    };
    return { kind: 'leased', shard: leased, lease_id: leaseId, expires_at: expiresAt };
  }

  /** What the agent is told of a granted lease: the shard's work and the job's scope. */
  leaseOf(spec: JobSpec, grant: Extract<LeaseGrant, { kind: 'leased' }>): Lease {
    const { shard } = grant;
    return {
      shard_id: shard.shard_id,
      job_id: spec.job_id,
      lease_id: grant.lease_id,
      attempt: shard.attempt,
      lease_expires_at: new Date(grant.expires_at).toISOString(),
      lease_ttl_seconds: this.ttlMs / 1000,
      provider: spec.provider,
      account: shard.account,
      region: shard.region,
      regions: spec.regions,
      work: shard.work,
      shard_size: spec.sharding.shard_size,
    };
  }

  /** Moves the deadline of a held lease on by a full TTL; returns the new deadline. */
  extend(shardId: string, now: number): number {
    const expires = now + this.ttlMs;
    this.sql.exec(`UPDATE shards SET lease_expires_at = ? WHERE shard_id = ?`, expires, shardId);
    return expires;
  }

  /** The shard, if `leaseId` is its live lease; otherwise why the caller no longer holds it. */
  check(shard: Shard, leaseId: string, now: number): RpcResult<Shard> {
    if (shard.lease_id !== leaseId || shard.status !== 'leased') {
      if (shard.status === 'succeeded' || shard.status === 'failed') {
        return refuse(409, ErrorCode.shardFinished, `shard is already ${shard.status}`);
      }
      return refuse(
        409,
        ErrorCode.leaseConflict,
        'this lease is no longer valid: it expired or the shard was leased again',
      );
    }
    if ((shard.lease_expires_at ?? 0) <= now) {
      // Found overdue before the alarm ran: expire it now, so the shard is free again at once.
      this.expire(now);
      return refuse(409, ErrorCode.leaseExpired, 'the lease expired');
    }
    return ok(shard);
  }

  /** A lease past its deadline counts as a failed attempt: the agent died or lost contact. */
  expire(now: number): void {
    const expired = readShards(this.sql, `SELECT * FROM shards WHERE status = 'leased' AND lease_expires_at <= ?`, now);
    // No backoff: the agent is gone, not the cloud API throttled.
    for (const shard of expired)
      this.shards.retryOrFail(shard, `lease expired (agent ${shard.agent_id ?? 'unknown'})`, true, now, 0);
  }

  /** The earliest lease deadline, when the alarm must expire it. */
  nextWakeAt(): number | null {
    return this.sql
      .exec<{ t: number | null }>(`SELECT MIN(lease_expires_at) AS t FROM shards WHERE status = 'leased'`)
      .one().t;
  }

  private openShards(account: string): number {
    return this.sql
      .exec<{ n: number }>(
        `SELECT COUNT(*) AS n FROM shards WHERE account = ? AND status IN ('pending', 'leased')`,
        account,
      )
      .one().n;
  }
}

/** Whether every item of a shard lies within the agent's regions and resource types. */
function agentCanServe(req: LeaseRequest, work: WorkItem[]): boolean {
  const regionOk = (w: WorkItem) => !req.regions?.length || w.region === '*' || req.regions.includes(w.region);
  const typeOk = (w: WorkItem) => !req.resource_types?.length || req.resource_types.includes(w.type);
  return work.every((w) => regionOk(w) && typeOk(w));
}
