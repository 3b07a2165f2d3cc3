import { z } from 'zod';
import { WorkspaceName } from './states.js';
import { insecureUrlReason } from './urls.js';

/** Terraform backends DriftMgr reads state from, named as Terraform names them. */
export const StateSourceType = z.enum(['s3', 'gcs', 'azurerm', 'remote', 'http']);
export type StateSourceType = z.infer<typeof StateSourceType>;

/** Terraform's S3 backend keeps non-default workspaces under `<workspace_key_prefix>/<workspace>/<key>`. */
export const DEFAULT_WORKSPACE_KEY_PREFIX = 'env:';
/** The azurerm backend keeps non-default workspaces at `<key>env:<workspace>`. */
const AZURERM_WORKSPACE_MARK = 'env:';
const STATE_SUFFIX = '.tfstate';

/**
 * Where a source's states live, parsed. `prefix` is an object-name prefix: a folder
 * (`team/`), one state's key (`team/app.tfstate`), or empty for the whole bucket.
 */
export type StateLocation =
  | { type: 's3'; bucket: string; prefix: string; region?: string; workspaceKeyPrefix: string }
  | { type: 'gcs'; bucket: string; prefix: string }
  | { type: 'azurerm'; storageAccount: string; container: string; prefix: string }
  | { type: 'remote'; origin: string; organization: string; workspace: string }
  | { type: 'http'; url: string };

/** One state object a source holds: the workspace it is for and the name DriftMgr stores it under. */
export interface StateObject {
  workspace: string;
  /** The object's own address (`s3://bucket/key`, `gs://…`, `azurerm://account/container/blob`, a URL). */
  name: string;
}

export type LocationResult = { ok: true; location: StateLocation } | { ok: false; message: string };

const fail = (message: string): LocationResult => ({ ok: false, message });

/** A folder prefix ends with `/`, so `prod` does not also take `production/`; one state's key stays as it is. */
function folderPrefix(path: string): string {
  const trimmed = path.replace(/^\/+/, '');
  if (trimmed === '' || trimmed.endsWith('/') || trimmed.endsWith(STATE_SUFFIX)) return trimmed;
  return `${trimmed}/`;
}

/** `scheme://host/path` split by hand: URL would lower-case the host and drop `env:`-style segments' meaning. */
function splitUrl(location: string, scheme: string): { host: string; path: string; query: URLSearchParams } | null {
  if (!location.startsWith(`${scheme}://`)) return null;
  const rest = location.slice(scheme.length + 3);
  const [beforeQuery = '', query = ''] = rest.split('?', 2);
  const slash = beforeQuery.indexOf('/');
  const host = slash < 0 ? beforeQuery : beforeQuery.slice(0, slash);
  const path = slash < 0 ? '' : beforeQuery.slice(slash + 1);
  return { host, path, query: new URLSearchParams(query) };
}

/** Query parameters other than the ones a type reads are refused, so a typo does not go unnoticed. */
function unknownParams(query: URLSearchParams, allowed: readonly string[]): string | undefined {
  return [...query.keys()].find((k) => !allowed.includes(k));
}

const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const GCS_BUCKET = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;
const AZURE_ACCOUNT = /^[a-z0-9]{3,24}$/;
const AZURE_CONTAINER = /^(\$root|[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9])$/;
const AWS_REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

function parseS3(location: string): LocationResult {
  const parts = splitUrl(location, 's3');
  if (!parts) return fail('an s3 location is s3://bucket[/prefix][?region=…&workspace_key_prefix=…]');
  if (!S3_BUCKET.test(parts.host)) return fail(`s3: "${parts.host}" is not an S3 bucket name`);
  const extra = unknownParams(parts.query, ['region', 'workspace_key_prefix']);
  if (extra) return fail(`s3: unknown parameter "${extra}" (region, workspace_key_prefix)`);
  const region = parts.query.get('region') ?? undefined;
  if (region !== undefined && !AWS_REGION.test(region)) return fail(`s3: "${region}" is not an AWS region`);
  const workspaceKeyPrefix = parts.query.get('workspace_key_prefix') ?? DEFAULT_WORKSPACE_KEY_PREFIX;
  if (!/^[^/]+(\/[^/]+)*$/.test(workspaceKeyPrefix))
    return fail('s3: workspace_key_prefix must be a non-empty key prefix without leading or trailing "/"');
  return {
    ok: true,
    location: { type: 's3', bucket: parts.host, prefix: folderPrefix(parts.path), region, workspaceKeyPrefix },
  };
}

function parseGcs(location: string): LocationResult {
  const parts = splitUrl(location, 'gs');
  if (!parts || parts.query.size > 0) return fail('a gcs location is gs://bucket[/prefix]');
  if (!GCS_BUCKET.test(parts.host)) return fail(`gcs: "${parts.host}" is not a Cloud Storage bucket name`);
  return { ok: true, location: { type: 'gcs', bucket: parts.host, prefix: folderPrefix(parts.path) } };
}

function parseAzurerm(location: string): LocationResult {
  const parts = splitUrl(location, 'azurerm');
  if (!parts || parts.query.size > 0) return fail('an azurerm location is azurerm://storage-account/container[/key]');
  const [container = '', ...rest] = parts.path.split('/');
  if (!AZURE_ACCOUNT.test(parts.host)) return fail(`azurerm: "${parts.host}" is not a storage account name`);
  if (!AZURE_CONTAINER.test(container)) return fail(`azurerm: "${container}" is not a blob container name`);
  const key = rest.join('/');
  // A key names one state (and its workspaces beside it); anything else is a folder.
  const prefix = key.endsWith(STATE_SUFFIX) ? key : folderPrefix(key);
  return { ok: true, location: { type: 'azurerm', storageAccount: parts.host, container, prefix } };
}

/** A URL state is fetched from: https, or plain http to this machine; never with credentials in it. */
function checkedUrl(location: string): { url: URL } | { message: string } {
  const insecure = insecureUrlReason(location);
  if (insecure) return { message: insecure };
  const url = new URL(location);
  if (url.username || url.password)
    return { message: 'credentials do not belong in the location; agents take them from their environment' };
  return { url };
}

const TFC_WORKSPACE_PATH = /^\/app\/([A-Za-z0-9_-]+)\/workspaces\/([A-Za-z0-9_-]{1,90})\/?$/;

function parseRemote(location: string): LocationResult {
  const checked = checkedUrl(location);
  if ('message' in checked) return fail(`remote: ${checked.message}`);
  const match = TFC_WORKSPACE_PATH.exec(checked.url.pathname);
  if (!match || checked.url.search)
    return fail(
      'a remote location is the workspace page, https://app.terraform.io/app/<organization>/workspaces/<name>',
    );
  return {
    ok: true,
    location: { type: 'remote', origin: checked.url.origin, organization: match[1]!, workspace: match[2]! },
  };
}

function parseHttp(location: string): LocationResult {
  const checked = checkedUrl(location);
  if ('message' in checked) return fail(`http: ${checked.message}`);
  return { ok: true, location: { type: 'http', url: checked.url.href } };
}

const PARSERS: Record<StateSourceType, (location: string) => LocationResult> = {
  s3: parseS3,
  gcs: parseGcs,
  azurerm: parseAzurerm,
  remote: parseRemote,
  http: parseHttp,
};

export function parseStateLocation(type: StateSourceType, location: string): LocationResult {
  return PARSERS[type](location);
}

/** The address a stored state's name starts with, for an object of this location. */
export function objectAddress(location: StateLocation, objectName: string): string {
  switch (location.type) {
    case 's3':
      return `s3://${location.bucket}/${objectName}`;
    case 'gcs':
      return `gs://${location.bucket}/${objectName}`;
    case 'azurerm':
      return `azurerm://${location.storageAccount}/${location.container}/${objectName}`;
    case 'remote':
      return `${location.origin}/app/${location.organization}/workspaces/${location.workspace}`;
    case 'http':
      return location.url;
  }
}

const isWorkspace = (name: string) => WorkspaceName.safeParse(name).success;

/** An S3 key as the S3 backend lays it out, or null when it is not a state of this location. */
function s3Workspace(location: Extract<StateLocation, { type: 's3' }>, key: string): string | null {
  if (!key.endsWith(STATE_SUFFIX)) return null;
  const marker = `${location.workspaceKeyPrefix}/`;
  if (key.startsWith(marker)) {
    const rest = key.slice(marker.length);
    const slash = rest.indexOf('/');
    if (slash <= 0) return null;
    return rest.slice(slash + 1).startsWith(location.prefix) ? rest.slice(0, slash) : null;
  }
  return key.startsWith(location.prefix) ? 'default' : null;
}

/** A GCS object `<prefix>/<workspace>.tfstate`: the workspace is its base name. */
function gcsWorkspace(location: Extract<StateLocation, { type: 'gcs' }>, name: string): string | null {
  if (!name.startsWith(location.prefix) || !name.endsWith(STATE_SUFFIX)) return null;
  return name.slice(name.lastIndexOf('/') + 1, -STATE_SUFFIX.length);
}

/** An azurerm blob `<key>` (default) or `<key>env:<workspace>`. */
function azurermWorkspace(location: Extract<StateLocation, { type: 'azurerm' }>, blob: string): string | null {
  if (!blob.startsWith(location.prefix)) return null;
  const mark = blob.lastIndexOf(`${STATE_SUFFIX}${AZURERM_WORKSPACE_MARK}`);
  if (mark >= 0) return blob.slice(mark + STATE_SUFFIX.length + AZURERM_WORKSPACE_MARK.length);
  return blob.endsWith(STATE_SUFFIX) ? 'default' : null;
}

/**
 * The state an object of this location holds, or null when the object is not one (not a
 * `.tfstate`, outside the prefix, or in a workspace DriftMgr cannot name). Agents list with it
 * and the gateway checks every upload with it, so an agent writes only states of its source.
 */
export function stateObjectOf(location: StateLocation, objectName: string): StateObject | null {
  const workspace = (() => {
    switch (location.type) {
      case 's3':
        return s3Workspace(location, objectName);
      case 'gcs':
        return gcsWorkspace(location, objectName);
      case 'azurerm':
        return azurermWorkspace(location, objectName);
      case 'remote':
        return isWorkspace(location.workspace) ? location.workspace : 'default';
      case 'http':
        return 'default';
    }
  })();
  if (workspace === null || !isWorkspace(workspace)) return null;
  return { workspace, name: objectAddress(location, objectName) };
}

/**
 * The object a stored state name points at within this location (the inverse of
 * objectAddress), or null when the name is not of this location.
 */
export function objectNameOf(location: StateLocation, stateName: string): string | null {
  const base = objectAddress(location, '');
  if (location.type === 'remote' || location.type === 'http') return stateName === base ? '' : null;
  return stateName.startsWith(base) ? stateName.slice(base.length) : null;
}

/** The state a stored name stands for in this location, or null when it is not one of its states. */
export function stateOfName(location: StateLocation, stateName: string): StateObject | null {
  const objectName = objectNameOf(location, stateName);
  return objectName === null ? null : stateObjectOf(location, objectName);
}
