/** Glob patterns as driftctl's .driftignore uses them: `*` any run of characters, `?` one, `\x` a literal x. */
export function globToRegExp(pattern: string, flags = ''): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) out += escape(pattern[++i]!);
    else if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else out += escape(c);
  }
  return new RegExp(`^${out}$`, flags);
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/]/.test(c) ? `\\${c}` : c;
}
