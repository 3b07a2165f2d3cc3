import { isRecord } from '../util/json.js';
import { canonicalCidr } from './cidr.js';
import { formatRule, parseRule } from './rule-string.js';
import { list, protocolName, records, str } from './values.js';

/**
 * EC2 rule sets in both shapes: security group IpPermissions vs aws_security_group
 * ingress/egress blocks, route table Routes vs route blocks, network ACL Entries vs
 * aws_network_acl ingress/egress blocks. Each becomes a set of one-line rules.
 */

/** Only these protocols have ports (ICMP's "ports" are its type and code); any other covers every port. */
const PORTED = new Set(['tcp', 'udp']);
const ICMP = new Set(['icmp', 'icmpv6']);

const portRange = (from: unknown, to: unknown): string => `${from ?? '*'}-${to ?? from ?? '*'}`;
/** `443-443`, `-1--1` (ICMP: any type, any code) or `*` back into Terraform's from/to numbers. */
const splitPorts = (ports: string | undefined): [number, number] => {
  const m = /^(-?\d+)-(-?\d+)$/.exec(ports ?? '');
  return m ? [Number(m[1]), Number(m[2])] : [0, 0];
};

// ---------------------------------------------------------------- security groups

/** Security group rules carry FromPort/ToPort for tcp, udp and (as type and code) ICMP. */
const sgPorts = (proto: string, from: unknown, to: unknown): string =>
  PORTED.has(proto) || ICMP.has(proto) ? portRange(from, to) : '*';

/** Terraform names a group of another account `account/sg-…`, its own group `self`. */
function groupSource(pair: Record<string, unknown>, group: Record<string, unknown>): string {
  const id = String(pair.GroupId);
  if (id === group.GroupId) return 'self';
  const owner = str(pair.UserId);
  return owner && owner !== str(group.OwnerId) ? `${owner}/${id}` : id;
}

function sgRulesFromCloud(value: unknown, group: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const p of records(value)) {
    const proto = protocolName(p.IpProtocol);
    const ports = sgPorts(proto, p.FromPort, p.ToPort);
    const push = (source: string, description: unknown) =>
      out.push(formatRule({ proto, ports, source, description: str(description) }));
    for (const r of records(p.IpRanges)) push(canonicalCidr(String(r.CidrIp)), r.Description);
    for (const r of records(p.Ipv6Ranges)) push(canonicalCidr(String(r.CidrIpv6)), r.Description);
    for (const r of records(p.PrefixListIds)) push(String(r.PrefixListId), r.Description);
    for (const r of records(p.UserIdGroupPairs)) push(groupSource(r, group), r.Description);
  }
  return out;
}

function sgRulesFromTf(value: unknown): string[] {
  const out: string[] = [];
  for (const b of records(value)) {
    const proto = protocolName(b.protocol);
    const ports = sgPorts(proto, b.from_port, b.to_port);
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

function sgRulesToTf(value: unknown): Record<string, unknown>[] {
  return list(value).map((rule) => {
    const r = parseRule(String(rule));
    const [from, to] = splitPorts(r.ports);
    const source = r.source ?? '';
    return {
      protocol: r.proto === 'all' ? '-1' : r.proto,
      from_port: from,
      to_port: to,
      cidr_blocks: source.includes('.') && source.includes('/') ? [source] : [],
      ipv6_cidr_blocks: source.includes(':') ? [source] : [],
      prefix_list_ids: source.startsWith('pl-') ? [source] : [],
      security_groups: /(^|\/)sg-/.test(source) ? [source] : [],
      self: source === 'self',
      description: r.description ?? '',
    };
  });
}

// ---------------------------------------------------------------- route tables

/** Route target by id prefix: which Terraform argument holds it. */
const ROUTE_TARGET_ARGUMENT: [prefix: string, tfArgument: string][] = [
  ['nat-', 'nat_gateway_id'],
  ['eni-', 'network_interface_id'],
  ['tgw-', 'transit_gateway_id'],
  ['pcx-', 'vpc_peering_connection_id'],
  ['eigw-', 'egress_only_gateway_id'],
  ['vpce-', 'vpc_endpoint_id'],
  ['cagw-', 'carrier_gateway_id'],
  ['lgw-', 'local_gateway_id'],
  ['arn:', 'core_network_arn'],
  ['', 'gateway_id'],
];
const ROUTE_CLOUD_TARGETS = [
  'GatewayId',
  'NatGatewayId',
  'TransitGatewayId',
  'VpcPeeringConnectionId',
  'EgressOnlyInternetGatewayId',
  'NetworkInterfaceId',
  'CarrierGatewayId',
  'LocalGatewayId',
  'CoreNetworkArn',
  'InstanceId',
];
/** Terraform's route target arguments, in the order the first one set is taken. */
export const ROUTE_TF_TARGETS = [
  'gateway_id',
  'nat_gateway_id',
  'transit_gateway_id',
  'vpc_peering_connection_id',
  'egress_only_gateway_id',
  'network_interface_id',
  'vpc_endpoint_id',
  'carrier_gateway_id',
  'local_gateway_id',
  'core_network_arn',
  'instance_id',
];

/**
 * Routes a route table's `route` blocks never hold: those a virtual private gateway propagates,
 * gateway endpoint routes (their aws_vpc_endpoint owns them) and VPC Lattice routes.
 */
function inRouteBlocks(r: Record<string, unknown>): boolean {
  if (r.Origin === 'EnableVgwRoutePropagation' || r.GatewayId === 'VpcLattice') return false;
  return !(r.DestinationPrefixListId && String(r.GatewayId ?? '').startsWith('vpce-'));
}

function routeDestination(cidr: unknown, ipv6: unknown, prefixList: unknown): string | undefined {
  const d = str(cidr) ?? str(ipv6);
  return d ? canonicalCidr(d) : str(prefixList);
}

function routesFromCloud(value: unknown): string[] {
  return records(value)
    .filter(inRouteBlocks)
    .map((r) =>
      formatRule({
        destination: routeDestination(r.DestinationCidrBlock, r.DestinationIpv6CidrBlock, r.DestinationPrefixListId),
        target: ROUTE_CLOUD_TARGETS.map((k) => str(r[k])).find(Boolean),
      }),
    );
}

function routesFromTf(value: unknown): string[] {
  return records(value).map((r) =>
    formatRule({
      destination: routeDestination(r.cidr_block, r.ipv6_cidr_block, r.destination_prefix_list_id),
      target: ROUTE_TF_TARGETS.map((k) => str(r[k])).find(Boolean),
    }),
  );
}

function routesToTf(value: unknown): Record<string, unknown>[] {
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

// ---------------------------------------------------------------- route table associations

/** Association states on their way out: the subnet or gateway no longer uses the table. */
const ASSOCIATION_GONE = new Set(['disassociating', 'disassociated', 'failed']);

/**
 * One association of a route table: a subnet's or an edge gateway's (aws_route_table_association)
 * or the VPC's main one (aws_main_route_table_association). aws_route_table has no inline form of
 * them; each association resource adds one (engine/split).
 */
const associationRule = (subnet: unknown, gateway: unknown, main: unknown): string =>
  formatRule({ subnet: str(subnet), gateway: str(gateway), main: main === true || main === 'true' || undefined });

function associationsFromCloud(value: unknown): string[] {
  return records(value)
    .filter((a) => !(isRecord(a.AssociationState) && ASSOCIATION_GONE.has(String(a.AssociationState.State))))
    .map((a) => associationRule(a.SubnetId, a.GatewayId, a.Main));
}

function associationsFromTf(value: unknown): string[] {
  return records(value).map((b) => associationRule(b.subnet_id, b.gateway_id, b.main));
}

function associationsToTf(value: unknown): Record<string, unknown>[] {
  return list(value).map((rule) => {
    const r = parseRule(String(rule));
    return r.main === 'true' ? { main: true } : { subnet_id: r.subnet ?? '', gateway_id: r.gateway ?? '' };
  });
}

// ---------------------------------------------------------------- network ACLs

/** The protocol numbers Terraform records for a network ACL entry (the NACL API speaks only numbers). */
const NACL_PROTOCOL_NUMBERS: Record<string, string> = { all: '-1', tcp: '6', udp: '17', icmp: '1', icmpv6: '58' };

interface NaclEntry {
  rule: unknown;
  action: unknown;
  protocol: unknown;
  cidr: unknown;
  ipv6: unknown;
  from: unknown;
  to: unknown;
  icmpType: unknown;
  icmpCode: unknown;
}

function naclRule(e: NaclEntry): string {
  const proto = protocolName(e.protocol);
  return formatRule({
    rule: Number(e.rule),
    action: String(e.action).toLowerCase(),
    proto,
    source: canonicalCidr(String(str(e.cidr) ?? str(e.ipv6) ?? '')),
    ports: PORTED.has(proto) ? portRange(e.from, e.to) : undefined,
    icmp: ICMP.has(proto) ? `${e.icmpType ?? -1}:${e.icmpCode ?? -1}` : undefined,
  });
}

const naclFromCloud =
  (egress: boolean) =>
  (value: unknown): string[] =>
    records(value)
      .filter((e) => e.Egress === egress)
      .map((e) => {
        const range = isRecord(e.PortRange) ? e.PortRange : {};
        const icmp = isRecord(e.IcmpTypeCode) ? e.IcmpTypeCode : {};
        return naclRule({
          rule: e.RuleNumber,
          action: e.RuleAction,
          protocol: e.Protocol,
          cidr: e.CidrBlock,
          ipv6: e.Ipv6CidrBlock,
          from: range.From,
          to: range.To,
          icmpType: icmp.Type,
          icmpCode: icmp.Code,
        });
      });

function naclFromTf(value: unknown): string[] {
  return records(value).map((e) =>
    naclRule({
      rule: e.rule_no,
      action: e.action,
      protocol: e.protocol,
      cidr: e.cidr_block,
      ipv6: e.ipv6_cidr_block,
      from: e.from_port,
      to: e.to_port,
      icmpType: e.icmp_type,
      icmpCode: e.icmp_code,
    }),
  );
}

function naclToTf(value: unknown): Record<string, unknown>[] {
  return list(value).map((rule) => {
    const r = parseRule(String(rule));
    const [from, to] = splitPorts(r.ports);
    const [icmpType = 0, icmpCode = 0] = r.icmp ? r.icmp.split(':').map(Number) : [];
    const source = r.source ?? '';
    return {
      rule_no: Number(r.rule),
      action: r.action,
      protocol: NACL_PROTOCOL_NUMBERS[r.proto ?? ''] ?? r.proto,
      cidr_block: source.includes('.') ? source : '',
      ipv6_cidr_block: source.includes(':') ? source : '',
      from_port: from,
      to_port: to,
      icmp_type: icmpType,
      icmp_code: icmpCode,
    };
  });
}

export const AWS_RULE_CONVERTERS = {
  'aws-sg-rules-cloud': sgRulesFromCloud,
  'aws-sg-rules-tf': sgRulesFromTf,
  'aws-sg-rules-to-tf': sgRulesToTf,
  'aws-routes-cloud': routesFromCloud,
  'aws-routes-tf': routesFromTf,
  'aws-routes-to-tf': routesToTf,
  'aws-route-associations-cloud': associationsFromCloud,
  'aws-route-associations-tf': associationsFromTf,
  'aws-route-associations-to-tf': associationsToTf,
  'aws-nacl-ingress-cloud': naclFromCloud(false),
  'aws-nacl-egress-cloud': naclFromCloud(true),
  'aws-nacl-tf': naclFromTf,
  'aws-nacl-to-tf': naclToTf,
};
