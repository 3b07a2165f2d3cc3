import { and, asc, desc, eq, isNull } from 'drizzle-orm';
import type { AuditEntry } from '../../contract/audit.js';
import type { Tenant } from '../../contract/tenants.js';
import type { TokenInfo } from '../../contract/tokens.js';
import { apiTokens, auditLog, tenants } from '../../schema/d1.js';
import type { AuditQuery, StoredToken, TokenListQuery } from '../access.js';
import {
  auditColumns,
  auditPageWhere,
  auditRow,
  storedTokenColumns,
  tenantColumns,
  tokenInfoColumns,
  tokenOfTenantWhere,
  tokenPageWhere,
  tokenRow,
} from '../access-rows.js';
import type { D1Db } from './batching.js';

/** Inserts unless the name is taken; the insert answers the rows it wrote. */
export async function createTenant(db: D1Db, tenant: Tenant): Promise<boolean> {
  const written = await db
    .insert(tenants)
    .values({ tenantId: tenant.tenant_id, name: tenant.name, createdAt: tenant.created_at })
    .onConflictDoNothing()
    .returning({ id: tenants.tenantId });
  return written.length > 0;
}

export async function listTenants(db: D1Db): Promise<Tenant[]> {
  return db.select(tenantColumns(tenants)).from(tenants).orderBy(asc(tenants.createdAt), asc(tenants.tenantId));
}

export async function tenantExists(db: D1Db, tenantId: string): Promise<boolean> {
  const found = await db.select({ id: tenants.tenantId }).from(tenants).where(eq(tenants.tenantId, tenantId)).limit(1);
  return found.length > 0;
}

export async function createToken(db: D1Db, token: StoredToken): Promise<void> {
  await db.insert(apiTokens).values(tokenRow(token));
}

export async function getToken(db: D1Db, tokenId: string): Promise<StoredToken | null> {
  const row = await db
    .select(storedTokenColumns(apiTokens))
    .from(apiTokens)
    .where(eq(apiTokens.tokenId, tokenId))
    .get();
  return row ?? null;
}

export async function listTokens(db: D1Db, q: TokenListQuery): Promise<TokenInfo[]> {
  return db
    .select(tokenInfoColumns(apiTokens))
    .from(apiTokens)
    .where(tokenPageWhere(apiTokens, q))
    .orderBy(asc(apiTokens.tokenId))
    .limit(q.limit);
}

/** Sets revoked_at where it is unset, then tells whether the token exists, in one atomic batch. */
export async function revokeToken(db: D1Db, tokenId: string, at: string, tenant?: string): Promise<boolean> {
  const own = tokenOfTenantWhere(apiTokens, tokenId, tenant);
  const [, found] = await db.batch([
    db
      .update(apiTokens)
      .set({ revokedAt: at })
      .where(and(own, isNull(apiTokens.revokedAt))),
    db.select({ id: apiTokens.tokenId }).from(apiTokens).where(own),
  ]);
  return found.length > 0;
}

export async function recordAudit(db: D1Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditLog).values(auditRow(entry));
}

export async function listAudit(db: D1Db, q: AuditQuery): Promise<AuditEntry[]> {
  return db
    .select(auditColumns(auditLog))
    .from(auditLog)
    .where(auditPageWhere(auditLog, apiTokens, q))
    .orderBy(desc(auditLog.auditId))
    .limit(q.limit);
}
