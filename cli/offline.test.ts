import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoveredInstance, runCli, terraformState } from '../test/support/cli-run.js';
import { freePort } from '../test/support/free-port.js';

// Everything that needs no gateway: offline analysis, flag errors, an unreachable gateway.
const dir = mkdtempSync(join(tmpdir(), 'driftmgr-cli-offline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const state = write('prod.tfstate', terraformState([{ name: 'web', id: 'i-web', type: 't3.micro' }]));
const inSync = write('in-sync.json', JSON.stringify([discoveredInstance('i-web', 't3.micro')]));
const drifted = write('drifted.json', JSON.stringify({ resources: [discoveredInstance('i-web', 't3.large')] }));

describe('driftmgr analyze (offline)', () => {
  it('exits 0 and says so when the inventory matches the state', async () => {
    const run = await runCli(['analyze', '--state', state, '--inventory', inSync]);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('1 in sync, 0 changed, 0 missing, 0 unmanaged');
    expect(run.stdout).toContain('no drift');
    expect(run.code).toBe(0);
  });

  it('exits 1 with a table of the changed attribute when the instance type drifted', async () => {
    const run = await runCli(['analyze', '--state', join(dir, '*.tfstate'), '--inventory', drifted]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/KIND\s+SEVERITY\s+SCORE\s+ADDRESS\s+ID\s+CHANGES/);
    expect(run.stdout).toMatch(
      /changed\s+\w+\s+\d+\s+aws_instance\.web\s+i-web\s+instance_type: t3\.micro → t3\.large/,
    );
  });

  it('prints the engine report in the format asked for', async () => {
    const json = await runCli(['analyze', '--state', state, '--inventory', drifted, '--format', 'json']);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { summary: { changed: number }; items: { address: string }[] };
    expect(report.summary.changed).toBe(1);
    expect(report.items.map((i) => i.address)).toEqual(['aws_instance.web']);
    const sarif = await runCli(['analyze', '--state', state, '--inventory', drifted, '--format', 'sarif']);
    expect((JSON.parse(sarif.stdout) as { version: string }).version).toBe('2.1.0');
  });

  it('honours a .driftignore file', async () => {
    const ignore = write('.driftignore', '# driftctl syntax: tf_type.id\naws_instance.i-web\n');
    const run = await runCli(['analyze', '--state', state, '--inventory', drifted, '--driftignore', ignore]);
    expect(run.stdout).toContain('no drift');
    expect(run.code).toBe(0);
  });

  it('exits 2 naming the problem: a glob matching nothing, an unreadable inventory, a state that is not JSON', async () => {
    const noMatch = await runCli(['analyze', '--state', join(dir, '*.nothing'), '--inventory', inSync]);
    expect(noMatch).toMatchObject({ code: 2, stdout: '' });
    expect(noMatch.stderr).toContain('*.nothing: no file matches');

    const noInventory = await runCli(['analyze', '--state', state, '--inventory', join(dir, 'absent.json')]);
    expect(noInventory.code).toBe(2);
    expect(noInventory.stderr).toMatch(/^error: cannot read inventory .*absent\.json: ENOENT\n$/);

    const badState = write('broken.tfstate', '{ not json');
    const notJson = await runCli(['analyze', '--state', badState, '--inventory', inSync]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('broken.tfstate');
  });
});

describe('usage errors and an unreachable gateway', () => {
  it.each([
    [['discover', '--regions', 'us-east-1'], "required option '--provider <cloud>' not specified"],
    [['discover', '--provider', 'oracle', '--regions', 'x'], "argument 'oracle' is invalid"],
    [
      ['discover', '--provider', 'aws', '--regions', 'x', '--shard-size', '0'],
      'expects a whole number from 1 to 100000',
    ],
    [['drift', '--kind', 'weird'], "argument 'weird' is invalid"],
    [['frobnicate'], "unknown command 'frobnicate'"],
    [['analyze', '--inventory', 'x.json'], "required option '--state <files...>' not specified"],
  ])('driftmgr %j exits 2 with commander’s message', async (args, message) => {
    const run = await runCli(args, { DRIFTMGR_TOKEN: 't' });
    expect(run.stderr).toContain(message);
    expect(run.code).toBe(2);
  });

  it('exits 2 when no token is configured, before calling anything', async () => {
    const run = await runCli(['jobs']);
    expect(run).toMatchObject({ code: 2, stderr: 'error: no API token: set DRIFTMGR_TOKEN or pass --token\n' });
  });

  it('exits 1 with a clear message when nothing listens at the gateway URL', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await runCli(['jobs'], { DRIFTMGR_URL: url, DRIFTMGR_TOKEN: 't' });
    expect(run.stderr).toBe(`error: cannot reach the gateway at ${url}: ECONNREFUSED\n`);
    expect(run.code).toBe(1);
    const flagWins = await runCli(['--url', url, 'jobs', '--token', 't'], { DRIFTMGR_URL: 'http://127.0.0.1:9' });
    expect(flagWins.stderr).toContain(`cannot reach the gateway at ${url}`);
  });
});
