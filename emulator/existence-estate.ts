import { isGlobalType, renderTemplate, templateAttributes } from '../contract/existence/index.js';
import type { DiscoveredResource, Provider } from '../contract/resource.js';
import { MAPPINGS, type TypeMapping } from '../engine/index.js';
import { hex, pick } from './rng.js';
import type { CloudEstateRequest } from './types.js';

/**
 * Existence-level resources of the sample estate: one of every type Cloud Control, Resource
 * Graph or Cloud Asset lists, spread over the accounts and regions. Each identifier is the
 * one its Terraform type's id rule renders (the first Terraform type of a cloud type, as the
 * state writer and codify pick it), from attribute values made up here, so a state written from
 * the estate matches it by the same rule the engine applies.
 */

const TEAMS = ['platform', 'payments', 'data', 'web'] as const;
/** A fixed time: the estate must not depend on the clock. */
const UPDATED = '2026-01-15T08:00:00Z';

/** The first existence-level mapping of each cloud type of a provider. */
export function existenceMappingsOf(provider: Provider): TypeMapping[] {
  const seen = new Set<string>();
  return MAPPINGS.filter((m) => {
    if (m.provider !== provider || m.level !== 'existence' || seen.has(m.cloudType)) return false;
    seen.add(m.cloudType);
    return true;
  });
}

/** `AWS::SNS::Topic` → `topic`, `Microsoft.Web/sites` → `sites`, `pubsub.googleapis.com/Topic` → `topic`. */
function slugOf(cloudType: string): string {
  const last = cloudType.split(/::|\//).at(-1) ?? 'resource';
  return last.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

/** `AWS::SNS::Topic` → `sns`: the ARN service of a CloudFormation type. */
const awsService = (cloudType: string) => (cloudType.split('::')[1] ?? 'aws').toLowerCase();

/** An ARM id of a (possibly nested) ARM type, as Azure builds them. */
function armId(cloudType: string, subscription: string, group: string, names: string[]): string {
  const [namespace, ...types] = cloudType.split('/');
  const path = types.map((t, i) => `${t}/${names[i]}`).join('/');
  return `/subscriptions/${subscription}/resourceGroups/${group}/providers/${namespace}/${path}`;
}

interface Placement {
  account: string;
  /** The cloud region, or `global`. */
  region: string;
}

/** Where a GCP resource of this template lives: its zone, its region, or global. */
function gcpRegion(template: string, region: string): string {
  const attrs = templateAttributes(template);
  if (attrs.includes('zone')) return `${region}-b`;
  return attrs.includes('region') || attrs.includes('location') ? region : 'global';
}

/** Made-up values for the attributes an id template reads. */
function templateValues(m: TypeMapping, at: Placement, rng: CloudEstateRequest['rng']): Record<string, string> {
  const name = `${slugOf(m.cloudType)}-${hex(rng, 8)}`;
  const region = at.region === 'global' ? '' : at.region;
  const values: Record<string, string> = {};
  for (const attr of templateAttributes(m.id.template ?? '{id}')) {
    if (m.provider === 'azure' && attr === 'id') {
      const names = m.cloudType
        .split('/')
        .slice(1)
        .map((t, i) => (i === 0 ? name : `${slugOf(t)}-${hex(rng, 4)}`));
      values[attr] = armId(m.cloudType, at.account, `rg-${pick(rng, TEAMS)}`, names);
    } else if (attr === 'project') values[attr] = at.account;
    else if (attr === 'zone') values[attr] = at.region;
    else if (attr === 'region' || attr === 'location') values[attr] = at.region.replace(/-[a-z]$/, '');
    else if (attr === 'arn')
      values[attr] = `arn:aws:${awsService(m.cloudType)}:${region}:${at.account}:${slugOf(m.cloudType)}/${name}`;
    else if (attr === 'url') values[attr] = `https://sqs.${region}.amazonaws.com/${at.account}/${name}`;
    else values[attr] = name;
  }
  return values;
}

function placementOf(m: TypeMapping, index: number, req: CloudEstateRequest): Placement {
  const account = req.accounts[index % req.accounts.length]!;
  const region = pick(req.rng, req.regions);
  if (m.provider === 'gcp') return { account, region: gcpRegion(m.id.template ?? '', region) };
  return { account, region: isGlobalType(m.provider, m.cloudType) ? 'global' : region };
}

/** The resource as its inventory lists it: Cloud Control properties, a Resource Graph row, Cloud Asset data. */
function attributesOf(m: TypeMapping, id: string, name: string, at: Placement, team: string): Record<string, unknown> {
  if (m.provider === 'aws') return { Tags: [{ Key: 'team', Value: team }] };
  if (m.provider === 'azure') return { id, name, type: m.cloudType, location: at.region, tags: { team } };
  const data: Record<string, unknown> = { name, labels: { team }, updateTime: UPDATED };
  if (m.cloudType === 'iam.googleapis.com/ServiceAccount') data.email = `${name}@${at.account}.iam.gserviceaccount.com`;
  return data;
}

/** One resource of every existence-level type of the cloud, accounts taken in turn. */
export function generateExistenceEstate(provider: Provider, req: CloudEstateRequest): DiscoveredResource[] {
  return existenceMappingsOf(provider).map((m, index) => {
    const at = placementOf(m, index, req);
    const id = renderTemplate(m.id.template ?? '{id}', templateValues(m, at, req.rng))!;
    const name = id.slice(Math.max(id.lastIndexOf('/'), id.lastIndexOf(':')) + 1);
    const team = pick(req.rng, TEAMS);
    return {
      provider,
      account: at.account,
      region: at.region,
      type: m.cloudType,
      id,
      name,
      attributes: attributesOf(m, id, name, at, team),
      tags: { team },
    };
  });
}
