import { describe, expect, it } from 'vitest';
import { readSse, type SseMessage } from './sse.js';

/** A body delivering `chunks` as they are, so a line end may fall across two of them. */
function body(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function all(stream: ReadableStream<Uint8Array>): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  for await (const m of readSse(stream)) messages.push(m);
  return messages;
}

describe('readSse', () => {
  it('reads events, comments and ids, however the chunks split them', async () => {
    const text = ': keepalive\n\nevent: job\nid: 7\ndata: {"a":1}\n\nevent: shard\ndata: x\n\n';
    const expected: SseMessage[] = [
      { kind: 'comment', text: 'keepalive' },
      { kind: 'event', event: 'job', id: '7', data: '{"a":1}' },
      // An event without an id keeps the last one set, as a reconnect would send it.
      { kind: 'event', event: 'shard', id: '7', data: 'x' },
    ];
    expect(await all(body(text))).toEqual(expected);
    for (let cut = 1; cut < text.length; cut++) {
      expect(await all(body(text.slice(0, cut), text.slice(cut)))).toEqual(expected);
    }
  });

  it('takes \\r\\n and \\r as line ends, even with a \\r\\n split across chunks', async () => {
    expect(await all(body('data: a\r', '\n\r', '\ndata: b\r\r'))).toEqual([
      { kind: 'event', event: 'message', id: '', data: 'a' },
      { kind: 'event', event: 'message', id: '', data: 'b' },
    ]);
  });

  it('joins data lines with \\n, skips events without data, and drops an event the stream cut short', async () => {
    expect(await all(body('event: job\n\ndata: one\ndata:two\n\ndata: cut'))).toEqual([
      { kind: 'event', event: 'message', id: '', data: 'one\ntwo' },
    ]);
  });
});
