import type { ImportJob } from '../contract/imports.js';
import type { StoredState } from '../contract/states.js';
import type { ImportUpdate } from './imports.js';
import type { InsertOf, RowOf } from './queries.js';

/** Positions or slots one statement names, as one JSON parameter (well under D1's 100 KB). */
export const VALUES_PER_STATEMENT = 5_000;

/** `values` in groups of at most `size`. */
export function chunked<T>(values: readonly T[], size: number): T[][] {
  const groups: T[][] = [];
  for (let i = 0; i < values.length; i += size) groups.push(values.slice(i, i + size));
  return groups;
}

/** A streamed state before its header is read: Terraform's current format, no instances yet. */
export function emptyState(stateId: string, workspace: string, name: string, importedAt: string): StoredState {
  return {
    state_id: stateId,
    workspace,
    name,
    version: 4,
    terraform_version: null,
    serial: null,
    lineage: null,
    instances: 0,
    data_sources_skipped: 0,
    imported_at: importedAt,
  };
}

/** The columns of a state's header, set when it is activated. */
export function stateHeaderColumns(s: StoredState) {
  return {
    version: s.version,
    terraformVersion: s.terraform_version,
    serial: s.serial,
    lineage: s.lineage,
    instances: s.instances,
    dataSourcesSkipped: s.data_sources_skipped,
    importedAt: s.imported_at,
  } satisfies Partial<InsertOf<'states'>>;
}

export function importRow(job: ImportJob): InsertOf<'imports'> {
  return {
    importId: job.import_id,
    status: job.status,
    workspace: job.workspace,
    replace: job.replace,
    files: job.files,
    createdAt: job.created_at,
    updatedAt: job.updated_at,
    finishedAt: job.finished_at,
    result: job.result,
    error: job.error,
  };
}

export function importChanges(u: ImportUpdate) {
  return {
    status: u.status,
    updatedAt: u.updated_at,
    ...(u.finished_at !== undefined ? { finishedAt: u.finished_at } : {}),
    ...(u.result !== undefined ? { result: u.result } : {}),
    ...(u.error !== undefined ? { error: u.error } : {}),
  } satisfies Partial<InsertOf<'imports'>>;
}

export function importOf(r: RowOf<'imports'>): ImportJob {
  return {
    import_id: r.importId,
    status: r.status,
    workspace: r.workspace,
    replace: r.replace,
    files: r.files,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    finished_at: r.finishedAt,
    result: r.result,
    error: r.error,
  };
}
