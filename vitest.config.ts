import { defineConfig } from 'vitest/config';

// Node-side code runs in Node; Worker and Durable Object code runs inside workerd.
export default defineConfig({
  test: {
    projects: ['./vitest.node.config.ts', './vitest.workers.config.ts'],
  },
});
