/**
 * Reading the motor names of an `#O<n>` row, which SPEC writes as `#O<n> ` and then each name
 * right-aligned in an 8-character field (`%8s`), fields separated by two spaces. A name may hold
 * spaces, even two in a row (`Tab  rot`), so splitting on runs of two spaces (docs/spec-format.md
 * §6) can cut a name in two and shift every later name onto the wrong `#P` value. The fixed-width
 * reading recovers such names; the expected count (the `#P` values, or the `#o` mnemonics) decides
 * which reading of a row holds.
 */
import { splitNames, splitWords } from "./text.js";

/** How a row's names were split. */
export type NameLayout = "fixed-width" | "two-space" | "single-space";

/** One way to read a row's names. */
export interface NameReading {
  layout: NameLayout;
  names: string[];
}

/** The names of one `#O` row, and how they were read. */
export interface MotorNames {
  names: string[];
  /** `fixed-width` only when the fields join names that the two-space split cuts apart. */
  layout: NameLayout;
  /** True when `names` has the expected count and no other reading does. */
  matched: boolean;
  /** Every distinct reading of the row, best first: fixed-width, two-space, single-space. */
  readings: NameReading[];
}

/** Width of SPEC's `%8s` name field. */
const FIELD_WIDTH = 8;

/**
 * Reads a row written in SPEC's layout: `text` (the text after `#O<n>`) is one space, then
 * fields separated by exactly two spaces, trailing spaces allowed. A field starts at position p
 * and ends at the first word end at or after p + 8, so a name longer than 8 overflows its field
 * whole. A field must be exactly 8 wide (a padded name; its last character is not a blank), or
 * wider and start with a non-blank (an overflowing name is never padded). At least one field
 * must be padded (start with a blank): rows written without padding (older SPEC, USAXS, spock,
 * `msx  msy  ART50-100  asy  ion_ch`) often fit these rules by chance, since two short names and
 * their separator can make 8 characters, and padding is the one thing they never show.
 *
 * Returns the names with their padding removed, or null when the row does not follow the layout
 * (a TAB or other blank that is not a space, a short name without padding, a separator other
 * than two spaces, no padded field).
 */
export function readFixedWidthNames(text: string): string[] | null {
  if (/[^\S ]/.test(text)) return null;
  if (text[0] !== " ") return null;
  const line = text.slice(1);
  let end = line.length;
  while (end > 0 && line[end - 1] === " ") end--;
  const names: string[] = [];
  let padded = false;
  let start = 0;
  while (start < end) {
    let stop = start + FIELD_WIDTH;
    if (stop > end) return null;
    // A word ends at `stop` when the character before it is not a blank and the next one is.
    while (stop < end && (line[stop - 1] === " " || line[stop] !== " ")) stop++;
    const blankFirst = line[start] === " ";
    if (stop - start > FIELD_WIDTH && blankFirst) return null;
    padded ||= blankFirst;
    names.push(line.slice(start, stop).trim());
    if (stop === end) break;
    if (line[stop + 1] !== " ") return null;
    start = stop + 2;
  }
  return padded ? names : null;
}

/**
 * Reads the names of an `#O` row (the text after `#O<n>`) that pairs with `expectedCount`
 * values (the `#P` row's count, or the `#o` row's). The readings are: SPEC's fixed-width fields
 * when the row follows that layout, the split on two or more spaces, and, when that gives one
 * name with single spaces in it, the single-space split (docs/spec-format.md §6). The one reading
 * with the expected count wins. When none has it, or several different ones do, the two-space split
 * is kept (`matched` false), except that with no count at all a lone name with single spaces reads
 * as single-space separated, as a header row always has.
 */
export function readMotorNames(text: string, expectedCount: number | null): MotorNames {
  const twoSpace = splitNames(text);
  const readings: NameReading[] = [];
  // Every field boundary is a run of two spaces, so the fixed-width names are the two-space
  // names with some joined again; when none is, the reading is the two-space one.
  const fixed = readFixedWidthNames(text);
  if (fixed && !sameNames(fixed, twoSpace)) readings.push({ layout: "fixed-width", names: fixed });
  readings.push({ layout: "two-space", names: twoSpace });
  const lone = twoSpace.length === 1 ? (twoSpace[0] as string) : null;
  const singleSpace = lone?.includes(" ") ? splitWords(lone) : null;
  if (singleSpace) readings.push({ layout: "single-space", names: singleSpace });

  const fitting = readings.filter((reading) => reading.names.length === expectedCount);
  const only = fitting.length === 1 ? fitting[0] : undefined;
  if (only) return { names: only.names, layout: only.layout, matched: true, readings };
  if (expectedCount === null && singleSpace) {
    return { names: singleSpace, layout: "single-space", matched: false, readings };
  }
  return { names: twoSpace, layout: "two-space", matched: false, readings };
}

/** The readings of a row for a message: "9 names split on two spaces, 8 in 8-character fields". */
export function describeReadings(readings: readonly NameReading[]): string {
  return readings
    .map(({ layout, names }) => {
      const count = `${names.length} name${names.length === 1 ? "" : "s"}`;
      if (layout === "fixed-width") return `${count} in SPEC's 8-character fields`;
      return `${count} split on ${layout === "two-space" ? "two" : "single"} spaces`;
    })
    .join(", ");
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}
