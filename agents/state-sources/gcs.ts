import { Storage } from '@google-cloud/storage';
import { GoogleAuth } from 'google-auth-library';
import type { StateLocation } from '../../contract/state-locations.js';
import { DEFAULT_PAGE_SIZE, type StateBackend, type StateBackendOptions } from './types.js';

const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

type GcsLocation = Extract<StateLocation, { type: 'gcs' }>;

/**
 * The gcs backend's bucket: `<prefix>/<workspace>.tfstate` objects, listed through the JSON API a
 * page at a time and downloaded with `alt=media`. Credentials are Application Default
 * Credentials; STORAGE_EMULATOR_HOST (the SDK's own setting) moves the endpoint, and requests
 * there are still authenticated, as a private endpoint needs.
 */
export async function createGcsBackend(location: GcsLocation, opts: StateBackendOptions): Promise<StateBackend> {
  // A service account signs its own JWT (as the generated Cloud clients do) rather than trading it
  // for an access token first; other credentials of the ADC chain fetch tokens as usual.
  const auth = new GoogleAuth({ scopes: [CLOUD_PLATFORM_SCOPE] });
  auth.useJWTAccessWithScope = true;
  const storage = new Storage({ authClient: auth, useAuthWithCustomEndpoint: true, retryOptions: { maxRetries: 2 } });
  const bucket = storage.bucket(location.bucket);
  const maxResults = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  return {
    async list() {
      const names: string[] = [];
      for (let pageToken: string | undefined; ; ) {
        const [files, next] = await bucket.getFiles({
          prefix: location.prefix || undefined,
          maxResults,
          pageToken,
          autoPaginate: false,
        });
        names.push(...files.map((f) => f.name));
        pageToken = (next as { pageToken?: string } | null)?.pageToken;
        if (!pageToken) return names;
      }
    },
    async read(name) {
      try {
        const [bytes] = await bucket.file(name).download();
        return new Uint8Array(bytes);
      } catch (err) {
        if ((err as { code?: unknown }).code === 404) return null;
        throw err;
      }
    },
  };
}
