import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin';
import { defineProject } from 'vitest/config';

// Worker, Durable Object and queue code runs inside workerd with the real bindings from
// wrangler.toml; short lease and retry times keep expiry tests fast.
export default defineProject(async () => {
  const migrations = await readD1Migrations('schema/migrations/d1');
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: './wrangler.toml' },
        miniflare: {
          bindings: {
            TEST_MIGRATIONS: migrations,
            DRIFTMGR_ADMIN_TOKEN: 'test-admin-token',
            LEASE_TTL_SECONDS: '30',
            RETRY_BASE_SECONDS: '0',
          },
        },
      }),
    ],
    test: {
      name: 'workers',
      include: ['gateway-worker/**/*.test.ts', 'orchestrator-do/**/*.test.ts'],
      setupFiles: ['./gateway-worker/test-setup.ts'],
    },
  };
});
