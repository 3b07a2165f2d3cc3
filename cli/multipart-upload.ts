import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';

/** A multipart/form-data body read from disk as it is sent: its type, exact length and stream. */
export interface StreamedForm {
  contentType: string;
  length: number;
  body: ReadableStream<Uint8Array>;
}

const encoder = new TextEncoder();

/** A file name as a quoted form parameter: quotes and line breaks percent-encoded, as browsers do. */
const quoted = (name: string) => name.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/**
 * Every file as a `file` field named by its base name, streamed from disk a chunk at a time:
 * however large the files, none is ever read whole. The length is exact, so the gateway can
 * tell a small import (answered at once) from a large one (kept and read in the background).
 */
export async function streamedStateForm(files: readonly string[]): Promise<StreamedForm> {
  const boundary = `driftmgr-${crypto.randomUUID()}`;
  const heads = files.map((file) =>
    encoder.encode(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted(basename(file))}"\r\n` +
        'Content-Type: application/json\r\n\r\n',
    ),
  );
  const lineEnd = encoder.encode('\r\n');
  const closing = encoder.encode(`--${boundary}--\r\n`);
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  const length = heads.reduce((n, head, i) => n + head.length + sizes[i]! + lineEnd.length, 0) + closing.length;
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (const [i, file] of files.entries()) {
      yield heads[i]!;
      for await (const chunk of createReadStream(file)) yield chunk as Uint8Array;
      yield lineEnd;
    }
    yield closing;
  }
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    length,
    body: ReadableStream.from(chunks()),
  };
}
