import { ErrorCode } from '../../contract/errors.js';
import { ApiError } from '../errors.js';

/** One part of a multipart/form-data body; its body must be read to the end before the next part. */
export interface FormPart {
  name: string;
  /** Set (possibly empty) for a file field. */
  filename?: string;
  body: AsyncIterable<Uint8Array>;
}

/** Longest header block of a part read before giving up on the form. */
const MAX_HEADER_BYTES = 16 * 1024;
const CRLF = new Uint8Array([13, 10]);
const HEADERS_END = new Uint8Array([13, 10, 13, 10]);

const malformed = (why: string) => new ApiError(400, ErrorCode.badRequest, `file: the multipart form ${why}`);

/** The boundary of a multipart/form-data content type. */
export function boundaryOf(contentType: string): string {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw malformed('has no boundary in its content type');
  return boundary;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from = 0): number {
  const first = needle[0]!;
  for (let i = haystack.indexOf(first, from); i !== -1 && i + needle.length <= haystack.length; ) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
    i = haystack.indexOf(first, i + 1);
  }
  return -1;
}

/** The unread bytes of a stream, refilled a chunk at a time. */
class Buffered {
  bytes = new Uint8Array(0);
  private ended = false;

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** Reads one more chunk; false at the end of the stream. */
  async more(): Promise<boolean> {
    if (this.ended) return false;
    const { value, done } = await this.reader.read();
    if (done) {
      this.ended = true;
      return false;
    }
    const joined = new Uint8Array(this.bytes.length + value.length);
    joined.set(this.bytes);
    joined.set(value, this.bytes.length);
    this.bytes = joined;
    return true;
  }

  /** Reads until `needle` is buffered; its position. */
  async find(needle: Uint8Array, limit = Number.POSITIVE_INFINITY): Promise<number> {
    for (;;) {
      const at = indexOf(this.bytes, needle);
      if (at !== -1) return at;
      if (this.bytes.length > limit || !(await this.more())) return -1;
    }
  }

  async atLeast(n: number): Promise<boolean> {
    while (this.bytes.length < n) if (!(await this.more())) return false;
    return true;
  }

  take(n: number): Uint8Array {
    const taken = this.bytes.subarray(0, n);
    this.bytes = this.bytes.subarray(n);
    return taken;
  }
}

function dispositionOf(headers: string): { name: string; filename?: string } {
  const line = headers.split('\r\n').find((l) => /^content-disposition:/i.test(l));
  const name = line && /;\s*name="([^"]*)"/i.exec(line)?.[1];
  if (name === undefined) throw malformed('has a part without a content-disposition name');
  const filename = /;\s*filename="([^"]*)"/i.exec(line!)?.[1];
  return filename === undefined ? { name } : { name, filename };
}

/**
 * The parts of a multipart/form-data body as they arrive, never more than one chunk and a
 * part's headers in memory: how a state of any size is taken from `curl -F file=@x.tfstate`.
 */
export async function* formParts(body: ReadableStream<Uint8Array>, boundary: string): AsyncGenerator<FormPart> {
  const encoder = new TextEncoder();
  const opening = encoder.encode(`--${boundary}`);
  const delimiter = encoder.encode(`\r\n--${boundary}`);
  const input = new Buffered(body.getReader());
  const start = await input.find(opening);
  if (start === -1) throw malformed('has no part');
  input.take(start + opening.length);
  for (;;) {
    if (!(await input.atLeast(2))) throw malformed('ends early (truncated)');
    const after = input.take(2);
    if (after[0] === 45 && after[1] === 45) return; // "--": the closing delimiter
    if (after[0] !== CRLF[0] || after[1] !== CRLF[1]) throw malformed('has a malformed boundary line');
    const end = await input.find(HEADERS_END, MAX_HEADER_BYTES);
    if (end === -1) throw malformed('has a part whose headers do not end');
    const disposition = dispositionOf(new TextDecoder().decode(input.take(end)));
    input.take(HEADERS_END.length);
    let done = false;
    const part = partBody(input, delimiter, () => {
      done = true;
    });
    yield { ...disposition, body: part };
    // A part the caller did not read to its end is skipped.
    if (!done) for await (const _ of part);
  }
}

/** A part's bytes up to the next delimiter, which is consumed. */
async function* partBody(input: Buffered, delimiter: Uint8Array, onEnd: () => void): AsyncGenerator<Uint8Array> {
  for (;;) {
    const at = indexOf(input.bytes, delimiter);
    if (at !== -1) {
      if (at > 0) yield input.take(at);
      input.take(delimiter.length);
      onEnd();
      return;
    }
    // Keep what could be the start of a delimiter split across chunks.
    const safe = input.bytes.length - (delimiter.length - 1);
    if (safe > 0) yield input.take(safe);
    if (!(await input.more())) throw malformed('ends inside a part (truncated)');
  }
}
