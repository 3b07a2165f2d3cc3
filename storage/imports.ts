import type { ImportJob } from '../contract/imports.js';
import type { StoredState } from '../contract/states.js';
import type { SeqInstance, StateInstance } from '../engine/index.js';

/** What changes of an import as it runs and ends. */
export type ImportUpdate = Pick<ImportJob, 'status' | 'updated_at'> &
  Partial<Pick<ImportJob, 'result' | 'error' | 'finished_at'>>;

/** The Store's part that keeps imports read after their request (streamed imports) and writes their states. */
export interface ImportStore {
  /** Imports belong to the tenant that made them; another tenant's is never found. */
  createImport(tenant: string, job: ImportJob): Promise<void>;
  getImport(tenant: string, importId: string): Promise<ImportJob | null>;
  updateImport(importId: string, update: ImportUpdate): Promise<void>;

  /**
   * A state written a batch of instances at a time, as a streamed import reads it: added as
   * `importing`, which no reader sees, with a header filled in when it is activated. Returns its id.
   */
  beginState(tenant: string, workspace: string, name: string, importedAt: string): Promise<string>;
  /**
   * Writes instances from position `firstSeq` of an importing state, with their accounts (null:
   * unknown yet, or for good), and marks the state as still being written, so it is never taken
   * for an abandoned import.
   */
  addStateInstances(
    stateId: string,
    firstSeq: number,
    instances: readonly StateInstance[],
    accounts: readonly (string | null)[],
    at: string,
  ): Promise<void>;
  /** Sets the account of an importing state's instances at these positions. */
  setInstanceAccount(stateId: string, account: string, seqs: readonly number[]): Promise<void>;
  /** An importing state's instances in these slots. */
  instancesInSlots(stateId: string, slots: readonly number[]): Promise<SeqInstance[]>;
  /**
   * Makes importing states active in one step, with their headers as given, superseding the
   * versions of the same tenant, workspace and name (as saveStates does); then drops what no reader needs.
   */
  activateStates(tenant: string, states: readonly StoredState[]): Promise<void>;
  /** Drops importing states and their instances (an import that failed); active states are never touched. */
  dropImportingStates(stateIds: readonly string[]): Promise<void>;
}
