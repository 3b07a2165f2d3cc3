import type { Rng } from './types.js';

/**
 * Seeded randomness for the emulator's estates. Everything an estate contains is drawn from
 * an Rng made here, so a seed and a size always give byte-identical estates.
 */

/** FNV-1a over a string: turns (seed, label) into a 32-bit seed for an independent stream. */
function hashToSeed(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** mulberry32: tiny, fast, and good enough for test data (not for anything secret). */
export function createRng(seed: number): Rng {
  let state = hashToSeed(String(seed));
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An Rng for one named part of the estate (a cloud, the account ids, …). Forks are
 * independent of each other, so one cloud's generator changing how many numbers it draws
 * never shifts another cloud's estate.
 */
export function forkRng(seed: number, label: string): Rng {
  return createRng(hashToSeed(`${seed}/${label}`));
}

/** An integer in [min, max], both ends included. */
export function int(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

/** One element of a non-empty list. */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  if (items.length === 0) throw new Error('pick() needs a non-empty list');
  return items[Math.floor(rng() * items.length)] as T;
}

/** True with probability p. */
export function chance(rng: Rng, p: number): boolean {
  return rng() < p;
}

const HEX = '0123456789abcdef';

/** n lowercase hex characters, e.g. the 17 after `i-` in an EC2 instance id. */
export function hex(rng: Rng, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += HEX[Math.floor(rng() * 16)];
  return out;
}

/** n decimal digits, the first one non-zero (AWS account ids are 12 of them). */
export function digits(rng: Rng, n: number): string {
  let out = String(int(rng, 1, 9));
  for (let i = 1; i < n; i++) out += String(int(rng, 0, 9));
  return out;
}

/** A version-4-shaped GUID (Azure subscription, tenant and object ids). */
export function uuid(rng: Rng): string {
  const variant = HEX[8 + Math.floor(rng() * 4)];
  return `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-${variant}${hex(rng, 3)}-${hex(rng, 12)}`;
}
