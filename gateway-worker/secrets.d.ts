// Secrets are not in wrangler.toml, so `wrangler types` cannot see them.
interface Env {
  /** Bootstrap admin bearer token (wrangler secret in production, .dev.vars locally). */
  DRIFTMGR_ADMIN_TOKEN?: string;
  /** Key for hashing sensitive state values (wrangler secret); derived from the admin token when unset. */
  DRIFTMGR_HASH_KEY?: string;
}
