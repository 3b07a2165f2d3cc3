import http from 'node:http';
import type { AddressInfo } from 'node:net';

const EVENTS_PATH = /^\/api\/v1\/jobs\/[^/]+\/events$/;

export interface EventsProxyOptions {
  /** Where the gateway listens. */
  target: string;
  /** Answer every job events request with this status (an older gateway says 404 or 501). */
  refuseWith?: number;
  /** Cut the first job events connection once it carried this many events, as a dropped network would. */
  dropFirstAfter?: number;
}

export interface EventsProxy {
  url: string;
  /** The Last-Event-ID of each job events request, in order (null when it had none). */
  eventRequests: (string | null)[];
  close(): Promise<void>;
}

/**
 * An HTTP proxy in front of the gateway that passes every request through, streaming, except
 * that it can refuse the job events route or cut its first connection short: what a client
 * following a job must survive.
 */
export async function startEventsProxy(opts: EventsProxyOptions): Promise<EventsProxy> {
  const target = new URL(opts.target);
  const eventRequests: (string | null)[] = [];
  const server = http.createServer((req, res) => {
    const isEvents = EVENTS_PATH.test(new URL(req.url ?? '/', 'http://proxy').pathname);
    if (isEvents) {
      eventRequests.push((req.headers['last-event-id'] as string | undefined) ?? null);
      if (opts.refuseWith !== undefined) {
        res.writeHead(opts.refuseWith, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'not_found', message: 'no route' } }));
        return;
      }
    }
    const cutAfter = isEvents && eventRequests.length === 1 ? opts.dropFirstAfter : undefined;
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        let events = 0;
        answer.on('data', (chunk: Buffer) => {
          events += chunk.toString('utf8').split('\n\n').length - 1;
          if (cutAfter === undefined || events < cutAfter) return void res.write(chunk);
          // Closes the socket mid-response once the events reached the client: the body ends unfinished.
          answer.destroy();
          res.write(chunk, () => res.socket?.end());
        });
        answer.on('end', () => res.end());
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    eventRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
