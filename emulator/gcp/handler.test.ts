import { createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AssetServiceClient } from '@google-cloud/asset';
import { GoogleAuth } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GcpTestServer, startGcpTestServer } from '../../test/support/gcp-emulator.js';
import { forkRng } from '../rng.js';
import { projectNumber } from './asset-types.js';
import { JWT_BEARER_GRANT } from './auth.js';
import type { ServiceAccountKey } from './env.js';
import { generateGcpEstate } from './estate.js';
import { bucketPolicy, projectPolicy } from './iam-policies.js';

const PROJECT = 'driftmgr-handler';
const INSTANCE = 'compute.googleapis.com/Instance';
const BUCKET = 'storage.googleapis.com/Bucket';
const resources = generateGcpEstate({
  rng: forkRng(3, 'gcp/estate'),
  count: 6000,
  accounts: [PROJECT],
  regions: ['us-central1', 'europe-west1'],
});
const instances = resources.filter((r) => r.type === INSTANCE);

/** The official client as an agent configures it, from the emulator's agent environment (applied to process.env). */
function sdkClient(env: Record<string, string>): AssetServiceClient {
  const url = new URL(env.CLOUDSDK_API_ENDPOINT_OVERRIDES_CLOUDASSET!);
  // Application Default Credentials: the key file GOOGLE_APPLICATION_CREDENTIALS names.
  const auth = new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
  return new AssetServiceClient({
    fallback: true,
    apiEndpoint: url.hostname,
    port: Number(url.port),
    protocol: 'http',
    authClient: auth as unknown as NonNullable<ConstructorParameters<typeof AssetServiceClient>[0]>['authClient'],
    clientConfig: {
      interfaces: {
        'google.cloud.asset.v1.AssetService': { methods: { ListAssets: { retry_codes_name: 'non_idempotent' } } },
      },
    },
  });
}

/** A service account's signed JWT assertion, as the OAuth JWT bearer grant takes it. */
function signedAssertion(key: ServiceAccountKey, claims: Record<string, unknown>): string {
  const encode = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${encode({ alg: 'RS256', typ: 'JWT', kid: key.private_key_id })}.${encode(claims)}`;
  const signature = createSign('RSA-SHA256').update(unsigned).sign(key.private_key, 'base64url');
  return `${unsigned}.${signature}`;
}

interface GoogleErrorReply {
  httpStatus: number;
  error: { code: number; status: string; message: string; details?: { reason?: string }[] };
}

/** The client rejects with a GaxiosError holding the HTTP status and Google's JSON error body. */
async function rejection(promise: Promise<unknown>): Promise<GoogleErrorReply> {
  try {
    await promise;
  } catch (err) {
    const e = err as { status: number; message: string };
    const body = JSON.parse(e.message) as Omit<GoogleErrorReply, 'httpStatus'>;
    return { httpStatus: e.status, ...body };
  }
  throw new Error('expected the call to fail');
}

describe('GCP Cloud Asset handler with the official client', () => {
  let server: GcpTestServer;
  let client: AssetServiceClient;
  let key: ServiceAccountKey;

  beforeAll(async () => {
    server = await startGcpTestServer(resources);
    const env = server.applyAgentEnv();
    client = sdkClient(env);
    key = JSON.parse(readFileSync(env.GOOGLE_APPLICATION_CREDENTIALS!, 'utf8')) as ServiceAccountKey;
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  async function accessToken(): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const assertion = signedAssertion(key, {
      iss: key.client_email,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      aud: key.token_uri,
      iat: now,
      exp: now + 3600,
    });
    const res = await fetch(key.token_uri, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { access_token: string; expires_in: number; token_type: string };
    expect(body).toMatchObject({ expires_in: 3599, token_type: 'Bearer' });
    return body.access_token;
  }

  it('pages ListAssets 1,000 at a time with page tokens, one snapshot, in estate order', async () => {
    const names: string[] = [];
    const readTimes = new Set<string>();
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const [assets, , response] = await client.listAssets(
        { parent: `projects/${PROJECT}`, assetTypes: [INSTANCE], contentType: 'RESOURCE', pageSize: 1000, pageToken },
        { autoPaginate: false },
      );
      pages += 1;
      expect(assets.length).toBe(Math.min(1000, instances.length - names.length));
      for (const asset of assets) {
        names.push(asset.name!);
        expect(asset.resource).toMatchObject({
          version: 'v1',
          discoveryName: 'Instance',
          discoveryDocumentUri: 'https://www.googleapis.com/discovery/v1/apis/compute/v1/rest',
          parent: `//cloudresourcemanager.googleapis.com/projects/${projectNumber(PROJECT)}`,
        });
      }
      readTimes.add(String(response.readTime?.seconds));
      pageToken = response.nextPageToken || undefined;
    } while (pageToken);
    expect(pages).toBe(Math.ceil(instances.length / 1000));
    expect(names).toEqual(instances.map((r) => r.id));
    expect(readTimes.size).toBe(1);
  });

  it('returns resource.data and location exactly as the estate holds them', async () => {
    const [assets] = await client.listAssets(
      { parent: `projects/${PROJECT}`, assetTypes: [INSTANCE], contentType: 'RESOURCE', pageSize: 5 },
      { autoPaginate: false },
    );
    const token = await accessToken();
    const res = await fetch(
      `${server.baseUrl}/v1/projects/${PROJECT}/assets?assetTypes=${INSTANCE}&contentType=RESOURCE&pageSize=5`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    const raw = (await res.json()) as { assets: { name: string; resource: { data: unknown; location: string } }[] };
    expect(raw.assets.map((a) => a.name)).toEqual(assets.map((a) => a.name));
    raw.assets.forEach((asset, i) => {
      expect(asset.resource.data).toEqual(instances[i]!.attributes);
      expect(asset.resource.location).toBe(instances[i]!.region);
    });
  });

  it('defaults to 100 a page, returns no resource without contentType, and matches type patterns', async () => {
    const [assets] = await client.listAssets(
      { parent: `projects/${PROJECT}`, assetTypes: [INSTANCE] },
      { autoPaginate: false },
    );
    expect(assets).toHaveLength(100);
    expect(assets[0]!.resource).toBeNull();
    const [networking] = await client.listAssets(
      {
        parent: `projects/${projectNumber(PROJECT)}`,
        assetTypes: ['compute.googleapis.com/(Network|Firewall)'],
        pageSize: 1000,
      },
      { autoPaginate: false },
    );
    const expected = resources.filter(
      (r) => r.type === 'compute.googleapis.com/Firewall' || r.type === 'compute.googleapis.com/Network',
    );
    expect(networking.map((a) => a.name).sort()).toEqual(expected.map((r) => r.id).sort());
  });

  it('refuses pageSize above 1,000 and foreign page tokens with 400 INVALID_ARGUMENT', async () => {
    const tooBig = await rejection(
      client.listAssets(
        { parent: `projects/${PROJECT}`, assetTypes: [INSTANCE], pageSize: 1001 },
        { autoPaginate: false },
      ),
    );
    expect(tooBig).toMatchObject({ httpStatus: 400, error: { code: 400, status: 'INVALID_ARGUMENT' } });
    const [, , first] = await client.listAssets(
      { parent: `projects/${PROJECT}`, assetTypes: [INSTANCE], pageSize: 10 },
      { autoPaginate: false },
    );
    const foreign = await rejection(
      client.listAssets(
        {
          parent: `projects/${PROJECT}`,
          assetTypes: ['compute.googleapis.com/Disk'],
          pageSize: 10,
          pageToken: first.nextPageToken!,
        },
        { autoPaginate: false },
      ),
    );
    expect(foreign).toMatchObject({ httpStatus: 400, error: { status: 'INVALID_ARGUMENT' } });
    const token = await accessToken();
    const res = await fetch(`${server.baseUrl}/v1/projects/${PROJECT}/assets?pageSize=5000`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
  });

  it('answers 403 PERMISSION_DENIED for projects the caller cannot see', async () => {
    const denied = await rejection(
      client.listAssets({ parent: 'projects/someone-else', assetTypes: [INSTANCE] }, { autoPaginate: false }),
    );
    expect(denied).toMatchObject({ httpStatus: 403, error: { code: 403, status: 'PERMISSION_DENIED' } });
  });

  it('requires a bearer token: 401 without one, issued tokens and self-signed JWTs accepted', async () => {
    const url = `${server.baseUrl}/v1/projects/${PROJECT}/assets?pageSize=1`;
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
    expect((await fetch(url, { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${await accessToken()}` } })).status).toBe(200);
    const now = Math.floor(Date.now() / 1000);
    const selfSigned = signedAssertion(key, {
      iss: key.client_email,
      sub: key.client_email,
      aud: 'https://cloudasset.googleapis.com/',
      iat: now,
      exp: now + 3600,
    });
    expect((await fetch(url, { headers: { authorization: `Bearer ${selfSigned}` } })).status).toBe(200);
    const expired = signedAssertion(key, {
      iss: key.client_email,
      aud: 'https://cloudasset.googleapis.com/',
      iat: now - 7200,
      exp: now - 3600,
    });
    expect((await fetch(url, { headers: { authorization: `Bearer ${expired}` } })).status).toBe(401);
  });

  it('token endpoint refuses other grants the way Google OAuth does', async () => {
    const res = await fetch(key.token_uri, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('lists IAM policies (contentType IAM_POLICY) of the project and every bucket, paged, with no resource', async () => {
    const policies: { name: string; assetType: string; bindings: { role: string; members: string[] }[] }[] = [];
    let pageToken: string | undefined;
    do {
      const [assets, , response] = await client.listAssets(
        { parent: `projects/${PROJECT}`, contentType: 'IAM_POLICY', pageSize: 40, pageToken },
        { autoPaginate: false },
      );
      for (const asset of assets) {
        expect(asset.resource).toBeNull();
        expect(Buffer.from(asset.iamPolicy!.etag!).length).toBe(8);
        policies.push({
          name: asset.name!,
          assetType: asset.assetType!,
          bindings: asset.iamPolicy!.bindings!.map((b) => ({ role: b.role!, members: b.members! })),
        });
      }
      pageToken = response.nextPageToken || undefined;
    } while (pageToken);
    const buckets = resources.filter((r) => r.type === BUCKET);
    expect(policies.map((p) => p.name)).toEqual([
      ...buckets.map((r) => r.id),
      `//cloudresourcemanager.googleapis.com/projects/${projectNumber(PROJECT)}`,
    ]);
    expect(policies.at(-1)).toEqual({
      name: policies.at(-1)!.name,
      assetType: 'cloudresourcemanager.googleapis.com/Project',
      bindings: projectPolicy(PROJECT).bindings,
    });
    expect(policies[0]!.bindings).toEqual(bucketPolicy(buckets[0]!).bindings);
    expect(policies[0]!.bindings.map((b) => b.role)).toContain('roles/storage.objectViewer');
  });

  it('narrows IAM_POLICY listings by asset type, and lists no policy for types that carry none', async () => {
    const [projectOnly] = await client.listAssets(
      {
        parent: `projects/${PROJECT}`,
        assetTypes: ['cloudresourcemanager.googleapis.com/Project'],
        contentType: 'IAM_POLICY',
      },
      { autoPaginate: false },
    );
    expect(projectOnly).toHaveLength(1);
    expect(projectOnly[0]!.iamPolicy!.bindings!.find((b) => b.role === 'roles/owner')?.members).toHaveLength(1);
    const [none] = await client.listAssets(
      { parent: `projects/${PROJECT}`, assetTypes: [INSTANCE], contentType: 'IAM_POLICY' },
      { autoPaginate: false },
    );
    expect(none).toEqual([]);
  });

  it('answers unknown paths with a Google JSON 404', async () => {
    const res = await fetch(`${server.baseUrl}/v1/projects/${PROJECT}/feeds`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 404, status: 'NOT_FOUND' } });
  });
});

describe('GCP handler quotas and faults', () => {
  it('throttles with 429 RESOURCE_EXHAUSTED once the per-project ListAssets bucket is empty', async () => {
    const server = await startGcpTestServer(resources, { bucket: { capacity: 2, refillPerSecond: 0.001 } });
    const client = sdkClient(server.applyAgentEnv());
    try {
      const request = { parent: `projects/${PROJECT}`, assetTypes: [INSTANCE], pageSize: 1 };
      await client.listAssets(request, { autoPaginate: false });
      await client.listAssets(request, { autoPaginate: false });
      const throttled = await rejection(client.listAssets(request, { autoPaginate: false }));
      expect(throttled).toMatchObject({ httpStatus: 429, error: { code: 429, status: 'RESOURCE_EXHAUSTED' } });
      expect(throttled.error.details?.[0]?.reason).toBe('RATE_LIMIT_EXCEEDED');
      expect(server.controls.stats().rateLimited).toBe(1);
    } finally {
      await client.close();
      await server.close();
    }
  });

  it('injects throttles (429), server errors (503) and dropped connections', async () => {
    const server = await startGcpTestServer(resources, { faultRate: 1 });
    try {
      const outcomes = new Set<string>();
      for (let i = 0; i < 30; i++) {
        try {
          const res = await fetch(`${server.baseUrl}/v1/projects/${PROJECT}/assets`);
          const body = (await res.json()) as { error: { status: string } };
          outcomes.add(`${res.status} ${body.error.status}`);
        } catch {
          outcomes.add('dropped');
        }
      }
      expect(outcomes).toEqual(new Set(['429 RESOURCE_EXHAUSTED', '503 UNAVAILABLE', 'dropped']));
      expect(server.calls('ListAssets')).toBe(30);
    } finally {
      await server.close();
    }
  });
});
