import { analyze, MAPPINGS } from '../../engine/index.js';
import { jobCoordinator } from '../../orchestrator-do/stubs.js';
import { storeFor } from '../../storage/index.js';
import { unwrap } from '../errors.js';
import { sensitiveKeyOf } from '../sensitive-key.js';

/**
 * The drift analysis of one account of a finished discovery job: the active Terraform states'
 * instances of that account (and those whose account the state does not tell) against what the
 * job itself saw there (its sightings, whatever other jobs of the account wrote meanwhile),
 * within the scopes it fully covered. One account at a time keeps a consumer's memory bounded
 * however big the estate. The items are filed into the account's drift tracks and saved, the
 * sightings merged into the inventory, the part recorded, and only then the sightings dropped.
 * Every step repeats to the same end, so a message redelivered before the part was recorded
 * does the same work again; one redelivered after it only finishes the clean-up.
 */
export async function analyzeAccount(env: Env, jobId: string, account: string): Promise<void> {
  const coordinator = jobCoordinator(env, jobId);
  const store = storeFor(env);
  const input = await coordinator.analysisInput(account);
  // 409: the part was recorded already; its sightings may have outlived a crash.
  if (!input.ok && 'status' in input && input.status === 409) return store.dropSightings(jobId, account);
  const { spec, started_at, scopes, first_seq } = unwrap(input);
  const tfTypes = new Set(MAPPINGS.filter((m) => m.provider === spec.provider).map((m) => m.tfType));
  const [states, inventory, ignore, previous] = await Promise.all([
    store.loadActiveStates({ tfTypes, account }),
    store.loadInventory(jobId, account),
    store.getIgnoreRules(),
    spec.mode === 'incremental' ? store.loadFingerprints(spec.provider) : undefined,
  ]);
  // Fingerprints are kept after every mode, so an incremental run always has a baseline.
  // Cloud values are hashed under the key the import hashed the states' sensitive values with.
  const sensitiveKey = sensitiveKeyOf(env);
  const report = analyze({
    states,
    inventory,
    scopes,
    mode: spec.mode,
    ignore,
    previous,
    fingerprints: true,
    sensitiveKey,
  });
  const tracked = await store.trackDrift({
    job_id: jobId,
    provider: spec.provider,
    account,
    as_of: started_at,
    scopes,
    // Incremental mode reports nothing for resources it skipped as unchanged: their silence is not a fix.
    resolves: spec.mode !== 'incremental',
    items: report.items,
    now: new Date().toISOString(),
  });
  await store.saveDriftItems(jobId, first_seq, tracked.items);
  await store.saveFingerprints(spec.provider, report.fingerprints ?? {});
  await store.mergeSightings(jobId, account);
  unwrap(await coordinator.recordAnalysisPart(account, { ...report.summary, ...tracked.counts }, report.duplicates));
  await store.dropSightings(jobId, account);
}
