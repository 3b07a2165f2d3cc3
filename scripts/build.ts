import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run build`: compiles the bins' TypeScript entry points to JavaScript in dist/, so an
 * installed agent runs plain JavaScript (no compiler loaded at run time). The project's own
 * modules are bundled; npm packages stay imports of node_modules. Lazily imported modules (each
 * cloud's provider) become their own chunks, so an agent still loads only its cloud's SDK.
 *
 * Node runs this file itself (type stripping), without tsx: the bins import it to rebuild dist/
 * in a checkout whose sources changed. It may import only Node built-ins and esbuild.
 */

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const DIST = join(ROOT, 'dist');
/** What the last build read and a hash of it: the bins rebuild when the hash no longer matches. */
const STAMP = join(DIST, '.build.json');

/** Each bin's TypeScript entry, relative to the root; it compiles to dist/<entry>.js. */
export const ENTRIES = ['agents/cli', 'cli/main', 'emulator/cli'] as const;

interface Stamp {
  hash: string;
  inputs: string[];
}

/**
 * Builds dist/ when it is missing or any source the last build read has changed since. When
 * sources were only touched, the stamp is touched too, so the bins' check of modification
 * times passes again without loading this file.
 */
export async function ensureBuilt(): Promise<void> {
  if (!isFresh()) await build({ clean: false });
  else utimesSync(STAMP, new Date(), new Date());
}

/**
 * Compiles every entry. Files are written under a temporary name and renamed, so bins starting
 * at the same moment (each rebuilding) never load a half-written file. `clean` empties dist/
 * first, dropping chunks of earlier builds; bins that rebuild in passing leave them, since an
 * agent that is already running may still import one.
 */
export async function build({ clean }: { clean: boolean }): Promise<void> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES.map((entry) => `${entry}.ts`),
    outdir: DIST,
    outbase: '.',
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node22',
    metafile: true,
    write: false,
    logLevel: 'error',
  });
  if (clean) rmSync(DIST, { recursive: true, force: true });
  for (const file of result.outputFiles) writeAtomically(file.path, file.contents);
  const inputs = [relative(ROOT, fileURLToPath(import.meta.url)), ...Object.keys(result.metafile.inputs)].sort();
  const stamp: Stamp = { hash: hashOf(inputs), inputs };
  writeAtomically(STAMP, JSON.stringify(stamp));
}

/** True when dist/ was built from exactly the sources there are now. */
export function isFresh(): boolean {
  try {
    const stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as Stamp;
    return stamp.hash === hashOf(stamp.inputs);
  } catch {
    // No stamp, or an input is gone: build again.
    return false;
  }
}

/** A content hash, not modification times: a checkout or copy that touches files costs no rebuild. */
function hashOf(inputs: readonly string[]): string {
  const hash = createHash('sha256');
  for (const input of inputs)
    hash
      .update(input)
      .update('\0')
      .update(readFileSync(join(ROOT, input)))
      .update('\0');
  return hash.digest('hex');
}

function writeAtomically(path: string, contents: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, contents);
  renameSync(temporary, path);
}

if (import.meta.main) {
  await build({ clean: true });
  process.stderr.write(`built ${ENTRIES.map((entry) => `dist/${entry}.js`).join(', ')}\n`);
}
