import type { DiscoveredResource } from '../../contract/resource.js';
import { type AssetTypeSpec, assetTypeSpec, projectNumber, SERVED_ASSET_TYPES } from './asset-types.js';
import { estatePolicies, IAM_POLICY_ASSET_TYPES, type IamPolicy, type PolicyAsset } from './iam-policies.js';

/**
 * Cloud Asset Inventory's ListAssets over the estate: which assets a query selects, how they
 * are paged, and the Asset JSON each one is sent as.
 */

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** A request Cloud Asset refuses with 400 INVALID_ARGUMENT. */
export class InvalidArgument extends Error {
  override readonly name = 'InvalidArgument';
}

/** ContentType as the REST API accepts it: the enum name, or its number under `enum-encoding=int`. */
type Content = 'none' | 'resource' | 'iam-policy';

const CONTENT_TYPES: Record<string, Content | 'unsupported'> = {
  CONTENT_TYPE_UNSPECIFIED: 'none',
  '0': 'none',
  RESOURCE: 'resource',
  '1': 'resource',
  IAM_POLICY: 'iam-policy',
  '2': 'iam-policy',
  ORG_POLICY: 'unsupported',
  '4': 'unsupported',
  ACCESS_POLICY: 'unsupported',
  '5': 'unsupported',
  OS_INVENTORY: 'unsupported',
  '6': 'unsupported',
  RELATIONSHIP: 'unsupported',
  '7': 'unsupported',
};

export interface ListAssetsRequest {
  projectId: string;
  /** `assetTypes` values: exact type names or RE2-style patterns such as `compute.googleapis.com.*`. */
  assetTypes: string[];
  contentType: string | null;
  pageSize: string | null;
  pageToken: string | null;
}

export interface AssetJson {
  name: string;
  assetType: string;
  ancestors: string[];
  updateTime: string;
  resource?: {
    version: string;
    discoveryDocumentUri: string;
    discoveryName: string;
    parent: string;
    data: Record<string, unknown>;
    location: string;
  };
  /** With contentType IAM_POLICY: the policy set on the asset itself (not inherited ones). */
  iamPolicy?: IamPolicy;
}

export interface ListAssetsResponse {
  assets: AssetJson[];
  readTime: string;
  nextPageToken?: string;
}

interface PageToken {
  /** Position in the query's result list. */
  offset: number;
  /** The snapshot time every page of one listing reports. */
  readTime: string;
  /** The query the token was issued for; a token is only valid for the same query. */
  query: string;
}

/** The update time of an asset whose data has no time field (Pub/Sub, IAM service accounts). */
const UNRECORDED_UPDATE = '2026-01-15T08:00:00Z';
const ASSET_TYPE_NAME = /^[a-z0-9.-]+\.googleapis\.com\/[A-Za-z0-9]+$/;
const REGEX_CHARS = /[*+?()[\]{}|^$\\]/;

export class AssetInventory {
  /** projectId → assetType → resources, in estate order. */
  private readonly byProject = new Map<string, Map<string, DiscoveredResource[]>>();
  private readonly projectIdByNumber = new Map<string, string>();
  /** projectId → the assets that carry an IAM policy. */
  private readonly policies: Map<string, PolicyAsset[]>;

  constructor(resources: readonly DiscoveredResource[]) {
    for (const r of resources) {
      let types = this.byProject.get(r.account);
      if (!types) {
        types = new Map();
        this.byProject.set(r.account, types);
        this.projectIdByNumber.set(projectNumber(r.account), r.account);
      }
      const list = types.get(r.type) ?? [];
      list.push(r);
      types.set(r.type, list);
    }
    this.policies = estatePolicies(resources);
  }

  /** The project id a `projects/{id or number}` parent names, if the estate has it. */
  resolveProject(idOrNumber: string): string | undefined {
    if (this.byProject.has(idOrNumber)) return idOrNumber;
    return this.projectIdByNumber.get(idOrNumber);
  }

  list(req: ListAssetsRequest, now: Date): ListAssetsResponse {
    const content = parseContentType(req.contentType);
    const pageSize = parsePageSize(req.pageSize);
    // Only assets with a policy of their own are listed for IAM_POLICY content.
    const types = selectTypes(content === 'iam-policy' ? IAM_POLICY_ASSET_TYPES : SERVED_ASSET_TYPES, req.assetTypes);
    const query = `${req.projectId}|${types.join(',')}|${content}`;
    const token = req.pageToken
      ? parsePageToken(req.pageToken, query)
      : { offset: 0, readTime: now.toISOString(), query };
    const number = projectNumber(req.projectId);
    const { assets, total } =
      content === 'iam-policy'
        ? this.policyPage(req.projectId, types, token.offset, pageSize, token.readTime, number)
        : this.resourcePage(req.projectId, types, token.offset, pageSize, number, content === 'resource');
    const response: ListAssetsResponse = { assets, readTime: token.readTime };
    const nextOffset = token.offset + assets.length;
    if (nextOffset < total) response.nextPageToken = encodePageToken({ ...token, offset: nextOffset });
    return response;
  }

  private resourcePage(
    projectId: string,
    types: string[],
    offset: number,
    size: number,
    number: string,
    withResource: boolean,
  ) {
    const segments = types.map((t) => this.byProject.get(projectId)?.get(t) ?? []);
    const page = sliceSegments(segments, offset, size);
    return {
      assets: page.map((r) => toAsset(r, number, withResource)),
      total: segments.reduce((sum, s) => sum + s.length, 0),
    };
  }

  private policyPage(
    projectId: string,
    types: string[],
    offset: number,
    size: number,
    readTime: string,
    number: string,
  ) {
    const all = this.policies.get(projectId) ?? [];
    const segments = types.map((t) => all.filter((p) => p.assetType === t));
    const page = sliceSegments(segments, offset, size);
    return {
      assets: page.map(
        (p): AssetJson => ({
          name: p.name,
          assetType: p.assetType,
          ancestors: [`projects/${number}`],
          updateTime: readTime,
          iamPolicy: p.policy,
        }),
      ),
      total: segments.reduce((sum, s) => sum + s.length, 0),
    };
  }
}

function parseContentType(value: string | null): Content {
  const content = CONTENT_TYPES[value ?? 'CONTENT_TYPE_UNSPECIFIED'];
  if (content === undefined)
    throw new InvalidArgument(
      `Invalid value at 'content_type' (type.googleapis.com/google.cloud.asset.v1.ContentType), "${value}"`,
    );
  if (content === 'unsupported')
    throw new InvalidArgument(`content_type ${value} is not supported by this emulator; use RESOURCE.`);
  return content;
}

function parsePageSize(value: string | null): number {
  if (value === null || value === '' || value === '0') return DEFAULT_PAGE_SIZE;
  const size = Number(value);
  if (!Number.isInteger(size)) throw new InvalidArgument(`Invalid value at 'page_size' (TYPE_INT32), "${value}"`);
  if (size < 0 || size > MAX_PAGE_SIZE)
    throw new InvalidArgument(`page_size must be between 1 and ${MAX_PAGE_SIZE}, got ${size}.`);
  return size;
}

/** The served types a request selects, in the order ListAssets returns them. No types means all. */
function selectTypes(served: readonly string[], requested: readonly string[]): string[] {
  if (requested.length === 0) return [...served];
  const matchers = requested.map(assetTypeMatcher);
  return served.filter((type) => matchers.some((matches) => matches(type)));
}

function assetTypeMatcher(pattern: string): (type: string) => boolean {
  if (REGEX_CHARS.test(pattern)) {
    let regex: RegExp;
    try {
      regex = new RegExp(`^(?:${pattern})$`);
    } catch {
      throw new InvalidArgument(`Invalid regular expression in asset_types: "${pattern}".`);
    }
    return (type) => regex.test(type);
  }
  if (!ASSET_TYPE_NAME.test(pattern)) throw new InvalidArgument(`Invalid asset type: "${pattern}".`);
  return (type) => type === pattern;
}

/** Up to `size` items starting at `offset` across the segments, without concatenating them. */
function sliceSegments<T>(segments: readonly (readonly T[])[], offset: number, size: number): T[] {
  const out: T[] = [];
  let skip = offset;
  for (const segment of segments) {
    if (skip >= segment.length) {
      skip -= segment.length;
      continue;
    }
    for (let i = skip; i < segment.length && out.length < size; i++) out.push(segment[i]!);
    skip = 0;
    if (out.length === size) break;
  }
  return out;
}

function encodePageToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

function parsePageToken(value: string, query: string): PageToken {
  let token: Partial<PageToken>;
  try {
    token = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as Partial<PageToken>;
  } catch {
    throw new InvalidArgument('Invalid page token.');
  }
  if (typeof token.offset !== 'number' || typeof token.readTime !== 'string' || typeof token.query !== 'string') {
    throw new InvalidArgument('Invalid page token.');
  }
  if (token.query !== query)
    throw new InvalidArgument('Request parameters do not match the ones the page token was issued for.');
  return token as PageToken;
}

function toAsset(r: DiscoveredResource, number: string, withResource: boolean): AssetJson {
  const spec: AssetTypeSpec = assetTypeSpec(r.type);
  const asset: AssetJson = {
    name: r.id,
    assetType: r.type,
    ancestors: [`projects/${number}`],
    updateTime: new Date(String(r.attributes[spec.updateTimeField] ?? UNRECORDED_UPDATE)).toISOString(),
  };
  if (withResource) {
    asset.resource = {
      version: spec.version,
      discoveryDocumentUri: spec.discoveryDocumentUri,
      discoveryName: spec.discoveryName,
      parent: `//cloudresourcemanager.googleapis.com/projects/${number}`,
      data: r.attributes,
      location: r.region,
    };
  }
  return asset;
}
