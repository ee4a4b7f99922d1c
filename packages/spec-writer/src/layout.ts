/** Line layout shared by the apstools writer flavours. */
import { type DocRecord, type DocValue, isFloat, toNumber } from "@specx/documents";

/** A descriptor the writer has seen, by stream name. */
export interface Descriptor {
  name: string;
  doc: DocRecord;
}

/** The `#S` number of a run: its scan_id, or 1 for a missing, zero or negative one (as apstools). */
export function scanNumberOf(start: DocRecord): number {
  const scanId = toNumber(start.scan_id);
  return scanId && scanId > 0 ? Math.trunc(scanId) : 1;
}

/**
 * A file header block: `#F`, `#E`, `#D`, the user line, and the motors as `#O`/`#o` rows (which
 * apstools 1.1 and older did not write: `motorLines: false`, and `BlueSky` as the program).
 */
export function fileHeaderLines(header: {
  fileName: string;
  epoch: string;
  date: string;
  user: string;
  host: string;
  motors: string[];
  program?: string;
  motorLines?: boolean;
}): string[] {
  const lines = [
    `#F ${header.fileName}`,
    `#E ${header.epoch}`,
    `#D ${header.date}`,
    `#C ${header.program ?? "Bluesky"}  user = ${header.user}  host = ${header.host}`,
  ];
  if (header.motorLines === false) return lines;
  return [
    ...lines,
    ...numberedRows("#O", header.motors, "  "),
    ...numberedRows("#o", header.motors, "  "),
  ];
}

/** `#O0 a  b …` rows of 8, or the placeholder `#O0 ` when there are none. */
export function numberedRows(key: string, items: string[], separator: string): string[] {
  if (items.length === 0) return [`${key}0 `];
  const rows: string[] = [];
  for (let i = 0; i < items.length; i += 8) {
    rows.push(
      `${key}${i / 8} ${items
        .slice(i, i + 8)
        .map(oneLine)
        .join(separator)}`,
    );
  }
  return rows;
}

/** `event.time − start.time` with Python's int/float result type. */
export function difference(
  a: DocValue | undefined,
  b: DocValue | undefined,
): { value: number; isFloat: boolean } {
  return { value: (toNumber(a) ?? 0) - (toNumber(b) ?? 0), isFloat: isFloat(a) || isFloat(b) };
}

/** Python's `sorted()` order for strings: by code point. */
export function byCodePoint(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0) ?? 0);
  const y = [...b].map((c) => c.codePointAt(0) ?? 0);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    if (x[i] !== y[i]) return (x[i] ?? 0) - (y[i] ?? 0);
  }
  return x.length - y.length;
}

export function sameList(a: string[], b: string[] | null): boolean {
  return b !== null && a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Names and keys never span lines: a line break inside one becomes a space. */
export function oneLine(name: string): string {
  return name.replace(/\r\n|\r|\n/g, " ");
}
