import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './schema/pg.ts',
  out: './schema/migrations/pg',
});
