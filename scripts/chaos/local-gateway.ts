import type { ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { startWranglerDev, waitForGateway } from '../local-stack.js';
import { exited } from './agent-fleet.js';

export interface LocalGatewayOptions {
  port: number;
  persistDir: string;
  /** The Worker bundled once (bundleWorker), so edits to the checkout never reload it mid-run. */
  bundle: string;
  /** `--var NAME:value` pairs and other wrangler flags. */
  wranglerArgs: string[];
  logFile: string;
  /** How long a start may take before it counts as failed. */
  startTimeoutMs?: number;
}

/**
 * The gateway in `wrangler dev`, in a process group of its own so it can be killed whole
 * (wrangler and workerd) and started again on the same port and persistence directory.
 */
export class LocalGateway {
  readonly url: string;
  private child: ChildProcess | undefined;
  private stopped = false;

  constructor(private readonly opts: LocalGatewayOptions) {
    this.url = `http://127.0.0.1:${opts.port}`;
  }

  /** Starts wrangler dev; once stop() was called, starts nothing. */
  async start(): Promise<void> {
    if (this.stopped) return;
    const args = [
      '--port',
      String(this.opts.port),
      '-c',
      'wrangler.toml',
      this.opts.bundle,
      '--no-bundle',
      ...this.opts.wranglerArgs,
    ];
    const child = startWranglerDev(args, 'pipe', this.opts.persistDir, true);
    this.child = child;
    const log = createWriteStream(this.opts.logFile, { flags: 'a' });
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    child.once('close', () => log.end());
    const died = exited(child).then(() => {
      throw new Error(
        `wrangler dev exited with ${child.exitCode ?? child.signalCode} before it answered; see ${this.opts.logFile}`,
      );
    });
    await Promise.race([waitForGateway(this.url, this.opts.startTimeoutMs ?? 120_000), died]);
  }

  /** SIGKILL to the whole group: no shutdown hook runs, as when the machine dies. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.start();
  }

  /** SIGTERM first, so wrangler cleans up; SIGKILL for the group when it takes longer than `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    const child = this.child;
    if (!child) return;
    const timer = setTimeout(() => this.signalGroup(child, 'SIGKILL'), graceMs);
    await this.signal('SIGTERM');
    clearTimeout(timer);
    // workerd may outlive a wrangler that was told to stop.
    this.signalGroup(child, 'SIGKILL');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.signalGroup(child, signal);
    await exited(child);
  }

  private signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is gone already
    }
  }
}
