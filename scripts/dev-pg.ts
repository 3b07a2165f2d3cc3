import { ensureAdminToken, startWranglerDev } from './local-stack.js';
import { hyperdriveLocalUrl } from './pg-local-url.js';
import { migratePostgres } from './pg-migrate.js';

// `npm run dev:pg [-- wrangler flags]`: `npm run dev` with the store on Postgres through the
// HYPERDRIVE binding's local connection string, the Postgres migrations applied first.
const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

const pgUrl = process.env.DRIFTMGR_PG_URL ?? DEFAULT_PG_URL;
const shown = new URL(pgUrl);
shown.password = shown.password ? '***' : '';
ensureAdminToken();
const applied = await migratePostgres(pgUrl);
console.error(`postgres ${shown}: ${applied.length ? `applied ${applied.join(', ')}` : 'schema up to date'}`);
process.env.CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE = hyperdriveLocalUrl(pgUrl);
const dev = startWranglerDev(['--var', 'DRIFTMGR_STORAGE:postgres', ...process.argv.slice(2)]);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code) => process.exit(code ?? 0));
