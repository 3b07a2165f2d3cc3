/** CIDR and IP address normalisation: `10.0.0.1` → `10.0.0.1/32`, IPv6 compressed and lowercased. */

const IPV6_GROUP = /^[0-9a-f]{1,4}$/;

/** The eight groups of an IPv6 address, or undefined when it is not one (e.g. two `::` or a 5-digit group). */
function expandIpv6(address: string): number[] | undefined {
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const parse = (part: string | undefined) => (part ? part.split(':') : []);
  const left = parse(halves[0]);
  const right = parse(halves[1]);
  if (![...left, ...right].every((group) => IPV6_GROUP.test(group))) return undefined;
  const fill = halves.length === 2 ? 8 - left.length - right.length : 0;
  if (fill < 0 || (halves.length === 2 && fill === 0) || left.length + fill + right.length !== 8) return undefined;
  return [...left, ...new Array<string>(fill).fill('0'), ...right].map((group) => parseInt(group, 16));
}

function compressIpv6(groups: number[]): string {
  let bestStart = -1,
    bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Canonical text of an IP or CIDR; strings that are neither come back unchanged. */
export function canonicalCidr(value: string): string {
  const text = value.trim().toLowerCase();
  const [address = '', prefix] = text.split('/');
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(address)) {
    const ip = address
      .split('.')
      .map((o) => String(Number(o)))
      .join('.');
    return `${ip}/${prefix ?? '32'}`;
  }
  if (address.includes(':')) {
    const groups = expandIpv6(address);
    if (!groups) return text;
    return `${compressIpv6(groups)}/${prefix ?? '128'}`;
  }
  return value;
}
