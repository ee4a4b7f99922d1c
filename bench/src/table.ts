/** Plain-text tables of the bench's printout. */

/**
 * `header` and `rows` as aligned columns, two spaces apart: the first column left-aligned (names),
 * the others right-aligned (numbers). One line per row, each ending in a newline.
 */
export function alignedTable(header: readonly string[], rows: readonly string[][]): string {
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => row[i]?.length ?? 0)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join("  ");
  return `${[header, ...rows].map(line).join("\n")}\n`;
}
