/**
 * The URL of a local Postgres as the Hyperdrive binding takes it. Miniflare refuses a connection
 * string without a password, while a local server with trust authentication (the Debian default
 * on 127.0.0.1 for CI and dev) ignores whatever password is sent, so a placeholder is added.
 */
export function hyperdriveLocalUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password === '') parsed.password = 'local';
  return parsed.toString();
}
