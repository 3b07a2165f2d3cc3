const encoder = new TextEncoder();

export const jsonBytes = (value: unknown): number => encoder.encode(JSON.stringify(value)).byteLength;

/**
 * Groups items so each group's JSON stays under `maxBytes` — the shape every size-limited
 * write here needs (queue messages, D1 statements carrying rows as one JSON parameter).
 * An item larger than the limit on its own is passed to `onOversize`, which should throw.
 */
export function chunkByJsonSize<T>(
  items: readonly T[],
  maxBytes: number,
  onOversize: (item: T, bytes: number) => never,
  maxItems = Number.POSITIVE_INFINITY,
): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let size = 2;
  for (const item of items) {
    const bytes = jsonBytes(item) + 1;
    if (bytes > maxBytes) onOversize(item, bytes);
    if ((size + bytes > maxBytes && current.length > 0) || current.length === maxItems) {
      groups.push(current);
      current = [];
      size = 2;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
