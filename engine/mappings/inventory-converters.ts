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

export const INVENTORY_CONVERTERS = {
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
