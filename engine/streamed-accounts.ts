import { ProviderScopeTally, providerKey } from './managed.js';
import { normaliseId, stateIdOf, stateScopeOf } from './mappings/identity.js';
import { mappingForTfType } from './mappings/index.js';
import { matchKeyOf, ownAccount, slotOf } from './partition.js';
import { splitChildOf } from './split/children.js';
import { iamTargetOf } from './split/iam-parts.js';
import type { StateInstance } from './state/types.js';

/** An instance storage already holds, with its position in its state. */
export interface SeqInstance {
  seq: number;
  instance: StateInstance;
}

/** A comparable, non-deposed instance's match key and slot; undefined for the others. */
function keyOf(instance: StateInstance): { key: string; slot: number } | undefined {
  const mapping = mappingForTfType(instance.tfType);
  const id = mapping && stateIdOf(mapping, instance.attributes);
  if (!mapping || !id || instance.deposed) return undefined;
  const normalisedId = normaliseId(mapping.id.kind, id);
  return { key: matchKeyOf(mapping.cloudType, normalisedId), slot: slotOf(mapping.cloudType, normalisedId) };
}

/**
 * The accounts of a state's instances as instanceAccounts gives them, for a state read an
 * instance at a time. An instance with an account of its own is stored under it at once. One
 * without, that is the first instance of its resource (not deposed, not a duplicate), takes its
 * provider configuration's account, known only once the whole state is tallied: `inherited`
 * says which. Memory stays small for a million instances: one slot number per resource, and the
 * positions of those waiting; a resource whose slot an earlier one had (a duplicate, or two keys
 * hashing alike) is decided at the end from the instances storage holds in that slot.
 */
export class StreamedAccounts {
  private readonly tally = new ProviderScopeTally();
  private readonly slots = new Set<number>();
  /** First instances without an account, by provider key. */
  private readonly waiting = new Map<string, number[]>();
  private readonly doubtful: { seq: number; key: string; slot: number; provider: string }[] = [];

  /** The account to store instance `seq` under now: its own, or null. Call in state order. */
  add(instance: StateInstance, seq: number): string | null {
    this.tally.add(instance);
    const child = splitChildOf(instance);
    if (child) return this.addSplitChild(instance, child.family.parentTfType, seq);
    // A part of an IAM policy is placed as its policy, like a child as its parent.
    if (iamTargetOf(instance)) return this.addSplitChild(instance, instance.tfType, seq);
    const own = ownAccount(instance);
    const keyed = keyOf(instance);
    if (!keyed) return own;
    const seen = this.slots.has(keyed.slot);
    this.slots.add(keyed.slot);
    if (own !== null) return own;
    const provider = providerKey(instance);
    if (seen) this.doubtful.push({ seq, ...keyed, provider });
    else this.wait(provider, seq);
    return null;
  }

  /** Slots whose earlier instances `inherited` needs to tell duplicates from first instances. */
  get doubtfulSlots(): number[] {
    return [...new Set(this.doubtful.map((d) => d.slot))];
  }

  /**
   * Once every instance is added: the instances stored without an account that take their
   * provider's, grouped by account. `earlier` holds the stored instances in `doubtfulSlots`.
   */
  inherited(earlier: readonly SeqInstance[]): { account: string; seqs: number[] }[] {
    const firstSeq = new Map<string, number>();
    for (const { seq, instance } of earlier) {
      const k = keyOf(instance)?.key;
      if (k !== undefined && seq < (firstSeq.get(k) ?? Number.POSITIVE_INFINITY)) firstSeq.set(k, seq);
    }
    for (const d of this.doubtful) {
      if ((firstSeq.get(d.key) ?? d.seq) >= d.seq) this.wait(d.provider, d.seq);
    }
    const scopes = this.tally.scopes();
    const byAccount = new Map<string, number[]>();
    for (const [provider, seqs] of this.waiting) {
      const account = scopes[provider]?.account?.toLowerCase();
      if (account) byAccount.set(account, [...(byAccount.get(account) ?? []), ...seqs]);
    }
    return [...byAccount].map(([account, seqs]) => ({ account, seqs: seqs.sort((a, b) => a - b) }));
  }

  /** A separate rule or route (or IAM policy part): read as its parent; without an account of its own it always takes its provider's (it is never a duplicate). */
  private addSplitChild(instance: StateInstance, parentTfType: string, seq: number): string | null {
    const mapping = mappingForTfType(parentTfType);
    const own = (mapping && stateScopeOf(mapping, instance.attributes).account?.toLowerCase()) ?? null;
    if (own === null) this.wait(providerKey(instance), seq);
    return own;
  }

  private wait(provider: string, seq: number): void {
    let seqs = this.waiting.get(provider);
    if (!seqs) this.waiting.set(provider, (seqs = []));
    seqs.push(seq);
  }
}
