import { and, eq, gt, lt, type SQL, sql } from 'drizzle-orm';
import type { AuditEntry } from '../contract/audit.js';
import { DEFAULT_TENANT } from '../contract/tenants.js';
import type { AuditQuery, StoredToken, TokenListQuery } from './access.js';
import { columnsAs, type EitherTable, type InsertOf, ifSet } from './queries.js';

/** Token and audit rows as both stores read and write them. */

const TOKEN_INFO_COLUMNS = {
  id: 'tokenId',
  role: 'role',
  tenant_id: 'tenantId',
  provider: 'provider',
  accounts: 'accounts',
  require_proof: 'requireProof',
  description: 'description',
  created_by: 'createdBy',
  created_at: 'createdAt',
  expires_at: 'expiresAt',
  revoked_at: 'revokedAt',
} as const;

export function tokenInfoColumns<T extends EitherTable<'apiTokens'>>(t: T) {
  return columnsAs(t, TOKEN_INFO_COLUMNS);
}

export function storedTokenColumns<T extends EitherTable<'apiTokens'>>(t: T) {
  return columnsAs(t, { ...TOKEN_INFO_COLUMNS, secret_hash: 'secretHash' });
}

export function tokenRow(t: StoredToken): InsertOf<'apiTokens'> {
  return {
    tokenId: t.id,
    secretHash: t.secret_hash,
    role: t.role,
    tenantId: t.tenant_id,
    provider: t.provider,
    accounts: t.accounts,
    requireProof: t.require_proof,
    description: t.description,
    createdBy: t.created_by,
    createdAt: t.created_at,
    expiresAt: t.expires_at,
    revokedAt: t.revoked_at,
  };
}

export function tokenPageWhere(t: EitherTable<'apiTokens'>, q: TokenListQuery) {
  return and(
    ifSet(q.after, (after) => gt(t.tokenId, after)),
    ifSet(q.tenant, (tenant) => tokenTenantIs(t, tenant)),
  );
}

/** A token of this tenant: tokens made without a tenant (null) are the default tenant's. */
export function tokenTenantIs(t: EitherTable<'apiTokens'>, tenant: string): SQL {
  return sql`coalesce(${t.tenantId}, ${DEFAULT_TENANT}) = ${tenant}`;
}

/** The token of this id, of this tenant when one is given. */
export function tokenOfTenantWhere(t: EitherTable<'apiTokens'>, tokenId: string, tenant: string | undefined) {
  return and(
    eq(t.tokenId, tokenId),
    ifSet(tenant, (x) => tokenTenantIs(t, x)),
  );
}

export function tenantColumns<T extends EitherTable<'tenants'>>(t: T) {
  return columnsAs(t, { tenant_id: 'tenantId', name: 'name', created_at: 'createdAt' });
}

export function auditColumns<T extends EitherTable<'auditLog'>>(t: T) {
  return columnsAs(t, {
    id: 'auditId',
    at: 'at',
    actor: 'actor',
    method: 'method',
    route: 'route',
    target: 'target',
    status: 'status',
  });
}

export function auditRow(e: AuditEntry): InsertOf<'auditLog'> {
  return {
    auditId: e.id,
    at: e.at,
    actor: e.actor,
    method: e.method,
    route: e.route,
    target: e.target,
    status: e.status,
  };
}

export function auditPageWhere(t: EitherTable<'auditLog'>, tokens: EitherTable<'apiTokens'>, q: AuditQuery) {
  const ofTenant = (tenant: string) =>
    sql`${t.actor} IN (SELECT ${tokens.tokenId} FROM ${tokens} WHERE ${tokenTenantIs(tokens, tenant)})`;
  return and(
    ifSet(q.before, (before) => lt(t.auditId, before)),
    ifSet(q.tenant, ofTenant),
  );
}
