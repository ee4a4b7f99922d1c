/**
 * `#o` and `#J`/`#j`: the header's mnemonic → name tables, written into every entry as
 * `positioner_cross_reference` and `counter_cross_reference` (spec_common.py's
 * SPEC_PositionerMnemonics, SPEC_CounterNames and SPEC_CounterMnemonics writers): one text
 * dataset per mnemonic holding the SPEC name.
 *
 * Mnemonics and names are paired by row number and column. spec2nexus pairs the n-th `#o` line
 * with the n-th `#O` line and fails the whole file when a row is shorter; here a mnemonic without
 * a name is left out and reported (docs/nexus.md, fix #12).
 */
import type { FileHeader, Scan } from "@specx/spec-parser";
import { add, dataset, type Group, group, utf8 } from "../tree/nodes.js";
import type { EntryContext } from "./entry.js";
import { cleanName } from "./names.js";
import type { Style } from "./style.js";

interface CrossReference {
  mnemonic: string;
  name: string;
}

export function writeCrossReferences(entry: Group, scan: Scan, { style }: EntryContext): void {
  const header = scan.header;
  if (header === null) return;
  const problems: string[] = [];
  const motors = pairByRow(header.motorMnemonics, header.motorNames, "#o", problems);
  if (motors.length > 0) {
    const table = crossReferenceGroup(style, "positioner");
    for (const { mnemonic, name } of unique(motors, style)) {
      const attrs = { mne: utf8(mnemonic), field_name: utf8(cleanName(name)) };
      add(table, cleanName(mnemonic), dataset(style.text(name), attrs));
    }
    add(entry, "positioner_cross_reference", table);
  }
  const counters = pairByRow(
    header.counterMnemonics,
    style.compat ? wordRows(header, "J") : header.counterNames,
    "#j",
    problems,
  );
  if (counters.length > 0 || (style.compat && emptyCounterTableWritten(header))) {
    const table = crossReferenceGroup(style, "counter");
    for (const { mnemonic, name } of unique(counters, style)) {
      add(table, cleanName(mnemonic), dataset(style.text(name)));
    }
    add(entry, "counter_cross_reference", table);
  }
  if (problems.length > 0) throw new Error(problems.join("; "));
}

function crossReferenceGroup(style: Style, kind: "positioner" | "counter"): Group {
  const table = group(style.container);
  table.attrs.set("description", utf8(`cross-reference SPEC ${kind} mnemonics and names`));
  table.attrs.set(
    "comment",
    utf8(`keys are SPEC ${kind} mnemonics, values are SPEC ${kind} names`),
  );
  return table;
}

/** Mnemonic row `r`, column `c` with name row `r`, column `c`. */
function pairByRow(
  mnemonicRows: Map<number, string[]>,
  nameRows: Map<number, string[]>,
  key: string,
  problems: string[],
): CrossReference[] {
  const pairs: CrossReference[] = [];
  for (const [row, mnemonics] of mnemonicRows) {
    const names = nameRows.get(row) ?? [];
    mnemonics.forEach((mnemonic, column) => {
      const name = names[column];
      if (name === undefined) problems.push(`${key}${row} ${mnemonic}: no name at its place`);
      else pairs.push({ mnemonic, name });
    });
  }
  return pairs;
}

/**
 * spec2nexus keeps one entry per mnemonic in a dictionary (the last name wins); specx keeps each,
 * a repeat under `mne_1` (fix #16).
 */
function unique(pairs: CrossReference[], style: Style): CrossReference[] {
  if (!style.compat) return pairs;
  const byMnemonic = new Map<string, CrossReference>();
  for (const pair of pairs) byMnemonic.set(pair.mnemonic, pair);
  return [...byMnemonic.values()];
}

/** `#J` rows split on every blank, as spec2nexus splits them (a two-word counter name is two). */
function wordRows(header: FileHeader, family: string): Map<number, string[]> {
  const rows = new Map<number, string[]>();
  for (const control of header.controls) {
    if (control.family === family && control.row !== null) {
      rows.set(control.row, control.text.trim().split(/\s+/).filter(Boolean));
    }
  }
  return rows;
}

/**
 * spec2nexus registers one writer for both `#J` and `#j`, the writer of whichever comes first;
 * `#j`'s writes the group even when it stays empty.
 */
function emptyCounterTableWritten(header: FileHeader): boolean {
  const first = header.controls.find((c) => c.family === "J" || c.family === "j");
  return first?.family === "j";
}
