import { MAX_RESOURCE_JSON_DEPTH } from '../../contract/limits.js';

/** Why an input could not be read as a Terraform state; the gateway maps `code` to 400/422. */
export type StateErrorCode =
  | 'empty'
  | 'encoding'
  | 'not_json'
  | 'not_terraform_state'
  | 'unsupported_version'
  | 'invalid_resource';

export class StateParseError extends Error {
  override readonly name = 'StateParseError';
  constructor(
    readonly code: StateErrorCode,
    message: string,
    readonly source: string,
  ) {
    super(`${source}: ${message}`);
  }
}

/** Attributes nested deeper than storage keeps (contract/limits.ts), and than the engine walks. */
export function tooDeep(address: string, source: string): StateParseError {
  return new StateParseError(
    'invalid_resource',
    `${address}: its attributes nest more than ${MAX_RESOURCE_JSON_DEPTH} levels deep; at most ${MAX_RESOURCE_JSON_DEPTH}`,
    source,
  );
}
