import { parseTemplate, renderTemplate, templateAttributes } from '../contract/existence/index.js';
import type { DiscoveredResource } from '../contract/resource.js';
import type { TypeMapping } from '../engine/index.js';
import { hex } from './rng.js';
import type { Rng } from './types.js';

/**
 * State attributes of existence-level resources, for the Terraform state writer: the values
 * the type's id rule reads (its template read back from the identifier) and those that place
 * the resource (ARN, location, project), as the Terraform providers store them.
 */

const ASSET_NAME_HOST = /^\/\/[^/]+\//;

function templateOf(m: TypeMapping): string {
  if (!m.id.template) throw new Error(`${m.tfType} is not an existence-level type`);
  return m.id.template;
}

export function existenceAttributes(m: TypeMapping, r: DiscoveredResource): Record<string, unknown> {
  const values = parseTemplate(templateOf(m), r.id);
  if (!values) throw new Error(`${r.id} does not follow the id rule of ${m.tfType}`);
  const attrs: Record<string, unknown> = { ...values };
  // Google's Terraform ids are the asset name without its service host.
  attrs.id ??= r.provider === 'gcp' ? r.id.replace(ASSET_NAME_HOST, '') : r.id;
  const region = r.region === 'global' ? '' : r.region;
  if (r.provider === 'aws') {
    const service = (m.cloudType.split('::')[1] ?? 'aws').toLowerCase();
    attrs.arn ??= `arn:aws:${service}:${region}:${r.account}:${r.name ?? r.id}`;
    if (region) attrs.region = region;
  } else if (r.provider === 'azure') {
    attrs.name = r.name;
    if (region) attrs.location = region;
  } else {
    attrs.project ??= r.account;
  }
  return attrs;
}

/** A state resource for an object that is not in the cloud: the same id rule, its last value changed. */
export function existenceMissingTwin(
  m: TypeMapping,
  r: DiscoveredResource,
  rng: Rng,
): { id: string; attributes: Record<string, unknown> } {
  const template = templateOf(m);
  const values = parseTemplate(template, r.id) ?? {};
  const last = templateAttributes(template).at(-1)!;
  values[last] = `${values[last]}-gone${hex(rng, 4)}`;
  const id = renderTemplate(template, values)!;
  const name = id.slice(Math.max(id.lastIndexOf('/'), id.lastIndexOf(':')) + 1);
  return { id, attributes: existenceAttributes(m, { ...r, id, name }) };
}
