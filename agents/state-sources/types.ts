import type { StateLocation } from '../../contract/state-locations.js';

/** One Terraform backend as an agent reads it, with the credentials of the agent's own environment. */
export interface StateBackend {
  /** Names of the objects under the location that may be states (the caller keeps those stateObjectOf accepts). */
  list(signal: AbortSignal): Promise<string[]>;
  /** An object's bytes as stored; null when it is gone (deleted since listed, or no state yet). */
  read(objectName: string, signal: AbortSignal): Promise<Uint8Array | null>;
}

export interface StateBackendOptions {
  /** Where endpoints and credentials come from: each SDK's standard settings. */
  env: NodeJS.ProcessEnv;
  /** Objects asked for per listing page (tests make it small to exercise paging). */
  pageSize?: number;
}

export type StateBackendFactory<L extends StateLocation = StateLocation> = (
  location: L,
  opts: StateBackendOptions,
) => Promise<StateBackend>;

/** A backend error with whether another attempt may pass, for the read's fail call. */
export class StateBackendError extends Error {
  override readonly name = 'StateBackendError';

  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

/** Listing pages asked for by default: the most S3 and Blob Storage return, Cloud Storage's default. */
export const DEFAULT_PAGE_SIZE = 1000;
