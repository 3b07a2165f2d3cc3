import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DiscoveredResource } from '../../contract/resource.js';
import { xml as xmlText } from '../state-backends/wire.js';
import type { EmulatorContext } from '../types.js';
import { accountFromAccessKeyId } from './env.js';

/**
 * IAM's Query API over the estate's IAM resources: GetAccountAuthorizationDetails as a form POST
 * (`Action=…&Version=2010-05-08&Filter.member.N=Role`), answered in IAM's XML (lists of
 * `<member>`, documents URL-encoded), paged with MaxItems, Marker and IsTruncated. Roles, users
 * and groups carry their inline policies and attached managed policies, customer managed
 * policies their default version, rebuilt from the estate's separate resources.
 */

type Attrs = Record<string, unknown>;

const VERSION = '2010-05-08';
const NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const ACTION = 'GetAccountAuthorizationDetails';
const MAX_ITEMS = 1000;
const DEFAULT_ITEMS = 100;
/** IAM's budget per account, as the agent's (agents/providers/aws-iam.ts). */
const LIMIT = { capacity: 10, refillPerSecond: 5 };

/** `AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/iam/aws4_request, …` */
const IAM_CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/[^/]+\/iam\/aws4_request/;

export const isIamRequest = (req: IncomingMessage) => IAM_CREDENTIAL.test(req.headers.authorization ?? '');

class IamError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One value as IAM's XML: objects as elements, arrays as `<member>` lists, documents URL-encoded. */
function toXml(value: unknown, key?: string): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => `<member>${toXml(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as Attrs)
      .map(([k, v]) => (v === undefined ? '' : `<${k}>${toXml(v, k)}</${k}>`))
      .join('');
  }
  const text = String(value);
  return xmlText(key && DOCUMENTS.has(key) ? encodeURIComponent(text) : text);
}

const DOCUMENTS = new Set(['AssumeRolePolicyDocument', 'PolicyDocument', 'Document']);

const FILTERS = ['User', 'Group', 'Role', 'LocalManagedPolicy'] as const;
type Filter = (typeof FILTERS)[number];
/** The response list each filter's entities go in. */
const LIST_OF: Record<Filter, string> = {
  User: 'UserDetailList',
  Group: 'GroupDetailList',
  Role: 'RoleDetailList',
  LocalManagedPolicy: 'Policies',
};

interface Entity {
  filter: Filter;
  detail: Attrs;
}

const without = (a: Attrs, ...keys: string[]) =>
  Object.fromEntries(Object.entries(a).filter(([k]) => !keys.includes(k)));
const emptyToUndefined = <T>(list: T[]) => (list.length ? list : undefined);

/** Each account's entities in IAM's order (users, groups, roles, policies), details assembled. */
function buildAccounts(resources: readonly DiscoveredResource[]): Map<string, Entity[]> {
  const byHolder = (type: string, key: string) => {
    const m = new Map<string, Attrs[]>();
    for (const r of resources) {
      if (r.type !== type) continue;
      const k = `${r.account}|${String(r.attributes[key])}`;
      m.set(k, [...(m.get(k) ?? []), r.attributes]);
    }
    return (account: string, holder: unknown) => m.get(`${account}|${String(holder)}`) ?? [];
  };
  const inline = byHolder('AWS::IAM::RolePolicy', 'RoleName');
  const attached = {
    Role: byHolder('AWS::IAM::RolePolicyAttachment', 'RoleName'),
    User: byHolder('AWS::IAM::UserPolicyAttachment', 'UserName'),
    Group: byHolder('AWS::IAM::GroupPolicyAttachment', 'GroupName'),
  };
  const attachedList = (kind: keyof typeof attached, account: string, holder: unknown) =>
    emptyToUndefined(
      attached[kind](account, holder).map((a) => ({ PolicyName: a.PolicyName, PolicyArn: a.PolicyArn })),
    );

  const entityOf = (r: DiscoveredResource): Entity | undefined => {
    const a = r.attributes;
    switch (r.type) {
      case 'AWS::IAM::User':
        return {
          filter: 'User',
          detail: {
            ...without(a, 'GroupList', 'Tags'),
            GroupList: emptyToUndefined(a.GroupList as string[]),
            AttachedManagedPolicies: attachedList('User', r.account, a.UserName),
            Tags: emptyToUndefined(a.Tags as Attrs[]),
          },
        };
      case 'AWS::IAM::Group':
        return {
          filter: 'Group',
          detail: { ...a, AttachedManagedPolicies: attachedList('Group', r.account, a.GroupName) },
        };
      case 'AWS::IAM::Role':
        return {
          filter: 'Role',
          detail: {
            ...without(a, 'Tags', 'PermissionsBoundary'),
            RolePolicyList: emptyToUndefined(
              inline(r.account, a.RoleName).map((p) => ({
                PolicyName: p.PolicyName,
                PolicyDocument: p.PolicyDocument,
              })),
            ),
            AttachedManagedPolicies: attachedList('Role', r.account, a.RoleName),
            PermissionsBoundary: a.PermissionsBoundary,
            Tags: emptyToUndefined(a.Tags as Attrs[]),
          },
        };
      case 'AWS::IAM::ManagedPolicy':
        return {
          filter: 'LocalManagedPolicy',
          detail: {
            ...without(a, 'PolicyDocument'),
            PolicyVersionList: [
              {
                Document: a.PolicyDocument,
                VersionId: a.DefaultVersionId,
                IsDefaultVersion: true,
                CreateDate: a.UpdateDate,
              },
            ],
          },
        };
      default:
        return undefined;
    }
  };

  const accounts = new Map<string, Entity[]>();
  for (const r of resources) {
    const e = r.provider === 'aws' ? entityOf(r) : undefined;
    if (!e) continue;
    accounts.set(r.account, [...(accounts.get(r.account) ?? []), e]);
  }
  for (const [account, entities] of accounts) {
    accounts.set(
      account,
      FILTERS.flatMap((f) => entities.filter((e) => e.filter === f)),
    );
  }
  return accounts;
}

/** Markers are opaque to clients; this one binds the filters so it cannot be replayed with others. */
const markerOf = (filters: string, offset: number) => Buffer.from(`${filters}:${offset}`).toString('base64url');

function offsetOf(filters: string, marker: string | null): number {
  if (marker === null) return 0;
  const text = Buffer.from(marker, 'base64url').toString();
  const at = text.lastIndexOf(':');
  const offset = Number(text.slice(at + 1));
  if (text.slice(0, at) !== filters || !Number.isInteger(offset) || offset < 0) {
    throw new IamError(400, 'InvalidInput', 'Invalid Marker.');
  }
  return offset;
}

function send(res: ServerResponse, status: number, xml: string, requestId: string): void {
  res.writeHead(status, {
    'content-type': 'text/xml',
    'content-length': Buffer.byteLength(xml),
    'x-amzn-requestid': requestId,
  });
  res.end(xml);
}

/** IAM's query-protocol error document. */
export const iamErrorXml = (code: string, message: string, requestId: string) =>
  `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${xmlText(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;

/** IAM on the AWS listener, for the estate's accounts (the caller's from its access key id). */
export function createIamHandler(resources: readonly DiscoveredResource[], defaultAccount: string) {
  const accounts = buildAccounts(resources);

  return async (ctx: EmulatorContext, req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    await ctx.delay();
    try {
      const params = new URLSearchParams(body.toString('utf8'));
      const action = params.get('Action') ?? '';
      ctx.record('aws', `iam:${action}`);
      const keyId = IAM_CREDENTIAL.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const account = accountFromAccessKeyId(keyId) ?? defaultAccount;
      const fault = ctx.fault();
      if (fault === 'drop') {
        req.socket.destroy();
        return;
      }
      if (fault === 'throttle' || !ctx.takeToken(`aws|${account}|iam`, LIMIT.capacity, LIMIT.refillPerSecond)) {
        throw new IamError(400, 'Throttling', 'Rate exceeded');
      }
      if (fault === 'server-error') throw new IamError(500, 'ServiceFailure', 'An internal error occurred.');
      if (action !== ACTION)
        throw new IamError(400, 'InvalidAction', `Could not find operation ${action} for version ${VERSION}`);
      if (params.get('Version') !== VERSION)
        throw new IamError(400, 'InvalidParameterValue', `Version must be ${VERSION}`);

      const filters: Filter[] = [];
      for (let n = 1; params.has(`Filter.member.${n}`); n++) {
        const f = params.get(`Filter.member.${n}`) as Filter;
        if (!FILTERS.includes(f)) throw new IamError(400, 'ValidationError', `Filter ${f} is not served here`);
        filters.push(f);
      }
      const wanted = new Set<Filter>(filters.length ? filters : FILTERS);
      const maxItems = Number(params.get('MaxItems') ?? DEFAULT_ITEMS);
      if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > MAX_ITEMS) {
        throw new IamError(400, 'ValidationError', `MaxItems must be between 1 and ${MAX_ITEMS}`);
      }
      const key = [...wanted].join(',');
      const offset = offsetOf(key, params.get('Marker'));
      const all = (accounts.get(account) ?? []).filter((e) => wanted.has(e.filter));
      const page = all.slice(offset, offset + maxItems);
      const end = offset + page.length;
      const lists = FILTERS.filter((f) => wanted.has(f))
        .map((f) => `<${LIST_OF[f]}>${toXml(page.filter((e) => e.filter === f).map((e) => e.detail))}</${LIST_OF[f]}>`)
        .join('');
      const truncated = end < all.length;
      const xml =
        `<${ACTION}Response xmlns="${NS}"><${ACTION}Result>${lists}<IsTruncated>${truncated}</IsTruncated>` +
        (truncated ? `<Marker>${markerOf(key, end)}</Marker>` : '') +
        `</${ACTION}Result><ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${ACTION}Response>`;
      send(res, 200, xml, requestId);
    } catch (err) {
      if (!(err instanceof IamError)) throw err;
      send(res, err.status, iamErrorXml(err.code, err.message, requestId), requestId);
    }
  };
}
