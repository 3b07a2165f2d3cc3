import { ErrorCode } from '../contract/errors.js';
import type { StateObject } from '../contract/state-locations.js';
import type { StateUploadResult } from '../contract/state-sources.js';
import type { StoredState } from '../contract/states.js';
import type { ParsedState } from '../engine/index.js';
import { storeFor } from '../storage/index.js';
import { RowTooLargeError } from '../storage/json-rows.js';
import type { StoredStateSource } from '../storage/state-sources.js';
import { ApiError } from './errors.js';
import { classify, replacementConflict } from './routes/import.js';
import { sensitiveKeyOf } from './sensitive-key.js';

/** The same state again: same lineage and serial, so nothing needs writing. */
function unchanged(next: ParsedState, active: StoredState): boolean {
  return (next.lineage ?? null) === active.lineage && next.serial !== undefined && next.serial === active.serial;
}

/**
 * Takes one state an agent read from a source, through the import's own reading: parsed and its
 * sensitive values hashed here, with the gateway's key, which agents never hold. A state with
 * the stored one's lineage and serial writes nothing; another lineage or an older serial is
 * refused (409) unless the source allows it; anything else becomes the active state of its name
 * in one step, as an import does. It is the source's tenant's state.
 */
export async function intakeSourceState(
  env: Env,
  source: StoredStateSource,
  object: StateObject,
  bytes: Uint8Array,
): Promise<StateUploadResult> {
  const read = classify({ name: object.name, bytes }, sensitiveKeyOf(env));
  if ('export' in read) {
    throw new ApiError(422, ErrorCode.unprocessable, `${object.name}: a DriftMgr export, not a Terraform state`);
  }
  const store = storeFor(env);
  const active = (await store.listActiveStates(source.tenant_id)).find(
    (s) => s.workspace === object.workspace && s.name === object.name,
  );
  if (active && unchanged(read.state, active)) return { outcome: 'unchanged', state_id: active.state_id };
  const conflict = source.replace_other_lineage ? undefined : replacementConflict(read.state, active);
  if (conflict) throw new ApiError(409, ErrorCode.stateConflict, conflict);
  try {
    const [saved] = await store.saveStates(source.tenant_id, object.workspace, [read.state]);
    const { not_kept, warnings, attributes_not_stored, values_stored_as_digests } = read.report;
    return {
      outcome: 'stored',
      state: { ...saved!, not_kept, warnings, attributes_not_stored, values_stored_as_digests },
    };
  } catch (err) {
    if (err instanceof RowTooLargeError) throw new ApiError(413, ErrorCode.payloadTooLarge, err.message);
    throw err;
  }
}
