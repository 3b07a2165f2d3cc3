import { type SensitiveKey, sensitiveKeyFrom } from '../engine/index.js';

/**
 * The deployment's key for hashing sensitive Terraform state values: from the secret
 * DRIFTMGR_HASH_KEY, or, when it is not set, derived from DRIFTMGR_ADMIN_TOKEN (both through
 * HKDF). Imports hash states with it and analyses hash cloud values with it, so the two must
 * agree: rotating the admin token without DRIFTMGR_HASH_KEY set changes every hash until the
 * states are imported again.
 */
export function sensitiveKeyOf(env: Env): SensitiveKey {
  const secret = env.DRIFTMGR_HASH_KEY || env.DRIFTMGR_ADMIN_TOKEN;
  if (!secret)
    throw new Error('neither DRIFTMGR_HASH_KEY nor DRIFTMGR_ADMIN_TOKEN is set: sensitive values cannot be hashed');
  return sensitiveKeyFrom(secret);
}
