import { isRecord } from '../util/json.js';
import { list, records, str } from './values.js';

/**
 * Structural conversions for types read from the clouds' inventories (Resource Graph
 * properties, Cloud Asset resource data): ARM's `Enabled`/`Disabled` switches, byte sizes,
 * CIDR blocks written as objects, and Cloud Run's annotations, whose keys contain dots.
 */

/** ARM spells many switches `Enabled`/`Disabled`; Terraform holds a bool. */
function enabledSwitch(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? undefined;
  const v = value.toLowerCase();
  return v === 'enabled' ? true : v === 'disabled' ? false : value;
}

const GIB = 1024 ** 3;

/** `properties.maxSizeBytes` → GB as Terraform's `max_size_gb` counts them. */
const bytesToGib = (value: unknown): unknown =>
  typeof value === 'number' ? value / GIB : typeof value === 'string' && value !== '' ? Number(value) / GIB : value;

/** CIDR blocks written as objects (`{value, name}`, `{cidr_block}`, `{cidrBlock}`) → the ranges alone. */
const cidrValues = (value: unknown): string[] =>
  records(value).flatMap((r) => {
    const cidr = str(r.value ?? r.cidr_block ?? r.cidrBlock);
    return cidr ? [cidr] : [];
  });

/** Cloud Run (Knative) ingress annotation → the v2 API's enum Terraform's v2 service holds. */
const RUN_INGRESS: Record<string, string> = {
  all: 'INGRESS_TRAFFIC_ALL',
  internal: 'INGRESS_TRAFFIC_INTERNAL_ONLY',
  'internal-and-cloud-load-balancing': 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
};

const annotation = (key: string) => (value: unknown) => (isRecord(value) ? str(value[key]) : undefined);
const runIngress = (value: unknown) => {
  const v = annotation('run.googleapis.com/ingress')(value);
  return v === undefined ? undefined : (RUN_INGRESS[v] ?? v);
};

/** A blob container's `properties.publicAccess` (`None`, `Blob`, `Container`) as Terraform's container_access_type. */
function containerAccess(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? undefined;
  const v = value.toLowerCase();
  return v === 'none' ? 'private' : v;
}

/**
 * Built-in Azure role definitions by GUID (the same in every tenant): a role assignment's
 * role is compared by name where it is one of these, by GUID otherwise.
 */
const BUILT_IN_ROLES: Record<string, string> = {
  '8e3af657-a8ff-443c-a75c-2fe8c4bcb635': 'Owner',
  'b24988ac-6180-42a0-ab88-20f7382dd24c': 'Contributor',
  'acdd72a7-3385-48ef-bd42-f606fba81ae7': 'Reader',
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': 'User Access Administrator',
  'f58310d9-a9f6-439a-9e8d-f62e7b41a168': 'Role Based Access Control Administrator',
};
const ROLE_GUIDS = new Map(Object.entries(BUILT_IN_ROLES).map(([guid, name]) => [name, guid]));

/**
 * `/subscriptions/…/providers/Microsoft.Authorization/roleDefinitions/<guid>` (or without the
 * subscription: both name one role) → the built-in role's name, else the GUID in lower case.
 */
function roleDefinition(value: unknown): unknown {
  if (typeof value !== 'string' || value === '') return value ?? undefined;
  const last = value.slice(value.lastIndexOf('/') + 1);
  return BUILT_IN_ROLES[last.toLowerCase()] ?? (ROLE_GUIDS.has(last) ? last : last.toLowerCase());
}

/** The state writer's direction: a role back into a role definition id. */
function roleDefinitionId(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  return `/providers/Microsoft.Authorization/roleDefinitions/${ROLE_GUIDS.get(value) ?? value}`;
}

export const INVENTORY_CONVERTERS = {
  'azure-container-access': containerAccess,
  'azure-role-definition': roleDefinition,
  'azure-role-definition-id': roleDefinitionId,
  'enabled-switch': enabledSwitch,
  'bytes-to-gib': bytesToGib,
  'cidr-values': cidrValues,
  /** The state writer's direction: ranges → `authorized_networks` blocks. */
  'to-value-blocks': (v: unknown) => list(v).map((value) => ({ value: String(value) })),
  /** The state writer's direction: ranges → `cidr_blocks` blocks. */
  'to-cidr-blocks': (v: unknown) => list(v).map((cidr) => ({ cidr_block: String(cidr) })),
  'run-ingress': runIngress,
  'run-location': annotation('cloud.googleapis.com/location'),
};
