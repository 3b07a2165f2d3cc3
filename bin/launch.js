// Starts a bin's compiled entry in dist/. Only Node built-ins are imported here, so an
// unsupported Node is told so in one line instead of crashing inside a dependency.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../', import.meta.url);
const EXIT_FAILED = 1;

/** package.json's engines.node, a `>=X.Y.Z` range. */
function requiredNode() {
  const range = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')).engines.node;
  const minimum = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range);
  if (!minimum) throw new Error(`package.json engines.node must read ">=X.Y.Z", not "${range}"`);
  return { range, minimum: minimum.slice(1).map(Number) };
}

function isAtLeast(version, minimum) {
  const parts = version.split('.').map(Number);
  for (let i = 0; i < minimum.length; i += 1) {
    if (parts[i] !== minimum[i]) return parts[i] > minimum[i];
  }
  return true;
}

/**
 * Replaces this process (same pid, so signals and supervisors still reach it) with one whose
 * command line adds the V8 flags that neither the command line nor NODE_OPTIONS set already.
 * Where Node cannot exec (Windows), the bin runs without them.
 */
function execWithV8Flags(flags) {
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].map(flagName);
  const missing = flags.filter((flag) => !given.includes(flagName(flag)));
  if (missing.length === 0 || typeof process.execve !== 'function') return;
  try {
    process.execve(
      process.execPath,
      [process.execPath, ...missing, ...process.execArgv, ...process.argv.slice(1)],
      process.env,
    );
  } catch {
    // exec is unavailable here: run on with Node's default heap settings
  }
}

/** `--max-semi-space-size=4` and `--max_semi_space_size 4` name the same V8 flag. */
function flagName(arg) {
  return arg.split('=')[0].replaceAll('_', '-');
}

function fail(bin, message) {
  process.stderr.write(`${bin}: ${message}\n`);
  process.exit(EXIT_FAILED);
}

/**
 * Runs dist/<entry>.js, under `v8Flags` unless the caller's node flags set them. In a checkout (scripts/build.ts present) dist/ is first rebuilt when
 * missing or older than the sources, so `npm start`, tests and `npx` from a clone always run
 * the current code compiled; an installed copy (the container image) only runs what it has.
 */
export async function launch(bin, entry, v8Flags = []) {
  const node = requiredNode();
  if (!isAtLeast(process.versions.node, node.minimum)) {
    fail(bin, `needs Node.js ${node.range} (package.json engines); this is Node.js ${process.version}`);
  }
  execWithV8Flags(v8Flags);
  const buildScript = new URL('scripts/build.ts', ROOT);
  if (existsSync(buildScript)) {
    const { ensureBuilt } = await import(buildScript.href);
    await ensureBuilt().catch((err) =>
      fail(bin, `cannot compile dist/ (${err.message.split('\n')[0]}); run "npm ci", then "npm run build"`),
    );
  }
  const compiled = new URL(`dist/${entry}.js`, ROOT);
  if (!existsSync(compiled))
    fail(bin, `${fileURLToPath(compiled)} is missing; run "npm run build" in ${fileURLToPath(ROOT)}`);
  await import(compiled.href);
}
