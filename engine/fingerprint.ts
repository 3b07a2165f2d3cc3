import { fnv1a64Hex } from './util/hash.js';
import { stableStringify } from './util/json.js';

/** Content fingerprint of what a comparison depends on: the state side and the cloud side. */
export function contentFingerprint(
  state: Record<string, unknown> | undefined,
  cloud: Record<string, unknown> | undefined,
): string {
  return fnv1a64Hex(`${state ? stableStringify(state) : '-'}\u0000${cloud ? stableStringify(cloud) : '-'}`);
}
