import { DurableObject } from 'cloudflare:workers';
import type {
  CompleteRequest,
  FailRequest,
  Lease,
  LeaseRequest,
  WorkItem,
} from '../contract/agent-protocol.js';
import type { AnalysisHeadline, JobCounts, JobDetail, JobStatus, ShardStatus, ShardView } from '../contract/api.js';
import { ErrorCode } from '../contract/errors.js';
import { shardIdOf } from '../contract/ids.js';
import type { JobSpec, PersistedPart } from '../contract/job.js';
import type { CoverageScope, DriftSummary, DuplicateFinding } from '../engine/index.js';
import { batchMessages, type AnalyzeMessage } from '../contract/queue.js';
import { storeFor } from '../storage/index.js';
import { AnalysisParts, ANALYSIS_PARTS_SCHEMA } from './analysis-parts.js';
import { retryDelayMs } from './backoff.js';
import { coveredScopes } from './coverage.js';
import { JOB_SCHEMA } from './job-schema.js';
import { ok, refuse, type RpcResult } from './rpc-result.js';
import { shardRegion, type ShardSeed } from './shard-plan.js';

/** What a lease attempt on one job found. */
export type LeaseOutcome =
  | { kind: 'leased'; lease: Lease }
  /** Nothing to hand out now, but shards of this account may become ready later. */
  | { kind: 'none' }
  /** This job will never have work for this account again. */
  | { kind: 'exhausted' };

type JobRow = {
  spec: string;
  status: JobStatus;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  error: string | null;
  next_shard: number;
  analysis: string | null;
};

type ShardRow = {
  shard_id: string;
  seq: number;
  account: string;
  region: string;
  work: string;
  status: ShardStatus;
  attempt: number;
  lease_id: string | null;
  agent_id: string | null;
  lease_expires_at: number | null;
  not_before: number;
  resources: number;
  last_error: string | null;
  parent_shard_id: string | null;
};

const FINISHED: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

const LEASE_CANDIDATES = 200;

/**
 * Coordinates one discovery job: its shards, their leases to agents, attempts and
 * retries, the result chunks accepted, and the job's progress to completion. Every state
 * change is a SQLite write in this object, so a restarted Worker or object loses nothing;
 * lease deadlines and retry times of all shards share the object's one alarm.
 */
export class JobCoordinator extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private readonly parts: AnalysisParts;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(JOB_SCHEMA + ANALYSIS_PARTS_SCHEMA);
    this.parts = new AnalysisParts(this.sql);
  }

  // ---- job lifecycle -------------------------------------------------------------------

  /** Creates the job and its shards; calling again with the same job id changes nothing. */
  async create(spec: JobSpec, seeds: ShardSeed[]): Promise<JobDetail> {
    if (!this.job()) {
      const now = Date.now();
      this.sql.exec(
        `INSERT INTO job (id, spec, status, created_at, updated_at, next_shard) VALUES (1, ?, 'pending', ?, ?, 0)`,
        JSON.stringify(spec),
        now,
        now,
      );
      for (const seed of seeds) this.insertShard(seed.account, seed.work, null);
    }
    await this.syncIndex();
    return this.detailOf(this.job()!);
  }

  async detail(): Promise<RpcResult<JobDetail>> {
    const job = this.job();
    return job ? ok(this.detailOf(job)) : refuse(404, ErrorCode.notFound, 'job not found');
  }

  async cancel(): Promise<RpcResult<JobDetail>> {
    const job = this.job();
    if (!job) return refuse(404, ErrorCode.notFound, 'job not found');
    if (FINISHED.includes(job.status)) {
      return refuse(409, ErrorCode.jobFinished, `job is already ${job.status}`);
    }
    const now = Date.now();
    this.sql.exec(
      `UPDATE shards SET status = 'cancelled', lease_id = NULL, lease_expires_at = NULL
       WHERE status IN ('pending', 'leased')`,
    );
    this.setStatus('cancelled', now, 'cancelled by request');
    await this.scheduleAlarm();
    await this.syncIndex();
    return ok(this.detailOf(this.job()!));
  }

  /**
   * Records one account's analysis. When every part is in, the merged summary becomes the
   * job's trend point and the job completes. Idempotent under redelivery.
   */
  async recordAnalysisPart(account: string, summary: DriftSummary, duplicates: DuplicateFinding[]): Promise<RpcResult<JobDetail>> {
    const job = this.job();
    if (!job) return refuse(404, ErrorCode.notFound, 'job not found');
    if (job.status !== 'analyzing') return ok(this.detailOf(job));
    this.parts.record(account, summary, duplicates);
    const merged = this.parts.merged();
    if (merged) {
      const spec = this.spec();
      const store = storeFor(this.env);
      const now = Date.now();
      await store.saveAnalysisSummary({ job_id: spec.job_id, provider: spec.provider, ...merged, completed_at: new Date(now).toISOString() });
      await store.refreshResourceCounts();
      this.sql.exec(`UPDATE job SET analysis = ? WHERE id = 1`, JSON.stringify(headline(merged.summary)));
      this.setStatus('completed', now, null);
      await this.scheduleAlarm();
      await this.syncIndex();
    }
    return ok(this.detailOf(this.job()!));
  }

  /** What the analyzer needs for one account: the job's spec, the scopes covered, where its items go. */
  async analysisInput(account: string): Promise<RpcResult<{ spec: JobSpec; scopes: CoverageScope[]; first_seq: number }>> {
    const job = this.job();
    const firstSeq = this.parts.firstSeq(account);
    if (!job || firstSeq === undefined) return refuse(404, ErrorCode.notFound, `no analysis of account ${account} in this job`);
    const spec = JSON.parse(job.spec) as JobSpec;
    const shards = this.sql
      .exec<Pick<ShardRow, 'account' | 'work' | 'status'>>(`SELECT account, work, status FROM shards WHERE account = ?`, account)
      .toArray()
      .map((s) => ({ ...s, work: JSON.parse(s.work) as WorkItem[] }));
    return ok({ spec, scopes: coveredScopes(spec.provider, spec.regions, shards), first_seq: firstSeq });
  }

  // ---- agent protocol ------------------------------------------------------------------

  /** Hands the oldest ready shard this agent may serve to it, under a fresh lease. */
  async leaseShard(req: LeaseRequest): Promise<LeaseOutcome> {
    const job = this.job();
    // Indexed but not created yet: the gateway is between its two writes.
    if (!job) return { kind: 'none' };
    if (FINISHED.includes(job.status) || job.status === 'analyzing') return { kind: 'exhausted' };
    const spec = JSON.parse(job.spec) as JobSpec;
    if (spec.provider !== req.provider) return { kind: 'exhausted' };
    const now = Date.now();
    this.expireLeases(now);
    const candidates = this.sql
      .exec<ShardRow>(
        `SELECT * FROM shards WHERE status = 'pending' AND account = ? AND not_before <= ? ORDER BY seq LIMIT ?`,
        req.account,
        now,
        LEASE_CANDIDATES,
      )
      .toArray();
    const shard = candidates.find((s) => agentCanServe(req, JSON.parse(s.work) as WorkItem[]));
    if (!shard) {
      const open = this.sql
        .exec<{ n: number }>(
          `SELECT COUNT(*) AS n FROM shards WHERE account = ? AND status IN ('pending', 'leased')`,
          req.account,
        )
        .one().n;
      return open === 0 ? { kind: 'exhausted' } : { kind: 'none' };
    }
    const leaseId = crypto.randomUUID();
    const ttl = this.leaseTtlMs();
    const attempt = shard.attempt + 1;
    this.sql.exec(
      `UPDATE shards SET status = 'leased', lease_id = ?, agent_id = ?, attempt = ?, lease_expires_at = ?
       WHERE shard_id = ?`,
      leaseId,
      req.agent_id,
      attempt,
      now + ttl,
      shard.shard_id,
    );
    if (job.status === 'pending') this.setStatus('running', now, null);
    await this.scheduleAlarm();
    if (job.status === 'pending') await this.syncIndex();
    return {
      kind: 'leased',
      lease: {
        shard_id: shard.shard_id,
        job_id: spec.job_id,
        lease_id: leaseId,
        attempt,
        lease_expires_at: new Date(now + ttl).toISOString(),
        lease_ttl_seconds: ttl / 1000,
        provider: spec.provider,
        account: shard.account,
        region: shard.region,
        regions: spec.regions,
        work: JSON.parse(shard.work) as WorkItem[],
        shard_size: spec.sharding.shard_size,
      },
    };
  }

  async heartbeat(shardId: string, leaseId: string): Promise<RpcResult<{ lease_expires_at: string }>> {
    const held = this.heldShard(shardId, leaseId);
    if (!held.ok) return held;
    const expires = Date.now() + this.leaseTtlMs();
    this.sql.exec(`UPDATE shards SET lease_expires_at = ? WHERE shard_id = ?`, expires, shardId);
    await this.scheduleAlarm();
    return ok({ lease_expires_at: new Date(expires).toISOString() });
  }

  /**
   * First half of accepting a results chunk: checks the lease and whether this attempt
   * already stored the sequence number. The gateway enqueues the chunk only after this.
   */
  async beginChunk(
    shardId: string,
    leaseId: string,
    sequence: number,
  ): Promise<RpcResult<{ duplicate: boolean; attempt: number; job_id: string; provider: string; account: string }>> {
    const held = this.heldShard(shardId, leaseId);
    if (!held.ok) return held;
    const shard = held.value;
    const seen = this.sql
      .exec(`SELECT 1 FROM chunks WHERE shard_id = ? AND attempt = ? AND sequence = ?`, shardId, shard.attempt, sequence)
      .toArray().length;
    const spec = this.spec();
    return ok({ duplicate: seen > 0, attempt: shard.attempt, job_id: spec.job_id, provider: spec.provider, account: shard.account });
  }

  /** Second half: the chunk's messages are on the queue; remember it so a resend is a no-op. */
  async commitChunk(
    shardId: string,
    leaseId: string,
    chunk: { sequence: number; resources: number; parts: number },
  ): Promise<RpcResult<{ attempt: number }>> {
    const held = this.heldShard(shardId, leaseId);
    if (!held.ok) return held;
    const attempt = held.value.attempt;
    this.sql.exec(
      `INSERT OR IGNORE INTO chunks (shard_id, attempt, sequence, resources, parts) VALUES (?, ?, ?, ?, ?)`,
      shardId,
      attempt,
      chunk.sequence,
      chunk.resources,
      chunk.parts,
    );
    // A chunk is proof of life: extend the lease as a heartbeat would.
    this.sql.exec(`UPDATE shards SET lease_expires_at = ? WHERE shard_id = ?`, Date.now() + this.leaseTtlMs(), shardId);
    return ok({ attempt });
  }

  async complete(
    shardId: string,
    req: CompleteRequest,
  ): Promise<RpcResult<{ shard_id: string; status: 'succeeded'; continuation_shard_id?: string }>> {
    const held = this.heldShard(shardId, req.lease_id);
    if (!held.ok) return held;
    const shard = held.value;
    const stored = this.sql
      .exec<{ n: number | null }>(
        `SELECT SUM(resources) AS n FROM chunks WHERE shard_id = ? AND attempt = ?`,
        shardId,
        shard.attempt,
      )
      .one().n ?? 0;
    if (stored !== req.resource_count) {
      return refuse(409, ErrorCode.chunksMissing, `agent reports ${req.resource_count} resources but ${stored} were stored`, {
        reported: req.resource_count,
        stored,
      });
    }
    const remaining = req.remaining ?? [];
    const work = JSON.parse(shard.work) as WorkItem[];
    const foreign = remaining.filter((r) => !work.some((w) => w.type === r.type && w.region === r.region));
    if (foreign.length > 0) {
      return refuse(422, ErrorCode.unprocessable, 'remaining work must be part of the shard', { foreign });
    }
    this.sql.exec(
      `UPDATE shards SET status = 'succeeded', resources = ?, lease_id = NULL, lease_expires_at = NULL WHERE shard_id = ?`,
      stored,
      shardId,
    );
    const continuation = remaining.length > 0 ? this.insertShard(shard.account, remaining, shardId) : undefined;
    await this.settle();
    return ok({ shard_id: shardId, status: 'succeeded', ...(continuation ? { continuation_shard_id: continuation } : {}) });
  }

  async fail(
    shardId: string,
    req: FailRequest,
  ): Promise<RpcResult<{ status: 'pending' | 'failed'; next_attempt_at?: string }>> {
    const held = this.heldShard(shardId, req.lease_id);
    if (!held.ok) return held;
    const outcome = this.retryOrFail(held.value, req.reason, req.retryable, Date.now());
    await this.settle();
    return ok(outcome);
  }

  /** The queue consumer wrote these parts; the job finishes once every stored chunk is written. */
  async recordPersisted(parts: PersistedPart[]): Promise<void> {
    for (const p of parts) {
      this.sql.exec(
        `INSERT OR IGNORE INTO persisted_parts (shard_id, attempt, sequence, part) VALUES (?, ?, ?, ?)`,
        p.shard_id,
        p.attempt,
        p.sequence,
        p.part,
      );
    }
    await this.settle();
  }

  // ---- timers --------------------------------------------------------------------------

  /**
   * Expires overdue leases, and sends the analyze message for a finished discovery — again
   * if no result came back in time, so a lost or dead-lettered message cannot strand a job.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.expireLeases(now);
    await this.settle();
    if (this.job()?.status === 'analyzing') {
      const due = this.parts.due(now);
      const jobId = this.spec().job_id;
      for (const batch of batchMessages(due.map((account): AnalyzeMessage => ({ kind: 'analyze', job_id: jobId, account })))) {
        await this.env.RESULTS_QUEUE.sendBatch(batch.map((body) => ({ body, contentType: 'json' as const })));
      }
      this.parts.markSent(due, now);
    }
    await this.scheduleAlarm();
  }

  // ---- internals -----------------------------------------------------------------------

  private job(): JobRow | undefined {
    return this.sql.exec<JobRow>(`SELECT * FROM job WHERE id = 1`).toArray()[0];
  }

  private spec(): JobSpec {
    return JSON.parse(this.job()!.spec) as JobSpec;
  }

  private leaseTtlMs(): number {
    return Number(this.env.LEASE_TTL_SECONDS) * 1000;
  }

  private insertShard(account: string, work: WorkItem[], parent: string | null): string {
    const next = this.sql.exec<{ next_shard: number }>(`SELECT next_shard FROM job WHERE id = 1`).one().next_shard;
    const shardId = shardIdOf(this.spec().job_id, next);
    this.sql.exec(
      `INSERT INTO shards (shard_id, seq, account, region, work, status, parent_shard_id) VALUES (?, ?, ?, ?, ?, 'pending', ?)`,
      shardId,
      next,
      account,
      shardRegion(work),
      JSON.stringify(work),
      parent,
    );
    this.sql.exec(`UPDATE job SET next_shard = ? WHERE id = 1`, next + 1);
    return shardId;
  }

  /** The shard, if `leaseId` is its live lease; otherwise why the caller no longer holds it. */
  private heldShard(shardId: string, leaseId: string): RpcResult<ShardRow> {
    const job = this.job();
    const shard = this.shard(shardId);
    if (!job || !shard) return refuse(404, ErrorCode.notFound, `shard ${shardId} not found`);
    if (job.status === 'cancelled') return refuse(409, ErrorCode.jobFinished, 'the job was cancelled');
    if (shard.lease_id !== leaseId || shard.status !== 'leased') {
      if (shard.status === 'succeeded' || shard.status === 'failed') {
        return refuse(409, ErrorCode.shardFinished, `shard is already ${shard.status}`);
      }
      return refuse(409, ErrorCode.leaseConflict, 'this lease is no longer valid: it expired or the shard was leased again');
    }
    if ((shard.lease_expires_at ?? 0) <= Date.now()) {
      this.expireLeases(Date.now());
      return refuse(409, ErrorCode.leaseExpired, 'the lease expired');
    }
    return ok(shard);
  }

  private shard(shardId: string): ShardRow | undefined {
    return this.sql.exec<ShardRow>(`SELECT * FROM shards WHERE shard_id = ?`, shardId).toArray()[0];
  }

  /** A lease past its deadline counts as a failed attempt: the agent died or lost contact. */
  private expireLeases(now: number): void {
    const expired = this.sql
      .exec<ShardRow>(`SELECT * FROM shards WHERE status = 'leased' AND lease_expires_at <= ?`, now)
      .toArray();
    for (const shard of expired) this.retryOrFail(shard, `lease expired (agent ${shard.agent_id ?? 'unknown'})`, true, now, 0);
  }

  private retryOrFail(
    shard: ShardRow,
    reason: string,
    retryable: boolean,
    now: number,
    delayMs = retryDelayMs(shard.attempt, Number(this.env.RETRY_BASE_SECONDS)),
  ): { status: 'pending' | 'failed'; next_attempt_at?: string } {
    if (retryable && shard.attempt < Number(this.env.MAX_SHARD_ATTEMPTS)) {
      this.sql.exec(
        `UPDATE shards SET status = 'pending', lease_id = NULL, lease_expires_at = NULL, not_before = ?, last_error = ?
         WHERE shard_id = ?`,
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

  /**
   * Moves the job on once no shard is open: to `failed` if every shard failed, else to
   * `analyzing` once the consumer has written every chunk the successful attempts sent.
   */
  private async settle(): Promise<void> {
    const job = this.job();
    if (!job || FINISHED.includes(job.status) || job.status === 'analyzing') {
      await this.scheduleAlarm();
      await this.syncIndex();
      return;
    }
    this.sql.exec(`UPDATE job SET updated_at = ? WHERE id = 1`, Date.now());
    const counts = this.counts();
    if (counts.shards_pending + counts.shards_leased === 0 && this.unwrittenChunks() === 0) {
      const now = Date.now();
      if (counts.shards_succeeded === 0) {
        this.setStatus('failed', now, `every shard failed; last error: ${this.lastError() ?? 'unknown'}`);
      } else {
        this.parts.plan(this.spec().accounts);
        this.setStatus('analyzing', now, null);
      }
    }
    await this.scheduleAlarm();
    await this.syncIndex();
  }

  private unwrittenChunks(): number {
    return this.sql
      .exec<{ n: number }>(
        `SELECT COUNT(*) AS n FROM chunks c JOIN shards s ON s.shard_id = c.shard_id AND s.attempt = c.attempt
         WHERE s.status = 'succeeded' AND c.parts > (
           SELECT COUNT(*) FROM persisted_parts p
           WHERE p.shard_id = c.shard_id AND p.attempt = c.attempt AND p.sequence = c.sequence)`,
      )
      .one().n;
  }

  private lastError(): string | null {
    return (
      this.sql
        .exec<{ last_error: string | null }>(`SELECT last_error FROM shards WHERE last_error IS NOT NULL ORDER BY seq DESC LIMIT 1`)
        .toArray()[0]?.last_error ?? null
    );
  }

  private setStatus(status: JobStatus, now: number, error: string | null): void {
    const finished = FINISHED.includes(status) ? now : null;
    this.sql.exec(`UPDATE job SET status = ?, updated_at = ?, finished_at = ?, error = ? WHERE id = 1`, status, now, finished, error);
  }

  /** One alarm serves every shard: it is set to the earliest lease deadline or retry time. */
  private async scheduleAlarm(): Promise<void> {
    const job = this.job();
    const now = Date.now();
    const next = this.sql
      .exec<{ t: number | null }>(
        `SELECT MIN(t) AS t FROM (
           SELECT MIN(lease_expires_at) AS t FROM shards WHERE status = 'leased'
           UNION ALL SELECT MIN(not_before) FROM shards WHERE status = 'pending' AND not_before > ?)`,
        now,
      )
      .one().t;
    const partDue = job?.status === 'analyzing' ? this.parts.nextDueAt() : null;
    const analysisDue = partDue === null ? null : Math.max(now, partDue);
    const at = [next, analysisDue].filter((t): t is number => t !== null);
    if (at.length > 0) await this.ctx.storage.setAlarm(Math.min(...at));
    else await this.ctx.storage.deleteAlarm();
  }

  private counts(): JobCounts {
    const byStatus = new Map(
      this.sql
        .exec<{ status: ShardStatus; n: number; resources: number }>(
          `SELECT status, COUNT(*) AS n, SUM(resources) AS resources FROM shards GROUP BY status`,
        )
        .toArray()
        .map((r) => [r.status, r]),
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

  private detailOf(job: JobRow): JobDetail {
    const spec = JSON.parse(job.spec) as JobSpec;
    const shards = this.sql.exec<ShardRow>(`SELECT * FROM shards ORDER BY seq`).toArray().map(shardView);
    return {
      job_id: spec.job_id,
      status: job.status,
      provider: spec.provider,
      accounts: spec.accounts,
      regions: spec.regions,
      resource_types: spec.resource_types,
      mode: spec.mode,
      sharding: spec.sharding,
      counts: this.counts(),
      created_at: new Date(job.created_at).toISOString(),
      updated_at: new Date(job.updated_at).toISOString(),
      finished_at: job.finished_at === null ? null : new Date(job.finished_at).toISOString(),
      error: job.error,
      shards,
      analysis: job.analysis === null ? null : (JSON.parse(job.analysis) as JobDetail['analysis']),
    };
  }

  /** Mirrors status and counts into the D1 job index that lists jobs without waking objects. */
  private async syncIndex(): Promise<void> {
    const job = this.job();
    if (!job) return;
    const spec = JSON.parse(job.spec) as JobSpec;
    const c = this.counts();
    await storeFor(this.env).updateJobIndex({
      job_id: spec.job_id,
      status: job.status,
      shards_total: c.shards_total,
      shards_succeeded: c.shards_succeeded,
      shards_failed: c.shards_failed,
      shards_cancelled: c.shards_cancelled,
      resources_discovered: c.resources_discovered,
      updated_at: new Date(job.updated_at).toISOString(),
      finished_at: job.finished_at === null ? null : new Date(job.finished_at).toISOString(),
      error: job.error,
    });
  }
}

function agentCanServe(req: LeaseRequest, work: WorkItem[]): boolean {
  const regionOk = (w: WorkItem) => !req.regions?.length || w.region === '*' || req.regions.includes(w.region);
  const typeOk = (w: WorkItem) => !req.resource_types?.length || req.resource_types.includes(w.type);
  return work.every((w) => regionOk(w) && typeOk(w));
}

function shardView(s: ShardRow): ShardView {
  const work = JSON.parse(s.work) as WorkItem[];
  return {
    shard_id: s.shard_id,
    account: s.account,
    region: s.region,
    resource_types: [...new Set(work.map((w) => w.type))],
    status: s.status,
    attempts: s.attempt,
    resources: s.resources,
    agent_id: s.agent_id,
    last_error: s.last_error,
    parent_shard_id: s.parent_shard_id,
  };
}

/** The counts a job detail shows of its analysis; the full summary is in /drift. */
function headline(s: DriftSummary): AnalysisHeadline {
  const { state_resources, discovered_resources, in_sync, changed, missing, unmanaged, coverage, noise_filtered, by_severity } = s;
  return { state_resources, discovered_resources, in_sync, changed, missing, unmanaged, coverage, noise_filtered, by_severity };
}
