import { StateParseError } from './errors.js';

const UTF8_BOM = '\uFEFF';

/** Byte-order marks Terraform never writes but editors do; UTF-8's is dropped, the others refused. */
const FOREIGN_BOMS: { bytes: number[]; encoding: string }[] = [
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'UTF-32' },
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'UTF-32' },
  { bytes: [0xfe, 0xff], encoding: 'UTF-16' },
  { bytes: [0xff, 0xfe], encoding: 'UTF-16' },
];

function foreignEncoding(bytes: Uint8Array): string | undefined {
  const bom = FOREIGN_BOMS.find((b) => b.bytes.every((byte, i) => bytes[i] === byte));
  if (bom) return bom.encoding;
  // JSON starts with an ASCII character; UTF-16 without a mark puts a zero byte next to it.
  if (bytes.length >= 2 && (bytes[0] === 0 || bytes[1] === 0)) return 'UTF-16';
  return undefined;
}

/** Refuses a file that starts as UTF-16 or UTF-32 text, naming the encoding; a streamed read checks its first bytes. */
export function refuseForeignEncoding(bytes: Uint8Array, source: string): void {
  const encoding = foreignEncoding(bytes);
  if (encoding)
    throw new StateParseError('encoding', `the file is ${encoding} text; save it as UTF-8 and import it again`, source);
}

/**
 * A state file's bytes as text, the way Terraform reads it: UTF-8, with a leading byte-order
 * mark tolerated. Anything else is refused with the cause named (empty file, other encoding).
 */
export function decodeStateText(input: Uint8Array | string, source: string): string {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    refuseForeignEncoding(input, source);
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(input);
    } catch {
      throw new StateParseError('encoding', 'the file is not UTF-8 text; Terraform states are UTF-8 JSON', source);
    }
  }
  if (text.startsWith(UTF8_BOM)) text = text.slice(1);
  if (text.trim() === '') throw new StateParseError('empty', 'the file is empty', source);
  return text;
}
