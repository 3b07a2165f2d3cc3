import { gt, lt } from 'drizzle-orm';
import type { AuditEntry } from '../contract/audit.js';
import type { TokenInfo } from '../contract/tokens.js';
import { columnsAs, type EitherTable, type InsertOf, ifSet } from './queries.js';

/**
 * Who may call the API and what they did: API tokens (kept as a hash of the token, never the
 * token) and the audit log of mutating calls, as both stores read and write them.
 */

/** A token as stored: its metadata and the SHA-256 (hex) of the whole token string. */
export interface StoredToken extends TokenInfo {
  secret_hash: string;
}

/** Tokens in id order (the order they were made), after the last id of the previous page. */
export interface TokenListQuery {
  limit: number;
  after?: string;
}

/** Audit entries newest first, before the last id of the previous page. */
export interface AuditQuery {
  limit: number;
  before?: string;
}

/** The Store's part that keeps tokens and the audit log. */
export interface AccessStore {
  createToken(token: StoredToken): Promise<void>;
  /** The token with this id, revoked or expired ones included (the caller judges them); null when none. */
  getToken(tokenId: string): Promise<StoredToken | null>;
  listTokens(query: TokenListQuery): Promise<TokenInfo[]>;
  /** Revokes a token from `at` on (a token revoked before keeps its time); false when there is no such token. */
  revokeToken(tokenId: string, at: string): Promise<boolean>;
  recordAudit(entry: AuditEntry): Promise<void>;
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
}

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
  return ifSet(q.after, (after) => gt(t.tokenId, after));
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

export function auditPageWhere(t: EitherTable<'auditLog'>, q: AuditQuery) {
  return ifSet(q.before, (before) => lt(t.auditId, before));
}
