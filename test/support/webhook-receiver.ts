import { createServer, type IncomingMessage, type Server } from 'node:http';

/** One request as the receiver got it, and the status it answered. */
export interface ReceivedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  /** What `name` got so far (the same list `GET /received/<name>` answers). */
  received(name: string): ReceivedRequest[];
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A webhook receiver over real HTTP on 127.0.0.1, for tests of notification delivery. Each POST
 * to `/hooks/<name>` is recorded under its name and answered 200, or 500 for the first N when
 * the URL asks `?fail=N`, or always `S` when it asks `?status=S`. `GET /received/<name>` lists
 * what that name got, oldest first.
 */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received = new Map<string, ReceivedRequest[]>();
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://receiver');
    const [, area, name] = url.pathname.split('/');
    if (req.method === 'GET' && area === 'received' && name) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received.get(name) ?? []));
      return;
    }
    if (req.method !== 'POST' || area !== 'hooks' || !name) {
      res.writeHead(404).end();
      return;
    }
    const body = await bodyOf(req);
    const list = received.get(name) ?? [];
    received.set(name, list);
    const failFirst = Number(url.searchParams.get('fail') ?? 0);
    const status = list.length < failFirst ? 500 : Number(url.searchParams.get('status') ?? 200);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    list.push({ path: `${url.pathname}${url.search}`, headers, body, status });
    res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'failing on purpose');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    received: (name) => [...(received.get(name) ?? [])],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
