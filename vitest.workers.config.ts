import { fileURLToPath } from 'node:url';
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineProject } from 'vitest/config';
import { hyperdriveLocalUrl } from './scripts/pg-local-url.js';
import { freshDatabase } from './scripts/pg-migrate.js';
import { reserveStsEndpoint } from './test/support/sts-emulator.js';

/**
 * pg requires pg-cloudflare, whose package maps the Workers socket only under the `workerd`
 * condition, which the test runner's require() does not pass: point at it. The root config
 * repeats this, since a run of all projects resolves through it.
 */
export const workerdAliases = {
  'pg-cloudflare': fileURLToPath(new URL('./node_modules/pg-cloudflare/dist/index.js', import.meta.url)),
};

// Worker, Durable Object and queue code runs inside workerd with the real bindings from
// wrangler.toml; short lease and retry times keep expiry tests fast.
export default defineProject(async () => {
  const migrations = await readD1Migrations('schema/migrations/d1');
  // The storage suite's Postgres half: a fresh, migrated database behind the HYPERDRIVE binding.
  const pgUrl = process.env.DRIFTMGR_TEST_PG_URL;
  if (pgUrl) {
    await freshDatabase(pgUrl);
    // Hyperdrive's documented local override; wrangler reads it with the config below.
    process.env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE = hyperdriveLocalUrl(pgUrl);
  } else if (process.env.CI === 'true') throw new Error('CI=true but DRIFTMGR_TEST_PG_URL is not set');
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            DRIFTMGR_ADMIN_TOKEN: 'test-admin-token',
            // Set here so a developer's .dev.vars never decides the key tests hash with.
            DRIFTMGR_HASH_KEY: 'test-hash-key',
            LEASE_TTL_SECONDS: '30',
            RETRY_BASE_SECONDS: '0',
            // Not the default (600), so the job-ending tests show the coordinator reads it.
            CHUNK_WRITE_TIMEOUT_SECONDS: '90',
            // Small parts, so tests of analyses over a few hundred resources run them in several.
            ANALYSIS_PART_LIMIT: '150',
            // The emulator's STS, served by the globalSetup below, checks agents' proofs of account.
            AWS_STS_ENDPOINT: await reserveStsEndpoint(),
            // Low, so the streamed-import tests send states of a few MB (streamed-import.test.ts).
            IMPORT_STREAM_THRESHOLD_BYTES: '3000000',
            // One second, doubling: a notification retry test waits seconds, not minutes.
            NOTIFICATION_RETRY_BASE_SECONDS: '1',
            DRIFTMGR_TEST_PG_URL: pgUrl ?? '',
            CI: process.env.CI ?? '',
          },
        },
      }),
    ],
    resolve: { alias: workerdAliases },
    test: {
      name: 'workers',
      include: ['gateway-worker/**/*.test.ts', 'orchestrator-do/**/*.test.ts', 'storage/**/*.test.ts'],
      setupFiles: ['./test/support/worker/setup.ts'],
      // A webhook receiver on 127.0.0.1 the notification tests deliver to over real HTTP, and the
      // emulator's STS the agent-proof tests check against.
      globalSetup: ['./test/support/webhook-receiver-setup.ts', './test/support/sts-emulator.ts'],
      // The gateway logs a JSON line per request: show a test's console only when it fails.
      silent: 'passed-only',
    },
  };
});
