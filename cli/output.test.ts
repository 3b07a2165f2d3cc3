import { describe, expect, it } from 'vitest';
import { boxedTable, colourAllowed } from './output.js';

const ESC = '\u001b[';

describe('colour', () => {
  it('is allowed only on a terminal without NO_COLOR', () => {
    expect(colourAllowed({ isTTY: true }, {})).toBe(true);
    expect(colourAllowed({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colourAllowed({ isTTY: false }, {})).toBe(false);
    expect(colourAllowed({}, {})).toBe(false);
  });

  it('keeps escape codes out of a table printed without colour', () => {
    const plain = boxedTable(['a', 'b'], false);
    plain.push(['1', '2']);
    expect(plain.toString()).not.toContain(ESC);
    // Whether cli-table3 then colours depends on the terminal it finds; what it is told does not.
    const coloured = boxedTable(['a', 'b'], true) as unknown as { options: { style: { head: string[] } } };
    expect(coloured.options.style.head.length).toBeGreaterThan(0);
  });
});
