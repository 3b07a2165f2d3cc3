import { DurableObject } from 'cloudflare:workers';
import type { Lease, LeaseRequest } from '../contract/agent-protocol.js';
import type { StateLeaseRequest } from '../contract/state-sources.js';
import { storeFor } from '../storage/index.js';
import type { StoredStateSource } from '../storage/state-sources.js';
import { StateReadQueue, stateReadSettings } from './state-reads.js';
import { jobCoordinator } from './stubs.js';

/** How often a waiting lease call looks for work again. */
const POLL_MS = 1000;
/** How long the list of active jobs read from D1 is reused across waiting agents. */
const JOB_LIST_TTL_MS = 1000;

/**
 * One object per (provider, account): the meeting point of that account's agents and the
 * jobs that have work for it. A lease call waits here (long-poll) instead of in the
 * Worker, so however many agents of an account wait, the job index is read once a second.
 */
export class AgentDispatcher extends DurableObject<Env> {
  private jobList: { at: number; ids: string[] } | null = null;
  /** Jobs that told us they will never have work for this account again. */
  private readonly exhausted = new Set<string>();
  private readonly stateReads = new StateReadQueue(() => storeFor(this.env), stateReadSettings(this.env));

  /** `tenant` is the one this object was named for (stubs.ts): only its jobs are served. */
  async lease(req: LeaseRequest, tenant: string): Promise<Lease | null> {
    const deadline = Date.now() + req.wait_seconds * 1000;
    for (;;) {
      for (const jobId of await this.activeJobs(req, tenant)) {
        const outcome = await jobCoordinator(this.env, jobId).leaseShard(req);
        if (outcome.kind === 'leased') return outcome.lease;
        if (outcome.kind === 'exhausted') this.exhausted.add(jobId);
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, left)));
    }
  }

  /**
   * Long-polls for a read of one of this account's state sources, leased under `leaseId`. Waits
   * here for the same reason shard leases do: storage is asked only when a read may be due.
   */
  async leaseStateRead(req: StateLeaseRequest, leaseId: string, tenant: string): Promise<StoredStateSource | null> {
    const deadline = Date.now() + req.wait_seconds * 1000;
    for (;;) {
      const read = await this.stateReads.take(req.provider, req.account, tenant, req.agent_id, leaseId);
      if (read) return read;
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, left)));
    }
  }

  /** The account's state sources changed (added, deleted, a read requested or ended): look again. */
  async stateSourcesChanged(): Promise<void> {
    this.stateReads.changed();
  }

  /** The tenant's running jobs that cover this account, oldest first, from the D1 job index. */
  private async activeJobs(req: LeaseRequest, tenant: string): Promise<string[]> {
    const now = Date.now();
    if (!this.jobList || now - this.jobList.at > JOB_LIST_TTL_MS) {
      const ids = await storeFor(this.env).openJobsForAccount(req.provider, req.account, tenant);
      // Jobs that left the index need no remembering.
      for (const id of this.exhausted) if (!ids.includes(id)) this.exhausted.delete(id);
      this.jobList = { at: now, ids };
    }
    return this.jobList.ids.filter((id) => !this.exhausted.has(id));
  }
}
