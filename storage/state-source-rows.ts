import { and, asc, eq, inArray, isNotNull, isNull, lte, or, type SQLWrapper, sql } from 'drizzle-orm';
import type { Provider } from '../contract/resource.js';
import { columnsAs, type EitherTable, type InsertOf, ifSet } from './queries.js';
import type { NewStateSource, StateReadClaim, StateReadEnd } from './state-sources.js';

/** The rows and clauses of state sources, as both stores read and write them. */

export function stateSourceColumns<T extends EitherTable<'stateSources'>>(t: T) {
  return columnsAs(t, {
    source_id: 'sourceId',
    tenant_id: 'tenantId',
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
    tenantId: s.tenant_id,
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

/** Reads of a tenant's sources of the account due at `now` that no live lease holds. */
export function leasableWhere(
  t: EitherTable<'stateSources'>,
  claim: Pick<StateReadClaim, 'provider' | 'account' | 'tenant' | 'now'>,
) {
  const { provider, account, tenant, now } = claim;
  return and(
    eq(t.provider, provider),
    eq(t.account, account),
    eq(t.tenantId, tenant),
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
    where: and(inArray(t.sourceId, pick), leasableWhere(t, claim)),
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

export function accountSourcesWhere(
  t: EitherTable<'stateSources'>,
  provider: Provider,
  account: string,
  tenant: string,
) {
  return and(eq(t.provider, provider), eq(t.account, account), eq(t.tenantId, tenant), isNotNull(t.nextReadAt));
}

/** The source of this id, of this tenant when one is given. */
export function sourceOfTenantWhere(t: EitherTable<'stateSources'>, sourceId: string, tenant: string | undefined) {
  return and(
    eq(t.sourceId, sourceId),
    ifSet(tenant, (x) => eq(t.tenantId, x)),
  );
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
