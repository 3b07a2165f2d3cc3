import { createHash, randomBytes } from 'node:crypto';

/** One stored object as the backends describe it: its bytes, digests and version marks. */
export interface StoredObject {
  bytes: Buffer;
  md5: Buffer;
  modified: Date;
  /** Counts writes of the object: S3 and Azure ETags, GCS generations change with it. */
  generation: number;
}

function stored(bytes: Buffer | string, previous?: StoredObject): StoredObject {
  const data = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return {
    bytes: data,
    md5: createHash('md5').update(data).digest(),
    modified: new Date(Math.floor(Date.now() / 1000) * 1000),
    generation: (previous?.generation ?? 0) + 1,
  };
}

/** A Terraform Cloud workspace: its id and its current state version's state, if it ever ran. */
export interface TfcWorkspace {
  id: string;
  state: StoredObject | null;
}

/**
 * What the emulated state backends hold: S3 buckets (each owned by one AWS account), Cloud
 * Storage buckets, Azure storage accounts (each with its access key) and their containers,
 * Terraform Cloud organizations' workspaces, and the http backend's addresses. Tests and the
 * sample estate write into it; the handlers serve it.
 */
export class StateBackendObjects {
  readonly s3 = new Map<string, { owner: string; objects: Map<string, StoredObject> }>();
  readonly gcs = new Map<string, Map<string, StoredObject>>();
  readonly azure = new Map<string, { key: string; containers: Map<string, Map<string, StoredObject>> }>();
  readonly tfc = new Map<string, Map<string, TfcWorkspace>>();
  readonly http = new Map<string, StoredObject>();

  putS3(bucket: string, owner: string, key: string, body: Buffer | string): void {
    const b = this.s3.get(bucket) ?? { owner, objects: new Map() };
    this.s3.set(bucket, b);
    b.objects.set(key, stored(body, b.objects.get(key)));
  }

  putGcs(bucket: string, name: string, body: Buffer | string): void {
    const b = this.gcs.get(bucket) ?? new Map();
    this.gcs.set(bucket, b);
    b.set(name, stored(body, b.get(name)));
  }

  /** The account's access key is made with its first blob (base64, as Azure's are). */
  putBlob(account: string, container: string, name: string, body: Buffer | string): void {
    const a = this.azure.get(account) ?? { key: randomBytes(64).toString('base64'), containers: new Map() };
    this.azure.set(account, a);
    const c = a.containers.get(container) ?? new Map();
    a.containers.set(container, c);
    c.set(name, stored(body, c.get(name)));
  }

  /** A workspace with a new current state version (or none, for a workspace that never ran). */
  putTfcState(organization: string, workspace: string, body: Buffer | string | null): void {
    const org = this.tfc.get(organization) ?? new Map();
    this.tfc.set(organization, org);
    const current = org.get(workspace);
    const id = current?.id ?? `ws-${randomBytes(8).toString('hex')}`;
    org.set(workspace, { id, state: body === null ? null : stored(body, current?.state ?? undefined) });
  }

  putHttp(path: string, body: Buffer | string): void {
    this.http.set(path, stored(body, this.http.get(path)));
  }
}
