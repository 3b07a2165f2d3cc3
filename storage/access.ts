import type { AuditEntry } from '../contract/audit.js';
import type { Tenant } from '../contract/tenants.js';
import type { TokenInfo } from '../contract/tokens.js';

/**
 * Who may call the API and what they did: API tokens (kept as a hash of the token, never the
 * token) and the audit log of mutating calls. Their rows are in access-rows.ts.
 */

/** A token as stored: its metadata and the SHA-256 (hex) of the whole token string. */
export interface StoredToken extends TokenInfo {
  secret_hash: string;
}

/** Tokens in id order (the order they were made), after the last id of the previous page. */
export interface TokenListQuery {
  limit: number;
  after?: string;
  /** Only this tenant's tokens (a null tenant_id is the default tenant's); every tenant's when unset. */
  tenant?: string;
}

/** Audit entries newest first, before the last id of the previous page. */
export interface AuditQuery {
  limit: number;
  before?: string;
  /**
   * Only the entries of this tenant's tokens (a null tenant_id is the default tenant's); every
   * entry when unset. The bootstrap token is no tenant's: its entries come only unset.
   */
  tenant?: string;
}

/** The Store's part that keeps tenants, tokens and the audit log. */
export interface AccessStore {
  /** Adds a tenant; false when another tenant has its name already. */
  createTenant(tenant: Tenant): Promise<boolean>;
  /** Every tenant made (not the built-in default), oldest first. */
  listTenants(): Promise<Tenant[]>;
  /** Whether a tenant of this id was made. */
  tenantExists(tenantId: string): Promise<boolean>;
  createToken(token: StoredToken): Promise<void>;
  /** The token with this id, revoked or expired ones included (the caller judges them); null when none. */
  getToken(tokenId: string): Promise<StoredToken | null>;
  listTokens(query: TokenListQuery): Promise<TokenInfo[]>;
  /**
   * Revokes a token from `at` on (a token revoked before keeps its time); false when there is no
   * such token, or (with `tenant`) when it is another tenant's.
   */
  revokeToken(tokenId: string, at: string, tenant?: string): Promise<boolean>;
  recordAudit(entry: AuditEntry): Promise<void>;
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
}
