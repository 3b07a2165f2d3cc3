import { DurableObject } from 'cloudflare:workers';
import type { Lease, LeaseRequest } from '../contract/agent-protocol.js';
import { storeFor } from '../storage/index.js';
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

  async lease(req: LeaseRequest): Promise<Lease | null> {
    const deadline = Date.now() + req.wait_seconds * 1000;
    for (;;) {
      for (const jobId of await this.activeJobs(req)) {
        const outcome = await jobCoordinator(this.env, jobId).leaseShard(req);
        if (outcome.kind === 'leased') return outcome.lease;
        if (outcome.kind === 'exhausted') this.exhausted.add(jobId);
      }
      const left = deadline - Date.now();
      if (left <= 0) return null;
      await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, left)));
    }
  }

  /** Running jobs that cover this account, oldest first, from the D1 job index. */
  private async activeJobs(req: LeaseRequest): Promise<string[]> {
    const now = Date.now();
    if (!this.jobList || now - this.jobList.at > JOB_LIST_TTL_MS) {
      const ids = await storeFor(this.env).openJobsForAccount(req.provider, req.account);
      // Jobs that left the index need no remembering.
      for (const id of this.exhausted) if (!ids.includes(id)) this.exhausted.delete(id);
      this.jobList = { at: now, ids };
    }
    return this.jobList.ids.filter((id) => !this.exhausted.has(id));
  }
}
