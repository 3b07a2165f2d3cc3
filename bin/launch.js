// Starts a bin's compiled entry in dist/. Only Node built-ins are imported here, so an
// unsupported Node is told so in one line instead of crashing inside a dependency.
import { existsSync, readFileSync, statSync } from 'node:fs';
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
 * False when dist/ was built after the last change to every source it was built from. Only
 * then is scripts/build.ts (whose content hash decides) not loaded: loading TypeScript costs
 * the agent some 15 MB for Node's type stripper.
 */
function mayBeStale() {
  const stamp = new URL('dist/.build.json', ROOT);
  try {
    const builtAt = statSync(stamp).mtimeMs;
    const { inputs } = JSON.parse(readFileSync(stamp, 'utf8'));
    return inputs.some((input) => statSync(new URL(input, ROOT)).mtimeMs > builtAt);
  } catch {
    return true;
  }
}

function fail(bin, message) {
  process.stderr.write(`${bin}: ${message}\n`);
  process.exit(EXIT_FAILED);
}

/**
 * Runs dist/<entry>.js. In a checkout (scripts/build.ts present) dist/ is first rebuilt when
 * missing or built from other sources than there are now, so `npm start`, tests and `npx` from
 * a clone always run the current code compiled; an installed copy (the container image) only
 * runs what it has.
 */
export async function launch(bin, entry) {
  const node = requiredNode();
  if (!isAtLeast(process.versions.node, node.minimum)) {
    fail(bin, `needs Node.js ${node.range} (package.json engines); this is Node.js ${process.version}`);
  }
  const buildScript = new URL('scripts/build.ts', ROOT);
  if (existsSync(buildScript) && mayBeStale()) {
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
