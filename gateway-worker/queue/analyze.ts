import { analyze } from '../../engine/analyze.js';
import { MAPPINGS } from '../../engine/mappings/index.js';
import { unwrap } from '../errors.js';
import { storeFor } from '../storage/index.js';
import { jobCoordinator } from '../stubs.js';

/**
 * The drift analysis of one finished discovery job: the active Terraform states against
 * what the job discovered, within the scopes it fully covered. Saving replaces any earlier
 * result of the same job, so a redelivered message does the same work to the same end.
 */
export async function analyzeJob(env: Env, jobId: string): Promise<Record<string, unknown>> {
  const coordinator = jobCoordinator(env, jobId);
  const { spec, scopes } = unwrap(await coordinator.analysisInput());
  const tfTypes = new Set(MAPPINGS.filter((m) => m.provider === spec.provider).map((m) => m.tfType));
  const store = storeFor(env);
  const [states, inventory, ignore, previous] = await Promise.all([
    store.loadActiveStates(tfTypes),
    store.loadInventory(jobId),
    store.getIgnoreRules(),
    spec.mode === 'incremental' ? store.loadFingerprints(spec.provider) : undefined,
  ]);
  // Fingerprints are kept after every mode, so an incremental run always has a baseline.
  const report = analyze({ states, inventory, scopes, mode: spec.mode, ignore, previous, fingerprints: true });
  await store.saveAnalysis(jobId, spec.provider, report, new Date().toISOString());
  await store.saveFingerprints(spec.provider, report.fingerprints ?? {});
  await store.refreshResourceCounts();
  const { summary } = report;
  return {
    state_resources: summary.state_resources,
    discovered_resources: summary.discovered_resources,
    in_sync: summary.in_sync,
    changed: summary.changed,
    missing: summary.missing,
    unmanaged: summary.unmanaged,
    coverage: summary.coverage,
    noise_filtered: summary.noise_filtered,
    by_severity: summary.by_severity,
  };
}
