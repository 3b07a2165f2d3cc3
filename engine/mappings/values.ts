import { isRecord } from '../util/json.js';

/** Lenient readers for cloud API and Terraform values, shared by the structural converters. */

export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);
export const str = (v: unknown): string | undefined =>
  v === undefined || v === null || v === '' ? undefined : String(v);
export const records = (v: unknown): Record<string, unknown>[] => list(v).filter(isRecord);

const PROTOCOL_NAMES: Record<string, string> = {
  '-1': 'all',
  all: 'all',
  '*': 'all',
  '6': 'tcp',
  '17': 'udp',
  '1': 'icmp',
  '58': 'icmpv6',
};

/** IP protocol by name: numbers (EC2 NACLs speak only numbers) and wildcards become `tcp`, `all`, … */
export const protocolName = (p: unknown): string => {
  const s = String(p ?? 'all').toLowerCase();
  return PROTOCOL_NAMES[s] ?? s;
};
