import { isRecord } from '../util/json.js';
import { canonicalCidr } from './cidr.js';
import { formatRule, parseRule } from './rule-string.js';
import { list, protocolName, records, str } from './values.js';

/**
 * Azure network security group rules: ARM `properties.securityRules` vs azurerm
 * `security_rule` blocks. Each side may give one value (`sourceAddressPrefix`) or a list
 * (`sourceAddressPrefixes`); both become one sorted, comma-joined field.
 */

/** CIDRs canonical; service tags (`Internet`, `*`), ports and resource ids lowercased (Azure compares them case-insensitively). */
const nsgValues = (single: unknown, many: unknown): string =>
  [...list(single), ...list(many)]
    .map((v) => String(v))
    .filter((v) => v !== '')
    .map((v) => (/^[\d.:a-f]+(\/\d+)?$/i.test(v) && /[.:]/.test(v) ? canonicalCidr(v) : v.toLowerCase()))
    .sort()
    .join(',');

interface NsgRuleFields {
  name: unknown;
  proto: unknown;
  access: unknown;
  priority: unknown;
  direction: unknown;
  description: unknown;
  src: [unknown, unknown];
  dst: [unknown, unknown];
  srcPort: [unknown, unknown];
  dstPort: [unknown, unknown];
  srcAsgs: unknown;
  dstAsgs: unknown;
}

function nsgRule(p: NsgRuleFields): string {
  return formatRule({
    name: str(p.name),
    direction: String(p.direction ?? '').toLowerCase(),
    access: String(p.access ?? '').toLowerCase(),
    priority: Number(p.priority),
    proto: protocolName(p.proto),
    source: nsgValues(...p.src),
    source_asgs: nsgValues(p.srcAsgs, undefined),
    source_ports: nsgValues(...p.srcPort),
    destination: nsgValues(...p.dst),
    destination_asgs: nsgValues(p.dstAsgs, undefined),
    destination_ports: nsgValues(...p.dstPort),
    description: str(p.description),
  });
}

const asgIds = (v: unknown): string[] => records(v).map((g) => String(g.id));

function nsgRulesFromCloud(value: unknown): string[] {
  return records(value).map((r) => {
    const p = isRecord(r.properties) ? r.properties : {};
    return nsgRule({
      name: r.name,
      proto: p.protocol,
      access: p.access,
      priority: p.priority,
      direction: p.direction,
      description: p.description,
      src: [p.sourceAddressPrefix, p.sourceAddressPrefixes],
      dst: [p.destinationAddressPrefix, p.destinationAddressPrefixes],
      srcPort: [p.sourcePortRange, p.sourcePortRanges],
      dstPort: [p.destinationPortRange, p.destinationPortRanges],
      srcAsgs: asgIds(p.sourceApplicationSecurityGroups),
      dstAsgs: asgIds(p.destinationApplicationSecurityGroups),
    });
  });
}

function nsgRulesFromTf(value: unknown): string[] {
  return records(value).map((r) =>
    nsgRule({
      name: r.name,
      proto: r.protocol,
      access: r.access,
      priority: r.priority,
      direction: r.direction,
      description: r.description,
      src: [r.source_address_prefix, r.source_address_prefixes],
      dst: [r.destination_address_prefix, r.destination_address_prefixes],
      srcPort: [r.source_port_range, r.source_port_ranges],
      dstPort: [r.destination_port_range, r.destination_port_ranges],
      srcAsgs: r.source_application_security_group_ids,
      dstAsgs: r.destination_application_security_group_ids,
    }),
  );
}

/** ARM's spelling of the lowercased canonical values, for the Terraform arguments written back. */
const ARM_SPELLING: Record<string, string> = {
  allow: 'Allow',
  deny: 'Deny',
  inbound: 'Inbound',
  outbound: 'Outbound',
  tcp: 'Tcp',
  udp: 'Udp',
  icmp: 'Icmp',
  esp: 'Esp',
  ah: 'Ah',
  all: '*',
  internet: 'Internet',
  virtualnetwork: 'VirtualNetwork',
  azureloadbalancer: 'AzureLoadBalancer',
};
const armSpelling = (v: string | undefined) => (v === undefined ? undefined : (ARM_SPELLING[v] ?? v));

const splitValues = (v: string | undefined): string[] => (v ?? '').split(',').filter(Boolean);

function singleOrMany(v: string | undefined, single: string, many: string): Record<string, unknown> {
  const parts = splitValues(v).map((p) => armSpelling(p)!);
  return parts.length > 1 ? { [single]: '', [many]: parts } : { [single]: parts[0] ?? '', [many]: [] };
}

function nsgRulesToTf(value: unknown): Record<string, unknown>[] {
  return list(value).map((rule) => {
    const r = parseRule(String(rule));
    return {
      name: r.name,
      priority: Number(r.priority),
      direction: armSpelling(r.direction),
      access: armSpelling(r.access),
      protocol: armSpelling(r.proto),
      ...singleOrMany(r.source, 'source_address_prefix', 'source_address_prefixes'),
      ...singleOrMany(r.source_ports, 'source_port_range', 'source_port_ranges'),
      ...singleOrMany(r.destination, 'destination_address_prefix', 'destination_address_prefixes'),
      ...singleOrMany(r.destination_ports, 'destination_port_range', 'destination_port_ranges'),
      source_application_security_group_ids: splitValues(r.source_asgs),
      destination_application_security_group_ids: splitValues(r.destination_asgs),
      description: r.description ?? '',
    };
  });
}

export const AZURE_NSG_CONVERTERS = {
  'azure-nsg-rules-cloud': nsgRulesFromCloud,
  'azure-nsg-rules-tf': nsgRulesFromTf,
  'azure-nsg-rules-to-tf': nsgRulesToTf,
};
