import { boxedTable } from '../cli/output.js';
import { DriftKind } from '../contract/drift.js';
import type { Provider } from '../contract/resource.js';
import type { InjectedDrift } from '../emulator/terraform-state.js';
import { type DriftItem, placingMappingForTfType } from '../engine/index.js';

/**
 * Whether a discovery job found exactly the drift the sample state injected: per kind, the same
 * resources, named by Terraform address (changed, missing) or cloud id (unmanaged). Counts alone
 * would let one lost item hide behind one false one.
 */

export type DriftIdentities = Record<DriftKind, string[]>;

export interface KindComparison {
  kind: DriftKind;
  found: number;
  injected: number;
  /** Injected but not found. */
  missed: string[];
  /** Found but never injected. */
  unexpected: string[];
}

export interface DriftComparison {
  provider: Provider;
  kinds: KindComparison[];
  exact: boolean;
}

function identityOf(kind: DriftKind, address: string | undefined, id: string): string {
  return kind === 'unmanaged' ? id : (address ?? id);
}

function byKind(entries: { kind: DriftKind; identity: string }[]): DriftIdentities {
  const out: DriftIdentities = { changed: [], missing: [], unmanaged: [] };
  for (const e of entries) out[e.kind].push(e.identity);
  return out;
}

/** What the state writer injected into one cloud's resources. */
export function injectedIdentities(drift: readonly InjectedDrift[], provider: Provider): DriftIdentities {
  const ours = drift.filter((d) => placingMappingForTfType(d.tf_type)?.provider === provider);
  return byKind(ours.map((d) => ({ kind: d.kind, identity: identityOf(d.kind, d.address, d.id) })));
}

/** What a job reported: its drift items, every page of them. */
export function foundIdentities(items: readonly Pick<DriftItem, 'kind' | 'address' | 'id'>[]): DriftIdentities {
  return byKind(items.map((i) => ({ kind: i.kind, identity: identityOf(i.kind, i.address, i.id) })));
}

export function compareDrift(provider: Provider, found: DriftIdentities, injected: DriftIdentities): DriftComparison {
  const kinds = DriftKind.options.map((kind): KindComparison => {
    const foundSet = new Set(found[kind]);
    const injectedSet = new Set(injected[kind]);
    return {
      kind,
      found: found[kind].length,
      injected: injected[kind].length,
      missed: [...injectedSet].filter((x) => !foundSet.has(x)),
      unexpected: [...foundSet].filter((x) => !injectedSet.has(x)),
    };
  });
  return { provider, kinds, exact: !kinds.some(differs) };
}

/** Equal counts as well as equal sets: an item reported twice is a difference too. */
function differs(k: KindComparison): boolean {
  return k.found !== k.injected || k.missed.length > 0 || k.unexpected.length > 0;
}

/** One row per provider and kind that differs, with its first few differences; undefined when all match. */
export function mismatchTable(comparisons: readonly DriftComparison[], examples = 3): string | undefined {
  const table = boxedTable([
    'provider',
    'kind',
    'found',
    'injected',
    'missed',
    'unexpected',
    'first differences (- missed, + unexpected)',
  ]);
  for (const c of comparisons) {
    for (const k of c.kinds) {
      if (!differs(k)) continue;
      const firsts = [
        ...k.missed.slice(0, examples).map((x) => `- ${x}`),
        ...k.unexpected.slice(0, examples).map((x) => `+ ${x}`),
      ];
      table.push([c.provider, k.kind, k.found, k.injected, k.missed.length, k.unexpected.length, firsts.join('\n')]);
    }
  }
  return table.length === 0 ? undefined : table.toString();
}
