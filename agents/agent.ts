import { setTimeout as sleep } from 'node:timers/promises';
import type { z } from 'zod';
import type { Lease, LeaseRequest } from '../contract/agent-protocol.js';
import { GatewayError } from './gateway-client.js';
import { errorMessage, type Logger, silentLogger } from './log.js';
import { metrics } from './metrics.js';
import type { DiscoveryProvider } from './providers/types.js';
import { runShard, type ShardRunnerOptions } from './shard-runner.js';
import { type AgentGateway, type AgentTracer, noTracing, tracedGateway } from './tracing.js';

export type { AgentGateway } from './tracing.js';

export interface AgentOptions {
  gateway: AgentGateway;
  provider: DiscoveryProvider;
  agentId: string;
  account: string;
  regions?: string[];
  resourceTypes?: string[];
  /** Shards run at once, each in its own lease loop. */
  concurrency?: number;
  /** How long one lease call may wait at the gateway for work. */
  waitSeconds?: number;
  /** On shutdown, how long running shards may finish before they are handed back. */
  graceMs?: number;
  /** Stop once a lease call finds no work while no shard is running. */
  once?: boolean;
  /** Backoff between lease calls after the gateway failed (on top of the client's retries). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  chunking?: Pick<ShardRunnerOptions, 'maxChunkResources' | 'maxChunkBytes'>;
  /** Spans of lease calls, shards and results chunks (none by default). */
  tracer?: AgentTracer;
  log?: Logger;
}

export interface AgentHealth {
  status: 'running' | 'draining' | 'stopped';
  shards_running: number;
  agent_id: string;
}

const DEFAULTS = {
  concurrency: 4,
  waitSeconds: 20,
  graceMs: 20_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
};

/**
 * The long-running agent: `concurrency` lease loops, each leasing a shard (long-poll) and
 * running it to the end. shutdown() stops leasing, gives running shards a grace period to
 * finish, then aborts them, which hands them back to the control plane.
 */
export class DiscoveryAgent {
  private readonly opts: AgentOptions & typeof DEFAULTS;
  private readonly log: Logger;
  private readonly gateway: AgentGateway;
  private readonly tracer: AgentTracer;
  /** Aborted to stop leasing (shutdown, --once idle, or a fatal gateway answer). */
  private readonly leasing = new AbortController();
  /** Aborted when running shards must stop and be handed back. */
  private readonly shards = new AbortController();
  private running = 0;
  private stopped = false;
  private graceTimer?: NodeJS.Timeout;
  private fatal?: Error;

  constructor(opts: AgentOptions) {
    this.opts = {
      ...opts,
      concurrency: opts.concurrency ?? DEFAULTS.concurrency,
      waitSeconds: opts.waitSeconds ?? DEFAULTS.waitSeconds,
      graceMs: opts.graceMs ?? DEFAULTS.graceMs,
      backoffBaseMs: opts.backoffBaseMs ?? DEFAULTS.backoffBaseMs,
      backoffMaxMs: opts.backoffMaxMs ?? DEFAULTS.backoffMaxMs,
    };
    this.log = (opts.log ?? silentLogger).child({ agent_id: opts.agentId });
    this.tracer = opts.tracer ?? noTracing;
    this.gateway = opts.tracer ? tracedGateway(opts.gateway, opts.tracer) : opts.gateway;
  }

  /** Runs until shut down (or idle with `once`); rejects when the gateway refuses the agent itself. */
  async run(): Promise<void> {
    this.log.info('agent started', {
      provider: this.opts.provider.name,
      account: this.opts.account,
      regions: this.opts.regions,
      resource_types: this.opts.resourceTypes,
      concurrency: this.opts.concurrency,
    });
    const loops = Array.from({ length: this.opts.concurrency }, (_, slot) => this.leaseLoop(slot));
    await Promise.all(loops);
    clearTimeout(this.graceTimer);
    this.stopped = true;
    this.log.info('agent stopped');
    if (this.fatal) throw this.fatal;
  }

  /**
   * Stops leasing and lets running shards finish within the grace period, then hands them
   * back. A second call (a second Ctrl-C) hands them back at once.
   */
  shutdown(): void {
    if (this.leasing.signal.aborted) {
      this.abortShards('shutdown requested again');
      return;
    }
    this.log.info('shutting down', { shards_running: this.running, grace_ms: this.opts.graceMs });
    this.leasing.abort();
    this.graceTimer = setTimeout(() => this.abortShards('grace period over'), this.opts.graceMs);
  }

  health(): AgentHealth {
    const status = this.stopped ? 'stopped' : this.leasing.signal.aborted ? 'draining' : 'running';
    return { status, shards_running: this.running, agent_id: this.opts.agentId };
  }

  private abortShards(why: string): void {
    if (this.shards.signal.aborted) return;
    if (this.running > 0) this.log.warn('handing running shards back', { why, shards_running: this.running });
    this.shards.abort();
  }

  private async leaseLoop(slot: number): Promise<void> {
    const signal = this.leasing.signal;
    let failures = 0;
    while (!signal.aborted) {
      let lease: Lease | null;
      try {
        lease = await this.gateway.lease(this.leaseRequest(), signal);
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        metrics.leases.inc({ result: 'error' });
        if (isAgentRefused(err)) return this.stopOnFatal(err as GatewayError);
        failures += 1;
        const delayMs = backoffDelay(failures, this.opts.backoffBaseMs, this.opts.backoffMaxMs);
        this.log.warn('lease failed; backing off', { slot, error: errorMessage(err), delay_ms: delayMs });
        await sleep(delayMs, undefined, { signal }).catch(() => undefined);
        continue;
      }
      if (!lease) {
        metrics.leases.inc({ result: 'empty' });
        if (this.opts.once && this.running === 0) this.stopLeasing('no work left (--once)');
        continue;
      }
      metrics.leases.inc({ result: 'leased' });
      await this.runLease(lease);
    }
  }

  private async runLease(lease: Lease): Promise<void> {
    this.running += 1;
    try {
      const attributes = {
        'driftmgr.shard_id': lease.shard_id,
        'driftmgr.job_id': lease.job_id,
        'driftmgr.attempt': lease.attempt,
      };
      const outcome = await this.tracer.inSpan('driftmgr.discover', attributes, () =>
        runShard(
          lease,
          { gateway: this.gateway, provider: this.opts.provider, log: this.log, ...this.opts.chunking },
          this.shards.signal,
        ),
      );
      this.log.info('shard finished', { shard_id: lease.shard_id, outcome });
    } catch (err) {
      // runShard settles every error it expects; anything else must not end the lease loop.
      this.log.error('shard runner crashed', { shard_id: lease.shard_id, error: errorMessage(err) });
    } finally {
      this.running -= 1;
    }
  }

  private leaseRequest(): z.input<typeof LeaseRequest> {
    return {
      agent_id: this.opts.agentId,
      provider: this.opts.provider.name,
      account: this.opts.account,
      regions: this.opts.regions,
      resource_types: this.opts.resourceTypes,
      wait_seconds: this.opts.waitSeconds,
    };
  }

  private stopLeasing(why: string): void {
    if (this.leasing.signal.aborted) return;
    this.log.info('leasing stopped', { why });
    this.leasing.abort();
  }

  private stopOnFatal(err: GatewayError): void {
    this.log.error('gateway refused this agent; stopping', { error: err.message });
    this.fatal ??= err;
    this.stopLeasing('gateway refused the agent');
  }
}

/**
 * A 4xx on lease is about the agent itself (bad token, bad account or regions): the same
 * request will be refused forever, so the agent stops and says why.
 */
function isAgentRefused(err: unknown): boolean {
  return err instanceof GatewayError && !err.retryable;
}

/** Exponential backoff with equal jitter: at least half the step, so a down gateway is not hammered. */
function backoffDelay(failures: number, baseMs: number, maxMs: number): number {
  const step = Math.min(maxMs, baseMs * 2 ** (failures - 1));
  return step / 2 + Math.random() * (step / 2);
}
