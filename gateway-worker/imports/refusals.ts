import { ErrorCode } from '../../contract/errors.js';
import type { StoredState } from '../../contract/states.js';
import { StateParseError } from '../../engine/index.js';
import { RowTooLargeError } from '../../storage/json-rows.js';
import { ApiError } from '../errors.js';

/**
 * A state Terraform would not load, as the API refuses it: 400 for what is not readable JSON
 * (empty, another encoding, a syntax error), 422 for JSON that is not a state.
 */
export function stateRefusal(err: StateParseError): ApiError {
  const unreadable = err.code === 'not_json' || err.code === 'empty' || err.code === 'encoding';
  return new ApiError(
    unreadable ? 400 : 422,
    unreadable ? ErrorCode.badRequest : ErrorCode.unprocessable,
    err.message,
    {
      source: err.source,
      reason: err.code,
    },
  );
}

/** Why an import is refused, as an API error; undefined for a failure of the system rather than of the input. */
export function refusalOf(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  if (err instanceof StateParseError) return stateRefusal(err);
  if (err instanceof RowTooLargeError) return new ApiError(413, ErrorCode.payloadTooLarge, err.message);
  return undefined;
}

/** What a replacement is judged on: the incoming state's name and lineage. */
export interface IncomingState {
  source: string;
  lineage?: string;
  serial?: number;
}

/**
 * A state replaces the active one of its name only as a later serial of the same lineage (an
 * unknown lineage on either side cannot be compared and is let through); anything else would
 * silently swap one estate's state for another's, so it needs `replace=true`.
 */
export function replacementConflict(next: IncomingState, active: StoredState | undefined): string | undefined {
  if (!active) return undefined;
  if (next.lineage && active.lineage && next.lineage !== active.lineage) {
    return (
      `${next.source}: the active state of this name has lineage ${active.lineage}, this one ${next.lineage}; ` +
      'pass replace=true to replace it, or import it under another name'
    );
  }
  if (next.serial !== undefined && active.serial !== null && next.serial < active.serial) {
    return `${next.source}: serial ${next.serial} is older than the active state's ${active.serial}; pass replace=true to import it anyway`;
  }
  return undefined;
}

/** Refuses the states that may not replace the active ones of their names (409), unless `replace`. */
export function refuseConflicts(
  incoming: readonly IncomingState[],
  active: ReadonlyMap<string, StoredState>,
  replace: boolean,
): void {
  if (replace) return;
  const conflicts = incoming.flatMap((s) => replacementConflict(s, active.get(s.source)) ?? []);
  if (conflicts.length > 0) throw new ApiError(409, ErrorCode.stateConflict, conflicts.join('; '));
}

/** The active states of a workspace by name. */
export function activeByName(states: readonly StoredState[], workspace: string): Map<string, StoredState> {
  return new Map(states.filter((s) => s.workspace === workspace).map((s) => [s.name, s]));
}
