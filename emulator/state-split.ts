import { isRecord } from '../engine/index.js';
import type { TerraformStateV4 } from './terraform-state.js';

type StateResource = TerraformStateV4['resources'][number];

/** One state file of a split estate: where a team would keep it, and what it holds. */
export interface StateFile {
  /** `<cloud>-<account>-<environment>-<component>.tfstate`, unique across the estate. */
  name: string;
  state: TerraformStateV4;
}

const CLOUDS: [prefix: string, cloud: string][] = [
  ['aws_', 'aws'],
  ['azurerm_', 'azure'],
  ['google_', 'gcp'],
];

/** Tag or label keys that name an environment, as each cloud's resources carry them. */
const ENVIRONMENT_KEYS = ['Environment', 'environment', 'env'];

function attributesOf(r: StateResource): Record<string, unknown> {
  return r.instances.find((i) => !i.deposed)?.attributes ?? r.instances[0]?.attributes ?? {};
}

/**
 * The account a resource block belongs to: an AWS provider alias is one account and region
 * (its last part the account's last four digits); an Azure id names its subscription, a GCP
 * one its project.
 */
function accountOf(cloud: string, r: StateResource): string {
  if (cloud === 'aws') return /_(\d{4})$/.exec(r.provider)?.[1] ?? 'shared';
  const attrs = attributesOf(r);
  const id = String(attrs.id ?? attrs.self_link ?? '');
  const scope =
    cloud === 'azure'
      ? /\/subscriptions\/([^/]+)/i.exec(id)?.[1]
      : (/projects\/([^/]+)/.exec(id)?.[1] ?? attrs.project);
  return typeof scope === 'string' && scope !== '' ? scope.toLowerCase().slice(0, 12) : 'shared';
}

function environmentOf(r: StateResource): string {
  const attrs = attributesOf(r);
  for (const bag of [attrs.tags, attrs.labels]) {
    if (!isRecord(bag)) continue;
    for (const key of ENVIRONMENT_KEYS) if (typeof bag[key] === 'string') return String(bag[key]).toLowerCase();
  }
  return 'shared';
}

/** Networks in one state, workloads in another, what sits at the root in a core one. */
function componentOf(r: StateResource): string {
  if (!r.module) return 'core';
  return /network|vpc/.test(r.module) ? 'network' : r.module.split('.')[1]!;
}

/** Which file a resource block goes to. */
function fileKeyOf(r: StateResource): string {
  const cloud = CLOUDS.find(([prefix]) => r.type.startsWith(prefix))?.[1] ?? 'other';
  return [cloud, accountOf(cloud, r), environmentOf(r), componentOf(r)].join('-');
}

/** A stable lineage per file name, so importing the same split again replaces each state in place. */
function lineageOf(name: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  const hex = (h >>> 0).toString(16).padStart(8, '0');
  return `${hex}-0000-4000-8000-${hex}${hex.slice(0, 4)}`;
}

/**
 * Splits one estate-wide state into the files an organisation keeps: one per cloud account,
 * environment (the resources' Environment tag or env label) and component (network, workload,
 * core), each a state of its own with the resource blocks it manages: nothing is lost or repeated.
 */
export function splitState(state: TerraformStateV4): StateFile[] {
  const files = new Map<string, StateResource[]>();
  for (const r of state.resources) {
    const key = fileKeyOf(r);
    let blocks = files.get(key);
    if (!blocks) files.set(key, (blocks = []));
    blocks.push(r);
  }
  return [...files].map(([key, resources]) => {
    const name = `${key}.tfstate`;
    return { name, state: { ...state, serial: 1, lineage: lineageOf(name), outputs: {}, resources } };
  });
}
