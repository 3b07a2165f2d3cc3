import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An HTTP proxy between agents and the gateway that sends some results chunks twice, the way
 * an agent retrying a chunk whose answer it never saw would. Everything else passes through
 * untouched; while the gateway is down every call gets a 502, which agents retry.
 */

const RESULTS_PATH = /^\/api\/v1\/shards\/[^/]+\/results$/;

export interface ResendProxyOptions {
  /** Where the gateway listens, e.g. http://127.0.0.1:8787. */
  target: string;
  /** Share of results chunks sent a second time, in [0, 1]. */
  resendRate: number;
  random?: () => number;
}

export interface ResendStats {
  /** Results chunks sent a second time with the same body. */
  resent: number;
  /** Resends the gateway acknowledged as duplicates (`duplicate: true`). */
  resent_duplicates: number;
  /** Requests answered 502 because the gateway could not be reached. */
  gateway_unreachable: number;
}

export interface ResendProxy {
  url: string;
  stats(): ResendStats;
  /** Resends the next `count` results chunks whatever the rate says. */
  burst(count: number): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (part: Buffer) => parts.push(part));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
}

/** One request to the gateway with the agent's method, path, headers and body. */
function send(target: URL, req: http.IncomingMessage, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
    const out = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (res) => {
        readAll(res).then(
          (answer) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: answer }),
          reject,
        );
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}

function isDuplicateAck(answer: Answer): boolean {
  try {
    return answer.status === 200 && JSON.parse(answer.body.toString('utf8')).duplicate === true;
  } catch {
    return false;
  }
}

export async function startResendProxy(opts: ResendProxyOptions): Promise<ResendProxy> {
  const target = new URL(opts.target);
  const random = opts.random ?? Math.random;
  const stats: ResendStats = { resent: 0, resent_duplicates: 0, gateway_unreachable: 0 };
  let burstLeft = 0;

  const shouldResend = (req: http.IncomingMessage): boolean => {
    if (req.method !== 'POST' || !RESULTS_PATH.test(req.url ?? '')) return false;
    if (burstLeft > 0) {
      burstLeft -= 1;
      return true;
    }
    return random() < opts.resendRate;
  };

  /** The resend goes out once the first answer is in, before the agent sees it, so its lease is still live. */
  const resend = async (req: http.IncomingMessage, body: Buffer): Promise<void> => {
    stats.resent += 1;
    const again = await send(target, req, body).catch(() => undefined);
    if (again && isDuplicateAck(again)) stats.resent_duplicates += 1;
  };

  const server = http.createServer(async (req, res) => {
    const body = await readAll(req);
    let answer: Answer;
    try {
      answer = await send(target, req, body);
    } catch (err) {
      stats.gateway_unreachable += 1;
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'bad_gateway', message: `gateway unreachable: ${String(err)}` } }));
      return;
    }
    if (answer.status === 200 && shouldResend(req)) await resend(req, body);
    const { 'transfer-encoding': _chunked, connection: _connection, ...headers } = answer.headers;
    res.writeHead(answer.status, { ...headers, 'content-length': String(answer.body.length) });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stats: () => ({ ...stats }),
    burst: (count) => {
      burstLeft += count;
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
