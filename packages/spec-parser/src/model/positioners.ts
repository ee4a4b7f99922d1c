/**
 * Motor positions: `#O<n>` names paired row by row with `#P<n>` values (docs/spec-format.md §6).
 */
import { describeReadings, type MotorNames, readMotorNames } from "./motor-names.js";
import { readNumberValue, splitWords, uniqueAliases } from "./text.js";
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

/**
 * Readings of `#O` rows by text and expected count, and `#o` mnemonics by text: a header's rows
 * are read again by every scan they name, and give the same answer each time. Shared, so never
 * changed by their users; cleared when it grows past its budget (a long-running process may read
 * many files).
 */
const namesByText = new Map<string, { count: number; names: MotorNames }[]>();
const mnemonicsByText = new Map<string, string[]>();
const CACHED_TEXTS = 512;

function cachedMotorNames(text: string, expectedCount: number): MotorNames {
  let readings = namesByText.get(text);
  if (readings === undefined) {
    if (namesByText.size >= CACHED_TEXTS) namesByText.clear();
    readings = [];
    namesByText.set(text, readings);
  }
  for (const reading of readings) if (reading.count === expectedCount) return reading.names;
  const names = readMotorNames(text, expectedCount);
  readings.push({ count: expectedCount, names });
  return names;
}

function cachedMnemonics(text: string): string[] {
  let words = mnemonicsByText.get(text);
  if (words === undefined) {
    if (mnemonicsByText.size >= CACHED_TEXTS) mnemonicsByText.clear();
    words = splitWords(text);
    mnemonicsByText.set(text, words);
  }
  return words;
}

/**
 * The aliases of the last list of names: consecutive scans nearly always name the same motors,
 * and the sets that find repeated names cost more than comparing the lists.
 */
let lastNames: string[] = [];
let lastAliases: { aliases: string[]; duplicates: string[] } = { aliases: [], duplicates: [] };

function aliasesOf(positioners: Positioner[]): { aliases: string[]; duplicates: string[] } {
  let same = positioners.length === lastNames.length;
  for (let i = 0; same && i < positioners.length; i++) {
    same = (positioners[i] as Positioner).name === lastNames[i];
  }
  if (same) return lastAliases;
  lastNames = positioners.map((positioner) => positioner.name);
  lastAliases = uniqueAliases(lastNames);
  return lastAliases;
}

/** Pairs names and values by row; values without a name are returned as unnamed positions. */
export function pairPositioners(
  names: Rows,
  mnemonics: Rows,
  positions: Rows,
  report: PositionerReport,
): { positioners: Positioner[]; unnamed: number[] } {
  const positioners: Positioner[] = [];
  const unnamed: number[] = [];
  const rows: number[] = [];
  positions.forEach((_, row) => {
    rows.push(row);
  });
  // Nearly always in order already; `sort` would copy the list even then.
  for (let i = 1; i < rows.length; i++) {
    if ((rows[i - 1] as number) > (rows[i] as number)) {
      rows.sort((a, b) => a - b);
      break;
    }
  }
  if (
    names.size === 0 &&
    rows.some((row) => splitWords(positions.get(row)?.text ?? "").length > 0)
  ) {
    report("P_WITHOUT_O", positions.get(rows[0] ?? 0)?.line ?? null, "#P values but no #O names");
  }
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as number;
    const position = positions.get(row);
    if (!position) continue;
    const values = splitWords(position.text);
    const nameRow = names.get(row);
    if (!nameRow) {
      for (let i = 0; i < values.length; i++) unnamed.push(readNumberValue(values[i] as string));
      if (names.size > 0 && values.length > 0) {
        report(
          "P_O_MISMATCH",
          position.line,
          `#P${row} has ${values.length} values and no #O${row} row`,
        );
      }
      continue;
    }
    const split = cachedMotorNames(nameRow.text, values.length);
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
    const rowMnemonics = cachedMnemonics(mnemonics.get(row)?.text ?? "");
    if (split.names.length !== values.length) {
      report(
        "P_O_MISMATCH",
        position.line,
        `#P${row} has ${values.length} values for ${split.names.length} #O${row} names`,
      );
    }
    for (let i = 0; i < values.length; i++) {
      const token = values[i] as string;
      const name = split.names[i];
      const value = readNumberValue(token);
      if (name === undefined) {
        unnamed.push(value);
        continue;
      }
      positioners.push({
        name,
        alias: name,
        mnemonic: rowMnemonics[i] ?? null,
        value,
        raw: token,
        row,
      });
    }
  }
  const { aliases, duplicates } = aliasesOf(positioners);
  for (let i = 0; i < positioners.length; i++) {
    const positioner = positioners[i] as Positioner;
    positioner.alias = aliases[i] ?? positioner.name;
  }
  if (duplicates.length > 0) {
    report("DUPLICATE_LABEL", null, `repeated motor names ${[...new Set(duplicates)].join(", ")}`);
  }
  return { positioners, unnamed };
}
