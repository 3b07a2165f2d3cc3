import Tokenizer, { TokenizerError } from '@streamparser/json/tokenizer.js';
import TokenParser, { TokenParserError } from '@streamparser/json/tokenparser.js';
import type { ParsedElementInfo } from '@streamparser/json/utils/types/parsedElementInfo.js';
import TokenType from '@streamparser/json/utils/types/tokenType.js';
import {
  readStateHeader,
  refuseForeignEncoding,
  type SensitiveKey,
  type StateHeader,
  type StateInstance,
  StateParseError,
  StateReader,
  type StateReadReport,
} from '../../engine/index.js';

/**
 * Each entry of `resources` (v4) or `modules` (v3), each output, and the header's scalars:
 * entries are handed over and dropped from the parser one at a time, so memory holds one
 * resource, never the document.
 */
const PATHS = ['$.*.*', '$.version', '$.terraform_version', '$.serial', '$.lineage', '$.format'];
const HEADER_KEYS = new Set(['version', 'terraform_version', 'serial', 'lineage', 'format']);

/** Instances handed to the sink at a time. */
const BATCH = 1000;

/** What reading a streamed state found besides its instances. */
export interface StreamedState {
  header: StateHeader;
  report: StateReadReport;
}

export interface StreamReading {
  source: string;
  key: SensitiveKey;
  /** Opens the document from its start; called again when its version comes after its resources. */
  open: () => Promise<ReadableStream<Uint8Array>>;
  /** Called once, before the first entry, with the top-level scalars seen so far (to refuse early). */
  beforeEntries: (top: Record<string, unknown>) => void;
  /** Takes the next instances, in state order. */
  sink: (batch: StateInstance[]) => Promise<void>;
}

/** The version turned up after the entries: the document is read once more, knowing it. */
class VersionAfterEntries extends Error {}

/**
 * A failure of the tokenizer or parser as the whole-file reader reports it (the decoder's
 * TypeError is bad UTF-8); anything else (a refusal of the caller's, storage) as it is.
 */
function asParseError(err: unknown, source: string): unknown {
  if (err instanceof TypeError)
    return new StateParseError('encoding', 'the file is not UTF-8 text; Terraform states are UTF-8 JSON', source);
  if (err instanceof TokenizerError || err instanceof TokenParserError)
    return new StateParseError('not_json', `not valid JSON (${err.message})`, source);
  return err;
}

/**
 * Reads a Terraform state from a byte stream in bounded memory: the same header checks and
 * per-entry reading (StateReader) as readTerraformState, so the instances and report are those
 * the whole-file read gives. A document Terraform would refuse throws StateParseError.
 */
export async function readStateStream(reading: StreamReading): Promise<StreamedState> {
  try {
    return await readPass(reading, undefined);
  } catch (err) {
    if (!(err instanceof VersionAfterEntries)) throw err;
  }
  return readPass(reading, await versionOf(reading));
}

/** A pass that only looks for the top-level `version`. */
async function versionOf(reading: StreamReading): Promise<unknown> {
  let version: unknown;
  await tokenize(reading, (info) => {
    if (info.key === 'version' && info.stack.length === 1) version = info.value;
  });
  return version;
}

async function readPass(reading: StreamReading, knownVersion: unknown): Promise<StreamedState> {
  const { source } = reading;
  const reader = new StateReader(source, reading.key, false);
  const top: Record<string, unknown> = knownVersion === undefined ? {} : { version: knownVersion };
  let version: 3 | 4 | undefined;
  let pending: StateInstance[] = [];
  const onEntry = (info: ParsedElementInfo) => {
    const list = info.stack[1]?.key;
    if (list !== 'resources' && list !== 'modules') return;
    if (version === undefined) {
      if (top.version === undefined) throw new VersionAfterEntries();
      version = readStateHeader(top, source).version;
      reading.beforeEntries(top);
    }
    if (list !== (version === 4 ? 'resources' : 'modules')) return;
    if (!Array.isArray(info.parent)) {
      const what = version === 4 ? '"resources" must be a list' : 'a version 3 state needs a "modules" list';
      throw new StateParseError('not_terraform_state', what, source);
    }
    const position = info.key as number;
    pending.push(...(version === 4 ? reader.v4Resource(info.value, position) : reader.v3Module(info.value)));
  };
  const kinds = await tokenize(
    reading,
    (info) => {
      if (info.stack.length > 1) onEntry(info);
      else if (typeof info.key === 'string' && HEADER_KEYS.has(info.key) && !(info.key in top))
        top[info.key] = info.value;
    },
    async () => {
      if (pending.length < BATCH) return;
      const batch = pending;
      pending = [];
      await reading.sink(batch);
    },
  );
  const header = readStateHeader(top, source);
  checkEntryList(kinds, header.version, source);
  if (version === undefined) reading.beforeEntries(top);
  if (pending.length > 0) await reading.sink(pending);
  return { header, report: reader.report() };
}

/** What each top-level member is: the parser keeps none of them, so the tokens tell. */
type TopKinds = Record<string, 'object' | 'list' | 'null' | 'scalar'>;

function kindOf(token: TokenType): TopKinds[string] {
  if (token === TokenType.LEFT_BRACE) return 'object';
  if (token === TokenType.LEFT_BRACKET) return 'list';
  return token === TokenType.NULL ? 'null' : 'scalar';
}

/** Ends the tokenizer; whether the document was whole (no token cut, the root object closed). */
function endsComplete(tokenizer: Tokenizer, parser: TokenParser): boolean {
  try {
    tokenizer.end();
  } catch (err) {
    if (err instanceof StateParseError) throw err;
    return false;
  }
  return parser.isEnded;
}

/** The entry list is a list, or absent in a v4 state, as stateEntries demands of a whole document. */
function checkEntryList(kinds: TopKinds, version: 3 | 4, source: string): void {
  const kind = kinds[version === 4 ? 'resources' : 'modules'];
  if (version === 4 && (kind === undefined || kind === 'null' || kind === 'list')) return;
  if (version === 3 && kind === 'list') return;
  const what = version === 4 ? '"resources" must be a list' : 'a version 3 state needs a "modules" list';
  throw new StateParseError('not_terraform_state', what, source);
}

/**
 * Runs the document through the tokenizer and parser, calling `onValue` for every value PATHS
 * selects and `drain` after each chunk (where the caller may write, so a slow sink slows the
 * read instead of filling memory). Refuses an empty document, one in another encoding, one
 * whose top level is not an object, and JSON that does not parse or ends early.
 */
async function tokenize(
  reading: StreamReading,
  onValue: (info: ParsedElementInfo) => void,
  drain: () => Promise<void> = async () => {},
): Promise<TopKinds> {
  const { source } = reading;
  const tokenizer = new Tokenizer();
  const parser = new TokenParser({ paths: PATHS, keepStack: false });
  const kinds: TopKinds = {};
  let tokens = 0;
  let depth = 0;
  let key: string | undefined;
  let valueNext = false;
  tokenizer.onToken = (info) => {
    const { token } = info;
    if (tokens++ === 0 && token !== TokenType.LEFT_BRACE)
      throw new StateParseError('not_terraform_state', 'expected a JSON object with "version" and "resources"', source);
    parser.write(info);
    // The root object's members: a key, a colon, then the token that starts its value.
    if (depth === 1 && token === TokenType.STRING && key === undefined && !valueNext) key = info.value as string;
    else if (depth === 1 && token === TokenType.COLON) valueNext = true;
    else if (depth === 1 && valueNext && key !== undefined) {
      kinds[key] = kindOf(token);
      key = undefined;
      valueNext = false;
    }
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) depth++;
    else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) depth--;
  };
  parser.onValue = onValue;
  let first = true;
  const stream = await reading.open();
  try {
    for await (const chunk of stream) {
      if (first) refuseForeignEncoding(chunk, source);
      first = false;
      tokenizer.write(chunk);
      await drain();
    }
    const complete = endsComplete(tokenizer, parser);
    if (tokens === 0) throw new StateParseError('empty', 'the file is empty', source);
    if (!complete)
      throw new StateParseError('not_json', 'not valid JSON (it ends early: the file is truncated)', source);
    return kinds;
  } catch (err) {
    if (err instanceof VersionAfterEntries) {
      await stream.cancel().catch(() => {});
      throw err;
    }
    throw asParseError(err, source);
  }
}
