/** What a text/event-stream carries: an event, or a comment (a server's keepalive). */
export type SseMessage =
  | {
      kind: 'event';
      event: string;
      data: string /** The last event id the stream set, as a reconnect sends it. */;
      id: string;
    }
  | { kind: 'comment'; text: string };

const LINE_END = /\r\n|\r|\n/;

/**
 * The messages of a Server-Sent Events body as they arrive, by the WHATWG parsing rules:
 * `field: value` lines, a blank line ends an event, a line starting with `:` is a comment.
 * Plain web streams, so the CLI and the Worker tests read streams the same way.
 */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const lines = new EventLines();
  const decoder = new TextDecoder();
  let pending = '';
  let afterCr = false;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    let text = decoder.decode(chunk, { stream: true });
    // A \r ending the last chunk ended its line; a \n opening this one is the rest of that \r\n.
    if (afterCr && text.startsWith('\n')) text = text.slice(1);
    if (text !== '') afterCr = text.endsWith('\r');
    const parts = (pending + text).split(LINE_END);
    pending = parts.pop() ?? '';
    for (const line of parts) {
      const message = lines.push(line);
      if (message) yield message;
    }
  }
}

/** The event being assembled from its lines. */
class EventLines {
  private event = '';
  private data: string[] = [];
  private id = '';

  push(line: string): SseMessage | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return { kind: 'comment', text: line.slice(1).trimStart() };
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    return undefined;
  }

  private dispatch(): SseMessage | undefined {
    const message: SseMessage | undefined =
      this.data.length === 0
        ? undefined
        : { kind: 'event', event: this.event || 'message', data: this.data.join('\n'), id: this.id };
    this.event = '';
    this.data = [];
    return message;
  }
}
