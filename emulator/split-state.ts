import { isRecord } from '../engine/index.js';
import { chance, hex, pick } from './rng.js';
import type { Rng } from './types.js';

/**
 * Rules and routes written as separate Terraform resources, as many configurations declare
 * them: a security group's rules as aws_security_group_rule or aws_vpc_security_group_*_rule,
 * a route table's routes as aws_route, NACL entries as aws_network_acl_rule, NSG rules as
 * azurerm_network_security_rule. Each inline block of a parent becomes a child resource; some
 * parents keep the inline copies too, as `terraform refresh` leaves them. The engine must find
 * no drift either way (engine/split). Route table associations have no inline form: they are
 * separate resources or not in the state at all.
 */

type Attrs = Record<string, unknown>;

/** A parent as the state writer planned it. */
export interface SplittableParent {
  tfType: string;
  attributes: Attrs;
  provider: string;
  module?: string;
}

/** One inline block → the attributes of the separate resource(s) declaring the same. */
type ToChildren = (block: Attrs, parent: Attrs, rng: Rng) => Attrs[];

/** One way of writing a parent's attributes as separate resources: attribute → (child type, converter). */
type Style = Record<string, [childTfType: string, toChildren: ToChildren]>;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const strings = (v: unknown): string[] => list(v).map(String).filter(Boolean);

/** Each source of a security group block on its own: what a separate rule names. */
function sgSources(block: Attrs): { cidr?: string; ipv6?: string; prefixList?: string; group?: string }[] {
  return [
    ...strings(block.cidr_blocks).map((cidr) => ({ cidr })),
    ...strings(block.ipv6_cidr_blocks).map((ipv6) => ({ ipv6 })),
    ...strings(block.prefix_list_ids).map((prefixList) => ({ prefixList })),
    ...strings(block.security_groups).map((group) => ({ group })),
    ...(block.self === true ? [{ group: 'self' }] : []),
  ];
}

const legacySgRule =
  (type: 'ingress' | 'egress'): ToChildren =>
  (block, parent, rng) =>
    sgSources(block).map((s) => ({
      id: `sgrule-${int32(rng)}`,
      type,
      security_group_id: parent.id,
      protocol: block.protocol,
      from_port: block.from_port,
      to_port: block.to_port,
      cidr_blocks: s.cidr ? [s.cidr] : [],
      ipv6_cidr_blocks: s.ipv6 ? [s.ipv6] : [],
      prefix_list_ids: s.prefixList ? [s.prefixList] : [],
      self: s.group === 'self',
      source_security_group_id: s.group === 'self' ? parent.id : (s.group ?? null),
      description: block.description ?? '',
    }));

const vpcSgRule: ToChildren = (block, parent, rng) =>
  sgSources(block).map((s) => {
    const id = `sgr-${hex(rng, 17)}`;
    const all = block.protocol === '-1';
    return {
      id,
      security_group_rule_id: id,
      security_group_id: parent.id,
      ip_protocol: block.protocol,
      from_port: all ? null : block.from_port,
      to_port: all ? null : block.to_port,
      cidr_ipv4: s.cidr ?? null,
      cidr_ipv6: s.ipv6 ?? null,
      prefix_list_id: s.prefixList ?? null,
      referenced_security_group_id: s.group === 'self' ? parent.id : (s.group ?? null),
      description: block.description || null,
      tags: null,
    };
  });

const ROUTE_DESTINATIONS: [inline: string, separate: string][] = [
  ['cidr_block', 'destination_cidr_block'],
  ['ipv6_cidr_block', 'destination_ipv6_cidr_block'],
  ['destination_prefix_list_id', 'destination_prefix_list_id'],
];

const route: ToChildren = (block, parent, rng) => {
  const attrs: Attrs = { id: `r-${parent.id}${int32(rng)}`, route_table_id: parent.id };
  for (const [k, v] of Object.entries(block)) {
    const destination = ROUTE_DESTINATIONS.find(([inline]) => inline === k);
    attrs[destination ? destination[1] : k] = v;
  }
  return [attrs];
};

/** A managed table is never its VPC's main one (that is the default table), so only subnet and gateway associations. */
const routeAssociation: ToChildren = (block, parent, rng) => [
  {
    id: `rtbassoc-0${hex(rng, 16)}`,
    route_table_id: parent.id,
    subnet_id: block.subnet_id ?? '',
    gateway_id: block.gateway_id ?? '',
  },
];

const naclRule =
  (egress: boolean): ToChildren =>
  (block, parent, rng) => [
    {
      id: `nacl-${int32(rng)}`,
      network_acl_id: parent.id,
      rule_number: block.rule_no,
      egress,
      protocol: block.protocol,
      rule_action: block.action,
      cidr_block: block.cidr_block ?? '',
      ipv6_cidr_block: block.ipv6_cidr_block ?? '',
      from_port: block.from_port,
      to_port: block.to_port,
      icmp_type: block.icmp_type,
      icmp_code: block.icmp_code,
    },
  ];

const nsgRule: ToChildren = (block, parent) => [
  {
    ...block,
    id: `${parent.id}/securityRules/${block.name}`,
    resource_group_name: parent.resource_group_name,
    network_security_group_name: parent.name,
  },
];

const int32 = (rng: Rng) => Math.floor(rng() * 4_000_000_000) + 100_000_000;

/** The ways each parent type's attributes can be written as separate resources. */
const STYLES: Record<string, Style[]> = {
  aws_security_group: [
    {
      ingress: ['aws_security_group_rule', legacySgRule('ingress')],
      egress: ['aws_security_group_rule', legacySgRule('egress')],
    },
    {
      ingress: ['aws_vpc_security_group_ingress_rule', vpcSgRule],
      egress: ['aws_vpc_security_group_egress_rule', vpcSgRule],
    },
  ],
  aws_route_table: [{ route: ['aws_route', route], association: ['aws_route_table_association', routeAssociation] }],
  aws_network_acl: [
    { ingress: ['aws_network_acl_rule', naclRule(false)], egress: ['aws_network_acl_rule', naclRule(true)] },
  ],
  azurerm_network_security_group: [{ security_rule: ['azurerm_network_security_rule', nsgRule] }],
};

/** Parent attributes Terraform has no inline argument for: never left in the parent's state. */
const NO_INLINE_FORM: Record<string, string[]> = { aws_route_table: ['association'] };

/** Removes the attributes a parent's state cannot hold inline (call after splitting). */
export function dropNoInlineForm(tfType: string, attributes: Attrs): void {
  for (const attribute of NO_INLINE_FORM[tfType] ?? []) delete attributes[attribute];
}

/**
 * A separate resource the cloud no longer has, by parent type: the state declares it, the
 * cloud lost it (a subnet disassociated by hand). Injected as missing drift on its own address.
 */
const LOST_CHILD: Record<string, (parent: Attrs, rng: Rng) => SeparateResource> = {
  aws_route_table: (parent, rng) => ({
    tfType: 'aws_route_table_association',
    provider: '',
    attributes: routeAssociation({ subnet_id: `subnet-0${hex(rng, 16)}` }, parent, rng)[0]!,
  }),
};

/** Whether parents of this type may have a lost child. */
export const hasLostChild = (tfType: string): boolean => tfType in LOST_CHILD;

/** A lost child for `parent`, when its type has one. */
export function lostChild(parent: SplittableParent, rng: Rng): SeparateResource | undefined {
  const child = LOST_CHILD[parent.tfType]?.(parent.attributes, rng);
  return child && { ...child, provider: parent.provider };
}

/** Attributes of a parent type that may be written as separate resources. */
export function splittableAttributes(tfType: string): string[] {
  return [...new Set((STYLES[tfType] ?? []).flatMap((s) => Object.keys(s)))];
}

/** A child resource to add to the state (its address is `<type>.<name>`, at the root module). */
export interface SeparateResource {
  tfType: string;
  provider: string;
  attributes: Attrs;
}

/**
 * Moves the inline blocks of `parent` into separate resources, in one style picked at random;
 * a third of the parents keep their inline copies (a refreshed state). Returns the children;
 * the parent's attributes are changed in place.
 */
export function splitParent(parent: SplittableParent, rng: Rng): SeparateResource[] {
  const styles = STYLES[parent.tfType];
  if (!styles) return [];
  const style = pick(rng, styles);
  const keepInline = chance(rng, 1 / 3);
  const children: SeparateResource[] = [];
  for (const [attribute, [tfType, toChildren]] of Object.entries(style)) {
    const blocks = list(parent.attributes[attribute]).filter(isRecord);
    for (const block of blocks)
      for (const attributes of toChildren(block, parent.attributes, rng))
        children.push({ tfType, provider: parent.provider, attributes });
    if (!keepInline && blocks.length > 0) parent.attributes[attribute] = [];
  }
  dropNoInlineForm(parent.tfType, parent.attributes);
  return children;
}
