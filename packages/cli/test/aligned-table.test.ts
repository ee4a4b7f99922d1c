/** Column widths of the CLI's tables (src/aligned-table.ts): code points, as a terminal counts them. */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { displayWidth, formatTable } from "../src/aligned-table.js";

describe("displayWidth", () => {
  test("counts code points as iterating the string does, lone surrogates included", () => {
    // Strings of any UTF-16 units: pairs, lone highs and lows, in any order.
    const units = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 0xd800, max: 0xdfff }),
    );
    fc.assert(
      fc.property(fc.array(units, { maxLength: 40 }), (codes) => {
        const text = String.fromCharCode(...codes);
        expect(displayWidth(text)).toBe([...text].length);
      }),
      { numRuns: 2000 },
    );
  });

  test("a column holding a character outside the BMP lines up with ASCII ones", () => {
    const lines = formatTable(
      ["name", "value"],
      [
        ["I0", "1"],
        ["𝜃 (°)", "2"],
      ],
    );
    expect(lines).toEqual(["name   value", "I0     1", "𝜃 (°)  2"]);
  });
});
