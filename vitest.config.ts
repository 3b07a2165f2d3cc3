import { defineConfig } from 'vitest/config';
import { workerdAliases } from './vitest.workers.config.js';

// Node-side code runs in Node; Worker and Durable Object code runs inside workerd.
export default defineConfig({
  resolve: { alias: workerdAliases },
  test: {
    projects: ['./vitest.node.config.ts', './vitest.workers.config.ts'],
  },
});
