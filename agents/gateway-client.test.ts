import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeGateway } from '../test/support/fake-gateway.js';
import { GatewayClient, GatewayError, GatewayProtocolError, LeaseLostError } from './gateway-client.js';

let gateway: FakeGateway;
let client: GatewayClient;
const leaseRequest = { agent_id: 'a1', provider: 'aws' as const, account: '123456789012', wait_seconds: 0 };

beforeAll(async () => {
  gateway = await FakeGateway.start();
  client = new GatewayClient({
    url: gateway.url,
    token: gateway.token,
    baseDelayMs: 5,
    maxDelayMs: 50,
    maxAttempts: 4,
  });
});

afterAll(async () => {
  await client.close();
  await gateway.close();
});

afterEach(() => {
  gateway.calls.length = 0;
});

/** A one-off HTTP server for answers the fake gateway never gives. */
async function withServer<T>(handler: RequestListener, use: (url: string) => Promise<T>): Promise<T> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await use(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

describe('GatewayClient', () => {
  it('refuses a plain-http gateway that is not on this machine before any call', () => {
    expect(() => new GatewayClient({ url: 'http://gw.example:8787', token: 't' })).toThrow(
      /gateway http:\/\/gw\.example:8787: must be https/,
    );
  });

  it('sends a proof of the account signed afresh for each lease when it has a proof source', async () => {
    let signed = 0;
    const proving = new GatewayClient({
      url: gateway.url,
      token: gateway.token,
      proof: async () => ({
        kind: 'aws-sts',
        method: 'POST',
        url: 'https://sts.amazonaws.com/',
        headers: { 'x-amz-date': String(++signed) },
        body: 'Action=GetCallerIdentity&Version=2011-06-15',
      }),
    });
    try {
      await proving.lease(leaseRequest);
      await proving.lease(leaseRequest);
    } finally {
      await proving.close();
    }
    const proofs = gateway.callsTo('lease').map((c) => (c.body as { proof: { headers: object } }).proof.headers);
    expect(proofs).toEqual([{ 'x-amz-date': '1' }, { 'x-amz-date': '2' }]);
    await client.lease(leaseRequest);
    expect(gateway.callsTo('lease')[2]!.body).not.toHaveProperty('proof');
  });

  it('answers null when the lease long-poll ends with 204', async () => {
    expect(await client.lease(leaseRequest)).toBeNull();
    expect(gateway.callsTo('lease')).toMatchObject([{ status: 204, body: { ...leaseRequest } }]);
  });

  it('returns a validated lease, waiting for a shard that arrives during the long-poll', async () => {
    const pending = client.lease({ ...leaseRequest, wait_seconds: 2 });
    setTimeout(() => gateway.addShard({ work: [{ type: 'AWS::EC2::VPC', region: 'us-east-1' }] }), 100);
    const lease = await pending;
    expect(lease).toMatchObject({ attempt: 1, work: [{ type: 'AWS::EC2::VPC', region: 'us-east-1' }] });
    if (!lease) throw new Error('no lease');
    await expect(client.heartbeat(lease.shard_id, lease.lease_id)).resolves.toHaveProperty('lease_expires_at');
    await client.complete(lease.shard_id, { lease_id: lease.lease_id, resource_count: 0 });
  });

  it('retries 503 and 429, honouring Retry-After', async () => {
    gateway.injectFault('lease', { status: 503, code: 'unavailable', retryAfter: '0' });
    gateway.injectFault('lease', { status: 429, code: 'rate_limited' });
    expect(await client.lease(leaseRequest)).toBeNull();
    expect(gateway.callsTo('lease').map((c) => c.status)).toEqual([503, 429, 204]);
  });

  it('gives up after maxAttempts with the server error', async () => {
    gateway.injectFault('lease', { status: 500, code: 'internal' }, 4);
    await expect(client.lease(leaseRequest)).rejects.toThrow(/HTTP 500 internal/);
    expect(gateway.callsTo('lease')).toHaveLength(4);
  });

  it('does not retry other 4xx and reports the server error code and message', async () => {
    const badToken = new GatewayClient({ url: gateway.url, token: 'wrong', baseDelayMs: 5 });
    const err = await badToken.lease(leaseRequest).catch((e: unknown) => e);
    await badToken.close();
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 401, code: 'unauthorized', retryable: false });
    expect((err as Error).message).toContain('bad token');
    expect(gateway.callsTo('lease')).toHaveLength(1);
  });

  it('turns 409 into LeaseLostError without retrying', async () => {
    const shard = gateway.addShard({ account: 'lost-acct', work: [{ type: 'AWS::EC2::VPC', region: 'us-east-1' }] });
    const lease = await client.lease({ ...leaseRequest, account: 'lost-acct' });
    if (!lease) throw new Error('no lease');
    gateway.revokeLease(shard.shard_id);
    const err = await client.heartbeat(lease.shard_id, lease.lease_id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LeaseLostError);
    expect(err).toMatchObject({ shardId: shard.shard_id, code: 'lease_conflict' });
    expect(gateway.callsTo('heartbeat')).toHaveLength(1);
  });

  it('retries a connection reset by the server', async () => {
    let requests = 0;
    const answer = await withServer(
      (req, res) => {
        requests += 1;
        if (requests === 1) return req.socket.destroy();
        res.writeHead(204).end();
      },
      async (url) => {
        const c = new GatewayClient({ url, token: 't', baseDelayMs: 5 });
        try {
          return await c.lease(leaseRequest);
        } finally {
          await c.close();
        }
      },
    );
    expect(answer).toBeNull();
    expect(requests).toBe(2);
  });

  it('keeps a path prefix of the gateway URL and rejects answers outside the protocol', async () => {
    const paths: string[] = [];
    const err = await withServer(
      (req, res) => {
        paths.push(req.url ?? '');
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"shard_id": 7}');
      },
      async (url) => {
        const c = new GatewayClient({ url: `${url}/driftmgr/`, token: 't' });
        try {
          return await c.lease(leaseRequest).catch((e: unknown) => e);
        } finally {
          await c.close();
        }
      },
    );
    expect(err).toBeInstanceOf(GatewayProtocolError);
    expect(paths).toEqual(['/driftmgr/api/v1/agents/lease']);
  });
});
