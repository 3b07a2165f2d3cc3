import { renderTemplate } from '../../contract/existence/index.js';
import type { DiscoveredResource } from '../../contract/resource.js';
import { getPath } from '../util/path.js';
import type { IdKind, ScopeSource, TypeMapping } from './types.js';

const GCP_PREFIXES = [
  '//compute.googleapis.com/',
  'https://www.googleapis.com/compute/v1/',
  'https://compute.googleapis.com/compute/v1/',
];

/** Id normalisers: the same resource must give the same key whichever side spelled it. */
const ID_NORMALISERS: Record<IdKind, (id: string) => string> = {
  // ARNs (arn:aws:ec2:r:a:instance/i-1) carry the id as their last path segment.
  aws: (id) => (id.startsWith('arn:') ? id.slice(id.lastIndexOf('/') + 1) : id),
  // ARM ids are case-insensitive; trailing slashes appear in hand-built ids.
  azure: (id) => {
    const lower = id.toLowerCase();
    return lower.endsWith('/') ? lower.replace(/\/+$/, '') : lower;
  },
  'gcp-path': (id) => {
    if (id.startsWith('projects/')) return id;
    for (const prefix of GCP_PREFIXES) if (id.startsWith(prefix)) return id.slice(prefix.length);
    return id;
  },
  'gcp-bucket': (id) =>
    id.replace(/^\/\/storage\.googleapis\.com\//, '').replace(/^https:\/\/www\.googleapis\.com\/storage\/v1\/b\//, ''),
  // Cloud Control identifiers are compared as the API spells them (names, ARNs, URLs).
  exact: (id) => id,
  // Full Cloud Asset names (`//pubsub.googleapis.com/projects/p/topics/t`) are compared whole.
  'gcp-asset': (id) => id,
};

/** The service host a full Cloud Asset name starts with: `//pubsub.googleapis.com/`. */
const ASSET_NAME_HOST = /^\/\/[^/]+\//;

export function normaliseId(kind: IdKind, id: string): string {
  return ID_NORMALISERS[kind](id);
}

/** The hash-index key of a resource: cloud type plus normalised id. */
export function matchKey(mapping: TypeMapping, id: string): string {
  return `${mapping.cloudType}|${normaliseId(mapping.id.kind, id)}`;
}

export function stateIdOf(mapping: TypeMapping, attributes: Record<string, unknown>): string | undefined {
  if (mapping.id.template) return renderTemplate(mapping.id.template, attributes);
  const id = attributes[mapping.id.tf];
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The id `terraform import` takes for this resource. */
export function importIdOf(mapping: TypeMapping, resource: DiscoveredResource): string {
  if (mapping.importId) {
    const v = getPath(resource.attributes, mapping.importId.cloudPath);
    if (typeof v === 'string' && v !== '') return v;
  }
  if (mapping.id.kind === 'gcp-asset') return resource.id.replace(ASSET_NAME_HOST, '');
  return mapping.id.kind === 'gcp-path' ? normaliseId('gcp-path', resource.id) : resource.id;
}

const ATTR_FORMS: Record<Extract<ScopeSource, { from: 'attr' }>['form'], (v: string) => string> = {
  'as-is': (v) => v,
  'az-to-region': (v) => v.replace(/[a-z]$/, ''),
  'azure-location': (v) => v.toLowerCase().replace(/\s+/g, ''),
  lower: (v) => v.toLowerCase(),
};

type ScopeField = 'account' | 'region';

function fromArn(attributes: Record<string, unknown>, field: ScopeField): string | undefined {
  const arn = attributes.arn;
  if (typeof arn !== 'string' || !arn.startsWith('arn:')) return undefined;
  const parts = arn.split(':');
  return (field === 'region' ? parts[3] : parts[4]) || undefined;
}

function fromAzureId(attributes: Record<string, unknown>): string | undefined {
  const id = attributes.id;
  return typeof id === 'string' ? /^\/subscriptions\/([^/]+)/i.exec(id)?.[1]?.toLowerCase() : undefined;
}

function fromGcpId(attributes: Record<string, unknown>, field: ScopeField): string | undefined {
  const id = attributes.id ?? attributes.self_link;
  if (typeof id !== 'string') return undefined;
  const path = normaliseId('gcp-path', id);
  if (field === 'account') return /^projects\/([^/]+)/.exec(path)?.[1];
  const location = /^projects\/[^/]+\/(zones|regions|locations)\/([^/]+)/.exec(path)?.[2];
  return location ?? (/^projects\/[^/]+\/global\//.test(path) ? 'global' : undefined);
}

function resolve(source: ScopeSource, attributes: Record<string, unknown>, field: ScopeField): string | undefined {
  switch (source.from) {
    case 'arn':
      return fromArn(attributes, field);
    case 'azure-id':
      return fromAzureId(attributes);
    case 'gcp-id':
      return fromGcpId(attributes, field);
    case 'fixed':
      return source.value;
    case 'attr': {
      const v = getPath(attributes, source.path);
      return typeof v === 'string' && v !== '' ? ATTR_FORMS[source.form](v) : undefined;
    }
  }
}

/** Account and region of a state resource, from ARNs, ids and location attributes (undefined when unknown). */
export function stateScopeOf(
  mapping: TypeMapping,
  attributes: Record<string, unknown>,
): { account?: string; region?: string } {
  const first = (sources: ScopeSource[], field: ScopeField) => {
    for (const s of sources) {
      const v = resolve(s, attributes, field);
      if (v) return v;
    }
    return undefined;
  };
  return { account: first(mapping.account, 'account'), region: first(mapping.region, 'region') };
}
