import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
const temporaryDirs: string[] = [];

afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

function run(node: string, script: string, args: string[] = []) {
  const result = spawnSync(node, [script, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A copy of the parts of the repository a bin needs, sharing this checkout's node_modules. */
function copyOf(paths: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'driftmgr-build-'));
  temporaryDirs.push(dir);
  for (const path of paths)
    cpSync(join(ROOT, path), join(dir, path), { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

const SOURCES = ['package.json', 'bin', 'scripts/build.ts', 'agents', 'cli', 'contract', 'emulator', 'engine'];

/** The lowest version a semver range's alternatives admit, as [major, minor, patch]. */
function lowerBound(range: string): number[] {
  const bounds = range.split('||').map((alternative) => {
    const version = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(alternative);
    return [Number(version?.[1] ?? 0), Number(version?.[2] ?? 0), Number(version?.[3] ?? 0)];
  });
  return bounds.sort(compare)[0]!;
}

function compare(a: number[], b: number[]): number {
  return a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
}

describe('engines', () => {
  it('asks for the newest Node any production dependency needs, no more', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; engines?: { node?: string } }>;
    };
    const needs = Object.entries(lock.packages)
      .filter(([path, entry]) => path !== '' && !entry.dev && entry.engines?.node)
      .map(([path, entry]) => ({ path, bound: lowerBound(entry.engines!.node!) }))
      .sort((a, b) => compare(b.bound, a.bound));
    expect(needs.length).toBeGreaterThan(10);
    expect(pkg.engines.node).toBe(`>=${needs[0]!.bound.join('.')}`);
  });

  // The machine's own Node, when it is older than the project needs (Node 20 here).
  const systemNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => {
    const version = spawnSync(path, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    return version && compare(version.slice(1).split('.').map(Number), lowerBound(pkg.engines.node)) < 0;
  });

  it.skipIf(!systemNode)('each bin refuses an older Node in one line, exit 1', () => {
    for (const bin of ['driftmgr-agent', 'driftmgr', 'driftmgr-emulator']) {
      const result = run(systemNode!, join(ROOT, 'bin', `${bin}.js`), ['--help']);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        new RegExp(
          `^${bin}: needs Node\\.js ${pkg.engines.node} \\(package\\.json engines\\); this is Node\\.js v\\d+\\.\\d+\\.\\d+\\n$`,
        ),
      );
    }
  });
});

describe('bins and dist/', () => {
  it('in a checkout, build dist/ when it is missing and again when a source changes', () => {
    const dir = copyOf(SOURCES);
    const bin = join(dir, 'bin', 'driftmgr-agent.js');
    const first = run(process.execPath, bin, ['--help']);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toContain('Usage: driftmgr-agent');
    const stamp = join(dir, 'dist', '.build.json');
    const builtAt = statSync(stamp).mtimeMs;

    expect(run(process.execPath, bin, ['--help']).code).toBe(0);
    expect(statSync(stamp).mtimeMs).toBe(builtAt);

    const config = join(dir, 'agents', 'config.ts');
    writeFileSync(config, readFileSync(config, 'utf8').replace('gateway base URL', 'base URL of the gateway'));
    const changed = run(process.execPath, bin, ['--help']);
    expect(changed.code).toBe(0);
    expect(changed.stdout).toContain('base URL of the gateway');
  });

  it('outside a checkout, run only what dist/ holds and say how to build it', () => {
    const dir = copyOf(['package.json', 'bin']);
    const result = run(process.execPath, join(dir, 'bin', 'driftmgr-agent.js'), ['--help']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `driftmgr-agent: ${join(dir, 'dist', 'agents', 'cli.js')} is missing; run "npm run build" in ${dir}/\n`,
    );
  });

  it('the agent image copies every source folder the build reads', () => {
    const dir = copyOf(SOURCES);
    expect(run(process.execPath, join(dir, 'scripts', 'build.ts')).code).toBe(0);
    const { inputs } = JSON.parse(readFileSync(join(dir, 'dist', '.build.json'), 'utf8')) as { inputs: string[] };
    const dockerfile = readFileSync(join(ROOT, 'deploy', 'agent', 'Dockerfile'), 'utf8');
    const copied = [...dockerfile.matchAll(/^COPY (\S+) /gm)].map((m) => m[1]!);
    const uncopied = inputs.filter((input) => !copied.some((path) => input === path || input.startsWith(`${path}/`)));
    expect(uncopied).toEqual([]);
  });

  /** The command line of an agent that cannot reach its gateway (it backs off until stopped). */
  async function agentCommandLine(nodeArgs: string[]): Promise<string[]> {
    const args = [
      '--gateway',
      'http://127.0.0.1:9',
      '--token',
      't',
      '--provider',
      'aws',
      '--account',
      '1',
      '--log-level',
      'error',
    ];
    const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'bin', 'driftmgr-agent.js'), ...args], {
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      for (;;) {
        // The pid stays the same: the bin replaces itself rather than starting a child.
        const commandLine = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
        if (commandLine.some((arg) => arg.startsWith('--heap-growing-percent'))) return commandLine;
        await sleep(20);
      }
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  }

  it.skipIf(process.platform !== 'linux')(
    'the agent bin runs itself under its V8 heap flags, keeping any the caller gave',
    async () => {
      const flags = (commandLine: string[]) =>
        commandLine.filter((arg) => /^--(max-semi-space-size|heap-growing-percent)/.test(arg));
      expect(flags(await agentCommandLine([]))).toEqual(['--max-semi-space-size=4', '--heap-growing-percent=50']);
      expect(flags(await agentCommandLine(['--max-semi-space-size=8']))).toEqual([
        '--heap-growing-percent=50',
        '--max-semi-space-size=8',
      ]);
    },
  );
});
