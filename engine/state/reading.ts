import { MAX_RESOURCE_JSON_DEPTH, nestedDeeperThan } from '../../contract/limits.js';
import { keptAttributes } from '../kept-attributes.js';
import { isRecord } from '../util/json.js';
import { instanceAddress } from './address.js';
import { StateParseError, tooDeep } from './errors.js';
import { isProviderIdentityType } from './provider-identity.js';
import { holdsKnownSecret } from './secret-attributes.js';
import { redactKnownSecrets, redactSensitive, type SensitiveKey } from './sensitive.js';
import type { InstanceNotKept, StateInstance, StateReadReport } from './types.js';
import { flatmapDepth, parseV3Modules, unflatten } from './v3.js';

/** What a state says of itself besides its resources. */
export interface StateHeader {
  version: 3 | 4;
  terraformVersion?: string;
  serial?: number;
  lineage?: string;
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

/**
 * The header of a state document, or the reason Terraform would not load it. Only the top-level
 * scalars are read, so a streamed reader can pass the document's top level without its resources.
 */
export function readStateHeader(doc: unknown, source: string): StateHeader {
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
  return {
    version,
    terraformVersion: typeof doc.terraform_version === 'string' ? doc.terraform_version : undefined,
    serial: typeof doc.serial === 'number' ? doc.serial : undefined,
    lineage: typeof doc.lineage === 'string' ? doc.lineage : undefined,
  };
}

/** The entries a state lists its resources in: v4's `resources` (absent means none), v3's `modules`. */
export function stateEntries(doc: Record<string, unknown>, version: 3 | 4, source: string): unknown[] {
  if (version === 3) {
    if (!Array.isArray(doc.modules))
      throw new StateParseError('not_terraform_state', 'a version 3 state needs a "modules" list', source);
    return doc.modules;
  }
  // Terraform loads a v4 state without `resources` (outputs only, or trimmed) as an empty one.
  if (doc.resources === undefined || doc.resources === null) return [];
  if (!Array.isArray(doc.resources))
    throw new StateParseError('not_terraform_state', '"resources" must be a list', source);
  return doc.resources;
}

function requireString(value: unknown, what: string, source: string): string {
  if (typeof value !== 'string' || value === '')
    throw new StateParseError('invalid_resource', `${what} must be a non-empty string`, source);
  return value;
}

/** A private copy, so redacting sensitive values never touches the caller's object. */
function structuredCloneJson(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
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

/** Whether a v4 resource writes some instance only in the legacy flatmap form. */
function usesFlatmap(resource: Record<string, unknown>): boolean {
  return (
    Array.isArray(resource.instances) &&
    resource.instances.some((i) => isRecord(i) && !isRecord(i.attributes) && isRecord(i.attributes_flat))
  );
}

/**
 * Reads one state's resources an entry at a time, into instances as stored and analysed, and
 * keeps the report of what it did not keep. Whether the whole document is in memory or streamed
 * an entry at a time, every instance passes the same steps: decoded, its sensitive values hashed
 * (those `sensitive_attributes` lists and those at known secret attributes), then only the
 * attributes analysis reads kept, large ones as digests (kept-attributes.ts).
 */
export class StateReader {
  private dataSourcesSkipped = 0;
  private readonly notKept: InstanceNotKept[] = [];
  private flatmapResources = 0;
  private kept = 0;
  private notStored = 0;
  private digests = 0;

  /** `copy`: the caller passed objects; redact a copy, never its own. */
  constructor(
    readonly source: string,
    private readonly key: SensitiveKey,
    private readonly copy: boolean,
  ) {}

  /** One entry of a v4 state's `resources`: its managed instances (a data source is only counted, a provider identity also kept). */
  v4Resource(resource: unknown, position: number): StateInstance[] {
    const { source } = this;
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
    if (usesFlatmap(resource)) this.flatmapResources++;
    const instances: unknown[] = Array.isArray(resource.instances) ? resource.instances : [];
    if (mode === 'data') {
      this.dataSourcesSkipped += instances.length;
      // Compared never, but a provider identity is kept for the account it names (provider-identity.ts).
      if (!isProviderIdentityType(resource.type)) return [];
    }
    const tfType = requireString(resource.type, `resources[${position}].type`, source);
    const name = requireString(resource.name, `resources[${position}].name`, source);
    const module = typeof resource.module === 'string' && resource.module !== '' ? resource.module : undefined;
    const addressType = mode === 'data' ? `data.${tfType}` : tfType;
    const provider = typeof resource.provider === 'string' ? resource.provider : '';
    const read: StateInstance[] = [];
    instances.forEach((inst, i) => {
      if (!isRecord(inst)) {
        this.notKept.push({
          address: `${instanceAddress(module, addressType, name)} (instance ${i})`,
          reason: 'the instance is not an object',
        });
        return;
      }
      const indexKey =
        typeof inst.index_key === 'string' || typeof inst.index_key === 'number' ? inst.index_key : undefined;
      const address = instanceAddress(module, addressType, name, indexKey);
      if (nestsTooDeep(inst)) throw tooDeep(address, source);
      const attributes = instanceAttributes(inst, tfType, this.copy);
      if (!attributes) {
        this.notKept.push({ address, reason: 'the instance has neither "attributes" nor "attributes_flat"' });
        return;
      }
      redactSensitive(attributes, inst.sensitive_attributes, this.key);
      redactKnownSecrets(tfType, attributes, this.key);
      read.push({
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
    return read.map((instance) => this.stored(instance));
  }

  /** One entry of a v3 state's `modules`: its instances (data sources only counted). */
  v3Module(mod: unknown): StateInstance[] {
    const read = parseV3Modules([mod], this.source, this.key);
    this.dataSourcesSkipped += read.dataSourcesSkipped;
    this.notKept.push(...read.notKept);
    return read.instances.map((instance) => this.stored(instance));
  }

  /** Data-source instances read so far. */
  get dataSources(): number {
    return this.dataSourcesSkipped;
  }

  /** What reading understood of the state: call once every entry is read. */
  report(): StateReadReport {
    const warnings =
      this.flatmapResources > 0
        ? [
            `${this.flatmapResources} resource(s) use the legacy "attributes_flat" form: their values are read as text, numbers and booleans are inferred`,
          ]
        : [];
    return {
      source: this.source,
      instances_kept: this.kept,
      data_sources_skipped: this.dataSourcesSkipped,
      not_kept: this.notKept,
      warnings,
      attributes_not_stored: this.notStored,
      values_stored_as_digests: this.digests,
    };
  }

  /** The instance as stored and analysed: only the attributes analysis reads, large ones as digests. */
  private stored(instance: StateInstance): StateInstance {
    const kept = keptAttributes(instance.tfType, instance.attributes, this.key);
    this.kept++;
    this.notStored += kept.dropped;
    this.digests += kept.digested;
    return { ...instance, attributes: kept.attributes };
  }
}
