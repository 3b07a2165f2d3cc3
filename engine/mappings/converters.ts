import { isRecord } from '../util/json.js';
import { AWS_RULE_CONVERTERS } from './aws-rules.js';
import { CLOUD_CONTROL_CONVERTERS } from './cloud-control-converters.js';
import { IAM_POLICY_CONVERTERS } from './iam-policy.js';
import { INVENTORY_CONVERTERS } from './inventory-converters.js';
import { AZURE_NSG_CONVERTERS } from './nsg-rules.js';
import { list, records } from './values.js';

/**
 * Structural conversions between Terraform's and the cloud API's shape of one setting
 * (tag lists vs maps, rule blocks vs permissions). They are the mapping itself, not noise:
 * a difference they remove was never a difference.
 */
type Converter = (value: unknown, attributes: Record<string, unknown>) => unknown;

const gcpRule = (protocol: unknown, ports: unknown): string => {
  const p = list(ports).map(String).sort();
  return p.length ? `${String(protocol).toLowerCase()}:${p.join(',')}` : String(protocol).toLowerCase();
};

function gcpRulesToTf(value: unknown): Record<string, unknown>[] {
  return list(value).map((rule) => {
    const [protocol, ports] = String(rule).split(':');
    return { protocol, ports: ports ? ports.split(',') : [] };
  });
}

function awsTags(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of records(value)) if (typeof t.Key === 'string') out[t.Key] = String(t.Value ?? '');
  return out;
}

/** Values as strings; the object itself when they already are (the common case: no garbage). */
function stringMap(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  let allStrings = true;
  for (const k in value) if (typeof value[k] !== 'string') allStrings = false;
  if (allStrings) return value as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) out[k] = String(v);
  return out;
}

function stringList(value: unknown): string[] {
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return list(value).map(String);
}

function toNumber(value: unknown): unknown {
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  return value ?? undefined;
}

function toBool(value: unknown): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value ?? undefined;
}

export const CONVERTERS = {
  number: toNumber,
  bool: toBool,
  'string-list': stringList,
  'string-map': stringMap,
  'aws-tags': awsTags,
  /** EC2 monitoring and similar: `enabled`/`pending` mean on. */
  'enabled-bool': (v: unknown) =>
    v === undefined || v === null ? undefined : v === 'enabled' || v === 'pending' || v === true,
  ...AWS_RULE_CONVERTERS,
  ...CLOUD_CONTROL_CONVERTERS,
  ...IAM_POLICY_CONVERTERS,
  ...AZURE_NSG_CONVERTERS,
  ...INVENTORY_CONVERTERS,
  'gcp-firewall-rules-cloud': (v: unknown) => records(v).map((r) => gcpRule(r.IPProtocol, r.ports)),
  'gcp-firewall-rules-tf': (v: unknown) => records(v).map((r) => gcpRule(r.protocol, r.ports)),
  'gcp-firewall-rules-to-tf': gcpRulesToTf,
  /** `Standard_LRS` → `LRS`: Terraform splits the storage SKU into tier and replication. */
  'azure-replication': (v: unknown) => (typeof v === 'string' ? v.split('_').pop() : v),
  /** `…/virtualNetworks/vn/subnets/sn` → `vn`. */
  'azure-subnet-vnet': (v: unknown) => (typeof v === 'string' ? /\/virtualNetworks\/([^/]+)/i.exec(v)?.[1] : v),
  /** `/subscriptions/s/resourceGroups/rg/…` → `rg`. */
  'azure-resource-group': (v: unknown) => (typeof v === 'string' ? /\/resourceGroups\/([^/]+)/i.exec(v)?.[1] : v),
} satisfies Record<string, Converter>;

export type ConverterName = keyof typeof CONVERTERS;

export function convert(name: ConverterName | undefined, value: unknown, attributes: Record<string, unknown>): unknown {
  return name ? (CONVERTERS[name] as Converter)(value, attributes) : value;
}
