import type { AuditEntry } from '../contract/audit.js';
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
