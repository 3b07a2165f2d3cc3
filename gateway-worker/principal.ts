import { DEFAULT_TENANT } from '../contract/tenants.js';
import { BOOTSTRAP_ACTOR, type Role } from '../contract/tokens.js';
import type { AgentScope } from '../orchestrator-do/agent-scope.js';
import type { StoredToken } from '../storage/access.js';

/** Who is calling: the actor the audit log names, their role, and for agents what they may serve. */
export interface Principal {
  /** A token id, or `bootstrap` for DRIFTMGR_ADMIN_TOKEN. */
  actor: string;
  role: Role;
  /** Agent tokens only: the one provider and the accounts the agent may serve. */
  scope: AgentScope | null;
  /** Agent tokens only: every lease must prove the account it is for. */
  requireProof: boolean;
  /** The tenant the token belongs to; null (the bootstrap token, tokens made before tenants) is the default tenant. */
  tenantId: string | null;
}

/** The bootstrap secret acts as an admin. */
export const BOOTSTRAP: Principal = {
  actor: BOOTSTRAP_ACTOR,
  role: 'admin',
  scope: null,
  requireProof: false,
  tenantId: null,
};

export function principalOfToken(token: StoredToken): Principal {
  const scope =
    token.role === 'agent' && token.provider && token.accounts
      ? { provider: token.provider, accounts: token.accounts }
      : null;
  return { actor: token.id, role: token.role, scope, requireProof: token.require_proof, tenantId: token.tenant_id };
}

/** The tenant a caller acts in: its token's, or the default tenant. */
export function tenantOf(principal: Principal): string {
  return principal.tenantId ?? DEFAULT_TENANT;
}
