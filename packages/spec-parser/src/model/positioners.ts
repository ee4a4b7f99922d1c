/** Motor positions: `#O<n>` names paired row by row with `#P<n>` values (notes §6). */
import { readValue, splitNamesWithFallback, splitWords, uniqueAliases } from "./text.js";
import type { Positioner } from "./types.js";

/** Raw text of numbered rows (`#O0`, `#O1`, …) with their line numbers. */
export type Rows = Map<number, { text: string; line: number }>;

/** Receives findings as (code, line, message). */
export type PositionerReport = (
  code: "P_O_MISMATCH" | "P_WITHOUT_O" | "DUPLICATE_LABEL" | "LABEL_FALLBACK",
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
    const split = splitNamesWithFallback(nameRow.text, values.length, true);
    if (split.fallback) {
      report("LABEL_FALLBACK", nameRow.line, `#O${row} names are separated by single spaces`);
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
