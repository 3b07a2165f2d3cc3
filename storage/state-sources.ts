import { and, asc, eq, inArray, isNotNull, isNull, lte, or, type SQLWrapper, sql } from 'drizzle-orm';
import type { Provider } from '../contract/resource.js';
import type { StateSourceType } from '../contract/state-locations.js';
import type { StateReadSummary } from '../contract/state-sources.js';
import { columnsAs, type EitherTable, type InsertOf } from './queries.js';

/**
 * State sources and the reads of them agents lease, as both stores keep them: one row per
 * source holds its registration, when its next read is due, the lease of the read in
 * progress and how the last read ended.
 */

export interface NewStateSource {
  source_id: string;
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
  /** Every source, oldest first. */
  listStateSources(): Promise<StoredStateSource[]>;
  getStateSource(sourceId: string): Promise<StoredStateSource | null>;
  /** False when there was none. */
  deleteStateSource(sourceId: string): Promise<boolean>;
  /** When a read of the account's sources next falls due: the earliest due time, or a held read's lease expiry. */
  nextStateReadAt(provider: Provider, account: string): Promise<string | null>;
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

export function stateSourceColumns<T extends EitherTable<'stateSources'>>(t: T) {
  return columnsAs(t, {
    source_id: 'sourceId',
    type: 'type',
    location: 'location',
    provider: 'provider',
    account: 'account',
    schedule: 'schedule',
    replace_other_lineage: 'replaceOtherLineage',
    created_at: 'createdAt',
    next_read_at: 'nextReadAt',
    lease_id: 'leaseId',
    lease_expires_at: 'leaseExpiresAt',
    agent_id: 'agentId',
    attempts: 'attempts',
    last_read: 'lastRead',
  });
}

export function stateSourceRow(s: NewStateSource): InsertOf<'stateSources'> {
  return {
    sourceId: s.source_id,
    type: s.type,
    location: s.location,
    provider: s.provider,
    account: s.account,
    schedule: s.schedule,
    replaceOtherLineage: s.replace_other_lineage,
    createdAt: s.created_at,
    nextReadAt: s.next_read_at,
  };
}

/** Reads of the account due at `now` that no live lease holds. */
export function leasableWhere(t: EitherTable<'stateSources'>, provider: Provider, account: string, now: string) {
  return and(
    eq(t.provider, provider),
    eq(t.account, account),
    lte(t.nextReadAt, now),
    or(isNull(t.leaseExpiresAt), lte(t.leaseExpiresAt, now)),
  );
}

/** The update that hands one leasable read (the most overdue) to the claim's agent. */
export function leaseUpdate<T extends EitherTable<'stateSources'>>(t: T, claim: StateReadClaim, pick: SQLWrapper) {
  return {
    set: {
      leaseId: claim.lease_id,
      leaseExpiresAt: claim.expires_at,
      agentId: claim.agent_id,
      attempts: sql`${t.attempts} + 1`,
    },
    where: and(inArray(t.sourceId, pick), leasableWhere(t, claim.provider, claim.account, claim.now)),
  };
}

/** The oldest due read's id, for leaseUpdate: the subquery is built by each dialect's own builder. */
export const leaseOrder = (t: EitherTable<'stateSources'>) => asc(t.nextReadAt);

/**
 * When the account's next read falls due: a held read counts from its lease's expiry, when it
 * may be taken over. Both dialects compare their own time type here.
 */
export function nextReadExpression(t: EitherTable<'stateSources'>) {
  return sql<
    string | null
  >`MIN(CASE WHEN ${t.leaseExpiresAt} IS NOT NULL AND ${t.leaseExpiresAt} > ${t.nextReadAt} THEN ${t.leaseExpiresAt} ELSE ${t.nextReadAt} END)`;
}

export function accountSourcesWhere(t: EitherTable<'stateSources'>, provider: Provider, account: string) {
  return and(eq(t.provider, provider), eq(t.account, account), isNotNull(t.nextReadAt));
}

export function heldWhere(t: EitherTable<'stateSources'>, sourceId: string, leaseId: string) {
  return and(eq(t.sourceId, sourceId), eq(t.leaseId, leaseId));
}

/** The columns a finished read sets: the lease released, the next due time, and what to remember. */
export function finishUpdate(end: StateReadEnd) {
  return {
    nextReadAt: end.next_read_at,
    leaseId: null,
    leaseExpiresAt: null,
    agentId: null,
    ...(end.reset_attempts ? { attempts: 0 } : {}),
    ...(end.last_read ? { lastRead: end.last_read } : {}),
  };
}

/** A requested read is due at `at`, or sooner if it already was. */
export function requestUpdate(t: EitherTable<'stateSources'>, at: string) {
  return sql`CASE WHEN ${t.nextReadAt} IS NOT NULL AND ${t.nextReadAt} < ${at} THEN ${t.nextReadAt} ELSE ${at} END`;
}
