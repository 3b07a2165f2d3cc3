import { ROUTE_TF_TARGETS } from '../mappings/aws-rules.js';
import { list, str } from '../mappings/values.js';

/**
 * Split resources: a parent setting Terraform lets a configuration declare either inline (an
 * aws_security_group's `ingress` blocks) or as separate resources that each target the parent
 * (aws_security_group_rule). The parent's expected setting is the union of both; see split/children.ts.
 *
 * One row per (child type, parent attribute). A new family is one row here and, when no
 * existing shape fits, one entry in CHILD_BLOCKS.
 */
export interface SplitFamily {
  /** The separate resource's Terraform type. */
  childTfType: string;
  /** The parent's Terraform type: its mapping (engine/mappings) holds `attribute`. */
  parentTfType: string;
  /**
   * The parent mapping's attribute (its `tf` path) a child adds one element to: a top-level
   * list, merged element by element (a child that sets a whole setting, such as S3 versioning,
   * would need a merge of its own).
   */
  attribute: string;
  /** How a child names its parent: the parent's cloud id read from the child's state. */
  parentId: ParentIdRule;
  /** Only children whose attribute equals this belong to the row (rule `type`, NACL `egress`). */
  when?: { attr: string; equals: unknown; absent?: unknown };
  /** How a child becomes one element of the parent's attribute, in the parent's Terraform block shape. */
  block: ChildBlockName;
  /**
   * Fields of the canonical rule string (engine/mappings/rule-string.ts) that name one rule: a
   * cloud rule with the same ones as a child's, but otherwise different, is that child changed.
   */
  identity: readonly string[];
}

export type ParentIdRule =
  /** A child attribute holding the parent's id (`security_group_id`, `route_table_id`). */
  | { attr: string }
  /** The child's `id` with its last `n` path segments removed (an ARM sub-resource's parent). */
  | { stripSegments: number };

type Attrs = Record<string, unknown>;

/** Terraform names a rule on its own group `self`; separate rules spell it as the group's id. */
const sgSource = (attrs: Attrs, referenced: unknown): Attrs => {
  const group = str(referenced);
  if (group === undefined) return { security_groups: [] };
  return group === attrs.security_group_id ? { self: true, security_groups: [] } : { security_groups: [group] };
};

/** A child's state → one block as the parent's inline attribute would hold it. */
export const CHILD_BLOCKS = {
  /** aws_security_group_rule → one ingress/egress block. */
  'aws-sg-rule': (a: Attrs): Attrs => ({
    protocol: a.protocol,
    from_port: a.from_port,
    to_port: a.to_port,
    cidr_blocks: list(a.cidr_blocks),
    ipv6_cidr_blocks: list(a.ipv6_cidr_blocks),
    prefix_list_ids: list(a.prefix_list_ids),
    description: a.description,
    ...(a.self === true ? { self: true, security_groups: [] } : sgSource(a, a.source_security_group_id)),
  }),
  /** aws_vpc_security_group_ingress_rule / _egress_rule: one source per rule. */
  'aws-vpc-sg-rule': (a: Attrs): Attrs => ({
    protocol: a.ip_protocol,
    from_port: a.from_port,
    to_port: a.to_port,
    cidr_blocks: list(str(a.cidr_ipv4)),
    ipv6_cidr_blocks: list(str(a.cidr_ipv6)),
    prefix_list_ids: list(str(a.prefix_list_id)),
    description: a.description,
    ...sgSource(a, a.referenced_security_group_id),
  }),
  /** aws_route → one route block (destination arguments are spelled without `destination_`). */
  'aws-route': (a: Attrs): Attrs => ({
    cidr_block: a.destination_cidr_block,
    ipv6_cidr_block: a.destination_ipv6_cidr_block,
    destination_prefix_list_id: a.destination_prefix_list_id,
    ...Object.fromEntries(ROUTE_TF_TARGETS.map((k) => [k, a[k]])),
  }),
  /** aws_network_acl_rule → one ingress/egress entry. */
  'aws-nacl-rule': (a: Attrs): Attrs => ({
    rule_no: a.rule_number,
    action: a.rule_action,
    protocol: a.protocol,
    cidr_block: a.cidr_block,
    ipv6_cidr_block: a.ipv6_cidr_block,
    from_port: a.from_port,
    to_port: a.to_port,
    icmp_type: a.icmp_type,
    icmp_code: a.icmp_code,
  }),
  /** aws_route_table_association: a subnet's or an edge gateway's association. */
  'aws-route-association': (a: Attrs): Attrs => ({ subnet_id: a.subnet_id, gateway_id: a.gateway_id }),
  /** aws_main_route_table_association: the table is its VPC's main one. */
  'aws-main-route-association': (): Attrs => ({ main: true }),
  /** azurerm_network_security_rule has the security_rule block's own arguments. */
  'same-arguments': (a: Attrs): Attrs => a,
} satisfies Record<string, (attrs: Attrs) => Attrs>;

export type ChildBlockName = keyof typeof CHILD_BLOCKS;

const SG_IDENTITY = ['proto', 'ports'] as const;
const bySecurityGroup: ParentIdRule = { attr: 'security_group_id' };
const byNetworkAcl: ParentIdRule = { attr: 'network_acl_id' };

export const SPLIT_FAMILIES: readonly SplitFamily[] = [
  ...(['ingress', 'egress'] as const).map(
    (direction): SplitFamily => ({
      childTfType: 'aws_security_group_rule',
      parentTfType: 'aws_security_group',
      attribute: direction,
      parentId: bySecurityGroup,
      when: { attr: 'type', equals: direction },
      block: 'aws-sg-rule',
      identity: SG_IDENTITY,
    }),
  ),
  ...(['ingress', 'egress'] as const).map(
    (direction): SplitFamily => ({
      childTfType: `aws_vpc_security_group_${direction}_rule`,
      parentTfType: 'aws_security_group',
      attribute: direction,
      parentId: bySecurityGroup,
      block: 'aws-vpc-sg-rule',
      identity: SG_IDENTITY,
    }),
  ),
  {
    childTfType: 'aws_route',
    parentTfType: 'aws_route_table',
    attribute: 'route',
    parentId: { attr: 'route_table_id' },
    block: 'aws-route',
    identity: ['destination'],
  },
  ...(
    [
      ['aws_route_table_association', 'aws-route-association'],
      ['aws_main_route_table_association', 'aws-main-route-association'],
    ] as const
  ).map(
    ([childTfType, block]): SplitFamily => ({
      childTfType,
      parentTfType: 'aws_route_table',
      attribute: 'association',
      parentId: { attr: 'route_table_id' },
      block,
      identity: ['subnet', 'gateway', 'main'],
    }),
  ),
  ...([false, true] as const).map(
    (egress): SplitFamily => ({
      childTfType: 'aws_network_acl_rule',
      parentTfType: 'aws_network_acl',
      attribute: egress ? 'egress' : 'ingress',
      parentId: byNetworkAcl,
      when: { attr: 'egress', equals: egress, absent: false },
      block: 'aws-nacl-rule',
      identity: ['rule'],
    }),
  ),
  {
    childTfType: 'azurerm_network_security_rule',
    parentTfType: 'azurerm_network_security_group',
    attribute: 'security_rule',
    // …/networkSecurityGroups/<network_security_group_name>/securityRules/<name>, in the group's resource group.
    parentId: { stripSegments: 2 },
    block: 'same-arguments',
    identity: ['name'],
  },
];

const familiesByChild = new Map<string, SplitFamily[]>();
for (const f of SPLIT_FAMILIES) familiesByChild.set(f.childTfType, [...(familiesByChild.get(f.childTfType) ?? []), f]);

/** Terraform types that are separate parts of a parent: never compared, missing or unmanaged by themselves. */
export const SPLIT_CHILD_TYPES: ReadonlySet<string> = new Set(familiesByChild.keys());

/** The parent type of a split child type (every family of one child type shares its parent). */
export const splitParentTfType = (childTfType: string): string | undefined =>
  familiesByChild.get(childTfType)?.[0]?.parentTfType;

/** The family a child's state instance belongs to (its type, and for shared types its direction). */
export function splitFamilyOf(tfType: string, attrs: Attrs): SplitFamily | undefined {
  return familiesByChild.get(tfType)?.find((f) => !f.when || (attrs[f.when.attr] ?? f.when.absent) === f.when.equals);
}

/** The parent's cloud id as the child names it, before the parent mapping's id normalisation. */
export function parentIdOf(family: SplitFamily, attrs: Attrs): string | undefined {
  const rule = family.parentId;
  if ('attr' in rule) return str(attrs[rule.attr]);
  const id = str(attrs.id);
  return id?.split('/').slice(0, -rule.stripSegments).join('/') || undefined;
}
