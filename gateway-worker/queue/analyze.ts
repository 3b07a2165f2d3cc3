import { MAPPINGS, analyze } from '../../engine/index.js';
import { unwrap } from '../errors.js';
import { storeFor } from '../../storage/index.js';
import { jobCoordinator } from '../../orchestrator-do/stubs.js';
import { sensitiveKeyOf } from '../sensitive-key.js';

/**
 * The drift analysis of one account of a finished discovery job: the active Terraform states'
 * instances of that account (and those whose account the state does not tell) against what the
 * job discovered there, within the scopes it fully covered. One account at a time keeps a
 * consumer's memory bounded however big the estate. Saving replaces the part's earlier result,
 * so a redelivered message does the same work to the same end.
 */
export async function analyzeAccount(env: Env, jobId: string, account: string): Promise<void> {
  const coordinator = jobCoordinator(env, jobId);
  const { spec, scopes, first_seq } = unwrap(await coordinator.analysisInput(account));
  const tfTypes = new Set(MAPPINGS.filter((m) => m.provider === spec.provider).map((m) => m.tfType));
  const store = storeFor(env);
  const [states, inventory, ignore, previous] = await Promise.all([
    store.loadActiveStates({ tfTypes, account }),
    store.loadInventory(jobId, account),
    store.getIgnoreRules(),
    spec.mode === 'incremental' ? store.loadFingerprints(spec.provider) : undefined,
  ]);
  // Fingerprints are kept after every mode, so an incremental run always has a baseline.
  const report = analyze({ states, inventory, scopes, mode: spec.mode, ignore, previous, fingerprints: true, sensitiveKey: sensitiveKeyOf(env) });
  await store.saveDriftItems(jobId, first_seq, report.items);
  await store.saveFingerprints(spec.provider, report.fingerprints ?? {});
  unwrap(await coordinator.recordAnalysisPart(account, report.summary, report.duplicates));
}
