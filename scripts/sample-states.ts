import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredState } from '../contract/states.js';
import { splitState } from '../emulator/state-split.js';
import type { TerraformStateV4 } from '../emulator/terraform-state.js';
import type { GatewayCall } from './local-stack.js';

/** Where `npm start` writes the sample estate's state files, as a user's checkout would hold them. */
export const STATE_DIR = '.driftmgr/states';

export interface SampleImport {
  gatewayUrl: string;
  token: string;
  call: GatewayCall;
  workspace: string;
  /** The CLI's own output goes here. */
  logFile: string;
  /** Where the state files are written; STATE_DIR unless a benchmark keeps its own. */
  dir?: string;
}

/**
 * A state of no resources in place of each state of the workspace an earlier run imported
 * under a name this run's split does not have (another --resources or --seed), so the
 * analysis reads exactly this run's estate.
 */
async function retireOthers(r: SampleImport, names: ReadonlySet<string>): Promise<number> {
  const { states } = await r.call<{ states: StoredState[] }>('GET', '/api/v1/states');
  const stale = states.filter((s) => s.workspace === r.workspace && !names.has(s.name));
  for (const s of stale) {
    const empty = { version: 4, serial: (s.serial ?? 0) + 1, lineage: s.lineage ?? undefined, resources: [] };
    await r.call(
      'POST',
      `/api/v1/import?workspace=${r.workspace}&name=${encodeURIComponent(s.name)}&replace=true`,
      empty,
    );
  }
  return stale.length;
}

/**
 * The sample estate's state as an organisation keeps it, one file per cloud account,
 * environment and component (emulator/state-split.ts), written to STATE_DIR and imported with
 * `driftmgr import`, as a user would: one request, streamed from disk, read in the background
 * when large. Returns how many files and bytes it imported.
 */
export async function importSampleStates(state: TerraformStateV4, r: SampleImport) {
  const dir = r.dir ?? STATE_DIR;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = splitState(state);
  let bytes = 0;
  for (const f of files) {
    const text = JSON.stringify(f.state, null, 2);
    bytes += Buffer.byteLength(text);
    writeFileSync(join(dir, f.name), text);
  }
  const retired = await retireOthers(r, new Set(files.map((f) => f.name)));
  const cli = spawn(
    process.execPath,
    // --replace: the sample is regenerated on every run, and an earlier run may have retired one of
    // its names with a later serial (retireOthers).
    [
      'bin/driftmgr.js',
      'import',
      join(dir, '*.tfstate'),
      '--workspace',
      r.workspace,
      '--replace',
      '--poll-interval',
      '500',
    ],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        DRIFTMGR_URL: r.gatewayUrl,
        DRIFTMGR_TOKEN: r.token,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const log = createWriteStream(r.logFile);
  cli.stdout.pipe(log);
  let stderr = '';
  cli.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    log.write(d);
  });
  const [code] = (await once(cli, 'close')) as [number | null];
  if (code !== 0) throw new Error(`driftmgr import exited ${code}: ${stderr.trim().split('\n').at(-1)}`);
  return { files: files.length, bytes, retired };
}
