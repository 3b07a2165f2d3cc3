import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

    // Touched, not changed (as a checkout of the same commit does): nothing is compiled again.
    const compiled = join(dir, 'dist', 'agents', 'cli.js');
    const compiledAt = statSync(compiled).mtimeMs;
    const config = join(dir, 'agents', 'config.ts');
    utimesSync(config, new Date(), new Date());
    expect(run(process.execPath, bin, ['--help']).code).toBe(0);
    expect(statSync(compiled).mtimeMs).toBe(compiledAt);
    expect(statSync(stamp).mtimeMs).toBeGreaterThanOrEqual(statSync(config).mtimeMs);

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
});
