import { ErrorCode } from '../../contract/errors.js';
import { type ImportFile, type ImportJob, importObjectKey } from '../../contract/imports.js';
import type { ImportedState } from '../../contract/states.js';
import { type SensitiveKey, StreamedAccounts } from '../../engine/index.js';
import { storeFor } from '../../storage/index.js';
import type { Store, StoredState } from '../../storage/store.js';
import { ApiError } from '../errors.js';
import { sensitiveKeyOf } from '../sensitive-key.js';
import { activeByName, refusalOf, refuseConflicts } from './refusals.js';
import { readStateStream } from './state-stream.js';
import { deleteUploads } from './upload.js';

const now = () => new Date().toISOString();

/** Deliveries of an import message before a failure of the system fails the import (the queue's max_retries + 1). */
export const IMPORT_ATTEMPTS = 6;

/** What reading one file of an import left: its state, still importing, and the report. */
type ReadFile = { stored: StoredState; imported: ImportedState };

/**
 * Runs a streamed import: each file read from the bucket a resource at a time into a state that
 * stays `importing`, then every state activated in one step, so the import applies whole or not
 * at all. A file Terraform would refuse, or a state that may not replace the active one, fails
 * the import with the error a synchronous import answers; the active states stay as they were.
 * A failure of the system is thrown (the message is retried, starting over) until `lastAttempt`.
 * An import already ended is left as it is, so a redelivered message does nothing.
 */
export async function runImport(env: Env, importId: string, tenant: string, lastAttempt: boolean): Promise<void> {
  const store = storeFor(env);
  const job = await store.getImport(tenant, importId);
  if (!job || job.status === 'completed' || job.status === 'failed') return;
  await store.updateImport(importId, { status: 'importing', updated_at: now() });
  const begun: string[] = [];
  try {
    const active = activeByName(await store.listActiveStates(tenant), job.workspace);
    const key = sensitiveKeyOf(env);
    const read: ReadFile[] = [];
    for (const [index, file] of job.files.entries())
      read.push(await readFile(env, store, { tenant, job, index, file, key, active, begun }));
    // Checked again at the end: another import may have replaced a state meanwhile.
    const current = activeByName(await store.listActiveStates(tenant), job.workspace);
    refuseConflicts(
      read.map(({ stored }) => incomingOf(stored)),
      current,
      job.replace,
    );
    const finishedAt = now();
    const stored = read.map((r) => ({ ...r.stored, imported_at: finishedAt }));
    await store.activateStates(tenant, stored);
    const states = read.map((r, i) => ({ ...r.imported, ...stored[i]! }));
    await end(env, store, job, { status: 'completed', result: { workspace: job.workspace, states, restored: [] } });
  } catch (err) {
    if (begun.length > 0) await store.dropImportingStates(begun);
    const refusal = refusalOf(err);
    if (!refusal && !lastAttempt) throw err;
    const error = refusal ?? new ApiError(500, ErrorCode.internal, `the import failed: ${String(err)}`);
    await end(env, store, job, {
      status: 'failed',
      error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
    });
  }
}

/** Fails an import that has not ended (its message was dead-lettered); its states were never activated. */
export async function failImport(env: Env, importId: string, tenant: string, reason: string): Promise<void> {
  const store = storeFor(env);
  const job = await store.getImport(tenant, importId);
  if (!job || job.status === 'completed' || job.status === 'failed') return;
  await end(env, store, job, {
    status: 'failed',
    error: { code: ErrorCode.internal, message: `the import ${reason}` },
  });
}

async function end(
  env: Env,
  store: Store,
  job: ImportJob,
  outcome: Pick<ImportJob, 'status'> & Partial<Pick<ImportJob, 'result' | 'error'>>,
): Promise<void> {
  const at = now();
  await store.updateImport(job.import_id, { ...outcome, updated_at: at, finished_at: at });
  await deleteUploads(env.STATE_UPLOADS, job.import_id, job.files.length);
}

const incomingOf = (s: StoredState) => ({
  source: s.name,
  lineage: s.lineage ?? undefined,
  serial: s.serial ?? undefined,
});

interface FileReading {
  tenant: string;
  job: ImportJob;
  index: number;
  file: ImportFile;
  key: SensitiveKey;
  active: ReadonlyMap<string, StoredState>;
  /** The ids of the states this import began, to drop them if it fails. */
  begun: string[];
}

/** Reads one uploaded file into a new importing state, a batch of instances at a time. */
async function readFile(env: Env, store: Store, r: FileReading): Promise<ReadFile> {
  const { job, file } = r;
  const objectKey = importObjectKey(job.import_id, r.index);
  const stateId = await store.beginState(r.tenant, job.workspace, file.name, now());
  r.begun.push(stateId);
  const accounts = new StreamedAccounts();
  let written = 0;
  const { header, report } = await readStateStream({
    source: file.name,
    key: r.key,
    open: async () => {
      const object = await env.STATE_UPLOADS.get(objectKey);
      if (!object) throw new ApiError(404, ErrorCode.notFound, `${file.name}: the uploaded file is no longer kept`);
      return object.body;
    },
    // A state that may not replace the active one is refused before any instance is written.
    beforeEntries: (top) =>
      refuseConflicts(
        [
          {
            source: file.name,
            lineage: typeof top.lineage === 'string' ? top.lineage : undefined,
            serial: typeof top.serial === 'number' ? top.serial : undefined,
          },
        ],
        r.active,
        job.replace,
      ),
    sink: async (batch) => {
      const stored = batch.map((instance, i) => accounts.add(instance, written + i));
      await store.addStateInstances(stateId, written, batch, stored, now());
      written += batch.length;
    },
  });
  const doubtful = accounts.doubtfulSlots;
  const earlier = doubtful.length > 0 ? await store.instancesInSlots(stateId, doubtful) : [];
  for (const { account, seqs } of accounts.inherited(earlier)) await store.setInstanceAccount(stateId, account, seqs);
  const stored: StoredState = {
    state_id: stateId,
    workspace: job.workspace,
    name: file.name,
    version: header.version,
    terraform_version: header.terraformVersion ?? null,
    serial: header.serial ?? null,
    lineage: header.lineage ?? null,
    instances: written,
    data_sources_skipped: report.data_sources_skipped,
    imported_at: now(),
  };
  const { not_kept, warnings, attributes_not_stored, values_stored_as_digests } = report;
  return { stored, imported: { ...stored, not_kept, warnings, attributes_not_stored, values_stored_as_digests } };
}
