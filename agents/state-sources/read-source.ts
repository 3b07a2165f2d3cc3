import {
  parseStateLocation,
  type StateLocation,
  type StateObject,
  stateObjectOf,
} from '../../contract/state-locations.js';
import type { KnownState, StateReadComplete, StateReadLease } from '../../contract/state-sources.js';
import { decodeStateText, readStateHeader, StateParseError } from '../../engine/index.js';
import { GatewayError, LeaseLostError, type StateReadGateway } from '../gateway-client.js';
import { errorMessage, type Logger } from '../log.js';
import { isRetryableProviderError } from '../provider-errors.js';
import type { StateBackend, StateBackendOptions } from './types.js';

export interface StateReadDeps {
  gateway: StateReadGateway;
  backendFor: (location: StateLocation, opts: StateBackendOptions) => Promise<StateBackend>;
  backendOptions: StateBackendOptions;
  log: Logger;
}

export type StateReadOutcomeKind = 'completed' | 'failed' | 'lost';

type Found = StateReadComplete['states'][number];

/** The lineage and serial a state file declares; throws StateParseError when it is no state. */
function headerOf(bytes: Uint8Array, name: string): { lineage: string | null; serial: number | null } {
  const text = decodeStateText(bytes, name);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new StateParseError('not_json', 'not JSON', name);
  }
  const header = readStateHeader(doc, name);
  return { lineage: header.lineage ?? null, serial: header.serial ?? null };
}

const sameAsKnown = (known: KnownState | undefined, header: ReturnType<typeof headerOf>) =>
  known !== undefined && known.serial !== null && known.lineage === header.lineage && known.serial === header.serial;

/** What the gateway's refusal of one state means for the read: that state is refused or invalid, the read goes on. */
function refusedState(err: GatewayError, name: string): Found | null {
  if (err.status === 409) return { name, outcome: 'refused', message: err.message };
  if (err.status === 400 || err.status === 413 || err.status === 422)
    return { name, outcome: 'invalid', message: err.message };
  return null;
}

/**
 * Reads one leased state source: lists the backend, takes each state object in turn (one in
 * memory at a time), skips those DriftMgr holds with the same lineage and serial, uploads the
 * rest as they are (the gateway parses them and hashes their secrets), and completes with what
 * became of each. A backend that cannot be read fails the read, retryable or not; a lost lease
 * stops at once. The lease is kept alive every third of its time to live.
 */
export async function runStateRead(lease: StateReadLease, deps: StateReadDeps, signal: AbortSignal) {
  const { gateway, log } = deps;
  const parsed = parseStateLocation(lease.type, lease.location);
  const controller = new AbortController();
  const stop = () => controller.abort();
  signal.addEventListener('abort', stop, { once: true });
  const heartbeat = setInterval(
    () =>
      gateway.heartbeatStateRead(lease.source_id, lease.lease_id, controller.signal).catch((err: unknown) => {
        if (err instanceof LeaseLostError) controller.abort();
      }),
    Math.max(1000, (lease.lease_ttl_seconds * 1000) / 3),
  );
  try {
    if (!parsed.ok) throw Object.assign(new Error(parsed.message), { retryable: false });
    const found = await readObjects(lease, parsed.location, deps, controller.signal);
    await gateway.completeStateRead(lease.source_id, { lease_id: lease.lease_id, states: found });
    log.info('state source read', { source_id: lease.source_id, states: found.length });
    return 'completed' satisfies StateReadOutcomeKind;
  } catch (err) {
    if (err instanceof LeaseLostError || controller.signal.aborted) {
      log.warn('state read handed back', { source_id: lease.source_id, error: errorMessage(err) });
      return 'lost' satisfies StateReadOutcomeKind;
    }
    const retryable = isRetryableProviderError(err);
    log.warn('state read failed', { source_id: lease.source_id, error: errorMessage(err), retryable });
    await gateway
      .failStateRead(lease.source_id, { lease_id: lease.lease_id, reason: errorMessage(err).slice(0, 2000), retryable })
      .catch((failErr: unknown) => log.error('state read failure not recorded', { error: errorMessage(failErr) }));
    return 'failed' satisfies StateReadOutcomeKind;
  } finally {
    clearInterval(heartbeat);
    signal.removeEventListener('abort', stop);
  }
}

async function readObjects(
  lease: StateReadLease,
  location: StateLocation,
  deps: StateReadDeps,
  signal: AbortSignal,
): Promise<Found[]> {
  const backend = await deps.backendFor(location, deps.backendOptions);
  const objects = (await backend.list(signal))
    .map((name) => ({ objectName: name, state: stateObjectOf(location, name) }))
    .filter((o): o is { objectName: string; state: StateObject } => o.state !== null);
  const known = new Map(lease.known.map((k) => [`${k.workspace}\u0000${k.name}`, k]));
  const found: Found[] = [];
  for (const { objectName, state } of objects) {
    signal.throwIfAborted();
    const bytes = await backend.read(objectName, signal);
    if (bytes === null) continue;
    let header: ReturnType<typeof headerOf>;
    try {
      header = headerOf(bytes, state.name);
    } catch (err) {
      if (!(err instanceof StateParseError)) throw err;
      found.push({ name: state.name, outcome: 'invalid', message: err.message });
      continue;
    }
    if (sameAsKnown(known.get(`${state.workspace}\u0000${state.name}`), header)) {
      found.push({ name: state.name, outcome: 'unchanged' });
      continue;
    }
    found.push(await upload(deps.gateway, lease, state, bytes, signal));
  }
  return found;
}

async function upload(
  gateway: StateReadGateway,
  lease: StateReadLease,
  state: StateObject,
  bytes: Uint8Array,
  signal: AbortSignal,
): Promise<Found> {
  try {
    const result = await gateway.uploadState(lease.source_id, lease.lease_id, state.name, bytes, signal);
    return { name: state.name, outcome: result.outcome };
  } catch (err) {
    const refused = err instanceof GatewayError ? refusedState(err, state.name) : null;
    if (refused) return { ...refused, message: refused.message?.slice(0, 2000) };
    throw err;
  }
}
