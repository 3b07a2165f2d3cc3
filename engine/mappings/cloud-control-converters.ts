import { isRecord } from '../util/json.js';
import { records } from './values.js';

/**
 * Structural conversions between CloudFormation property documents (what Cloud Control's
 * GetResource returns) and the Terraform AWS provider's attributes.
 */

/** DynamoDB's key schema `[{AttributeName, KeyType}]` → the attribute of one key type. */
const keyOfType = (keyType: string) => (v: unknown) =>
  records(v).find((k) => k.KeyType === keyType)?.AttributeName ?? undefined;

export const CLOUD_CONTROL_CONVERTERS = {
  /**
   * A map's keys, sorted: Lambda environment variables are compared by name only, since their
   * values may be secrets the agent never keeps.
   */
  'map-keys': (v: unknown) => (isRecord(v) ? Object.keys(v).sort() : v),
  /** Keys back to a map with empty values, as the state writer stores variables it only knows by name. */
  'keys-to-map': (v: unknown) => (Array.isArray(v) ? Object.fromEntries(v.map((k) => [String(k), ''])) : v),
  /** ELBv2 `Scheme` → Terraform's `internal` flag. */
  'lb-internal': (v: unknown) => (typeof v === 'string' ? v === 'internal' : v),
  /** A DNS name as Terraform stores a zone's: lower case, without Route 53's trailing dot. */
  'dns-name': (v: unknown) => (typeof v === 'string' ? v.toLowerCase().replace(/\.$/, '') : v),
  'dynamodb-hash-key': keyOfType('HASH'),
  'dynamodb-range-key': keyOfType('RANGE'),
};
