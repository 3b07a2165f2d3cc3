import { MAX_RESOURCE_JSON_DEPTH } from '../../contract/limits.js';
import { isRecord } from '../util/json.js';
import { instanceAddress } from './address.js';
import { StateParseError, tooDeep } from './errors.js';
import { hashSensitive, redactKnownSecrets, type SensitiveKey } from './sensitive.js';
import type { InstanceNotKept, StateInstance } from './types.js';

type Tree = { [key: string]: Tree | string };

/** Identifiers stay text even when they look like numbers (`"1361"`, a 12-digit account id). */
const isIdKey = (key: string) => key === 'id' || key.endsWith('_id') || key.endsWith('_ids') || key === 'arn';

/** "true" → true, "42" → 42: flatmap stores every scalar as a string. */
function coerceScalar(text: string, key: string): unknown {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (!isIdKey(key) && /^(0|-?[1-9]\d{0,14})$/.test(text)) return Number(text);
  return text;
}

function materialise(node: Tree | string, key: string): unknown {
  if (typeof node === 'string') return coerceScalar(node, key);
  if ('#' in node) {
    return Object.keys(node)
      .filter((k) => k !== '#')
      .sort((a, b) => Number(a) - Number(b) || a.localeCompare(b))
      .map((k) => materialise(node[k]!, key));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    // Map values (under a `%` count) stay strings: tag values like "007" must not become numbers.
    if (k !== '%') out[k] = '%' in node && typeof v === 'string' ? v : materialise(v, k);
  }
  return out;
}

/** How deep the JSON a flatmap unflattens to would nest: its longest key, in dot-separated parts. */
export function flatmapDepth(flat: Record<string, unknown>): number {
  let depth = 0;
  for (const key of Object.keys(flat)) depth = Math.max(depth, key.split('.').length);
  return depth;
}

/**
 * Turns flatmap `{"tags.%": "1", "tags.Name": "x", "ids.#": "1", "ids.0": "a"}` (v3's
 * `primary.attributes`, v4's `attributes_flat`) into nested JSON. Map keys containing dots are
 * rare in state and are split like Terraform 0.11 did.
 */
export function unflatten(flat: Record<string, unknown>): Record<string, unknown> {
  const root: Tree = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = root;
    for (let i = 0; i < parts.length - 1; i++) {
      const existing = node[parts[i]!];
      if (typeof existing !== 'object') node[parts[i]!] = {};
      node = node[parts[i]!] as Tree;
    }
    node[parts[parts.length - 1]!] = String(value);
  }
  return materialise(root, '') as Record<string, unknown>;
}

/** `["root","net","web"]` → `module.net.module.web`. */
function moduleAddress(path: unknown): string | undefined {
  if (!Array.isArray(path)) return undefined;
  const names = path.slice(1).filter((p): p is string => typeof p === 'string');
  return names.length ? names.map((n) => `module.${n}`).join('.') : undefined;
}

/** `aws_instance.web.1` → type, name, index. */
function splitV3Key(key: string): { tfType: string; name: string; index?: number } {
  const parts = key.split('.');
  const last = parts[parts.length - 1]!;
  const index = parts.length >= 3 && /^\d+$/.test(last) ? Number(last) : undefined;
  return { tfType: parts[0]!, name: parts[1] ?? '', index };
}

function readPrimary(primary: unknown): { attributes: Record<string, unknown>; tainted: boolean } | undefined {
  if (!isRecord(primary)) return undefined;
  if (!isRecord(primary.attributes) && typeof primary.id !== 'string') return undefined;
  const attributes = unflatten(isRecord(primary.attributes) ? primary.attributes : {});
  if (attributes.id === undefined && typeof primary.id === 'string') attributes.id = primary.id;
  return { attributes, tainted: primary.tainted === true };
}

/** v3 had no sensitive paths in state; anything the provider marked sensitive in `meta` is hashed. */
function redactV3(attributes: Record<string, unknown>, sensitive: string[], key: SensitiveKey): void {
  for (const name of sensitive)
    if (attributes[name] !== undefined) attributes[name] = hashSensitive(attributes[name], key);
}

export function parseV3Modules(
  modules: unknown[],
  source: string,
  hashKey: SensitiveKey,
): { instances: StateInstance[]; dataSourcesSkipped: number; notKept: InstanceNotKept[] } {
  const instances: StateInstance[] = [];
  const notKept: InstanceNotKept[] = [];
  let dataSourcesSkipped = 0;
  for (const mod of modules) {
    if (!isRecord(mod)) throw new StateParseError('not_terraform_state', 'modules[] entries must be objects', source);
    const module = moduleAddress(mod.path);
    for (const [key, res] of Object.entries(isRecord(mod.resources) ? mod.resources : {})) {
      if (key.startsWith('data.')) {
        dataSourcesSkipped++;
        continue;
      }
      const { tfType, name, index } = splitV3Key(key);
      if (!isRecord(res)) {
        notKept.push({
          address: instanceAddress(module, tfType, name, index),
          reason: 'the resource entry is not an object',
        });
        continue;
      }
      const tf = typeof res.type === 'string' ? res.type : tfType;
      const provider = typeof res.provider === 'string' ? res.provider : '';
      const sensitive = Array.isArray(res.sensitive_attributes)
        ? res.sensitive_attributes.filter((s): s is string => typeof s === 'string')
        : [];
      const objects: { obj: unknown; deposed?: string }[] = [{ obj: res.primary }];
      if (Array.isArray(res.deposed)) {
        for (const [i, obj] of res.deposed.entries()) objects.push({ obj, deposed: `v3-${i}` });
      }
      for (const { obj, deposed } of objects) {
        if (isRecord(obj) && isRecord(obj.attributes) && flatmapDepth(obj.attributes) > MAX_RESOURCE_JSON_DEPTH) {
          throw tooDeep(instanceAddress(module, tf, name, index), source);
        }
        const read = readPrimary(obj);
        if (!read) {
          const which = deposed === undefined ? 'primary' : 'deposed';
          notKept.push({
            address: instanceAddress(module, tf, name, index),
            reason: `its ${which} object has no attributes`,
          });
          continue;
        }
        redactV3(read.attributes, sensitive, hashKey);
        redactKnownSecrets(tf, read.attributes, hashKey);
        instances.push({
          source,
          address: instanceAddress(module, tf, name, index),
          module,
          tfType: tf,
          name,
          provider,
          indexKey: index,
          tainted: read.tainted,
          deposed,
          attributes: read.attributes,
        });
      }
    }
  }
  return { instances, dataSourcesSkipped, notKept };
}
