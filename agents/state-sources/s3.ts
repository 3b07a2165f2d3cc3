import { GetObjectCommand, NoSuchKey, paginateListObjectsV2, S3Client } from '@aws-sdk/client-s3';
import type { StateLocation } from '../../contract/state-locations.js';
import { DEFAULT_PAGE_SIZE, type StateBackend, type StateBackendOptions } from './types.js';

type S3Location = Extract<StateLocation, { type: 's3' }>;

/**
 * The S3 backend's bucket: keys under the prefix (default workspace) and under
 * `<workspace_key_prefix>/` (the others), listed with ListObjectsV2 a page at a time. Endpoint
 * and credentials come from the SDK's standard settings (AWS_ENDPOINT_URL_S3, the default
 * credential chain); the region from the location, else the SDK's, else us-east-1.
 */
export async function createS3Backend(location: S3Location, opts: StateBackendOptions): Promise<StateBackend> {
  const region = location.region ?? opts.env.AWS_REGION ?? 'us-east-1';
  const client = new S3Client({ region, maxAttempts: 3 });
  const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;

  async function keysUnder(prefix: string, signal: AbortSignal): Promise<string[]> {
    const keys: string[] = [];
    const pages = paginateListObjectsV2(
      { client, pageSize },
      { Bucket: location.bucket, Prefix: prefix || undefined },
      { abortSignal: signal },
    );
    for await (const page of pages) for (const o of page.Contents ?? []) if (o.Key) keys.push(o.Key);
    return keys;
  }

  return {
    async list(signal) {
      const defaults = await keysUnder(location.prefix, signal);
      // An empty prefix lists the whole bucket, workspaces included.
      if (location.prefix === '') return defaults;
      return [...defaults, ...(await keysUnder(`${location.workspaceKeyPrefix}/`, signal))];
    },
    async read(key, signal) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: key }), {
          abortSignal: signal,
        });
        return res.Body ? await res.Body.transformToByteArray() : new Uint8Array();
      } catch (err) {
        if (err instanceof NoSuchKey) return null;
        throw err;
      }
    },
  };
}
