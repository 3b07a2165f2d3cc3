import { applyLocalMigrations, ensureAdminToken, startWranglerDev } from './local-stack.js';

// `npm run dev [-- wrangler flags]`: the gateway with its Durable Objects, queues and D1,
// persisted under .wrangler/state so a restart keeps every job.
const passThrough = process.argv.slice(2);
ensureAdminToken();
applyLocalMigrations();
const dev = startWranglerDev(passThrough);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));
