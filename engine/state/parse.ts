import { decodeStateText } from './decode.js';
import { StateParseError } from './errors.js';
import { readStateHeader, StateReader, stateEntries } from './reading.js';
import { processSensitiveKey, type SensitiveKey } from './sensitive.js';
import type { ParsedState, StateReadReport } from './types.js';

/** How to read a state. */
export interface ReadStateOptions {
  /**
   * The key sensitive values are hashed with (see sensitive.ts): the deployment's, so states
   * and the analyses that compare them agree. Without one, a random key for this process.
   */
  sensitiveKey?: SensitiveKey;
}

/**
 * Reads a whole document: its header, then each of its entries as a streamed read would
 * (reading.ts), so both give the same instances and report.
 */
function parseDocument(
  doc: unknown,
  source: string,
  key: SensitiveKey,
  copy: boolean,
): { state: ParsedState; report: StateReadReport } {
  const header = readStateHeader(doc, source);
  const entries = stateEntries(doc as Record<string, unknown>, header.version, source);
  const reader = new StateReader(source, key, copy);
  const instances = entries.flatMap((entry, i) =>
    header.version === 3 ? reader.v3Module(entry) : reader.v4Resource(entry, i),
  );
  const state: ParsedState = { source, ...header, instances, dataSourcesSkipped: reader.dataSources };
  return { state, report: reader.report() };
}

/**
 * Reads a Terraform state (v4, or v3's `modules[].resources`) from its bytes, its text or an
 * already-parsed object, with a report of everything it did not keep. Sensitive values are
 * hashed on the way in, those `sensitive_attributes` lists and those at known secret attributes
 * (secret-attributes.ts); only the attributes analysis reads are kept; data sources are counted
 * and skipped, but for those naming a provider configuration's account (provider-identity.ts),
 * kept as instances that are never compared. Throws {@link StateParseError},
 * naming the file and the cause, for input Terraform itself would not load.
 */
export function readTerraformState(
  input: Uint8Array | string | unknown,
  source = 'terraform.tfstate',
  options: ReadStateOptions = {},
): { state: ParsedState; report: StateReadReport } {
  const key = options.sensitiveKey ?? processSensitiveKey();
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) return parseDocument(input, source, key, true);
  const text = decodeStateText(input, source);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new StateParseError('not_json', `not valid JSON (${(err as Error).message})`, source);
  }
  return parseDocument(doc, source, key, false);
}

/** {@link readTerraformState} without the report. */
export function parseTerraformState(
  input: Uint8Array | string | unknown,
  source = 'terraform.tfstate',
  options: ReadStateOptions = {},
): ParsedState {
  return readTerraformState(input, source, options).state;
}
