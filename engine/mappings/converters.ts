import { isRecord } from '../util/json.js';
import { canonicalCidr } from './cidr.js';
import { formatRule, parseRule } from './rule-string.js';

/**
 * Structural conversions between Terraform's and the cloud API's shape of one setting
 * (tag lists vs maps, rule blocks vs permissions). They are the mapping itself, not noise:
 * a difference they remove was never a difference.
 */
type Converter = (value: unknown, attributes: Record<string, unknown>) => unknown;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
const str = (v: unknown): string | undefined => (v === undefined || v === null || v === '' ? undefined : String(v));
const records = (v: unknown): Record<string, unknown>[] => list(v).filter(isRecord);

const PROTOCOL_NAMES: Record<string, string> = { '-1': 'all', all: 'all', '*': 'all', '6': 'tcp', '17': 'udp', '1': 'icmp', '58': 'icmpv6' };
const protocolName = (p: unknown): string => {
  const s = String(p ?? 'all').toLowerCase();
  return PROTOCOL_NAMES[s] ?? s;
};
const portRange = (proto: string, from: unknown, to: unknown): string =>
  proto === 'all' ? '*' : `${from ?? '*'}-${to ?? from ?? '*'}`;

/** Route targets: which Terraform argument a target id goes to, by id prefix. */
const ROUTE_TARGET_ARGUMENT: [prefix: string, tfArgument: string][] = [
  ['nat-', 'nat_gateway_id'],
  ['eni-', 'network_interface_id'],
  ['tgw-', 'transit_gateway_id'],
  ['pcx-', 'vpc_peering_connection_id'],
  ['eigw-', 'egress_only_gateway_id'],
  ['vpce-', 'vpc_endpoint_id'],
  ['', 'gateway_id'],
];
const ROUTE_CLOUD_TARGETS = ['GatewayId', 'NatGatewayId', 'TransitGatewayId', 'VpcPeeringConnectionId', 'EgressOnlyInternetGatewayId', 'NetworkInterfaceId', 'InstanceId'];
const ROUTE_TF_TARGETS = ['gateway_id', 'nat_gateway_id', 'transit_gateway_id', 'vpc_peering_connection_id', 'egress_only_gateway_id', 'network_interface_id', 'vpc_endpoint_id', 'instance_id'];

function awsSgRulesFromCloud(value: unknown, attributes: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const p of records(value)) {
    const proto = protocolName(p.IpProtocol);
    const ports = portRange(proto, p.FromPort, p.ToPort);
    const push = (source: string, description: unknown) => out.push(formatRule({ proto, ports, source, description: str(description) }));
    for (const r of records(p.IpRanges)) push(canonicalCidr(String(r.CidrIp)), r.Description);
    for (const r of records(p.Ipv6Ranges)) push(canonicalCidr(String(r.CidrIpv6)), r.Description);
    for (const r of records(p.PrefixListIds)) push(String(r.PrefixListId), r.Description);
    for (const r of records(p.UserIdGroupPairs)) push(r.GroupId === attributes.GroupId ? 'self' : String(r.GroupId), r.Description);
  }
  return out;
}

function awsSgRulesFromTf(value: unknown): string[] {
  const out: string[] = [];
  for (const b of records(value)) {
    const proto = protocolName(b.protocol);
    const ports = portRange(proto, b.from_port, b.to_port);
    const description = str(b.description);
    const sources = [
      ...list(b.cidr_blocks).map((c) => canonicalCidr(String(c))),
      ...list(b.ipv6_cidr_blocks).map((c) => canonicalCidr(String(c))),
      ...list(b.prefix_list_ids).map(String),
      ...list(b.security_groups).map(String),
      ...(b.self === true ? ['self'] : []),
    ];
    for (const source of sources) out.push(formatRule({ proto, ports, source, description }));
  }
  return out;
}

function awsSgRulesToTf(value: unknown): Record<string, unknown>[] {
  return list(value).map((rule) => {
    const r = parseRule(String(rule));
    const [from, to] = r.ports === '*' || r.ports === undefined ? ['0', '0'] : r.ports.split('-');
    const source = r.source ?? '';
    return {
      protocol: r.proto === 'all' ? '-1' : r.proto,
      from_port: Number(from),
      to_port: Number(to),
      cidr_blocks: source.includes('.') && source.includes('/') ? [source] : [],
      ipv6_cidr_blocks: source.includes(':') ? [source] : [],
      prefix_list_ids: source.startsWith('pl-') ? [source] : [],
      security_groups: source.startsWith('sg-') ? [source] : [],
      self: source === 'self',
      description: r.description ?? '',
    };
  });
}

function routeDestination(cidr: unknown, ipv6: unknown, prefixList: unknown): string | undefined {
  const d = str(cidr) ?? str(ipv6);
  return d ? canonicalCidr(d) : str(prefixList);
}

function awsRoutesFromCloud(value: unknown): string[] {
  return records(value).map((r) =>
    formatRule({
      destination: routeDestination(r.DestinationCidrBlock, r.DestinationIpv6CidrBlock, r.DestinationPrefixListId),
      target: ROUTE_CLOUD_TARGETS.map((k) => str(r[k])).find(Boolean),
    }),
  );
}

function awsRoutesFromTf(value: unknown): string[] {
  return records(value).map((r) =>
    formatRule({
      destination: routeDestination(r.cidr_block, r.ipv6_cidr_block, r.destination_prefix_list_id),
      target: ROUTE_TF_TARGETS.map((k) => str(r[k])).find(Boolean),
    }),
  );
}

function awsRoutesToTf(value: unknown): Record<string, unknown>[] {
  return list(value).map((rule) => {
    const r = parseRule(String(rule));
    const destination = r.destination ?? '';
    const target = r.target ?? '';
    const argument = ROUTE_TARGET_ARGUMENT.find(([prefix]) => target.startsWith(prefix))![1];
    return {
      cidr_block: destination.includes('.') ? destination : '',
      ipv6_cidr_block: destination.includes(':') ? destination : '',
      destination_prefix_list_id: destination.startsWith('pl-') ? destination : '',
      [argument]: target,
    };
  });
}

function naclRule(rule: unknown, action: unknown, protocol: unknown, cidr: unknown, ipv6: unknown, from: unknown, to: unknown): string {
  const proto = protocolName(protocol);
  return formatRule({ rule: Number(rule), action: String(action).toLowerCase(), proto, source: canonicalCidr(String(str(cidr) ?? str(ipv6) ?? '')), ports: portRange(proto, from, to) });
}

const awsNaclFromCloud = (egress: boolean) => (value: unknown): string[] =>
  records(value)
    .filter((e) => e.Egress === egress)
    .map((e) => {
      const range = isRecord(e.PortRange) ? e.PortRange : {};
      return naclRule(e.RuleNumber, e.RuleAction, e.Protocol, e.CidrBlock, e.Ipv6CidrBlock, range.From, range.To);
    });

function awsNaclFromTf(value: unknown): string[] {
  return records(value).map((e) => naclRule(e.rule_no, e.action, e.protocol, e.cidr_block, e.ipv6_cidr_block, e.from_port, e.to_port));
}

function awsNaclToTf(value: unknown): Record<string, unknown>[] {
  return list(value).map((rule) => {
    const r = parseRule(String(rule));
    const [from, to] = r.ports === '*' || r.ports === undefined ? ['0', '0'] : r.ports.split('-');
    const source = r.source ?? '';
    return {
      rule_no: Number(r.rule),
      action: r.action,
      protocol: r.proto === 'all' ? '-1' : r.proto,
      cidr_block: source.includes('.') ? source : '',
      ipv6_cidr_block: source.includes(':') ? source : '',
      from_port: Number(from),
      to_port: Number(to),
    };
  });
}

/** NSG prefixes: CIDRs canonical, service tags (`Internet`, `*`) lowercased. */
const nsgValues = (single: unknown, many: unknown): string =>
  [...list(single), ...list(many)]
    .map((v) => String(v))
    .filter((v) => v !== '')
    .map((v) => (/^[\d.:a-f]+(\/\d+)?$/i.test(v) && /[.:]/.test(v) ? canonicalCidr(v) : v.toLowerCase()))
    .sort()
    .join(',');

function nsgRule(r: Record<string, unknown>, p: { proto: unknown; srcPort: [unknown, unknown]; dstPort: [unknown, unknown]; src: [unknown, unknown]; dst: [unknown, unknown]; access: unknown; priority: unknown; direction: unknown; description: unknown }): string {
  const proto = protocolName(p.proto);
  return formatRule({
    name: str(r.name),
    direction: String(p.direction ?? '').toLowerCase(),
    access: String(p.access ?? '').toLowerCase(),
    priority: Number(p.priority),
    proto,
    source: nsgValues(...p.src),
    source_ports: nsgValues(...p.srcPort),
    destination: nsgValues(...p.dst),
    destination_ports: nsgValues(...p.dstPort),
    description: str(p.description),
  });
}

function azureNsgRulesFromCloud(value: unknown): string[] {
  return records(value).map((r) => {
    const p = isRecord(r.properties) ? r.properties : {};
    return nsgRule(r, {
      proto: p.protocol, access: p.access, priority: p.priority, direction: p.direction, description: p.description,
      srcPort: [p.sourcePortRange, p.sourcePortRanges], dstPort: [p.destinationPortRange, p.destinationPortRanges],
      src: [p.sourceAddressPrefix, p.sourceAddressPrefixes], dst: [p.destinationAddressPrefix, p.destinationAddressPrefixes],
    });
  });
}

function azureNsgRulesFromTf(value: unknown): string[] {
  return records(value).map((r) =>
    nsgRule(r, {
      proto: r.protocol, access: r.access, priority: r.priority, direction: r.direction, description: r.description,
      srcPort: [r.source_port_range, r.source_port_ranges], dstPort: [r.destination_port_range, r.destination_port_ranges],
      src: [r.source_address_prefix, r.source_address_prefixes], dst: [r.destination_address_prefix, r.destination_address_prefixes],
    }),
  );
}

const TITLE_CASE: Record<string, string> = { allow: 'Allow', deny: 'Deny', inbound: 'Inbound', outbound: 'Outbound', tcp: 'Tcp', udp: 'Udp', icmp: 'Icmp', all: '*' };

function azureNsgRulesToTf(value: unknown): Record<string, unknown>[] {
  const singleOrMany = (v: string | undefined, single: string, many: string) => {
    const parts = (v ?? '').split(',').filter(Boolean).map((p) => (p === 'internet' ? 'Internet' : p === 'virtualnetwork' ? 'VirtualNetwork' : p));
    return parts.length > 1 ? { [many]: parts } : { [single]: parts[0] ?? '*' };
  };
  return list(value).map((rule) => {
    const r = parseRule(String(rule));
    return {
      name: r.name,
      priority: Number(r.priority),
      direction: TITLE_CASE[r.direction ?? ''] ?? r.direction,
      access: TITLE_CASE[r.access ?? ''] ?? r.access,
      protocol: TITLE_CASE[r.proto ?? ''] ?? r.proto,
      ...singleOrMany(r.source, 'source_address_prefix', 'source_address_prefixes'),
      ...singleOrMany(r.source_ports, 'source_port_range', 'source_port_ranges'),
      ...singleOrMany(r.destination, 'destination_address_prefix', 'destination_address_prefixes'),
      ...singleOrMany(r.destination_ports, 'destination_port_range', 'destination_port_ranges'),
      description: r.description ?? '',
    };
  });
}

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
  'enabled-bool': (v: unknown) => (v === undefined || v === null ? undefined : v === 'enabled' || v === 'pending' || v === true),
  'aws-sg-rules-cloud': awsSgRulesFromCloud,
  'aws-sg-rules-tf': awsSgRulesFromTf,
  'aws-sg-rules-to-tf': awsSgRulesToTf,
  'aws-routes-cloud': awsRoutesFromCloud,
  'aws-routes-tf': awsRoutesFromTf,
  'aws-routes-to-tf': awsRoutesToTf,
  'aws-nacl-ingress-cloud': awsNaclFromCloud(false),
  'aws-nacl-egress-cloud': awsNaclFromCloud(true),
  'aws-nacl-tf': awsNaclFromTf,
  'aws-nacl-to-tf': awsNaclToTf,
  'azure-nsg-rules-cloud': azureNsgRulesFromCloud,
  'azure-nsg-rules-tf': azureNsgRulesFromTf,
  'azure-nsg-rules-to-tf': azureNsgRulesToTf,
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
