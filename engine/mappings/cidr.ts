/** CIDR and IP address normalisation: `10.0.0.1` → `10.0.0.1/32`, IPv6 compressed and lowercased. */

function expandIpv6(address: string): number[] | undefined {
  const [head, tail] = address.split('::');
  const parse = (part: string | undefined) => (part ? part.split(':').map((h) => parseInt(h, 16)) : []);
  const left = parse(head),
    right = parse(tail);
  if (address.includes('::')) {
    const fill = 8 - left.length - right.length;
    if (fill < 0) return undefined;
    return [...left, ...new Array<number>(fill).fill(0), ...right];
  }
  return left.length === 8 ? left : undefined;
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
    if (!groups || groups.some((g) => Number.isNaN(g))) return text;
    return `${compressIpv6(groups)}/${prefix ?? '128'}`;
  }
  return value;
}
