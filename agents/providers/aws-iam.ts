import {
  type EntityType,
  GetAccountAuthorizationDetailsCommand,
  type GetAccountAuthorizationDetailsCommandOutput,
  IAMClient,
} from '@aws-sdk/client-iam';
import type { DiscoveredResource } from '../../contract/resource.js';
import { metrics } from '../metrics.js';
import type { Send } from './aws-s3.js';
import type { ListContext, ResourcePage } from './types.js';

/**
 * IAM through @aws-sdk/client-iam's GetAccountAuthorizationDetails: one paged call (Marker,
 * IsTruncated) lists an account's roles, users, groups or customer managed policies with their
 * documents, inline policies and attached policies, where the List and Get calls would take
 * several per entity. IAM is global: listed once per account, every resource filed under
 * `global`. IAM returns documents URL-encoded; they are kept decoded, as JSON text.
 */

type Attrs = Record<string, unknown>;
type Output = GetAccountAuthorizationDetailsCommandOutput;
type Role = NonNullable<Output['RoleDetailList']>[number];
type User = NonNullable<Output['UserDetailList']>[number];
type Group = NonNullable<Output['GroupDetailList']>[number];
type Policy = NonNullable<Output['Policies']>[number];
type Attached = { PolicyName?: string; PolicyArn?: string };

const ACTION = 'GetAccountAuthorizationDetails';
/** GetAccountAuthorizationDetails' largest MaxItems. */
const MAX_ITEMS = 1000;
/**
 * IAM's request budget per account: AWS publishes no figure per action, and IAM is a global
 * service every agent of the account shares, so this stays well under what it tolerates.
 */
export const IAM_LIMITS = { [ACTION]: { capacity: 10, refillPerSecond: 5 } };

const decode = (doc: string | undefined): string | undefined =>
  doc === undefined ? undefined : decodeURIComponent(doc);
const date = (d: Date | undefined) => d?.toISOString();

/** Output members as plain JSON: dates as ISO strings, absent members left out. */
function plain(value: Attrs): Attrs {
  const out: Attrs = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v instanceof Date ? v.toISOString() : v;
  return out;
}

interface Item {
  id: string;
  name: string;
  attributes: Attrs;
  tags?: { Key?: string; Value?: string }[];
}

const attachments = (holderKey: string, holder: string, list: Attached[] | undefined): Item[] =>
  (list ?? []).map((p) => ({
    id: `${holder}/${p.PolicyArn}`,
    name: `${holder}/${p.PolicyName}`,
    attributes: { [holderKey]: holder, PolicyArn: p.PolicyArn, PolicyName: p.PolicyName },
  }));

const role = (r: Role): Attrs =>
  plain({
    RoleName: r.RoleName,
    RoleId: r.RoleId,
    Arn: r.Arn,
    Path: r.Path,
    CreateDate: date(r.CreateDate),
    AssumeRolePolicyDocument: decode(r.AssumeRolePolicyDocument),
    PermissionsBoundary: r.PermissionsBoundary && plain({ ...r.PermissionsBoundary }),
    Tags: r.Tags ?? [],
  });

const user = (u: User): Attrs =>
  plain({
    UserName: u.UserName,
    UserId: u.UserId,
    Arn: u.Arn,
    Path: u.Path,
    CreateDate: date(u.CreateDate),
    GroupList: u.GroupList ?? [],
    PermissionsBoundary: u.PermissionsBoundary && plain({ ...u.PermissionsBoundary }),
    Tags: u.Tags ?? [],
  });

const group = (g: Group): Attrs =>
  plain({ GroupName: g.GroupName, GroupId: g.GroupId, Arn: g.Arn, Path: g.Path, CreateDate: date(g.CreateDate) });

/** A customer managed policy with its default version's document. */
const policy = (p: Policy): Attrs =>
  plain({
    PolicyName: p.PolicyName,
    PolicyId: p.PolicyId,
    Arn: p.Arn,
    Path: p.Path,
    Description: p.Description,
    DefaultVersionId: p.DefaultVersionId,
    AttachmentCount: p.AttachmentCount,
    IsAttachable: p.IsAttachable,
    CreateDate: date(p.CreateDate),
    UpdateDate: date(p.UpdateDate),
    PolicyDocument: decode(p.PolicyVersionList?.find((v) => v.IsDefaultVersion)?.Document),
  });

/** Per type: the entity filter it is listed with and how a page becomes its items. */
const IAM_LISTINGS: Record<string, { filter: EntityType; items: (o: Output) => Item[] }> = {
  'AWS::IAM::Role': {
    filter: 'Role',
    items: (o) =>
      (o.RoleDetailList ?? []).map((r) => ({ id: r.RoleName!, name: r.RoleName!, attributes: role(r), tags: r.Tags })),
  },
  'AWS::IAM::RolePolicy': {
    filter: 'Role',
    items: (o) =>
      (o.RoleDetailList ?? []).flatMap((r) =>
        (r.RolePolicyList ?? []).map((p) => ({
          id: `${r.RoleName}:${p.PolicyName}`,
          name: `${r.RoleName}:${p.PolicyName}`,
          attributes: { RoleName: r.RoleName, PolicyName: p.PolicyName, PolicyDocument: decode(p.PolicyDocument) },
        })),
      ),
  },
  'AWS::IAM::RolePolicyAttachment': {
    filter: 'Role',
    items: (o) =>
      (o.RoleDetailList ?? []).flatMap((r) => attachments('RoleName', r.RoleName!, r.AttachedManagedPolicies)),
  },
  'AWS::IAM::User': {
    filter: 'User',
    items: (o) =>
      (o.UserDetailList ?? []).map((u) => ({ id: u.UserName!, name: u.UserName!, attributes: user(u), tags: u.Tags })),
  },
  'AWS::IAM::UserPolicyAttachment': {
    filter: 'User',
    items: (o) =>
      (o.UserDetailList ?? []).flatMap((u) => attachments('UserName', u.UserName!, u.AttachedManagedPolicies)),
  },
  'AWS::IAM::Group': {
    filter: 'Group',
    items: (o) =>
      (o.GroupDetailList ?? []).map((g) => ({ id: g.GroupName!, name: g.GroupName!, attributes: group(g) })),
  },
  'AWS::IAM::GroupPolicyAttachment': {
    filter: 'Group',
    items: (o) =>
      (o.GroupDetailList ?? []).flatMap((g) => attachments('GroupName', g.GroupName!, g.AttachedManagedPolicies)),
  },
  'AWS::IAM::ManagedPolicy': {
    filter: 'LocalManagedPolicy',
    items: (o) => (o.Policies ?? []).map((p) => ({ id: p.Arn!, name: p.PolicyName!, attributes: policy(p) })),
  },
};

export const isIamType = (type: string): boolean => type in IAM_LISTINGS;

/** IAM's one endpoint is signed for us-east-1 in the aws partition. */
const IAM_REGION = 'us-east-1';

function tagMap(tags: Item['tags']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags ?? []) if (t.Key !== undefined) out[t.Key] = t.Value ?? '';
  return out;
}

/** The IAM side of the AWS provider. */
export function createIamLister(send: Send, pageSizeCap?: number) {
  let client: IAMClient | undefined;
  const clientOf = () => (client ??= new IAMClient({ region: IAM_REGION, maxAttempts: 1 }));

  async function* list(type: string, ctx: ListContext, cursor?: string): AsyncGenerator<ResourcePage> {
    const listing = IAM_LISTINGS[type];
    if (!listing) throw new Error(`aws provider: ${type} is not an IAM type`);
    const maxItems = Math.min(MAX_ITEMS, pageSizeCap ?? MAX_ITEMS);
    let marker = cursor;
    do {
      const page = await send(ACTION, ctx, 'global', () =>
        clientOf().send(
          new GetAccountAuthorizationDetailsCommand({ Filter: [listing.filter], MaxItems: maxItems, Marker: marker }),
          { abortSignal: ctx.signal },
        ),
      );
      const resources = listing.items(page).map(
        (item): DiscoveredResource => ({
          provider: 'aws',
          account: ctx.account,
          region: 'global',
          type,
          id: item.id,
          name: item.name,
          attributes: item.attributes,
          tags: tagMap(item.tags),
        }),
      );
      metrics.pages.inc({ provider: 'aws', action: ACTION });
      metrics.resources.inc({ provider: 'aws', type }, resources.length);
      marker = page.IsTruncated ? page.Marker : undefined;
      yield { resources, cursor: marker };
    } while (marker);
  }

  return { list };
}
