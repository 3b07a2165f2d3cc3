import { defineProject } from 'vitest/config';

// Node-side code: the drift engine, agents, the cloud emulator, the CLI and end-to-end tests.
export default defineProject({
  test: {
    name: 'node',
    environment: 'node',
    include: [
      'contract/**/*.test.ts',
      'engine/**/*.test.ts',
      'agents/**/*.test.ts',
      'emulator/**/*.test.ts',
      'cli/**/*.test.ts',
      'bench/**/*.test.ts',
      'schema/**/*.test.ts',
      'scripts/**/*.test.ts',
      'test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
