import { ResourceManagementClient } from '@azure/arm-resources';
import { ClientSecretCredential } from '@azure/identity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AzureTestServer, startAzureTestServer } from '../../test/support/azure-emulator.js';
import { createRng } from '../rng.js';
import { EMULATOR_CLIENT_ID, EMULATOR_TENANT } from './env.js';
import { ARM_TYPES, generateAzureEstate } from './estate.js';
import { ARM_PAGE_SIZE } from './handler.js';

const [sub, otherSub] = ['3f1c2a4e-8b7d-4e6f-9a0b-1c2d3e4f5a6b', '9e8d7c6b-5a4f-4e3d-8c2b-1a0f9e8d7c6b'];
const estate = generateAzureEstate({
  rng: createRng(5),
  count: 1500,
  accounts: [sub, otherSub],
  regions: ['eastus', 'westeurope'],
});
const vms = estate.filter((r) => r.type === ARM_TYPES.virtualMachine && r.account === sub);
const apiVersion = 'api-version=2026-04-01';

let server: AzureTestServer;
let token: string;

async function get(path: string, headers: Record<string, string> = { authorization: `Bearer ${token}` }) {
  const res = await fetch(path.startsWith('https://') ? path : `${server.baseUrl}${path}`, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as any };
}

beforeAll(async () => {
  server = await startAzureTestServer(estate);
  const res = await fetch(`${server.baseUrl}/${EMULATOR_TENANT}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: 'c',
      client_secret: 's',
      scope: 'https://management.azure.com/.default',
    }),
  });
  token = ((await res.json()) as { access_token: string }).access_token;
});
afterAll(() => server.close());

describe('azure emulator identity endpoints', () => {
  it('serves the OpenID configuration MSAL reads for AAD tenants and AD FS authorities', async () => {
    for (const path of [
      '/adfs/.well-known/openid-configuration',
      '/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0/.well-known/openid-configuration',
    ]) {
      const { status, body } = await get(path, {});
      expect(status).toBe(200);
      expect(body.token_endpoint).toBe(
        `${server.baseUrl}${path.replace(/\/(v2\.0\/)?\.well-known.*$/, '')}/oauth2/v2.0/token`,
      );
    }
  });

  it('answers OAuth errors for a wrong grant or a missing secret', async () => {
    const post = (form: Record<string, string>) =>
      fetch(`${server.baseUrl}/adfs/oauth2/v2.0/token`, { method: 'POST', body: new URLSearchParams(form) });
    const wrongGrant = await post({ grant_type: 'password', client_id: 'c', scope: 's' });
    expect(wrongGrant.status).toBe(400);
    expect(((await wrongGrant.json()) as any).error).toBe('unsupported_grant_type');
    const noSecret = await post({ grant_type: 'client_credentials', client_id: 'c', scope: 's' });
    expect(noSecret.status).toBe(401);
    expect(((await noSecret.json()) as any).error).toBe('invalid_client');
  });
});

describe('azure emulator ARM protocol', () => {
  it('pages a subscription-wide list with absolute nextLinks carrying api-version and $skiptoken', async () => {
    const seen: unknown[] = [];
    let link: string | undefined = `/subscriptions/${sub}/providers/Microsoft.Compute/virtualMachines?${apiVersion}`;
    let pages = 0;
    while (link) {
      const { status, body } = await get(link);
      expect(status).toBe(200);
      expect(body.value.length).toBeLessThanOrEqual(ARM_PAGE_SIZE);
      seen.push(...body.value);
      pages += 1;
      link = body.nextLink;
      if (link)
        expect(link).toMatch(
          new RegExp(
            `^${server.baseUrl}/subscriptions/${sub}/providers/Microsoft.Compute/virtualMachines\\?api-version=2026-04-01&\\$skiptoken=`,
          ),
        );
    }
    expect(pages).toBe(Math.ceil(vms.length / ARM_PAGE_SIZE));
    expect(seen).toEqual(vms.map((r) => r.attributes));
  });

  it('serves resource-group lists, child lists and single resources, case-insensitively', async () => {
    const vm = vms[0]!;
    const group = vm.id.split('/')[4];
    const inGroup = await get(
      `/subscriptions/${sub}/resourcegroups/${group}/providers/microsoft.compute/VIRTUALMACHINES?${apiVersion}`,
    );
    expect(inGroup.body.value).toEqual(vms.filter((r) => r.id.split('/')[4] === group).map((r) => r.attributes));
    expect((await get(`${vm.id.toUpperCase()}?${apiVersion}`)).body).toEqual(vm.attributes);
    const vnet = estate.find((r) => r.type === ARM_TYPES.virtualNetwork && r.account === sub)!;
    const subnets = await get(`${vnet.id}/subnets?${apiVersion}`);
    expect(subnets.body.value).toEqual((vnet.attributes as any).properties.subnets);
  });

  it('answers errors in the ARM format with the right 4xx', async () => {
    const cases: [string, Record<string, string> | undefined, number, string][] = [
      [
        `/subscriptions/${sub}/providers/Microsoft.Compute/virtualMachines`,
        undefined,
        400,
        'MissingApiVersionParameter',
      ],
      [
        `/subscriptions/${sub}/providers/Microsoft.Compute/virtualMachines?${apiVersion}`,
        {},
        401,
        'AuthenticationFailed',
      ],
      [
        `/subscriptions/${sub}/providers/Microsoft.Compute/virtualMachines?${apiVersion}`,
        { authorization: 'Bearer forged' },
        401,
        'InvalidAuthenticationToken',
      ],
      [
        `/subscriptions/${sub}/providers/Microsoft.Compute/fooBars?${apiVersion}`,
        undefined,
        400,
        'InvalidResourceType',
      ],
      [
        `/subscriptions/00000000-0000-4000-8000-000000000000/resourcegroups?${apiVersion}`,
        undefined,
        404,
        'SubscriptionNotFound',
      ],
      [
        `/subscriptions/${sub}/resourceGroups/nope/providers/Microsoft.Compute/disks?${apiVersion}`,
        undefined,
        404,
        'ResourceGroupNotFound',
      ],
      [`${vms[0]!.id}-missing?${apiVersion}`, undefined, 404, 'ResourceNotFound'],
      [
        `/subscriptions/${sub}/providers/Microsoft.Compute/virtualMachines?${apiVersion}&$skiptoken=garbage`,
        undefined,
        400,
        'InvalidSkipToken',
      ],
      [`/nothing/here?${apiVersion}`, undefined, 404, 'NotFound'],
    ];
    for (const [path, headers, status, code] of cases) {
      const res = await get(path, headers ?? { authorization: `Bearer ${token}` });
      expect([res.status, res.body.error?.code], path).toEqual([status, code]);
      expect(typeof res.body.error.message).toBe('string');
    }
  });

  it('injects the faults it is told: 429 throttle, 500 in ARM format, dropped connection', async () => {
    server.ctx.forcedFaults = ['throttle', 'server-error', 'drop'];
    const path = `/subscriptions/${sub}/resourcegroups?${apiVersion}`;
    const throttled = await get(path);
    expect(throttled.status).toBe(429);
    expect(throttled.body.error.code).toBe('SubscriptionRequestsThrottled');
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect(throttled.headers.get('x-ms-ratelimit-remaining-subscription-reads')).toBe('0');
    const failed = await get(path);
    expect([failed.status, failed.body.error.code]).toEqual([500, 'InternalServerError']);
    await expect(get(path)).rejects.toThrow();
    expect((await get(path)).status).toBe(200);
  });

  it('lets the unmodified SDK client authenticate and page through a list', async () => {
    const credential = new ClientSecretCredential(EMULATOR_TENANT, EMULATOR_CLIENT_ID, 'secret', {
      authorityHost: server.baseUrl,
    });
    const client = new ResourceManagementClient(credential, sub, { endpoint: server.baseUrl });
    const names: string[] = [];
    for await (const group of client.resourceGroups.list()) names.push(group.name!);
    expect(names).toEqual(
      estate.filter((r) => r.type === ARM_TYPES.resourceGroup && r.account === sub).map((r) => r.name),
    );
  });
});

describe('azure emulator read throttling', () => {
  it('answers 429 with Retry-After once the subscription bucket is empty', async () => {
    const tiny = await startAzureTestServer(estate, { bucket: { capacity: 2, refillPerSecond: 0.5 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await fetch(`${tiny.baseUrl}/subscriptions/${sub}/resourcegroups?${apiVersion}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        statuses.push(res.status);
        if (res.status === 429) expect(res.headers.get('retry-after')).toBe('1');
      }
      expect(statuses).toEqual([200, 200, 429]);
      // Another subscription has its own bucket.
      const other = await fetch(`${tiny.baseUrl}/subscriptions/${otherSub}/resourcegroups?${apiVersion}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(other.status).toBe(200);
    } finally {
      await tiny.close();
    }
  });
});
