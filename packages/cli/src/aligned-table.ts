/**
 * Plain-text tables whose columns line up in a terminal and stay easy to cut with `awk`:
 * columns are separated by two spaces, no line ends in blanks, and colour (if any) is applied
 * after padding so escape codes never upset the widths.
 */

/** How a column's cells sit in their width. */
export type Alignment = "left" | "right";

/** Options of {@link formatTable}. */
export interface TableOptions {
  /** One alignment per column; columns without one are left-aligned. */
  align?: readonly Alignment[];
  /** Styles the header row's cells after padding (e.g. bold). */
  styleHeader?: (text: string) => string;
}

const GAP = "  ";

/** The lines of a table: `header` (omitted when null) then `rows`, each without a newline. */
export function formatTable(
  header: readonly string[] | null,
  rows: readonly (readonly string[])[],
  options: TableOptions = {},
): string[] {
  const all = header ? [header, ...rows] : rows;
  const widths: number[] = [];
  for (const row of all) {
    row.forEach((cell, column) => {
      widths[column] = Math.max(widths[column] ?? 0, displayWidth(cell));
    });
  }
  const line = (row: readonly string[], style: (text: string) => string) => {
    const cells = row.map((cell, column) => {
      const room = (widths[column] ?? 0) - displayWidth(cell);
      const last = column === row.length - 1;
      const padded =
        options.align?.[column] === "right"
          ? " ".repeat(room) + cell
          : last
            ? cell
            : cell + " ".repeat(room);
      return style(padded);
    });
    return cells.join(GAP).trimEnd();
  };
  const lines = rows.map((row) => line(row, (text) => text));
  if (header) lines.unshift(line(header, options.styleHeader ?? ((text) => text)));
  return lines;
}

/**
 * Width in terminal cells, counting code points (so `°` or `µ` count as one): the UTF-16 units
 * less one for each surrogate pair, as `for (const _ of text)` counts them without making a
 * string a character (the cells of `specx info` on a file of 100 scans made 0.35 MB of them).
 */
export function displayWidth(text: string): number {
  let count = text.length;
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) {
      const before = text.charCodeAt(i - 1);
      if (before >= 0xd800 && before <= 0xdbff) count--;
    }
  }
  return count;
}
