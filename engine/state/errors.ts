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
