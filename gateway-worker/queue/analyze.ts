import { tenantOfJob } from '../../contract/job.js';
import { analyze, type DriftReport, fingerprintKeys, PARENT_TYPES } from '../../engine/index.js';
import type { AnalysisInput, AnalysisStage } from '../../orchestrator-do/analysis-parts.js';
import { jobCoordinator } from '../../orchestrator-do/stubs.js';
import { storeFor } from '../../storage/index.js';
import type { Store } from '../../storage/store.js';
import { unwrap } from '../errors.js';
import { sensitiveKeyOf } from '../sensitive-key.js';
import { DEFAULT_PART_LIMIT, planAccount, providerTfTypes } from './analysis-plan.js';
import { partContext } from './part-context.js';

type Coordinator = ReturnType<typeof jobCoordinator>;

/**
 * One part of the drift analysis of one account of a finished discovery job: its plan, a data
 * part (a range of slots), or its close. Each holds a bounded slice of the account, whatever the
 * account's size. Every step repeats to the same end, so a message redelivered before its part
 * was recorded does the same work again; one redelivered after it does nothing.
 * Returns the stage of the last part it ran.
 */
export async function analyzePart(env: Env, jobId: string, account: string, part?: number): Promise<AnalysisStage> {
  const coordinator = jobCoordinator(env, jobId);
  const store = storeFor(env);
  const input = unwrap(await coordinator.analysisInput(account, part));
  const { stage, done } = input.part;
  if (done) return stage;
  if (stage === 'plan') return planAndRun(env, store, coordinator, jobId, account, input);
  if (stage === 'data') await analyzeData(env, store, coordinator, jobId, account, input);
  else await closeAccount(store, coordinator, jobId, account, input);
  return stage;
}

/**
 * An account's plan. An account that fits one part is then analysed in this run, sparing its
 * parts a queue trip each (the coordinator counts them sent, so they go out again only if this
 * run dies). Returns the stage of the last part run.
 */
async function planAndRun(
  env: Env,
  store: Store,
  coordinator: Coordinator,
  jobId: string,
  account: string,
  input: AnalysisInput,
): Promise<AnalysisStage> {
  const limit = Number(env.ANALYSIS_PART_LIMIT ?? DEFAULT_PART_LIMIT);
  const plan = await planAccount(store, jobId, tenantOfJob(input.spec), input.spec.provider, account, limit);
  const inline = plan.ranges.length === 1;
  const parts = unwrap(await coordinator.recordAnalysisPlan(input.part.id, plan, inline));
  let last: AnalysisStage = 'plan';
  if (inline) for (const part of parts) last = await analyzePart(env, jobId, account, part);
  return last;
}

/**
 * A data part: the active Terraform states' instances of the account (and those whose account
 * the state does not tell) in the part's slots, against what the job itself saw there (its
 * sightings, whatever other jobs of the account wrote meanwhile), within the scopes it fully
 * covered. The items are filed into the account's drift tracks and saved, the sightings merged
 * into the inventory, the part recorded, and only then its sightings dropped, but for those of
 * types other parts may look up as parents (engine/partition.ts): the account's close drops them.
 */
async function analyzeData(
  env: Env,
  store: Store,
  coordinator: Coordinator,
  jobId: string,
  account: string,
  input: AnalysisInput,
): Promise<void> {
  const { spec, started_at, scopes, part } = input;
  // The part's states and inventory are garbage once compared: filing and saving hold only the report.
  const report = await comparePart(env, store, jobId, account, input);
  const tracked = await store.fileDrift({
    tenant: tenantOfJob(spec),
    job_id: jobId,
    provider: spec.provider,
    account,
    as_of: started_at,
    scopes,
    resolves: spec.mode !== 'incremental',
    items: report.items,
    now: new Date().toISOString(),
  });
  await store.saveDriftItems(jobId, part.firstSeq!, tracked.items);
  await store.saveFingerprints(tenantOfJob(spec), spec.provider, report.fingerprints ?? {});
  await store.mergeSightings(jobId, account, part.slots);
  unwrap(await coordinator.recordAnalysisPart(part.id, { ...report.summary, ...tracked.counts }, report.duplicates));
  await store.dropSightings(jobId, account, part.slots, PARENT_TYPES);
}

/** Reads a data part's instances, then its resources (one read's rows in flight at a time), and compares them. */
async function comparePart(
  env: Env,
  store: Store,
  jobId: string,
  account: string,
  { spec, scopes, part, context }: AnalysisInput,
): Promise<DriftReport> {
  const { slots } = part;
  const loaded = await store.loadActiveStates({
    tenant: tenantOfJob(spec),
    tfTypes: providerTfTypes(spec.provider),
    account,
    slots,
  });
  // Counts of whole states (data sources) go with the part that starts at slot 0.
  const states = slots.from === 0 ? loaded : loaded.map((s) => ({ ...s, dataSourcesSkipped: 0 }));
  const inventory = await store.loadInventory(jobId, account, { slots });
  // Fingerprints are kept after every mode, so an incremental run always has a baseline.
  const previous =
    spec.mode === 'incremental'
      ? await store.loadFingerprints(tenantOfJob(spec), spec.provider, fingerprintKeys(states, inventory))
      : undefined;
  // A part written before plans holds its whole account and needs no context.
  const shared = context && (await partContext(store, tenantOfJob(spec), jobId, account, slots, inventory, context));
  return analyze({
    states,
    inventory,
    scopes,
    mode: spec.mode,
    ignore: await store.getIgnoreRules(tenantOfJob(spec)),
    previous,
    fingerprints: true,
    // Cloud values are hashed under the key the import hashed the states' sensitive values with.
    sensitiveKey: sensitiveKeyOf(env),
    ...(shared ? { context: shared } : {}),
  });
}

/**
 * An account's close, once its data parts are all in: merges the sightings written before slots,
 * drops what its parts left (parents, those, what a part cut short left), and resolves the drift
 * none of its parts saw. Its summary carries only what it resolved.
 */
async function closeAccount(
  store: Store,
  coordinator: Coordinator,
  jobId: string,
  account: string,
  { spec, started_at, scopes, part }: AnalysisInput,
): Promise<void> {
  await store.mergeSightings(jobId, account, 'unslotted');
  await store.dropSightings(jobId, account);
  const resolved = await store.resolveDrift({
    tenant: tenantOfJob(spec),
    job_id: jobId,
    provider: spec.provider,
    account,
    as_of: started_at,
    scopes,
    // Incremental mode reports nothing for resources it skipped as unchanged: their silence is not a fix.
    resolves: spec.mode !== 'incremental',
  });
  const nothing = analyze({ states: [], inventory: [], mode: spec.mode }).summary;
  unwrap(await coordinator.recordAnalysisPart(part.id, { ...nothing, resolved }, []));
}
