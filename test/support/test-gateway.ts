import type { ChildProcess } from 'node:child_process';
import { applyLocalMigrations, startWranglerDev, waitForGateway } from '../../scripts/local-stack.js';
import { freePort } from './free-port.js';

export interface TestGateway {
  url: string;
  /** SIGTERM, which wrangler's launcher passes on to the dev server it started; resolves once it exited. */
  stop(): Promise<void>;
}

// A loaded CI machine can take well over a minute to bring workerd up.
const START_TIMEOUT_MS = 180_000;

/**
 * The gateway in `wrangler dev` on a free port, with D1 migrated in `persistDir`. A start that
 * fails says what wrangler printed last.
 */
export async function startTestGateway(persistDir: string, wranglerArgs: string[] = []): Promise<TestGateway> {
  applyLocalMigrations(persistDir);
  const url = `http://127.0.0.1:${await freePort()}`;
  const child = startWranglerDev(['--port', new URL(url).port, ...wranglerArgs], 'pipe', persistDir);
  let log = '';
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const gateway = { url, stop: () => stopChild(child) };
  await waitForGateway(url, START_TIMEOUT_MS).catch(async (err: Error) => {
    await gateway.stop();
    throw new Error(`${err.message}; wrangler said:\n${log}`);
  });
  return gateway;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}
