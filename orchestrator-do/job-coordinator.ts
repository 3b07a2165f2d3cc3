import { DurableObject } from 'cloudflare:workers';
import type { CompleteRequest, FailRequest, Lease, LeaseRequest, WorkItem } from '../contract/agent-protocol.js';
import { JOB_SHARDS_PAGE, type JobDetail, type JobSummary } from '../contract/api.js';
import { ErrorCode } from '../contract/errors.js';
import type { JobSpec, PersistedPart } from '../contract/job.js';
import type { SeriesDelta } from '../contract/metrics.js';
import { type AnalyzeMessage, batchMessages } from '../contract/queue.js';
import { childSpan, formatTraceparent, parseTraceparent } from '../contract/trace-context.js';
import type { DriftSummary, DuplicateFinding } from '../engine/index.js';
import { storeFor } from '../storage/index.js';
import { type AgentScope, scopeRefusal } from './agent-scope.js';
import { type AnalysisInput, AnalysisParts, type AnalysisPlan, MAX_ANALYSIS_SENDS } from './analysis-parts.js';
import { type ChunkRef, Chunks, DEFAULT_CHUNK_WRITE_TIMEOUT_SECONDS } from './chunks.js';
import { coveredScopes } from './coverage.js';
import { announceNewDrift } from './drift-announcements.js';
import { JobEvents } from './job-events.js';
import { DISCOVERING, FINISHED, type Job, JobRecord, jobDetail, jobIndexUpdate, jobSummary } from './job-record.js';
import { JOB_SCHEMA } from './job-schema.js';
import { Leases } from './leases.js';
import { jobEndDeltas, recordMetrics, shardAttemptDeltas } from './metric-recorder.js';
import { ok, type RpcResult, refuse } from './rpc-result.js';
import { continuationsOf, planShards, resolveTypes } from './shard-plan.js';
import { type AttemptOutcome, type Shard, Shards } from './shards.js';
import { migrate } from './sqlite-migrations.js';
import { DEFAULT_UNCLAIMED_TIMEOUT_SECONDS, UnclaimedShards } from './unclaimed.js';
import { earliestWake, type WakeSource } from './wake.js';

/** Which shards a job detail lists: up to `limit` after the shard `after` (from the first when null). */
export interface ShardPage {
  after: string | null;
  limit: number;
}

/** What `beginChunk` tells the gateway of a results chunk and the shard it is for. */
export interface ChunkScope {
  duplicate: boolean;
  attempt: number;
  job_id: string;
  provider: string;
  account: string;
  work: WorkItem[];
  regions: string[];
}

/** What a lease attempt on one job found. */
export type LeaseOutcome =
  | { kind: 'leased'; lease: Lease }
  /** Nothing to hand out now, but shards of this account may become ready later. */
  | { kind: 'none' }
  /** This job will never have work for this account again. */
  | { kind: 'exhausted' };

/**
 * Coordinates one discovery job: its shards, their leases to agents, attempts and
 * retries, the result chunks accepted, and the job's progress to completion. Every state
 * change is a SQLite write in this object, so a restarted Worker or object loses nothing.
 * Each concern is a capability owning its tables; this class sequences them and keeps the
 * object's one alarm at the earliest time any of them needs to wake. Its length is the RPC
 * surface (one method per call of the agent protocol and the job lifecycle), each a few lines.
 */
export class JobCoordinator extends DurableObject<Env> {
  private readonly job: JobRecord;
  private readonly shards: Shards;
  private readonly leases: Leases;
  private readonly unclaimed: UnclaimedShards;
  private readonly chunks: Chunks;
  private readonly parts: AnalysisParts;
  private readonly events: JobEvents;
  /** What this object last wrote to the job index, updated_at aside (syncIndex). */
  private indexed: string | undefined;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // No request may see the tables before an object written by an older release is migrated.
    void ctx.blockConcurrencyWhile(async () => migrate(ctx.storage, JOB_SCHEMA));
    const sql = ctx.storage.sql;
    this.job = new JobRecord(sql);
    this.shards = new Shards(sql, {
      maxAttempts: Number(env.MAX_SHARD_ATTEMPTS),
      retryBaseSeconds: Number(env.RETRY_BASE_SECONDS),
    });
    this.leases = new Leases(sql, this.shards, Number(env.LEASE_TTL_SECONDS) * 1000);
    const unclaimedSeconds = Number(env.UNCLAIMED_SHARD_TIMEOUT_SECONDS ?? DEFAULT_UNCLAIMED_TIMEOUT_SECONDS);
    this.unclaimed = new UnclaimedShards(sql, this.shards, unclaimedSeconds * 1000);
    this.chunks = new Chunks(
      sql,
      Number(env.CHUNK_WRITE_TIMEOUT_SECONDS ?? DEFAULT_CHUNK_WRITE_TIMEOUT_SECONDS) * 1000,
    );
    this.parts = new AnalysisParts(sql);
    this.events = new JobEvents(sql, this.job, this.shards);
  }

  /** The job's progress as Server-Sent Events: the one call served over HTTP, because it streams. */
  override async fetch(request: Request): Promise<Response> {
    return this.events.respond(request.headers.get('last-event-id'));
  }

  // ---- job lifecycle -------------------------------------------------------------------

  /**
   * Creates the job and plans its shards here, so no call carries a list that grows with the
   * shard count; calling again with the same job id changes nothing. The caller indexes the
   * job only after this, then has it mirrored into the index with `syncIndex`.
   */
  async create(spec: JobSpec): Promise<JobSummary> {
    if (!this.job.read()) {
      const now = Date.now();
      this.job.create(spec, now);
      const { types } = resolveTypes(spec.provider, spec.resource_types);
      const seeds = planShards({ accounts: spec.accounts, regions: spec.regions, types, strategy: spec.sharding.type });
      const first = this.job.takeShardSeqs(seeds.length);
      for (const [i, seed] of seeds.entries())
        this.shards.insert(spec.job_id, first + i, seed.account, seed.work, null, now);
      await this.scheduleAlarm();
    }
    return jobSummary(this.job.current(), this.shards.counts());
  }

  /**
   * Mirrors status and counts into the D1 job index that lists jobs without waking objects. A
   * call that changed none of them (a chunk written, a lease taken) writes nothing: the index's
   * updated_at is when what it shows last changed.
   */
  async syncIndex(): Promise<void> {
    const job = this.job.read();
    if (!job) return;
    const update = jobIndexUpdate(jobSummary(job, this.shards.counts()));
    const shown = JSON.stringify({ ...update, updated_at: null });
    if (shown === this.indexed) return;
    await storeFor(this.env).updateJobIndex(update);
    this.indexed = shown;
  }

  /** The job without its shards: status and counts, cheap to ask for whatever the job's size. */
  async summary(): Promise<RpcResult<JobSummary>> {
    const job = this.job.read();
    return job ? ok(jobSummary(job, this.shards.counts())) : refuse(404, ErrorCode.notFound, 'job not found');
  }

  /** The job with one page of its shards; counts cover them all. */
  async detail(page: ShardPage = { after: null, limit: JOB_SHARDS_PAGE.default }): Promise<RpcResult<JobDetail>> {
    const job = this.job.read();
    if (!job) return refuse(404, ErrorCode.notFound, 'job not found');
    const shards = this.shards.page(page.after, page.limit);
    if (!shards) return refuse(400, ErrorCode.badRequest, 'shards_cursor: not a cursor this API returned');
    return ok(jobDetail(job, this.shards.counts(), shards));
  }

  async cancel(): Promise<RpcResult<JobDetail>> {
    const job = this.job.read();
    if (!job) return refuse(404, ErrorCode.notFound, 'job not found');
    if (FINISHED.includes(job.status)) {
      return refuse(409, ErrorCode.jobFinished, `job is already ${job.status}`);
    }
    await this.end('cancelled', 'cancelled by request');
    return ok(this.detailOf(this.job.current()));
  }

  /**
   * Ends the job as failed with `reason`: something it waits for will never come (a message
   * was dead-lettered). Calling it again, or on a finished job, changes nothing.
   */
  async failJob(reason: string): Promise<RpcResult<JobSummary>> {
    const job = this.job.read();
    if (!job) return refuse(404, ErrorCode.notFound, 'job not found');
    if (!FINISHED.includes(job.status)) await this.end('failed', reason);
    return ok(jobSummary(this.job.current(), this.shards.counts()));
  }

  /**
   * Records one part of an account's analysis (a data part or a close). When every part of
   * every account is in, the merged summary becomes the job's trend point and the job completes.
   * A part recorded again changes nothing.
   */
  async recordAnalysisPart(
    part: number,
    summary: DriftSummary,
    duplicates: DuplicateFinding[],
  ): Promise<RpcResult<JobDetail>> {
    const job = this.job.read();
    if (!job) return refuse(404, ErrorCode.notFound, 'job not found');
    if (job.status !== 'analyzing') return ok(this.detailOf(job));
    this.parts.record(part, summary, duplicates);
    const merged = this.parts.merged();
    // An account's close is sent once its last data part is in.
    if (!merged) await this.scheduleAlarm();
    if (merged) {
      const store = storeFor(this.env);
      const now = Date.now();
      await store.saveAnalysisSummary({
        job_id: job.spec.job_id,
        provider: job.spec.provider,
        ...merged,
        completed_at: new Date(now).toISOString(),
      });
      await store.refreshResourceCounts();
      this.job.setAnalysis(merged.summary);
      this.job.setStatus('completed', now, null);
      await this.scheduleAlarm();
      await this.syncIndex();
      await recordMetrics(this.env, jobEndDeltas(job.spec.provider, 'completed', job.created_at, now, merged.summary));
      await announceNewDrift(this.env, job.spec, merged.summary);
    }
    return ok(this.detailOf(this.job.current()));
  }

  /**
   * Records an account's plan: its data parts and close, sent at once unless the analyzer runs
   * them itself (`inline`, for an account that fits one part). Returns their ids, in order. A
   * plan recorded again, or for a job no longer analysing, adds nothing and returns none.
   */
  async recordAnalysisPlan(part: number, plan: AnalysisPlan, inline: boolean): Promise<RpcResult<number[]>> {
    const job = this.job.read();
    if (!job) return refuse(404, ErrorCode.notFound, 'job not found');
    if (job.status !== 'analyzing') return ok([]);
    const ids = this.parts.recordPlan(part, plan, inline ? Date.now() : null);
    await this.scheduleAlarm();
    return ok(ids);
  }

  /**
   * What the analyzer needs for one part of an account's analysis (the account's first without
   * `part`): the job's spec, when it started, the scopes covered, the part, and the account's
   * context from its plan. A part already done says so: the analyzer only finishes what a run
   * cut short after recording it.
   */
  async analysisInput(account: string, part?: number): Promise<RpcResult<AnalysisInput>> {
    const job = this.job.read();
    const found = this.parts.find(account, part);
    if (!job || !found) {
      const what = part === undefined ? 'no analysis' : `no part ${part} of the analysis`;
      return refuse(404, ErrorCode.notFound, `${what} of account ${account} in this job`);
    }
    const { spec } = job;
    const scopes = coveredScopes(spec.provider, spec.regions, this.shards.outcomes(account));
    const started_at = new Date(job.created_at).toISOString();
    return ok({ spec, started_at, scopes, part: found, context: this.parts.context(account) });
  }

  // ---- agent protocol ------------------------------------------------------------------

  /** Hands the oldest ready shard this agent may serve to it, under a fresh lease. */
  async leaseShard(req: LeaseRequest): Promise<LeaseOutcome> {
    const job = this.job.read();
    // Indexed but not created: the order of the release that indexed jobs before creating them.
    if (!job) return { kind: 'none' };
    if (FINISHED.includes(job.status) || job.status === 'analyzing') return { kind: 'exhausted' };
    const { spec } = job;
    if (spec.provider !== req.provider) return { kind: 'exhausted' };
    const now = Date.now();
    const grant = this.leases.grant(req, now);
    // Agents stop asking a job that answered exhausted, so not while a lost chunk may reopen a shard.
    if (grant.kind === 'exhausted' && this.chunks.awaitingWrite(req.account)) return { kind: 'none' };
    if (grant.kind !== 'leased') return grant;
    if (job.status === 'pending') this.job.setStatus('running', now, null);
    await this.scheduleAlarm();
    if (job.status === 'pending') await this.syncIndex();
    return { kind: 'leased', lease: this.leases.leaseOf(spec, grant) };
  }

  /**
   * The agent protocol's calls on a shard take the caller's scope when its token is bound to
   * accounts: a shard outside them is refused (403) before its lease is even looked at.
   */
  async heartbeat(
    shardId: string,
    leaseId: string,
    scope?: AgentScope,
  ): Promise<RpcResult<{ lease_expires_at: string }>> {
    const held = this.held(shardId, leaseId, scope);
    if (!held.ok) return held;
    const expires = this.leases.extend(shardId, Date.now());
    await this.scheduleAlarm();
    return ok({ lease_expires_at: new Date(expires).toISOString() });
  }

  /**
   * First half of accepting a results chunk: checks the lease and whether this attempt
   * already stored the sequence number, and tells what the shard covers (its account, work
   * and the job's regions) so the gateway can refuse resources outside it. The gateway
   * enqueues the chunk only after this, which writes nothing.
   */
  async beginChunk(
    shardId: string,
    leaseId: string,
    sequence: number,
    scope?: AgentScope,
  ): Promise<RpcResult<ChunkScope>> {
    const held = this.held(shardId, leaseId, scope);
    if (!held.ok) return held;
    const shard = held.value;
    const spec = this.job.current().spec;
    return ok({
      duplicate: this.chunks.has(shardId, shard.attempt, sequence),
      attempt: shard.attempt,
      job_id: spec.job_id,
      provider: spec.provider,
      account: shard.account,
      work: shard.work,
      regions: spec.regions,
    });
  }

  /** Second half: the chunk's messages are on the queue; remember it so a resend is a no-op. */
  async commitChunk(
    shardId: string,
    leaseId: string,
    chunk: { sequence: number; resources: number; parts: number },
  ): Promise<RpcResult<{ attempt: number }>> {
    const held = this.held(shardId, leaseId);
    if (!held.ok) return held;
    const attempt = held.value.attempt;
    const now = Date.now();
    this.chunks.commit(shardId, attempt, chunk, now);
    // A chunk is proof of life: extend the lease as a heartbeat would.
    this.leases.extend(shardId, now);
    await this.scheduleAlarm();
    return ok({ attempt });
  }

  async complete(
    shardId: string,
    req: CompleteRequest,
    scope?: AgentScope,
    traceparent?: string,
  ): Promise<RpcResult<{ shard_id: string; status: 'succeeded'; continuation_shard_id?: string }>> {
    const held = this.held(shardId, req.lease_id, scope);
    if (!held.ok) return held;
    const shard = held.value;
    const stored = this.chunks.storedResources(shardId, shard.attempt);
    if (stored !== req.resource_count) {
      return refuse(
        409,
        ErrorCode.chunksMissing,
        `agent reports ${req.resource_count} resources but ${stored} were stored`,
        {
          reported: req.resource_count,
          stored,
        },
      );
    }
    const remaining = req.remaining ?? [];
    const foreign = remaining.filter((r) => !shard.work.some((w) => w.type === r.type && w.region === r.region));
    if (foreign.length > 0) {
      return refuse(422, ErrorCode.unprocessable, 'remaining work must be part of the shard', { foreign });
    }
    this.shards.succeed(shardId, stored);
    const [continuation] = continuationsOf(remaining).map(
      (work) => this.shards.continuationOf(shardId, work) ?? this.addShard(shard.account, work, shardId),
    );
    await this.settle(traceparent);
    const provider = this.job.current().spec.provider;
    await recordMetrics(this.env, shardAttemptDeltas(provider, 'succeeded', shard.leased_at, Date.now(), stored));
    return ok({
      shard_id: shardId,
      status: 'succeeded',
      ...(continuation ? { continuation_shard_id: continuation } : {}),
    });
  }

  async fail(
    shardId: string,
    req: FailRequest,
    scope?: AgentScope,
    traceparent?: string,
  ): Promise<RpcResult<AttemptOutcome>> {
    const held = this.held(shardId, req.lease_id, scope);
    if (!held.ok) return held;
    const now = Date.now();
    const outcome = this.shards.retryOrFail(held.value, req.reason, req.retryable, now);
    await this.settle(traceparent);
    const provider = this.job.current().spec.provider;
    await recordMetrics(this.env, shardAttemptDeltas(provider, 'failed', held.value.leased_at, now));
    return ok(outcome);
  }

  /** The queue consumer wrote these parts; the job finishes once every stored chunk is written. */
  async recordPersisted(parts: PersistedPart[], traceparent?: string): Promise<void> {
    this.chunks.recordPersisted(parts);
    await this.settle(traceparent);
  }

  /** The job's share of the queue backlogs /metrics reports: shards waiting or leased, analysis parts out. */
  async backlog(): Promise<{
    provider: string;
    shards_pending: number;
    shards_leased: number;
    parts_outstanding: number;
  }> {
    const job = this.job.read();
    const counts = this.shards.counts();
    return {
      provider: job?.spec.provider ?? 'unknown',
      shards_pending: counts.shards_pending,
      shards_leased: counts.shards_leased,
      parts_outstanding: job?.status === 'analyzing' ? this.parts.outstanding() : 0,
    };
  }

  // ---- timers --------------------------------------------------------------------------

  /**
   * Expires overdue leases, fails shards no agent comes for, discovers again the shards whose
   * chunks were never written, and sends the analyze messages of a finished discovery — again
   * when no result came back in time. A shard out of attempts with a chunk never written, or an
   * analysis that never comes back, ends the job, so no job waits forever.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    this.leases.expire(now);
    const job = this.job.read();
    if (job && DISCOVERING.includes(job.status)) {
      this.unclaimed.failOverdue(job.spec.provider, now);
      const lost = this.retryLostChunks(now);
      if (lost) return this.end('failed', lost);
    }
    await this.settle();
    if (this.job.read()?.status === 'analyzing') await this.sendAnalyses(now);
    await this.scheduleAlarm();
  }

  /** Sends the analyze messages due, or fails the job once a part was sent too often in vain. */
  private async sendAnalyses(now: number): Promise<void> {
    const givenUp = this.parts.givenUp(now);
    if (givenUp !== undefined) {
      return this.end('failed', `the analysis of account ${givenUp} got no result after ${MAX_ANALYSIS_SENDS} sends`);
    }
    const jobId = this.job.current().spec.job_id;
    const due = this.parts.due(now);
    const traceparent = await this.ctx.storage.get<string>(ANALYSIS_TRACEPARENT);
    const messages = due.map(
      ({ id, account }): AnalyzeMessage => ({
        kind: 'analyze',
        job_id: jobId,
        account,
        part: id,
        ...(traceparent ? { traceparent } : {}),
      }),
    );
    for (const batch of batchMessages(messages)) {
      await this.env.RESULTS_QUEUE.sendBatch(batch.map((body) => ({ body, contentType: 'json' as const })));
    }
    this.parts.markSent(
      due.map((p) => p.id),
      now,
    );
  }

  // ---- internals -----------------------------------------------------------------------

  /**
   * Gives each shard with a chunk accepted but not written in time a new attempt: an agent
   * discovers the shard again, and the job's sightings take its resources whichever attempt
   * wrote them. Returns the reason to fail the job with when such a shard has no attempt left.
   */
  private retryLostChunks(now: number): string | undefined {
    // Each pass moves one shard back to pending, which takes its chunks out of the overdue ones.
    for (let stuck = this.chunks.overdue(now); stuck; stuck = this.chunks.overdue(now)) {
      const shard = this.shards.get(stuck.shard_id)!;
      const reason = unwrittenChunkReason(stuck, this.chunks.timeoutMs);
      if (!this.shards.hasAttemptsLeft(shard)) return reason;
      this.shards.retryOrFail(shard, reason, true, now);
    }
    return undefined;
  }

  private addShard(account: string, work: WorkItem[], parent: string | null): string {
    return this.shards.insert(
      this.job.current().spec.job_id,
      this.job.takeShardSeqs(),
      account,
      work,
      parent,
      Date.now(),
    );
  }

  /**
   * The shard, if the caller's scope covers it, the job still runs and `leaseId` is the
   * shard's live lease; else why not.
   */
  private held(shardId: string, leaseId: string, scope?: AgentScope): RpcResult<Shard> {
    const job = this.job.read();
    const shard = this.shards.get(shardId);
    if (!job || !shard) return refuse(404, ErrorCode.notFound, `shard ${shardId} not found`);
    const outOfScope = scopeRefusal(scope, job.spec.provider, shard.account);
    if (outOfScope) return outOfScope;
    if (job.status === 'cancelled' || job.status === 'failed') {
      return refuse(409, ErrorCode.jobFinished, `the job is ${job.status}: ${job.error ?? 'no reason given'}`);
    }
    return this.leases.check(shard, leaseId, Date.now());
  }

  /** Ends an unfinished job: its open shards are cancelled, and their leases with them. */
  private async end(status: 'failed' | 'cancelled', reason: string): Promise<void> {
    const { spec, created_at } = this.job.current();
    const now = Date.now();
    this.shards.cancelOpen();
    this.job.setStatus(status, now, reason);
    await this.scheduleAlarm();
    await this.syncIndex();
    await recordMetrics(this.env, jobEndDeltas(spec.provider, status, created_at, now));
  }

  /**
   * Moves the job on once no shard is open: to `failed` if every shard failed, else to
   * `analyzing` once the consumer has written every chunk the successful attempts sent. The
   * trace of the call that finished discovery is the one the analyze messages carry on.
   */
  private async settle(traceparent?: string): Promise<void> {
    const job = this.job.read();
    let ended: SeriesDelta[] = [];
    if (job && !FINISHED.includes(job.status) && job.status !== 'analyzing') {
      this.job.touch(Date.now());
      const counts = this.shards.counts();
      if (counts.shards_pending + counts.shards_leased === 0 && this.chunks.unwritten() === 0) {
        const now = Date.now();
        if (counts.shards_succeeded === 0) {
          this.job.setStatus('failed', now, `every shard failed; last error: ${this.shards.lastError() ?? 'unknown'}`);
          ended = jobEndDeltas(job.spec.provider, 'failed', job.created_at, now);
        } else {
          this.parts.plan(job.spec.accounts);
          this.job.setStatus('analyzing', now, null);
          await this.traceAnalysis(job.spec.job_id, traceparent);
        }
      }
    }
    await this.scheduleAlarm();
    await this.syncIndex();
    await recordMetrics(this.env, ended);
  }

  /**
   * Keeps a span of the trace that finished discovery (a new trace when the call carried none)
   * for the analyze messages, and logs the hand-over under it.
   */
  private async traceAnalysis(jobId: string, traceparent: string | undefined): Promise<void> {
    const span = childSpan(parseTraceparent(traceparent));
    await this.ctx.storage.put(ANALYSIS_TRACEPARENT, formatTraceparent(span));
    console.log(
      JSON.stringify({ level: 'info', msg: 'discovery finished; analysing', job_id: jobId, trace_id: span.traceId }),
    );
  }

  /** Sets the one alarm to the earliest time any capability needs the object awake. */
  private async scheduleAlarm(): Promise<void> {
    // Every step that changes the job ends here, so this is where open event streams look again.
    this.events.changed();
    // Waits for agents and chunks only matter while discovering, analysis parts only while
    // analysing: a job that ended leaves them unanswered.
    const status = this.job.read()?.status;
    const sources: WakeSource[] = [
      this.leases,
      this.shards,
      ...(status && DISCOVERING.includes(status) ? [this.unclaimed, this.chunks] : []),
      ...(status === 'analyzing' ? [this.parts] : []),
    ];
    const at = earliestWake(sources, Date.now());
    if (at !== null) await this.ctx.storage.setAlarm(at);
    else await this.ctx.storage.deleteAlarm();
  }

  /** The job with the first page of its shards. */
  private detailOf(job: Job): JobDetail {
    return jobDetail(job, this.shards.counts(), this.shards.page(null, JOB_SHARDS_PAGE.default)!);
  }
}

/** Storage key of the traceparent the job's analyze messages carry. */
const ANALYSIS_TRACEPARENT = 'analysis_traceparent';

function unwrittenChunkReason(c: ChunkRef, timeoutMs: number): string {
  const seconds = timeoutMs / 1000;
  const within = seconds % 60 === 0 ? `${seconds / 60} minutes` : `${seconds} seconds`;
  return `chunk ${c.sequence} of shard ${c.shard_id} (attempt ${c.attempt}) was accepted but not written within ${within}`;
}
