import type { ExportDocument } from '../contract/export.js';
import { redactKnownSecrets, type SensitiveKey } from '../engine/index.js';
import type { Store } from '../storage/store.js';
import { saveWholeAnalysis } from '../storage/whole-analysis.js';

const PAGE = 1000;
const encoder = new TextEncoder();

/**
 * Streams the whole inventory as one JSON export document, a page of resources at a time,
 * so an export never holds the inventory in the Worker's memory.
 */
export function exportStream(store: Store, tenant: string): ReadableStream<Uint8Array> {
  return new ReadableStream({
    async start(controller) {
      const write = (text: string) => controller.enqueue(encoder.encode(text));
      try {
        write(
          `{"format":"driftmgr-export","version":1,"exported_at":${JSON.stringify(new Date().toISOString())},"resources":[`,
        );
        let first = true;
        for (let after: string | undefined; ; ) {
          const page = await store.listResources({ tenant, limit: PAGE, after });
          for (const r of page) {
            write(`${first ? '' : ','}${JSON.stringify(r)}`);
            first = false;
          }
          if (page.length < PAGE) break;
          after = page.at(-1)!.resource_key;
        }
        write(`],"states":${JSON.stringify(await exportedStates(store, tenant))},"analyses":[`);
        // '' to '9999' spans every ISO timestamp: all of the tenant's analyses.
        const analyses = await store.analysesBetween('', '9999', undefined, tenant);
        for (const [i, a] of analyses.entries()) {
          const report = await store.loadReport(a.job_id);
          const entry = {
            job_id: a.job_id,
            provider: a.provider,
            completed_at: a.completed_at,
            summary: a.summary,
            duplicates: a.duplicates,
            items: report?.items ?? [],
          };
          write(`${i === 0 ? '' : ','}${JSON.stringify(entry)}`);
        }
        write(']}');
        controller.close();
      } catch (err) {
        controller.error(err);
      }
    },
  });
}

async function exportedStates(store: Store, tenant: string): Promise<ExportDocument['states']> {
  const [meta, parsed] = await Promise.all([store.listActiveStates(tenant), store.loadActiveStates({ tenant })]);
  return meta.map((s, i) => ({
    workspace: s.workspace,
    name: s.name,
    version: s.version,
    terraform_version: s.terraform_version,
    serial: s.serial,
    lineage: s.lineage,
    data_sources_skipped: s.data_sources_skipped,
    instances: parsed[i]!.instances,
  }));
}

/**
 * Gives a restored analysis its job in the restoring tenant, as a finished job, so the tenant
 * can read it; false when the job is another tenant's, whose analysis an export must not replace.
 */
async function indexRestoredJob(store: Store, tenant: string, a: ExportDocument['analyses'][number]): Promise<boolean> {
  if (await store.jobExists(a.job_id)) return store.jobExists(a.job_id, tenant);
  const spec = { job_id: a.job_id, provider: a.provider, accounts: [], regions: [], resource_types: [] };
  const sharding = { type: 'account' as const, shard_size: 0 };
  await store.indexJob({ ...spec, mode: a.summary.mode, sharding, tenant_id: tenant }, a.completed_at);
  await store.updateJobIndex({
    job_id: a.job_id,
    status: 'completed',
    shards_total: 0,
    shards_succeeded: 0,
    shards_failed: 0,
    shards_cancelled: 0,
    resources_discovered: a.summary.discovered_resources,
    updated_at: a.completed_at,
    finished_at: a.completed_at,
    error: null,
  });
  return true;
}

/**
 * Writes an export back into a tenant: resources as they were, states per workspace, every analysis. Values
 * at known secret attributes are hashed under this deployment's key on the way in, as a state
 * import would: an export from an older release may hold them in clear.
 */
export async function restoreExport(
  store: Store,
  tenant: string,
  doc: ExportDocument,
  sensitiveKey: SensitiveKey,
): Promise<{ resources: number; states: number; analyses: number }> {
  await store.restoreResources(tenant, doc.resources);
  for (const [workspace, states] of Map.groupBy(doc.states, (s) => s.workspace)) {
    await store.saveStates(
      tenant,
      workspace,
      states.map((s) => ({
        source: s.name,
        version: s.version,
        ...(s.terraform_version ? { terraformVersion: s.terraform_version } : {}),
        ...(s.serial !== null ? { serial: s.serial } : {}),
        ...(s.lineage ? { lineage: s.lineage } : {}),
        instances: s.instances.map((instance) => {
          redactKnownSecrets(instance.tfType, instance.attributes, sensitiveKey);
          return instance;
        }),
        dataSourcesSkipped: s.data_sources_skipped,
      })),
    );
  }
  let analyses = 0;
  for (const a of doc.analyses) {
    if (!(await indexRestoredJob(store, tenant, a))) continue;
    analyses++;
    await saveWholeAnalysis(
      store,
      a.job_id,
      a.provider,
      { summary: a.summary, items: a.items, duplicates: a.duplicates },
      a.completed_at,
    );
  }
  await store.refreshResourceCounts();
  return { resources: doc.resources.length, states: doc.states.length, analyses };
}
