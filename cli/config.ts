import { usageError } from './errors.js';

export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8787';

/** The `--url` / `--token` options every gateway command inherits from the program. */
export interface GlobalOptions {
  url?: string;
  token?: string;
}

export interface GatewayConfig {
  url: string;
  token: string;
}

/** Flags win over DRIFTMGR_URL / DRIFTMGR_TOKEN; the URL defaults to a local `npm run dev`. */
export function resolveGatewayConfig(flags: GlobalOptions, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const url = flags.url ?? (env.DRIFTMGR_URL || DEFAULT_GATEWAY_URL);
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
    throw usageError(`--url: ${url} is not an http(s) URL`);
  }
  const token = flags.token ?? env.DRIFTMGR_TOKEN;
  if (!token) throw usageError('no API token: set DRIFTMGR_TOKEN or pass --token');
  return { url: url.replace(/\/+$/, ''), token };
}
