import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';

const persistDir = mkdtempSync(join(tmpdir(), 'driftmgr-e2e-'));
afterAll(() => rmSync(persistDir, { recursive: true, force: true }));

// The whole local system as `npm start -- --once` runs it: wrangler dev with the real
// Durable Objects, queues and D1, the emulator, one agent process per account.
it('npm start --once discovers the whole sample estate, finds exactly the injected drift and exits 0', async () => {
  const port = await freePort();
  const child = spawn(
    join('node_modules', '.bin', 'tsx'),
    ['scripts/start.ts', '--once', '--port', String(port), '--persist-to', persistDir, '--timeout-seconds', '420'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  expect(output).toContain('every job completed and discovered the whole estate');
  expect(output).toContain('drift found matches drift injected for aws, azure, gcp');
  expect(code, output).toBe(0);
}, 480_000);
