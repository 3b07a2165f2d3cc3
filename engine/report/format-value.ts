import { isDigestedValue } from '../state/types.js';

/** One-line text of a canonical value for human-facing reports (lists of rules stay readable). */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '(unset)';
  if (typeof value === 'string') return value;
  if (Array.isArray(value))
    return value.length === 0 ? '[]' : value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('; ');
  if (typeof value === 'object' && '$sensitive' in (value as object)) return '(sensitive value)';
  if (isDigestedValue(value)) return `(${value.bytes} bytes, compared by digest)`;
  return JSON.stringify(value);
}

export function formatUsd(n: number): string {
  const sign = n > 0 ? '+' : n < 0 ? '−' : '';
  return `${sign}$${Math.abs(n).toFixed(2)}`;
}
