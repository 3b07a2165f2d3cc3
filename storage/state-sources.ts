import type { Provider } from '../contract/resource.js';
import type { StateSourceType } from '../contract/state-locations.js';
import type { StateReadSummary } from '../contract/state-sources.js';

/**
 * State sources and the reads of them agents lease: one row per source holds its registration,
 * when its next read is due, the lease of the read in progress and how the last read ended.
 * The queries both stores share are in state-source-rows.ts.
 */

export interface NewStateSource {
  source_id: string;
  /** The tenant whose agents read it and whose states its reads store. */
  tenant_id: string;
  type: StateSourceType;
  location: string;
  provider: Provider;
  account: string;
  schedule: string | null;
  replace_other_lineage: boolean;
  created_at: string;
  next_read_at: string | null;
}

export interface StoredStateSource extends NewStateSource {
  lease_id: string | null;
  lease_expires_at: string | null;
  agent_id: string | null;
  /** Leases taken of the read in progress (0 between reads). */
  attempts: number;
  last_read: StateReadSummary | null;
}

/** A read handed to an agent: who, under which lease id, until when. */
export interface StateReadClaim {
  provider: Provider;
  account: string;
  /** Only this tenant's sources: an agent reads for its own tenant. */
  tenant: string;
  agent_id: string;
  lease_id: string;
  now: string;
  expires_at: string;
}

/** How a held read ends: when the next one is due, and what to remember of this one. */
export interface StateReadEnd {
  next_read_at: string | null;
  /** A read that ended (done, or failed for good) starts the next with fresh attempts; a retried one keeps them. */
  reset_attempts: boolean;
  /** Left as it was when absent (a read that will be retried). */
  last_read?: StateReadSummary;
}

/** The Store's part that keeps state sources and the leases of their reads. */
export interface StateSourceStore {
  createStateSource(source: NewStateSource): Promise<void>;
  /** A tenant's sources, oldest first. */
  listStateSources(tenant: string): Promise<StoredStateSource[]>;
  /** The source of this id; null when none, or (with `tenant`) when it is another tenant's. */
  getStateSource(sourceId: string, tenant?: string): Promise<StoredStateSource | null>;
  /** False when there was none. */
  deleteStateSource(sourceId: string): Promise<boolean>;
  /** When a read of a tenant's sources of the account next falls due: the earliest due time, or a held read's lease expiry. */
  nextStateReadAt(provider: Provider, account: string, tenant: string): Promise<string | null>;
  /**
   * Takes the most overdue read of the account that no live lease holds (an expired lease is
   * taken over), counting an attempt; null when none is due. One statement, so two agents never
   * get the same read.
   */
  leaseStateRead(claim: StateReadClaim): Promise<StoredStateSource | null>;
  /** Moves the lease's expiry; false when `leaseId` no longer holds the read. */
  extendStateRead(sourceId: string, leaseId: string, expiresAt: string): Promise<boolean>;
  /** Ends the read `leaseId` holds and releases it; false when that lease no longer holds it. */
  finishStateRead(sourceId: string, leaseId: string, end: StateReadEnd): Promise<boolean>;
  /** Makes a read due at `at` unless one is due sooner; false when there is no such source. */
  requestStateRead(sourceId: string, at: string): Promise<boolean>;
}
