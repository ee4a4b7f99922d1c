/**
 * Motor positions: `#O<n>` names paired row by row with `#P<n>` values (docs/spec-format.md §6).
 */
import { describeReadings, readMotorNames } from "./motor-names.js";
import { readValue, splitWords, uniqueAliases } from "./text.js";
import type { Positioner } from "./types.js";

/** Raw text of numbered rows (`#O0`, `#O1`, …) with their line numbers. */
export type Rows = Map<number, { text: string; line: number }>;

/** Receives findings as (code, line, message). */
export type PositionerReport = (
  code:
    | "P_O_MISMATCH"
    | "P_WITHOUT_O"
    | "DUPLICATE_LABEL"
    | "LABEL_FALLBACK"
    | "O_FIXED_WIDTH"
    | "O_SPLIT_AMBIGUOUS",
  line: number | null,
  message: string,
) => void;

/** Pairs names and values by row; values without a name are returned as unnamed positions. */
export function pairPositioners(
  names: Rows,
  mnemonics: Rows,
  positions: Rows,
  report: PositionerReport,
): { positioners: Positioner[]; unnamed: number[] } {
  const positioners: Positioner[] = [];
  const unnamed: number[] = [];
  const rows = [...positions.keys()].sort((a, b) => a - b);
  if (
    names.size === 0 &&
    rows.some((row) => splitWords(positions.get(row)?.text ?? "").length > 0)
  ) {
    report("P_WITHOUT_O", positions.get(rows[0] ?? 0)?.line ?? null, "#P values but no #O names");
  }
  for (const row of rows) {
    const position = positions.get(row);
    if (!position) continue;
    const values = splitWords(position.text);
    const nameRow = names.get(row);
    if (!nameRow) {
      for (const token of values) unnamed.push(readValue(token).value);
      if (names.size > 0 && values.length > 0) {
        report(
          "P_O_MISMATCH",
          position.line,
          `#P${row} has ${values.length} values and no #O${row} row`,
        );
      }
      continue;
    }
    const split = readMotorNames(nameRow.text, values.length);
    if (split.layout === "single-space") {
      report("LABEL_FALLBACK", nameRow.line, `#O${row} names are separated by single spaces`);
    }
    if (split.layout === "fixed-width") {
      const joined = split.names.filter((name) => /\S {2,}\S/.test(name));
      report(
        "O_FIXED_WIDTH",
        nameRow.line,
        `#O${row} names read from SPEC's 8-character fields: ${joined
          .map((name) => `'${name}'`)
          .join(", ")} ${joined.length === 1 ? "is one name" : "are single names"}`,
      );
    }
    // Only a row that can be read more than one way is in doubt; with no values there is no
    // count to choose by, and P_O_MISMATCH says enough.
    if (!split.matched && split.readings.length > 1 && values.length > 0) {
      report(
        "O_SPLIT_AMBIGUOUS",
        nameRow.line,
        `#O${row} can be read as ${describeReadings(split.readings)}; ${
          split.readings.some((reading) => reading.names.length === values.length)
            ? "more than one"
            : "none"
        } of them pairs with the ${values.length} #P${row} values, so the two-space split was kept`,
      );
    }
    const rowMnemonics = splitWords(mnemonics.get(row)?.text ?? "");
    if (split.names.length !== values.length) {
      report(
        "P_O_MISMATCH",
        position.line,
        `#P${row} has ${values.length} values for ${split.names.length} #O${row} names`,
      );
    }
    values.forEach((token, i) => {
      const name = split.names[i];
      const value = readValue(token).value;
      if (name === undefined) {
        unnamed.push(value);
        return;
      }
      positioners.push({
        name,
        alias: name,
        mnemonic: rowMnemonics[i] ?? null,
        value,
        raw: token,
        row,
      });
    });
  }
  const { aliases, duplicates } = uniqueAliases(positioners.map((p) => p.name));
  positioners.forEach((positioner, i) => {
    positioner.alias = aliases[i] ?? positioner.name;
  });
  if (duplicates.length > 0) {
    report("DUPLICATE_LABEL", null, `repeated motor names ${[...new Set(duplicates)].join(", ")}`);
  }
  return { positioners, unnamed };
}
