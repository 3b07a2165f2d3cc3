/**
 * Glob patterns as driftctl's .driftignore uses them: `*` any run of characters (none
 * included), `?` exactly one, `\x` a literal x.
 *
 * Patterns come from users, so matching must not backtrack: the pattern is cut at its stars
 * into segments of characters and `?`s. The first segment must match at the start of the
 * subject, the last at its end, and each one in between is taken at its leftmost place after
 * the one before — always safe, because the star that follows can absorb whatever a later
 * place would have skipped. No position is ever revisited for an earlier segment, so a match
 * costs at most |subject| × |pattern| character comparisons, and for most patterns about
 * |subject|.
 */

/** A segment between stars: a code unit to compare, or null for `?`. */
type Segment = (string | null)[];

export interface GlobOptions {
  ignoreCase?: boolean;
}

/** Counts character comparisons, for tests that check the matcher's cost. */
export interface GlobSteps {
  steps: number;
}

export interface Glob {
  test(subject: string, counter?: GlobSteps): boolean;
}

function segmentsOf(pattern: string): Segment[] {
  const segments: Segment[] = [[]];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    const current = segments[segments.length - 1]!;
    if (c === '\\' && i + 1 < pattern.length) current.push(pattern[++i]!);
    else if (c === '*') segments.push([]);
    else if (c === '?') current.push(null);
    else current.push(c);
  }
  return segments;
}

function matchesAt(segment: Segment, subject: string, at: number, counter: GlobSteps): boolean {
  for (let k = 0; k < segment.length; k++) {
    counter.steps++;
    const want = segment[k];
    if (want !== null && want !== subject[at + k]) return false;
  }
  return true;
}

/** The leftmost place in [from, end) where the segment fits whole, or -1. */
function leftmost(segment: Segment, subject: string, from: number, end: number, counter: GlobSteps): number {
  for (let at = from; at + segment.length <= end; at++) if (matchesAt(segment, subject, at, counter)) return at;
  return -1;
}

function matchSegments(segments: Segment[], subject: string, counter: GlobSteps): boolean {
  const first = segments[0]!;
  if (segments.length === 1) return subject.length === first.length && matchesAt(first, subject, 0, counter);
  const last = segments[segments.length - 1]!;
  const end = subject.length - last.length;
  if (first.length > end || !matchesAt(first, subject, 0, counter) || !matchesAt(last, subject, end, counter))
    return false;
  let position = first.length;
  for (let i = 1; i < segments.length - 1; i++) {
    const segment = segments[i]!;
    const at = leftmost(segment, subject, position, end, counter);
    if (at < 0) return false;
    position = at + segment.length;
  }
  return true;
}

export function compileGlob(pattern: string, options: GlobOptions = {}): Glob {
  // Lower-casing leaves `*`, `?` and `\` alone, so the pattern can be folded before it is cut.
  const fold = options.ignoreCase ? (s: string) => s.toLowerCase() : (s: string) => s;
  const segments = segmentsOf(fold(pattern));
  return { test: (subject, counter = { steps: 0 }) => matchSegments(segments, fold(subject), counter) };
}
