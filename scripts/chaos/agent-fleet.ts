import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import type { Provider } from '../../contract/resource.js';
import type { RunningEmulator } from '../../emulator/server.js';

export interface AgentFleetOptions {
  /** What agents call: the resending proxy in front of the gateway. */
  gateway: string;
  /** An agent token for the provider's accounts, given through the environment as `npm start` does. */
  agentToken: string;
  emulator: RunningEmulator;
  provider: Provider;
  perAccount: number;
  concurrency: number;
  logDir: string;
}

interface Slot {
  account: string;
  name: string;
  generation: number;
  child: ChildProcess;
}

/** Resolves once the process has exited; at once when it already has. */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Real agent processes (bin/driftmgr-agent.js), `perAccount` for each account of the cloud,
 * each logging to its own file. `killOne` SIGKILLs one at random, as a crash would, and starts
 * a new process in its place under a new agent id.
 */
export class AgentFleet {
  private readonly slots: Slot[] = [];
  private stopped = false;
  kills = 0;

  constructor(private readonly opts: AgentFleetOptions) {}

  start(): void {
    for (const account of this.opts.emulator.accounts[this.opts.provider]) {
      for (let i = 0; i < this.opts.perAccount; i++) {
        const name = `chaos-${this.opts.provider}-${account}-${i}`;
        this.slots.push({ account, name, generation: 0, child: this.spawn(account, name, 0) });
      }
    }
  }

  /** The id of the agent killed; undefined once the fleet is stopping, when nothing new starts. */
  async killOne(random: () => number): Promise<string | undefined> {
    const slot = this.slots[Math.floor(random() * this.slots.length)]!;
    slot.child.kill('SIGKILL');
    await exited(slot.child);
    if (this.stopped) return undefined;
    this.kills += 1;
    slot.generation += 1;
    slot.child = this.spawn(slot.account, slot.name, slot.generation);
    return `${slot.name}.${slot.generation - 1}`;
  }

  /** SIGTERM, then SIGKILL for whatever still runs after `graceMs`. */
  async stop(graceMs = 5_000): Promise<void> {
    this.stopped = true;
    const children = this.slots.map((s) => s.child);
    for (const child of children) child.kill('SIGTERM');
    const timer = setTimeout(() => {
      for (const c of children) c.kill('SIGKILL');
    }, graceMs);
    await Promise.all(children.map(exited));
    clearTimeout(timer);
  }

  private spawn(account: string, name: string, generation: number): ChildProcess {
    const { provider, emulator } = this.opts;
    const agentId = `${name}.${generation}`;
    const args = ['bin/driftmgr-agent.js', '--gateway', this.opts.gateway, '--provider', provider];
    args.push('--account', account, '--regions', emulator.regions[provider].join(','), '--agent-id', agentId);
    args.push('--concurrency', String(this.opts.concurrency), '--wait-seconds', '5', '--log-level', 'warn');
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...emulator.agentEnv(provider, account), DRIFTMGR_AGENT_TOKEN: this.opts.agentToken },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = createWriteStream(join(this.opts.logDir, `${name}.log`), { flags: 'a' });
    log.write(`--- ${agentId} started\n`);
    child.stdout!.pipe(log, { end: false });
    child.stderr!.pipe(log, { end: false });
    child.once('close', () => log.end());
    return child;
  }
}
