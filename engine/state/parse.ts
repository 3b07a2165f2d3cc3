import { isRecord } from '../util/json.js';
import { instanceAddress } from './address.js';
import { StateParseError } from './errors.js';
import { redactSensitive } from './sensitive.js';
import type { ParsedState, StateInstance } from './types.js';
import { parseV3Modules } from './v3.js';

function requireString(value: unknown, what: string, source: string): string {
  if (typeof value !== 'string' || value === '') throw new StateParseError('invalid_resource', `${what} must be a non-empty string`, source);
  return value;
}

function parseV4Resource(resource: unknown, position: number, source: string, copy: boolean, out: StateInstance[]): boolean {
  if (!isRecord(resource)) throw new StateParseError('invalid_resource', `resources[${position}] is not an object`, source);
  if (resource.mode === 'data') return false;
  const tfType = requireString(resource.type, `resources[${position}].type`, source);
  const name = requireString(resource.name, `resources[${position}].name`, source);
  const module = typeof resource.module === 'string' && resource.module !== '' ? resource.module : undefined;
  const provider = typeof resource.provider === 'string' ? resource.provider : '';
  if (!Array.isArray(resource.instances)) {
    throw new StateParseError('invalid_resource', `resources[${position}] (${tfType}.${name}) has no instances list`, source);
  }
  for (const inst of resource.instances) {
    if (!isRecord(inst) || !isRecord(inst.attributes)) continue;
    const indexKey = typeof inst.index_key === 'string' || typeof inst.index_key === 'number' ? inst.index_key : undefined;
    const hasSensitive = Array.isArray(inst.sensitive_attributes) && inst.sensitive_attributes.length > 0;
    const attributes = copy && hasSensitive ? structuredCloneJson(inst.attributes) : inst.attributes;
    redactSensitive(attributes, inst.sensitive_attributes);
    out.push({
      source,
      address: instanceAddress(module, tfType, name, indexKey),
      module,
      tfType,
      name,
      provider,
      indexKey,
      tainted: inst.status === 'tainted',
      deposed: typeof inst.deposed === 'string' ? inst.deposed : undefined,
      attributes,
    });
  }
  return true;
}

/** A private copy, so redacting sensitive values never touches the caller's object. */
function structuredCloneJson(value: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

function parseDocument(doc: unknown, source: string, copy: boolean): ParsedState {
  if (!isRecord(doc)) throw new StateParseError('not_terraform_state', 'expected a JSON object with "version" and "resources"', source);
  const version = doc.version;
  if (typeof version !== 'number') {
    throw new StateParseError('not_terraform_state', 'no numeric "version" field: this is not a Terraform state', source);
  }
  const header = {
    source,
    version,
    terraformVersion: typeof doc.terraform_version === 'string' ? doc.terraform_version : undefined,
    serial: typeof doc.serial === 'number' ? doc.serial : undefined,
    lineage: typeof doc.lineage === 'string' ? doc.lineage : undefined,
  };
  if (version === 3) {
    if (!Array.isArray(doc.modules)) throw new StateParseError('not_terraform_state', 'a version 3 state needs a "modules" list', source);
    const { instances, dataSourcesSkipped } = parseV3Modules(doc.modules, source);
    return { ...header, instances, dataSourcesSkipped };
  }
  if (version !== 4) {
    throw new StateParseError('unsupported_version', `state version ${version} is not supported (versions 3 and 4 are)`, source);
  }
  if (!Array.isArray(doc.resources)) throw new StateParseError('not_terraform_state', 'a version 4 state needs a "resources" list', source);
  const instances: StateInstance[] = [];
  let dataSourcesSkipped = 0;
  doc.resources.forEach((resource, i) => {
    if (!parseV4Resource(resource, i, source, copy, instances)) dataSourcesSkipped++;
  });
  return { ...header, instances, dataSourcesSkipped };
}

/**
 * Reads a Terraform state (v4, or v3's `modules[].resources`) from its JSON text or an
 * already-parsed object. Sensitive values are hashed on the way in; data sources skipped.
 * Throws {@link StateParseError} for input that is not JSON or not a Terraform state.
 */
export function parseTerraformState(input: string | unknown, source = 'terraform.tfstate'): ParsedState {
  if (typeof input !== 'string') return parseDocument(input, source, true);
  let doc: unknown;
  try {
    doc = JSON.parse(input);
  } catch (err) {
    throw new StateParseError('not_json', `not valid JSON (${(err as Error).message})`, source);
  }
  return parseDocument(doc, source, false);
}
