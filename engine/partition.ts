import { collectManaged, type ManagedInstance } from './managed.js';
import { stateScopeOf } from './mappings/identity.js';
import { mappingForTfType } from './mappings/index.js';
import type { ParsedState, StateInstance } from './state/types.js';

/**
 * The cloud account of every instance of a state, in instance order (lower case; null when it
 * cannot be told). Resources never depend on one another across accounts, so an analysis can be
 * split by account and each part needs only its account's instances (plus the unknown ones).
 */
export function instanceAccounts(state: ParsedState): (string | null)[] {
  const managed = collectManaged([state]);
  const byInstance = new Map<StateInstance, ManagedInstance>(managed.instances.map((m) => [m.instance, m]));
  return state.instances.map((instance) => {
    const m = byInstance.get(instance);
    if (m) return managed.scopeOf(m).account?.toLowerCase() ?? null;
    // Deposed objects and duplicates are not in the managed list; their own attributes decide.
    const mapping = mappingForTfType(instance.tfType);
    return (mapping && stateScopeOf(mapping, instance.attributes).account?.toLowerCase()) ?? null;
  });
}
