import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Provider } from '../contract/resource.js';
import { agentEnv as awsAgentEnv } from './aws/env.js';
import { createAwsHandler } from './aws/handler.js';
import { agentEnv as azureAgentEnv } from './azure/env.js';
import { createAzureHandler } from './azure/handler.js';
import { createSelfSignedCert } from './azure/tls.js';
import { type Estate, generateEstate } from './estate.js';
import { EmulatorControls, type EmulatorStats, type FaultRates } from './faults.js';
import { agentEnv as gcpAgentEnv } from './gcp/env.js';
import { createGcpHandler } from './gcp/handler.js';
import { QuotaLedger, type QuotaProfile, withAwsQuotas } from './quotas.js';
import { forkRng } from './rng.js';
import { stateBackendEnv } from './state-backends/env.js';
import { createStateBackendHandler } from './state-backends/handler.js';
import { StateBackendObjects } from './state-backends/objects.js';
import type { CloudHandler, CloudHandlerFactory } from './types.js';

export interface EmulatorOptions {
  /** AWS listens on `port`, Azure on `port + 1`, GCP on `port + 2`, state backends on `port + 3`; 0 picks a free port for each. */
  port?: number;
  seed: number;
  resources: number;
  latencyMs?: number;
  faultRate?: number;
  /** Rates of single kinds of fault, each instead of its share of `faultRate`. */
  faultRates?: Partial<FaultRates>;
  /** One cloud alone, with all the resources; the other clouds serve no accounts. */
  only?: Provider;
  /** With `only`: its number of accounts and its regions, each instead of the usual ones. */
  layout?: { accounts?: number; regions?: string[] };
  /** Where credentials and the CA certificate are written; a temporary directory when absent. */
  stateDir?: string;
  /** Serve the estate's Terraform state from every state backend (emulator/state-backends/sample.ts). */
  sampleStates?: boolean;
  /** A cloud's request quotas enforced per account, Region and action (emulator/quotas.ts). */
  quotas?: QuotaProfile;
}

export interface RunningEmulator {
  endpoints: Record<Provider, string>;
  accounts: Record<Provider, string[]>;
  regions: Record<Provider, string[]>;
  estate: Estate;
  /** The Terraform state backends' listener (S3, Cloud Storage, Blob Storage, Terraform Cloud, http). */
  stateEndpoint: string;
  /** What the state backends serve; tests put and change states here. */
  stateObjects: StateBackendObjects;
  /** PEM of the Azure listener's self-signed certificate, for NODE_EXTRA_CA_CERTS. */
  caCertFile: string;
  stateDir: string;
  /**
   * Environment that points an agent's cloud SDK (endpoint and credentials) at this emulator,
   * with credentials for `account` where the cloud tells accounts apart by credentials (AWS).
   */
  agentEnv(provider: Provider, account?: string): Record<string, string>;
  stats(): EmulatorStats;
  close(): Promise<void>;
}

type AgentEnvFactory = (opts: {
  baseUrl: string;
  stateDir: string;
  caCertFile?: string;
  account?: string;
}) => Record<string, string>;

interface CloudListener {
  createHandler: CloudHandlerFactory;
  agentEnv: AgentEnvFactory;
  /** Azure's SDK refuses bearer tokens over plain http, so its listener speaks TLS. */
  tls: boolean;
  portOffset: number;
}

const CLOUD_LISTENERS: Record<Provider, CloudListener> = {
  aws: { createHandler: createAwsHandler, agentEnv: awsAgentEnv, tls: false, portOffset: 0 },
  azure: { createHandler: createAzureHandler, agentEnv: azureAgentEnv, tls: true, portOffset: 1 },
  gcp: { createHandler: createGcpHandler, agentEnv: gcpAgentEnv, tls: false, portOffset: 2 },
};

const PROVIDERS = Object.keys(CLOUD_LISTENERS) as Provider[];

/** Loopback only: the emulator holds fake credentials and is never meant to be reachable. */
const LISTEN_HOST = '127.0.0.1';
/** Requests bigger than this are not something any SDK sends to a list API. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
const STATS_PATH = '/__emulator/stats';
const CA_CERT_FILE = 'emulator-ca.pem';

class BodyTooLarge extends Error {}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    // An oversized body is still read to its end (and dropped) so the 413 reaches the client.
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () =>
      size > MAX_BODY_BYTES
        ? reject(new BodyTooLarge(`request body over ${MAX_BODY_BYTES} bytes`))
        : resolve(Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Wraps a cloud handler: whole bodies in, the stats route, and errors that never crash the process. */
export function serveCloud(
  provider: Provider | 'state',
  handler: CloudHandler,
  stats: () => EmulatorStats,
): http.RequestListener {
  return async (req, res) => {
    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (err) {
      if (err instanceof BodyTooLarge) sendJson(res, 413, { error: { code: 'RequestTooLarge', message: err.message } });
      return;
    }
    if (req.method === 'GET' && req.url?.split('?')[0] === STATS_PATH) {
      sendJson(res, 200, stats());
      return;
    }
    try {
      await handler(req, body, res);
    } catch (err) {
      // A throwing handler is an emulator bug: say so loudly, answer 500, keep serving.
      const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
      process.stderr.write(`driftmgr-emulator: ${provider} handler failed on ${req.method} ${req.url}: ${message}\n`);
      if (res.headersSent) res.destroy();
      else
        sendJson(res, 500, {
          error: { code: 'EmulatorError', message: err instanceof Error ? err.message : String(err) },
        });
    }
  };
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LISTEN_HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: http.Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Keep-alive sockets of SDK clients would otherwise hold close() open.
    server.closeAllConnections();
  });
}

/** Port offset of the state backends' listener, after the three clouds'. */
const STATE_PORT_OFFSET = 3;

/** Starts the three cloud listeners and the state backends' over a freshly generated estate. */
export async function startEmulator(opts: EmulatorOptions): Promise<RunningEmulator> {
  const estate = generateEstate({ seed: opts.seed, resources: opts.resources, only: opts.only, layout: opts.layout });
  const controls = new EmulatorControls({
    latencyMs: opts.latencyMs,
    faultRate: opts.faultRate,
    faultRates: opts.faultRates,
    random: forkRng(opts.seed, 'faults'),
  });
  const ownsStateDir = opts.stateDir === undefined;
  const stateDir = opts.stateDir ?? (await mkdtemp(join(tmpdir(), 'driftmgr-emulator-')));
  await mkdir(stateDir, { recursive: true });

  const tlsMaterial = await createSelfSignedCert();
  const caCertFile = join(stateDir, CA_CERT_FILE);
  await writeFile(caCertFile, tlsMaterial.cert);

  const ledger = opts.quotas ? new QuotaLedger() : undefined;
  const stats = () => (ledger ? { ...controls.stats(), quotaBuckets: ledger.usage() } : controls.stats());
  const servers: http.Server[] = [];
  const endpoints = {} as Record<Provider, string>;
  const stateObjects = opts.sampleStates
    ? (await import('./state-backends/sample.js')).sampleStateObjects(
        estate.resources,
        opts.seed,
        estate.accounts.aws[0] ?? '',
      )
    : new StateBackendObjects();
  let stateEndpoint = '';
  try {
    for (const provider of PROVIDERS) {
      const cloud = CLOUD_LISTENERS[provider];
      const cloudHandler = cloud.createHandler(
        estate.resources.filter((r) => r.provider === provider),
        controls,
      );
      const handler =
        ledger && provider === 'aws'
          ? withAwsQuotas(cloudHandler, controls, ledger, estate.accounts.aws[0] ?? '')
          : cloudHandler;
      const listener = serveCloud(provider, handler, stats);
      const server = cloud.tls ? https.createServer(tlsMaterial, listener) : http.createServer(listener);
      servers.push(server);
      const port = await listen(server, opts.port ? opts.port + cloud.portOffset : 0);
      endpoints[provider] = `${cloud.tls ? 'https' : 'http'}://${LISTEN_HOST}:${port}`;
    }
    const stateServer = http.createServer(
      serveCloud('state', createStateBackendHandler(stateObjects, controls, estate.resources), stats),
    );
    servers.push(stateServer);
    stateEndpoint = `http://${LISTEN_HOST}:${await listen(stateServer, opts.port ? opts.port + STATE_PORT_OFFSET : 0)}`;
  } catch (err) {
    await Promise.all(servers.map(closeServer));
    if (ownsStateDir) await rm(stateDir, { recursive: true, force: true });
    throw err;
  }

  let closing: Promise<void> | undefined;
  return {
    endpoints,
    accounts: estate.accounts,
    regions: estate.regions,
    estate,
    stateEndpoint,
    stateObjects,
    caCertFile,
    stateDir,
    agentEnv: (provider, account) => ({
      ...CLOUD_LISTENERS[provider].agentEnv({
        baseUrl: endpoints[provider],
        stateDir,
        caCertFile: CLOUD_LISTENERS[provider].tls ? caCertFile : undefined,
        account,
      }),
      ...stateBackendEnv(stateEndpoint, stateObjects),
    }),
    stats,
    close: () => {
      closing ??= (async () => {
        await Promise.all(servers.map(closeServer));
        if (ownsStateDir) await rm(stateDir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
