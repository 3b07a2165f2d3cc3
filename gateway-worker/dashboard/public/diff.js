// @ts-check
/** Which lines of two texts differ: those a longest common subsequence of their lines leaves out. */

/** Above this many line pairs, every line counts as changed rather than spending time on a table. */
const MAX_PAIRS = 250_000;

/**
 * @param {string[]} before
 * @param {string[]} after
 * @returns {{ removed: boolean[], added: boolean[] }} per line of each side, whether it is not shared
 */
export function changedLines(before, after) {
  const n = before.length;
  const m = after.length;
  if (n * m > MAX_PAIRS) return { removed: before.map(() => true), added: after.map(() => true) };
  // common[i * (m + 1) + j]: length of the longest common subsequence of before[i..] and after[j..].
  const common = new Uint32Array((n + 1) * (m + 1));
  /** @type {(i: number, j: number) => number} */
  const at = (i, j) => common[i * (m + 1) + j] ?? 0;
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i * (m + 1) + j] = before[i] === after[j] ? at(i + 1, j + 1) + 1 : Math.max(at(i + 1, j), at(i, j + 1));
    }
  }
  const removed = before.map(() => true);
  const added = after.map(() => true);
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (before[i] === after[j]) {
      removed[i++] = false;
      added[j++] = false;
    } else if (at(i + 1, j) >= at(i, j + 1)) i++;
    else j++;
  }
  return { removed, added };
}
