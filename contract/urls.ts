/** Hosts plain http may reach: this machine only (127.0.0.0/8, ::1, localhost). */
function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/**
 * Why a URL DriftMgr sends tokens or signed data to is refused, or undefined when it is fine:
 * https anywhere, plain http only to this machine, where nothing crosses a network in clear.
 */
export function insecureUrlReason(url: string): string | undefined {
  if (!URL.canParse(url)) return 'must be an http(s) URL';
  const { protocol, hostname } = new URL(url);
  if (protocol === 'https:' || (protocol === 'http:' && isLoopback(hostname))) return undefined;
  if (protocol === 'http:')
    return `must be https: plain http is refused except to this machine (127.0.0.0/8, ::1, localhost), got host ${hostname}`;
  return 'must be an http(s) URL';
}
