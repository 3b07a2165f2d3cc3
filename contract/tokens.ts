import { z } from 'zod';
import { Provider } from './resource.js';
import { TenantId } from './tenants.js';

/**
 * Who a bearer token speaks for. `admin` may do everything, tokens included; `operator` runs
 * scans, imports, schedules and ignore rules and reads everything; `reader` only reads; `agent`
 * speaks the agent protocol alone, for one provider and a list of accounts.
 */
export const Role = z.enum(['admin', 'operator', 'reader', 'agent']);
export type Role = z.infer<typeof Role>;

/** What an account id looks like at each cloud: 12 digits, a subscription GUID, a project id. */
export const ACCOUNT_ID_FORMATS: Record<Provider, { pattern: RegExp; what: string }> = {
  aws: { pattern: /^\d{12}$/, what: 'a 12-digit AWS account id' },
  azure: {
    pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    what: 'an Azure subscription id (a lower-case GUID)',
  },
  gcp: { pattern: /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, what: 'a GCP project id' },
};

/** Providers whose agents can prove the account they serve (README: Azure and GCP could follow). */
export const PROVABLE_PROVIDERS: readonly Provider[] = ['aws'];

/** Longest a token may be made to live: five years. */
export const MAX_TOKEN_LIFETIME_SECONDS = 5 * 365 * 24 * 3600;

export const TokenCreateRequest = z
  .object({
    role: Role,
    /** The tenant the token acts in; without it, the caller's own (the default tenant for the bootstrap token). */
    tenant_id: TenantId.optional(),
    /** Agent tokens only: the cloud and the accounts the agent may serve. */
    provider: Provider.optional(),
    accounts: z.array(z.string()).min(1).max(1000).optional(),
    /** Agent tokens only: every lease must carry proof that the agent holds credentials of its account. */
    require_proof: z.boolean().optional(),
    /** Seconds until the token stops working; without it, it works until revoked. */
    expires_in: z.number().int().min(1).max(MAX_TOKEN_LIFETIME_SECONDS).optional(),
    description: z.string().min(1).max(200).optional(),
  })
  .superRefine((req, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (req.role !== 'agent') {
      for (const field of ['provider', 'accounts', 'require_proof'] as const)
        if (req[field] !== undefined) issue(field, `only agent tokens have ${field}`);
      return;
    }
    if (!req.provider) issue('provider', 'an agent token is bound to one provider');
    if (!req.accounts) issue('accounts', 'an agent token is bound to a list of accounts');
    if (!req.provider || !req.accounts) return;
    const format = ACCOUNT_ID_FORMATS[req.provider];
    req.accounts.forEach((account, i) => {
      if (!format.pattern.test(account))
        ctx.addIssue({ code: 'custom', path: ['accounts', i], message: `not ${format.what}` });
    });
    if (new Set(req.accounts).size !== req.accounts.length) issue('accounts', 'lists an account twice');
    if (req.require_proof && !PROVABLE_PROVIDERS.includes(req.provider))
      issue(
        'require_proof',
        `${req.provider} agents cannot prove their account yet; only ${PROVABLE_PROVIDERS.join(', ')}`,
      );
  });
export type TokenCreateRequest = z.infer<typeof TokenCreateRequest>;

/** A token as listed: everything but its secret, which is never stored. */
export const TokenInfo = z.object({
  id: z.string(),
  role: Role,
  tenant_id: z.string().nullable(),
  provider: Provider.nullable(),
  accounts: z.array(z.string()).nullable(),
  require_proof: z.boolean(),
  description: z.string().nullable(),
  /** Who made it: a token id, or `bootstrap` for DRIFTMGR_ADMIN_TOKEN. */
  created_by: z.string(),
  created_at: z.string(),
  expires_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});
export type TokenInfo = z.infer<typeof TokenInfo>;

/** The answer to a create: the only time the token itself is shown. */
export const TokenCreated = TokenInfo.extend({ token: z.string() });
export type TokenCreated = z.infer<typeof TokenCreated>;

export const TokenList = z.object({ tokens: z.array(TokenInfo), next_cursor: z.string().nullable() });

/** The actor the bootstrap secret DRIFTMGR_ADMIN_TOKEN is recorded as. */
export const BOOTSTRAP_ACTOR = 'bootstrap';

/** A token is `<id>.<secret>`: the id finds its row, the secret (256 random bits) proves it. */
const TOKEN_FORMAT = /^(tok_[0-9a-z]{1,40})\.([A-Za-z0-9_-]{43})$/;

/** The id of a token string, or null when it is not one of ours (the agent binds its proof to it). */
export function tokenIdOf(token: string): string | null {
  return TOKEN_FORMAT.exec(token)?.[1] ?? null;
}
