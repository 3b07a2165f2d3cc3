import { templateAttributes } from '../contract/existence/index.js';
import type { DiscoveredResource, Provider } from '../contract/resource.js';
import {
  type AttributeMap,
  convert,
  deepEqual,
  defaultResourceReason,
  defaultVpcIds,
  getPath,
  implicitChildRules,
  importIdOf,
  isEmpty,
  isRecord,
  mappingForResource,
  mappingsForCloudType,
  matchKey,
  type NormaliserName,
  normalise,
  normaliseId,
  parentIdsOf,
  setPath,
  type TypeMapping,
} from '../engine/index.js';
import { narrowedPolicy } from './aws/s3-iam-estate.js';
import { existenceAttributes, existenceMissingTwin } from './existence-state.js';
import { iamStateResources } from './iam-state.js';
import { chance, forkRng, hex, int, pick, uuid } from './rng.js';
import {
  dropNoInlineForm,
  hasLostChild,
  lostChild,
  type SeparateResource,
  splitParent,
  splittableAttributes,
} from './split-state.js';
import type { Rng } from './types.js';

/**
 * Writes a realistic Terraform v4 state for an emulated estate (the drift engine's mapping
 * tables run in reverse), then injects known drift and pure noise so the engine's accuracy can
 * be measured: `truth` lists exactly what was injected.
 *
 * - changed: a state attribute differs from the cloud in a real way;
 * - missing: a state resource whose object is not in the estate (the emulator serves the estate
 *   as given, so "deleted in the cloud" is written as an extra state resource);
 * - unmanaged: an estate resource left out of the state (with the children it implies);
 * - noise: a difference the smart filter must drop (set order, case, self links, defaults, …).
 *
 * Longer than most modules on purpose: state writing and each kind of injection share the same
 * reverse-mapping helpers, and keeping them together keeps `truth` consistent with the state.
 */

export interface TerraformStateOptions {
  seed: number;
  /**
   * Share of the resources Terraform would manage that get injected drift: half changed, a quarter
   * left unmanaged, and a quarter's worth of extra missing ones. Default 0.1. Defaults the cloud
   * creates and children managed through a parent never get drift of their own.
   */
  driftRate?: number;
  /** Share of resources given one pure-noise difference. Default: the drift rate. */
  noiseRate?: number;
}

export interface InjectedDrift {
  kind: 'changed' | 'missing' | 'unmanaged';
  tf_type: string;
  /** Terraform address (changed, missing) */
  address?: string;
  /** Cloud id (changed, unmanaged) or the fake id written for a missing resource. */
  id: string;
  paths?: string[];
  /** Where the resource lives, so an evaluation can leave out regions discovery did not cover. */
  account?: string;
  region?: string;
}

export interface InjectedNoise {
  address: string;
  tf_type: string;
  path: string;
  /** The noise rule the engine is expected to explain it with. */
  rule: string;
  region?: string;
}

export interface StateTruth {
  seed: number;
  drift_rate: number;
  noise_rate: number;
  drift: InjectedDrift[];
  noise: InjectedNoise[];
  counts: {
    state_instances: number;
    changed: number;
    missing: number;
    unmanaged: number;
    noise: number;
    deposed: number;
    tainted: number;
  };
}

export interface TerraformStateV4 {
  version: 4;
  terraform_version: string;
  serial: number;
  lineage: string;
  outputs: Record<string, unknown>;
  resources: StateResourceV4[];
  check_results: null;
}

interface StateInstanceV4 {
  index_key?: string | number;
  status?: 'tainted';
  deposed?: string;
  schema_version: number;
  attributes: Record<string, unknown>;
  sensitive_attributes: unknown[];
  private?: string;
  dependencies?: string[];
}

interface StateResourceV4 {
  module?: string;
  mode: 'managed' | 'data';
  type: string;
  name: string;
  provider: string;
  each?: 'list' | 'map';
  instances: StateInstanceV4[];
}

/** One resource on its way into the state. */
interface Planned {
  mapping: TypeMapping;
  resource?: DiscoveredResource;
  attributes: Record<string, unknown>;
  sensitive: string[];
  provider: string;
  module?: string;
  address?: string;
  tainted?: boolean;
  deposedOf?: Planned;
  drift?: InjectedDrift;
  noise?: InjectedNoise;
}

// ---------------------------------------------------------------- attributes (mappings in reverse)

/** Normalisers a real state already reflects: Terraform never stores these differences. */
const WRITER_STEPS = new Set<NormaliserName>([
  'aws-provider-tags',
  'gcp-provider-labels',
  'aws-local-route',
  'aws-nacl-default-rule',
  'empty-equivalent',
  'gcp-name-from-link',
  'arn-to-name',
]);

/** EC2 ARN resource names; NAT gateways have no ARN attribute in the AWS provider. */
const AWS_ARN_RESOURCE: Record<string, string> = {
  aws_instance: 'instance',
  aws_security_group: 'security-group',
  aws_vpc: 'vpc',
  aws_subnet: 'subnet',
  aws_ebs_volume: 'volume',
  aws_network_interface: 'network-interface',
  aws_route_table: 'route-table',
  aws_internet_gateway: 'internet-gateway',
  aws_eip: 'elastic-ip',
  aws_key_pair: 'key-pair',
  aws_launch_template: 'launch-template',
  aws_network_acl: 'network-acl',
};

/** Attributes a configuration marks sensitive, and invented secrets some resource types carry. */
const SENSITIVE_ATTRIBUTES: Record<string, { path: string; secret?: boolean }[]> = {
  aws_key_pair: [{ path: 'public_key' }],
  azurerm_windows_virtual_machine: [{ path: 'admin_password', secret: true }],
  azurerm_storage_account: [{ path: 'primary_access_key', secret: true }],
};

const PROVIDER_SOURCE: Record<Provider, string> = {
  aws: 'hashicorp/aws',
  azure: 'hashicorp/azurerm',
  gcp: 'hashicorp/google',
};

function writerValue(a: AttributeMap, r: DiscoveredResource): unknown {
  let v = convert(a.cloudConvert, getPath(r.attributes, a.cloud), r.attributes);
  for (const step of a.steps ?? []) if (WRITER_STEPS.has(step)) v = normalise(step, v);
  if (v === undefined || v === null) return undefined;
  return a.toTf ? convert(a.toTf, v, {}) : v;
}

function providerAddress(r: DiscoveredResource): string {
  const base = `provider["registry.terraform.io/${PROVIDER_SOURCE[r.provider]}"]`;
  // One AWS provider alias per account and region, as multi-region configurations have.
  return r.provider === 'aws' ? `${base}.${r.region.replace(/-/g, '_')}_${r.account.slice(-4)}` : base;
}

function identityAttributes(mapping: TypeMapping, r: DiscoveredResource): Record<string, unknown> {
  const attrs: Record<string, unknown> = { id: importIdOf(mapping, r) };
  if (mapping.id.tf !== 'id') attrs[mapping.id.tf] = r.id;
  if (r.provider === 'aws' && AWS_ARN_RESOURCE[mapping.tfType]) {
    attrs.arn = `arn:aws:ec2:${r.region}:${r.account}:${AWS_ARN_RESOURCE[mapping.tfType]}/${r.id}`;
  } else if (r.provider === 'azure') {
    attrs.name = r.attributes.name ?? r.name;
    attrs.resource_group_name = convert('azure-resource-group', r.id, {});
  } else if (r.provider === 'gcp') {
    attrs.name = r.attributes.name ?? r.name;
    attrs.project = r.account;
    if (typeof r.attributes.selfLink === 'string') attrs.self_link = r.attributes.selfLink;
  }
  return attrs;
}

function tfAttributes(
  mapping: TypeMapping,
  r: DiscoveredResource,
  rng: Rng,
): { attributes: Record<string, unknown>; sensitive: string[] } {
  if (mapping.level === 'existence') return { attributes: existenceAttributes(mapping, r), sensitive: [] };
  const attributes = identityAttributes(mapping, r);
  for (const a of mapping.attributes) {
    const v = writerValue(a, r);
    if (v === undefined) continue;
    setPath(attributes, a.tf, v);
    if (a.tfEffective) setPath(attributes, a.tfEffective, structuredClone(v));
  }
  const sensitive: string[] = [];
  for (const s of SENSITIVE_ATTRIBUTES[mapping.tfType] ?? []) {
    if (s.secret) attributes[s.path] = `secret-${hex(rng, 24)}`;
    if (attributes[s.path] !== undefined) sensitive.push(s.path);
  }
  return { attributes, sensitive };
}

// ---------------------------------------------------------------- which estate resources go in

/** The estate key of the managed parent that creates this resource as part of itself, if any. */
function implicitParentKey(r: DiscoveredResource, estateKeys: ReadonlySet<string>): string | undefined {
  for (const rule of implicitChildRules(r.type)) {
    if (rule.parentStateHas) continue; // the writer never defines children inline
    const parentMapping = mappingsForCloudType(r.provider, rule.parentType)[0];
    if (!parentMapping) continue;
    for (const pid of parentIdsOf(rule, r)) {
      const key = `${rule.parentType}|${normaliseId(parentMapping.id.kind, pid)}`;
      if (estateKeys.has(key)) return key;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- drift

const ALTERNATIVES: Record<string, string[]> = {
  'aws_instance.instance_type': ['t3.large', 'm5.xlarge', 'c5.large', 't3.micro'],
  'aws_instance.metadata_options.0.http_tokens': ['optional', 'required'],
  'aws_ebs_volume.type': ['gp2', 'gp3', 'io1'],
  'azurerm_linux_virtual_machine.size': ['Standard_D4s_v5', 'Standard_B2ms', 'Standard_D2s_v3'],
  'azurerm_windows_virtual_machine.size': ['Standard_D4s_v5', 'Standard_B2ms', 'Standard_D2s_v3'],
  'azurerm_virtual_machine.vm_size': ['Standard_D4s_v5', 'Standard_B2ms'],
  'azurerm_managed_disk.storage_account_type': ['Standard_LRS', 'Premium_LRS', 'StandardSSD_LRS'],
  'azurerm_storage_account.min_tls_version': ['TLS1_0', 'TLS1_2'],
  'azurerm_storage_account.account_tier': ['Standard', 'Premium'],
  'azurerm_storage_container.container_access_type': ['private', 'blob', 'container'],
  'azurerm_public_ip.allocation_method': ['Static', 'Dynamic'],
  'google_compute_instance.machine_type': ['e2-standard-8', 'n2-standard-4', 'e2-medium'],
  'google_compute_disk.type': ['pd-ssd', 'pd-standard', 'pd-balanced'],
  'google_storage_bucket.storage_class': ['STANDARD', 'NEARLINE', 'COLDLINE'],
  'google_storage_bucket.public_access_prevention': ['enforced', 'inherited'],
};

/** Real changes of values with a structure of their own, by the converter that writes them. */
const STRUCTURAL_MUTATIONS: Record<string, (value: unknown) => unknown> = {
  'iam-policy-to-tf': narrowedPolicy,
};

/** A value that really differs from `value` once normalised (the state side of a real change). */
function mutate(tfType: string, a: AttributeMap, value: unknown, rng: Rng): unknown {
  const structural = a.toTf && STRUCTURAL_MUTATIONS[a.toTf]?.(value);
  if (structural !== undefined) return structural;
  const alternatives = ALTERNATIVES[`${tfType}.${a.tf}`];
  if (typeof value === 'string') {
    const other = alternatives?.filter((x) => x.toLowerCase() !== value.toLowerCase());
    return other?.length ? pick(rng, other) : `${value}-drifted`;
  }
  if (typeof value === 'number') return value + int(rng, 1, 9);
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) {
    if (value.length > 0 && isRecord(value[0])) return value.slice(1);
    return [...value, a.steps?.includes('cidr-format') ? `10.${int(rng, 200, 250)}.0.0/16` : `drift-${hex(rng, 6)}`];
  }
  if (isRecord(value)) return { ...value, 'drift-marker': `changed-${hex(rng, 4)}` };
  return undefined;
}

/**
 * Attributes that say where a resource lives (a location, a zone, a project). They never change
 * in place: a new one is a new resource. A state that moved them would also put the resource, and
 * any missing copy or child that takes its place from it, outside what discovery covers.
 */
function placementPaths(mapping: TypeMapping): Set<string> {
  return new Set([
    ...[...mapping.account, ...mapping.region].flatMap((s) => (s.from === 'attr' ? [s.path] : [])),
    // The attributes an id template reads name the object: a different one is another object.
    ...(mapping.id.template ? templateAttributes(mapping.id.template) : []),
  ]);
}

function injectChange(p: Planned, rng: Rng): boolean {
  const placement = placementPaths(p.mapping);
  const options = p.mapping.attributes.filter(
    (a) => !a.noise && !a.cloudMayOmit && !placement.has(a.tf) && !isEmpty(getPath(p.attributes, a.tf)),
  );
  if (options.length === 0) return false;
  const a = pick(rng, options);
  const changed = mutate(p.mapping.tfType, a, getPath(p.attributes, a.tf), rng);
  if (changed === undefined) return false;
  setPath(p.attributes, a.tf, changed);
  if (a.tfEffective) setPath(p.attributes, a.tfEffective, structuredClone(changed));
  p.drift = {
    kind: 'changed',
    tf_type: p.mapping.tfType,
    id: p.resource!.id,
    paths: [a.tf],
    account: p.resource!.account,
    region: p.resource!.region,
  };
  return true;
}

const AZURE_LOCATION_DISPLAY: Record<string, string> = {
  eastus: 'East US',
  westeurope: 'West Europe',
  westus2: 'West US 2',
  northeurope: 'North Europe',
};
const GCP_API = 'https://www.googleapis.com/compute/v1/';

type Variant = { value: unknown; rule: string; effective?: 'keep' };

/**
 * Step-specific ways to write the same value differently (each is noise of that step's rule).
 * Names vs ARNs/self links need none: the state already holds names where the API has links.
 */
const STEP_VARIANTS: Partial<Record<NormaliserName, (v: unknown, cloudRaw: unknown) => unknown>> = {
  'order-insensitive': (v) =>
    Array.isArray(v) && v.length > 1 && !deepEqual([...v].reverse(), v) ? [...v].reverse() : undefined,
  'azure-location-format': (v) => (typeof v === 'string' ? (AZURE_LOCATION_DISPLAY[v] ?? v.toUpperCase()) : undefined),
  'case-insensitive': (v) => (typeof v === 'string' && v.toUpperCase() !== v ? v.toUpperCase() : undefined),
  'azure-id-case': (v) => {
    const swap = (s: string) => s.replace(/\/resourceGroups\//g, '/resourcegroups/');
    if (typeof v === 'string' && swap(v) !== v) return swap(v);
    return Array.isArray(v) && v.some((s) => typeof s === 'string' && swap(s) !== s)
      ? v.map((s) => swap(String(s)))
      : undefined;
  },
  'gcp-self-link': (v) =>
    typeof v === 'string' && v.startsWith(GCP_API)
      ? v.slice(GCP_API.length)
      : typeof v === 'string' && v.startsWith('projects/')
        ? GCP_API + v
        : undefined,
  'cidr-format': (v) => {
    const strip = (s: string) => (s.endsWith('/32') ? s.slice(0, -3) : s);
    if (typeof v === 'string' && strip(v) !== v) return strip(v);
    return Array.isArray(v) && v.some((s) => typeof s === 'string' && strip(s) !== s)
      ? v.map((s) => strip(String(s)))
      : undefined;
  },
  'azure-tag-key-case': (v) => {
    if (!isRecord(v)) return undefined;
    const keys = Object.keys(v);
    const k = keys.find((key) => key.toLowerCase() === key && /[a-z]/.test(key[0] ?? ''));
    return k === undefined
      ? undefined
      : Object.fromEntries(keys.map((key) => [key === k ? key[0]!.toUpperCase() + key.slice(1) : key, v[key]]));
  },
};

function perturb(v: unknown, rng: Rng): unknown {
  if (typeof v === 'number') return v + int(rng, 1, 50);
  if (typeof v === 'string')
    return /^\d+\.\d+\.\d+\.\d+$/.test(v)
      ? `34.${int(rng, 1, 254)}.${int(rng, 1, 254)}.${int(rng, 1, 254)}`
      : v === 'running'
        ? 'stopped'
        : `${v}-${hex(rng, 4)}`;
  return undefined;
}

function noiseVariants(a: AttributeMap, tfValue: unknown, cloudRaw: unknown, rng: Rng): Variant[] {
  const out: Variant[] = [];
  if ((a.noise === 'volatile' || a.noise === 'computed') && tfValue !== undefined) {
    const v = perturb(tfValue, rng);
    if (v !== undefined) out.push({ value: v, rule: a.noise });
  }
  if (a.noise === 'volatile-when-present' && typeof tfValue === 'string' && tfValue !== '')
    out.push({ value: perturb(tfValue, rng), rule: a.noise });
  if (a.noise) return out;
  if (a.default !== undefined && tfValue !== undefined && deepEqual(tfValue, a.default))
    out.push({ value: null, rule: 'cloud-default' });
  if (a.tfEffective && isRecord(tfValue) && Object.keys(tfValue).length > 1) {
    const [first] = Object.keys(tfValue);
    out.push({
      value: Object.fromEntries(Object.entries(tfValue).filter(([k]) => k !== first)),
      rule: 'tags-all',
      effective: 'keep',
    });
  }
  for (const step of a.steps ?? []) {
    const variant = STEP_VARIANTS[step]?.(tfValue, cloudRaw);
    if (variant !== undefined) out.push({ value: variant, rule: step });
    // Only where no converter already maps "unset" to an empty list or map (that is no difference at all).
    if (step === 'empty-equivalent' && tfValue === undefined && cloudRaw === undefined && !a.tfConvert)
      out.push({ value: '', rule: step });
  }
  return out;
}

function injectNoise(p: Planned, rng: Rng): boolean {
  const taken = new Set(p.drift?.paths ?? []);
  const options: { a: AttributeMap; v: Variant }[] = [];
  for (const a of p.mapping.attributes) {
    if (taken.has(a.tf) || a.cloudMayOmit) continue;
    for (const v of noiseVariants(a, getPath(p.attributes, a.tf), getPath(p.resource!.attributes, a.cloud), rng))
      options.push({ a, v });
  }
  if (options.length === 0) return false;
  const { a, v } = pick(rng, options);
  setPath(p.attributes, a.tf, v.value);
  if (a.tfEffective && v.effective !== 'keep') setPath(p.attributes, a.tfEffective, structuredClone(v.value));
  p.noise = { address: '', tf_type: p.mapping.tfType, path: a.tf, rule: v.rule, region: p.resource!.region };
  return true;
}

/** A state resource for an object that is not in the cloud: a sibling's attributes under a fresh id. */
function missingTwin(p: Planned, rng: Rng): Planned {
  const r = p.resource!;
  if (p.mapping.level === 'existence' || p.mapping.id.template) {
    const twin = existenceMissingTwin(p.mapping, r, rng);
    return {
      ...p,
      resource: undefined,
      attributes: twin.attributes,
      drift: { kind: 'missing', tf_type: p.mapping.tfType, id: twin.id, account: r.account, region: r.region },
      noise: undefined,
      tainted: false,
    };
  }
  const attributes = structuredClone(p.attributes);
  const fresh = (id: string) => {
    // An ARN keeps its service, region and account: only the resource's own id is new.
    if (id.startsWith('arn:'))
      return `${id.slice(0, Math.max(id.lastIndexOf('/'), id.lastIndexOf(':')) + 1)}0${hex(rng, 16)}`;
    if (p.mapping.provider === 'aws') return `${id.slice(0, id.indexOf('-') + 1)}0${hex(rng, 16)}`;
    return `${id}-gone${hex(rng, 4)}`;
  };
  const cloudId = fresh(r.id);
  const twin: DiscoveredResource = {
    ...r,
    id: cloudId,
    attributes: { ...r.attributes, name: `${String(r.attributes.name ?? r.name ?? 'res')}-gone` },
  };
  // Computed identities built on the sibling's id (an S3 bucket's ARN on its name) name the twin;
  // an id that is itself an ARN stays whole, since the twin's account is read from it.
  for (const [key, value] of Object.entries(attributes))
    if (typeof value === 'string' && value !== r.id && value.includes(r.id))
      attributes[key] = value.replaceAll(r.id, cloudId);
  Object.assign(attributes, identityAttributes(p.mapping, twin));
  if (p.mapping.id.tf !== 'id' && p.mapping.importId) attributes.id = `${String(attributes.id)}-gone${hex(rng, 4)}`;
  if (p.mapping.tfType === 'google_storage_bucket')
    attributes.id = attributes.name = `${String(r.attributes.name)}-gone${hex(rng, 4)}`;
  return {
    ...p,
    resource: undefined,
    attributes,
    drift: { kind: 'missing', tf_type: p.mapping.tfType, id: cloudId, account: r.account, region: r.region },
    noise: undefined,
    tainted: false,
  };
}

// ---------------------------------------------------------------- layout: modules, count, for_each

const MODULES_BY_PREFIX: [prefix: string, modules: string[]][] = [
  ['aws_vpc', ['module.network']],
  ['aws_subnet', ['module.network']],
  ['aws_route_table', ['module.network']],
  ['aws_network_acl', ['module.network']],
  ['aws_internet_gateway', ['module.network']],
  ['aws_nat_gateway', ['module.network']],
  ['aws_', ['module.app', 'module.app.module.web']],
  ['azurerm_virtual_network', ['module.network']],
  ['azurerm_subnet', ['module.network']],
  ['azurerm_', ['module.platform', 'module.platform.module.vm']],
  ['google_compute_network', ['module.vpc']],
  ['google_compute_subnetwork', ['module.vpc']],
  ['google_', ['module.gce', 'module.gce.module["europe"]']],
];

function moduleFor(tfType: string, rng: Rng): string | undefined {
  if (chance(rng, 0.35)) return undefined;
  const modules = MODULES_BY_PREFIX.find(([prefix]) => tfType.startsWith(prefix))?.[1] ?? [];
  return modules.length ? pick(rng, modules) : undefined;
}

function layout(planned: Planned[], rng: Rng): StateResourceV4[] {
  const groups = new Map<string, Planned[]>();
  for (const p of planned) {
    if (p.deposedOf) continue;
    const key = `${p.module ?? ''}|${p.provider}|${p.mapping.tfType}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const deposedBy = new Map<Planned, Planned[]>();
  for (const p of planned) if (p.deposedOf) deposedBy.set(p.deposedOf, [...(deposedBy.get(p.deposedOf) ?? []), p]);
  const resources: StateResourceV4[] = [];
  // Names are unique per module and type across provider aliases: addresses must be unique in a state.
  const counters = new Map<string, number>();
  for (const group of groups.values()) {
    for (let i = 0; i < group.length; ) {
      const size = Math.min(group.length - i, chance(rng, 0.5) ? 1 : int(rng, 2, 4));
      const members = group.slice(i, i + size);
      i += size;
      const first = members[0]!;
      const each = size === 1 ? undefined : chance(rng, 0.5) ? ('list' as const) : ('map' as const);
      const counterKey = `${first.module ?? ''}|${first.mapping.tfType}`;
      const n = counters.get(counterKey) ?? 0;
      counters.set(counterKey, n + 1);
      const name = `${first.mapping.tfType.replace(/^(aws|azurerm|google)_/, '')}_${n}`;
      const instances: StateInstanceV4[] = [];
      members.forEach((p, idx) => {
        const indexKey =
          each === 'list'
            ? idx
            : each === 'map'
              ? `${String(p.attributes.name ?? p.attributes.id)
                  .replace(/[^A-Za-z0-9_-]/g, '_')
                  .slice(-40)}_${idx}`
              : undefined;
        p.address = `${p.module ? `${p.module}.` : ''}${p.mapping.tfType}.${name}${indexKey === undefined ? '' : typeof indexKey === 'number' ? `[${indexKey}]` : `[${JSON.stringify(indexKey)}]`}`;
        instances.push(instanceOf(p, indexKey));
        for (const d of deposedBy.get(p) ?? []) instances.push({ ...instanceOf(d, indexKey), deposed: hex(rng, 8) });
      });
      resources.push({
        ...(first.module ? { module: first.module } : {}),
        mode: 'managed',
        type: first.mapping.tfType,
        name,
        provider: first.provider,
        ...(each ? { each } : {}),
        instances,
      });
    }
  }
  return resources;
}

function instanceOf(p: Planned, indexKey: string | number | undefined): StateInstanceV4 {
  return {
    ...(indexKey === undefined ? {} : { index_key: indexKey }),
    ...(p.tainted ? { status: 'tainted' as const } : {}),
    schema_version: 1,
    attributes: p.attributes,
    sensitive_attributes: p.sensitive.map((path) => [{ type: 'get_attr', value: path }]),
    private: 'eyJzY2hlbWFfdmVyc2lvbiI6IjEifQ==',
  };
}

function dataSources(planned: Planned[]): StateResourceV4[] {
  const accounts = new Map<string, string | undefined>();
  for (const p of planned) if (!accounts.get(p.provider)) accounts.set(p.provider, p.resource?.account);
  return [...accounts].map(([provider, account], i) => {
    const aws = provider.includes('aws');
    // As the AWS provider reads it: the account each alias talks to, which places its S3 buckets.
    const identity =
      aws && account
        ? { id: account, account_id: account, arn: `arn:aws:iam::${account}:user/terraform`, user_id: `AIDA${i}` }
        : { id: `data-${i}` };
    return {
      mode: 'data' as const,
      type: aws
        ? 'aws_caller_identity'
        : provider.includes('azurerm')
          ? 'azurerm_client_config'
          : 'google_client_config',
      name: `current_${i}`,
      provider,
      instances: [{ schema_version: 0, attributes: identity, sensitive_attributes: [] }],
    };
  });
}

// ---------------------------------------------------------------- separate rules and routes

/** Whether a parent's rules may be moved out: no drift or noise was injected into them, and it is no twin or old object. */
function splittable(p: Planned): boolean {
  const attributes = splittableAttributes(p.mapping.tfType);
  if (attributes.length === 0 || p.deposedOf || p.drift?.kind === 'missing') return false;
  const touched = [...(p.drift?.paths ?? []), ...(p.noise ? [p.noise.path] : [])];
  return !touched.some((path) => attributes.includes(path.split('.')[0]!));
}

/**
 * Half the parents that may have their rules and routes written as separate resources
 * (emulator/split-state.ts), and, at the drift rate, a separate resource the cloud lost (a
 * route table association): missing drift on that resource's address.
 */
function separateResources(
  planned: Planned[],
  seed: number,
  driftRate: number,
): { resources: StateResourceV4[]; drift: InjectedDrift[] } {
  const rng = forkRng(seed, 'separate-resources');
  const children: { child: SeparateResource; lostFrom?: DiscoveredResource }[] = [];
  for (const p of planned) {
    if (splittable(p) && chance(rng, 0.5))
      for (const child of splitParent({ ...p, tfType: p.mapping.tfType }, rng)) children.push({ child });
    dropNoInlineForm(p.mapping.tfType, p.attributes);
  }
  // At the drift rate, and at least one while there is drift at all: parents that can lose a
  // child are few (a route table per subnet tier), and the sample run should show one.
  const losable = planned.filter((p) => splittable(p) && hasLostChild(p.mapping.tfType));
  const lostCount = driftRate > 0 ? Math.max(1, Math.round(losable.length * driftRate)) : 0;
  for (let i = 0; i < lostCount && losable.length > 0; i++) {
    const p = losable.splice(int(rng, 0, losable.length - 1), 1)[0]!;
    const lost = lostChild({ ...p, tfType: p.mapping.tfType }, rng);
    if (lost) children.push({ child: lost, lostFrom: p.resource });
  }
  const counters = new Map<string, number>();
  const drift: InjectedDrift[] = [];
  const resources = children.map(({ child: c, lostFrom }): StateResourceV4 => {
    const n = counters.get(c.tfType) ?? 0;
    counters.set(c.tfType, n + 1);
    const name = `${c.tfType.replace(/^(aws|azurerm|google)_/, '')}_${n}`;
    if (lostFrom)
      drift.push({
        kind: 'missing',
        tf_type: c.tfType,
        address: `${c.tfType}.${name}`,
        id: String(c.attributes.id),
        account: lostFrom.account,
        region: lostFrom.region,
      });
    return {
      mode: 'managed',
      type: c.tfType,
      name,
      provider: c.provider,
      instances: [{ schema_version: 1, attributes: c.attributes, sensitive_attributes: [] }],
    };
  });
  return { resources, drift };
}

// ---------------------------------------------------------------- entry point

export function buildTerraformState(
  resources: readonly DiscoveredResource[],
  opts: TerraformStateOptions,
): { state: TerraformStateV4; truth: StateTruth } {
  const driftRate = opts.driftRate ?? 0.1;
  const noiseRate = opts.noiseRate ?? driftRate;
  const rng = forkRng(opts.seed, 'terraform-state');
  const defaultVpcs = defaultVpcIds(resources);
  const estateKeys = new Set<string>();
  const supported: { r: DiscoveredResource; mapping: TypeMapping; key: string }[] = [];
  for (const r of resources) {
    const mapping = mappingForResource(r);
    if (!mapping || defaultResourceReason(r, defaultVpcs)) continue;
    const key = matchKey(mapping, r.id);
    estateKeys.add(key);
    supported.push({ r, mapping, key });
  }

  const truth: StateTruth = {
    seed: opts.seed,
    drift_rate: driftRate,
    noise_rate: noiseRate,
    drift: [],
    noise: [],
    counts: { state_instances: 0, changed: 0, missing: 0, unmanaged: 0, noise: 0, deposed: 0, tainted: 0 },
  };
  const unmanagedKeys = new Set<string>();
  const parents = new Map<string, string>();
  for (const s of supported) {
    const parent = implicitParentKey(s.r, estateKeys);
    if (parent) parents.set(s.key, parent);
    else if (chance(rng, driftRate * 0.25)) unmanagedKeys.add(s.key);
  }

  const planned: Planned[] = [];
  for (const s of supported) {
    const parent = parents.get(s.key);
    if (unmanagedKeys.has(s.key) || (parent && unmanagedKeys.has(parent))) {
      truth.drift.push({
        kind: 'unmanaged',
        tf_type: s.mapping.tfType,
        id: s.r.id,
        account: s.r.account,
        region: s.r.region,
      });
      continue;
    }
    if (parent) continue; // created and managed through its parent
    const { attributes, sensitive } = tfAttributes(s.mapping, s.r, rng);
    planned.push({
      mapping: s.mapping,
      resource: s.r,
      attributes,
      sensitive,
      provider: providerAddress(s.r),
      module: moduleFor(s.mapping.tfType, rng),
      tainted: chance(rng, 0.03),
    });
  }

  const candidates = [...planned];
  for (const p of candidates) {
    if (chance(rng, driftRate * 0.5)) injectChange(p, rng);
    if (chance(rng, noiseRate)) injectNoise(p, rng);
  }
  // Deposed objects (create_before_destroy): an untouched resource kept as the old object of a sibling.
  for (let i = 0; i + 1 < candidates.length; i++) {
    const [a, b] = [candidates[i]!, candidates[i + 1]!];
    if (
      a.mapping === b.mapping &&
      a.provider === b.provider &&
      !a.deposedOf &&
      !b.drift &&
      !b.noise &&
      chance(rng, 0.01)
    ) {
      b.deposedOf = a;
      b.module = a.module;
      truth.counts.deposed++;
      i++;
    }
  }
  const missingCount = Math.round(candidates.length * driftRate * 0.25);
  for (let i = 0; i < missingCount; i++) {
    const source = pick(rng, candidates);
    planned.push({ ...missingTwin(source, rng), deposedOf: undefined });
  }

  const separate = separateResources(planned, opts.seed, driftRate);
  // The IAM policies of the projects and of the buckets the state manages (emulator/iam-state.ts).
  const managedBuckets = new Set(
    planned.flatMap((p) =>
      p.resource && p.mapping.tfType === 'google_storage_bucket' && !p.deposedOf && p.drift?.kind !== 'missing'
        ? [p.resource.id]
        : [],
    ),
  );
  const gcpProvider = planned.find((p) => p.mapping.provider === 'gcp')?.provider;
  const iam = gcpProvider
    ? iamStateResources(resources, managedBuckets, gcpProvider, opts.seed, driftRate)
    : { resources: [], drift: [] };
  const stateResources = [...layout(planned, rng), ...separate.resources, ...iam.resources, ...dataSources(planned)];
  truth.drift.push(...separate.drift, ...iam.drift);
  for (const p of planned) {
    if (p.deposedOf) continue;
    truth.counts.state_instances++;
    if (p.tainted) truth.counts.tainted++;
    if (p.drift) truth.drift.push({ ...p.drift, address: p.address });
    if (p.noise) truth.noise.push({ ...p.noise, address: p.address! });
  }
  for (const d of truth.drift) truth.counts[d.kind]++;
  truth.counts.noise = truth.noise.length;
  truth.counts.state_instances += truth.counts.deposed + separate.resources.length + iam.resources.length;

  const state: TerraformStateV4 = {
    version: 4,
    terraform_version: '1.9.8',
    serial: int(rng, 10, 400),
    lineage: uuid(rng),
    outputs: {},
    resources: stateResources,
    check_results: null,
  };
  return { state, truth };
}
