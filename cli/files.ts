import { glob, stat } from 'node:fs/promises';
import { usageError } from './errors.js';

/**
 * Expands file arguments: each may be a path or a glob, and each must name at least one
 * file (a typo'd pattern silently importing nothing would hide a missing state).
 */
export async function expandFileArgs(patterns: readonly string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const pattern of patterns) {
    const matches = await filesMatching(pattern);
    if (matches.length === 0) throw usageError(`${pattern}: no file matches`);
    for (const file of matches.sort()) files.add(file);
  }
  return [...files];
}

async function filesMatching(pattern: string): Promise<string[]> {
  const matches: string[] = [];
  for await (const path of glob(pattern)) {
    if ((await stat(path)).isFile()) matches.push(path);
  }
  return matches;
}
