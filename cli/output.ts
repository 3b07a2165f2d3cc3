import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import Table from 'cli-table3';

export type Cell = string | number | null | undefined;

export function printLine(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A borderless table: easy to read, and easy to grep or cut in scripts. */
export function renderTable(head: string[], rows: Cell[][]): string {
  const table = new Table({
    head,
    style: { head: [], border: [], compact: true, 'padding-left': 0, 'padding-right': 2 },
    chars: {
      top: '',
      'top-mid': '',
      'top-left': '',
      'top-right': '',
      bottom: '',
      'bottom-mid': '',
      'bottom-left': '',
      'bottom-right': '',
      left: '',
      'left-mid': '',
      mid: '',
      'mid-mid': '',
      right: '',
      'right-mid': '',
      middle: '',
    },
  });
  table.push(...rows.map((row) => row.map((cell) => (cell === null || cell === undefined ? '-' : String(cell)))));
  // cli-table3 pads the last column too; trailing blanks only get in the way of grep and diff.
  return table
    .toString()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

/**
 * Whether colour may go to `stream`: never when NO_COLOR is set (no-color.org), nor into a pipe
 * or a file, where escape codes are only noise.
 */
export function colourAllowed(stream: { isTTY?: boolean } = process.stdout, env = process.env): boolean {
  return !env.NO_COLOR && stream.isTTY === true;
}

/** A bordered table for people; cli-table3 colours its header and borders unless told not to. */
export function boxedTable(head: string[], colour = colourAllowed()): Table.Table {
  return new Table({ head, style: colour ? {} : { head: [], border: [] } });
}

export function printTable(head: string[], rows: Cell[][]): void {
  printLine(renderTable(head, rows));
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** A value inside a table cell: strings as they are, anything else as compact JSON. */
export function formatValue(value: unknown, max = 40): string {
  if (value === undefined) return '(none)';
  return truncate(typeof value === 'string' ? value : JSON.stringify(value), max);
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Streams a body to FILE, or to stdout when no file is given. */
export async function writeBody(body: Readable, file: string | undefined): Promise<void> {
  if (file) await pipeline(body, createWriteStream(file));
  else await pipeline(body, process.stdout, { end: false });
}
