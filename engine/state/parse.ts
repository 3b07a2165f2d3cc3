import { MAX_RESOURCE_JSON_DEPTH, nestedDeeperThan } from '../../contract/limits.js';
import { keptAttributes } from '../kept-attributes.js';
import { isRecord } from '../util/json.js';
import { instanceAddress } from './address.js';
import { decodeStateText } from './decode.js';
import { StateParseError, tooDeep } from './errors.js';
import { holdsKnownSecret } from './secret-attributes.js';
import { processSensitiveKey, redactKnownSecrets, redactSensitive, type SensitiveKey } from './sensitive.js';
import type { InstanceNotKept, ParsedState, StateInstance, StateReadReport } from './types.js';
import { flatmapDepth, parseV3Modules, unflatten } from './v3.js';

/** How to read a state. */
export interface ReadStateOptions {
  /**
   * The key sensitive values are hashed with (see sensitive.ts): the deployment's, so states
   * and the analyses that compare them agree. Without one, a random key for this process.
   */
  sensitiveKey?: SensitiveKey;
}

/** What the readers of one state share: where it came from, whether to copy, the hashing key. */
interface Reading {
  source: string;
  /** The caller passed objects: redact a copy, never its own. */
  copy: boolean;
  key: SensitiveKey;
}

/** What reading one state's resources gathered, besides the header. */
interface Gathered {
  instances: StateInstance[];
  dataSourcesSkipped: number;
  notKept: InstanceNotKept[];
  warnings: string[];
}

function requireString(value: unknown, what: string, source: string): string {
  if (typeof value !== 'string' || value === '')
    throw new StateParseError('invalid_resource', `${what} must be a non-empty string`, source);
  return value;
}

/**
 * An instance's attributes as Terraform's v4 reader takes them: `attributes` (JSON), or the
 * flatmap `attributes_flat` that 0.12-era upgrades of v3 states and legacy SDK providers write.
 */
function instanceAttributes(
  inst: Record<string, unknown>,
  tfType: string,
  copy: boolean,
): Record<string, unknown> | undefined {
  if (isRecord(inst.attributes)) {
    const hasSensitive = Array.isArray(inst.sensitive_attributes) && inst.sensitive_attributes.length > 0;
    return copy && (hasSensitive || holdsKnownSecret(tfType, inst.attributes))
      ? structuredCloneJson(inst.attributes)
      : inst.attributes;
  }
  if (isRecord(inst.attributes_flat)) return unflatten(inst.attributes_flat);
  return undefined;
}

/** Whether an instance's attributes nest deeper than the engine and storage go; checked before anything walks them. */
function nestsTooDeep(inst: Record<string, unknown>): boolean {
  if (isRecord(inst.attributes)) return nestedDeeperThan(inst.attributes, MAX_RESOURCE_JSON_DEPTH);
  return isRecord(inst.attributes_flat) && flatmapDepth(inst.attributes_flat) > MAX_RESOURCE_JSON_DEPTH;
}

function parseV4Resource(resource: unknown, position: number, reading: Reading, out: Gathered): void {
  const { source } = reading;
  if (!isRecord(resource))
    throw new StateParseError('invalid_resource', `resources[${position}] is not an object`, source);
  // Terraform's reader knows two modes; an older writer that left the key out meant a managed one.
  const mode = resource.mode ?? 'managed';
  if (mode !== 'managed' && mode !== 'data') {
    throw new StateParseError(
      'invalid_resource',
      `resources[${position}] has mode ${JSON.stringify(mode)}; Terraform reads only "managed" and "data"`,
      source,
    );
  }
  const instances: unknown[] = Array.isArray(resource.instances) ? resource.instances : [];
  if (mode === 'data') {
    out.dataSourcesSkipped += instances.length;
    return;
  }
  const tfType = requireString(resource.type, `resources[${position}].type`, source);
  const name = requireString(resource.name, `resources[${position}].name`, source);
  const module = typeof resource.module === 'string' && resource.module !== '' ? resource.module : undefined;
  const provider = typeof resource.provider === 'string' ? resource.provider : '';
  instances.forEach((inst, i) => {
    if (!isRecord(inst)) {
      out.notKept.push({
        address: `${instanceAddress(module, tfType, name)} (instance ${i})`,
        reason: 'the instance is not an object',
      });
      return;
    }
    const indexKey =
      typeof inst.index_key === 'string' || typeof inst.index_key === 'number' ? inst.index_key : undefined;
    const address = instanceAddress(module, tfType, name, indexKey);
    if (nestsTooDeep(inst)) throw tooDeep(address, source);
    const attributes = instanceAttributes(inst, tfType, reading.copy);
    if (!attributes) {
      out.notKept.push({ address, reason: 'the instance has neither "attributes" nor "attributes_flat"' });
      return;
    }
    redactSensitive(attributes, inst.sensitive_attributes, reading.key);
    redactKnownSecrets(tfType, attributes, reading.key);
    out.instances.push({
      source,
      address,
      module,
      tfType,
      name,
      provider,
      indexKey,
      tainted: inst.status === 'tainted',
      deposed: typeof inst.deposed === 'string' ? inst.deposed : undefined,
      attributes,
    });
  });
}

/** A private copy, so redacting sensitive values never touches the caller's object. */
function structuredCloneJson(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

/** Versions 1 and 2 predate Terraform 0.9; only Terraform itself can upgrade them. */
function unsupportedVersion(version: number, source: string): StateParseError {
  const hint =
    version < 3
      ? 'it predates Terraform 0.9: run `terraform state pull > upgraded.tfstate` with Terraform 0.11 to upgrade it, then import that'
      : 'it is newer than this DriftMgr reads (versions 3 and 4)';
  return new StateParseError(
    'unsupported_version',
    `state format version ${version} is not supported: ${hint}`,
    source,
  );
}

function gatherV4(doc: Record<string, unknown>, reading: Reading): Gathered {
  const { source } = reading;
  const gathered: Gathered = { instances: [], dataSourcesSkipped: 0, notKept: [], warnings: [] };
  // Terraform loads a v4 state without `resources` (outputs only, or trimmed) as an empty one.
  if (doc.resources === undefined || doc.resources === null) return gathered;
  if (!Array.isArray(doc.resources))
    throw new StateParseError('not_terraform_state', '"resources" must be a list', source);
  for (const [i, resource] of doc.resources.entries()) parseV4Resource(resource, i, reading, gathered);
  const flat = doc.resources.filter(
    (r) =>
      isRecord(r) &&
      Array.isArray(r.instances) &&
      r.instances.some((i) => isRecord(i) && !isRecord(i.attributes) && isRecord(i.attributes_flat)),
  );
  if (flat.length > 0) {
    gathered.warnings.push(
      `${flat.length} resource(s) use the legacy "attributes_flat" form: their values are read as text, numbers and booleans are inferred`,
    );
  }
  return gathered;
}

function gatherV3(doc: Record<string, unknown>, { source, key }: Reading): Gathered {
  if (!Array.isArray(doc.modules))
    throw new StateParseError('not_terraform_state', 'a version 3 state needs a "modules" list', source);
  return { ...parseV3Modules(doc.modules, source, key), warnings: [] };
}

/**
 * The instances as stored and analysed: only the attributes analysis reads, large ones as
 * digests (kept-attributes.ts). Every reader of a state passes here, so the gateway's import
 * and the offline CLI see the same instances.
 */
function storedInstances(instances: readonly StateInstance[], key: SensitiveKey) {
  let notStored = 0;
  let digests = 0;
  const stored = instances.map((instance) => {
    const kept = keptAttributes(instance.tfType, instance.attributes, key);
    notStored += kept.dropped;
    digests += kept.digested;
    return { ...instance, attributes: kept.attributes };
  });
  return { instances: stored, notStored, digests };
}

function parseDocument(doc: unknown, reading: Reading): { state: ParsedState; report: StateReadReport } {
  const { source } = reading;
  if (!isRecord(doc))
    throw new StateParseError('not_terraform_state', 'expected a JSON object with "version" and "resources"', source);
  const version = doc.version;
  if (typeof version !== 'number') {
    throw new StateParseError(
      'not_terraform_state',
      'no numeric "version" field: this is not a Terraform state',
      source,
    );
  }
  if (version !== 3 && version !== 4) throw unsupportedVersion(version, source);
  const gathered = version === 3 ? gatherV3(doc, reading) : gatherV4(doc, reading);
  const stored = storedInstances(gathered.instances, reading.key);
  const state: ParsedState = {
    source,
    version,
    terraformVersion: typeof doc.terraform_version === 'string' ? doc.terraform_version : undefined,
    serial: typeof doc.serial === 'number' ? doc.serial : undefined,
    lineage: typeof doc.lineage === 'string' ? doc.lineage : undefined,
    instances: stored.instances,
    dataSourcesSkipped: gathered.dataSourcesSkipped,
  };
  const report: StateReadReport = {
    source,
    instances_kept: stored.instances.length,
    data_sources_skipped: gathered.dataSourcesSkipped,
    not_kept: gathered.notKept,
    warnings: gathered.warnings,
    attributes_not_stored: stored.notStored,
    values_stored_as_digests: stored.digests,
  };
  return { state, report };
}

/**
 * Reads a Terraform state (v4, or v3's `modules[].resources`) from its bytes, its text or an
 * already-parsed object, with a report of everything it did not keep. Sensitive values are
 * hashed on the way in, those `sensitive_attributes` lists and those at known secret attributes
 * (secret-attributes.ts); only the attributes analysis reads are kept; data sources are counted
 * and skipped. Throws {@link StateParseError},
 * naming the file and the cause, for input Terraform itself would not load.
 */
export function readTerraformState(
  input: Uint8Array | string | unknown,
  source = 'terraform.tfstate',
  options: ReadStateOptions = {},
): { state: ParsedState; report: StateReadReport } {
  const key = options.sensitiveKey ?? processSensitiveKey();
  if (typeof input !== 'string' && !(input instanceof Uint8Array))
    return parseDocument(input, { source, copy: true, key });
  const text = decodeStateText(input, source);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new StateParseError('not_json', `not valid JSON (${(err as Error).message})`, source);
  }
  return parseDocument(doc, { source, copy: false, key });
}

/** {@link readTerraformState} without the report. */
export function parseTerraformState(
  input: Uint8Array | string | unknown,
  source = 'terraform.tfstate',
  options: ReadStateOptions = {},
): ParsedState {
  return readTerraformState(input, source, options).state;
}
