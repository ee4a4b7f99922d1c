/**
 * The scan's data as the entry's NXdata (`data`): one float64 column per `#L` label
 * (writer.py's save_data and oneD).
 */
import type { Scan } from "@specx/spec-parser";
import { add, dataset, float64, type Group, group, utf8 } from "../tree/nodes.js";
import type { EntryContext } from "./entry.js";
import { cleanName } from "./names.js";

export function writeData(entry: Group, scan: Scan, _context: EntryContext): void {
  const table = scan.data;
  if (table.rows === 0 || table.columns.length === 0) return;
  const data = group("NXdata");
  const names = table.aliases.map((alias) => cleanName(alias));
  const signal = names[names.length - 1] as string;
  const axis = names[0] as string;
  data.attrs.set("signal", utf8(signal));
  data.attrs.set("axes", utf8(axis));
  data.attrs.set(`${axis}_indices`, { type: "int64", data: [0], shape: [1] });
  data.attrs.set("description", utf8("SPEC scan data"));
  table.columns.forEach((column, i) => {
    add(
      data,
      names[i] as string,
      dataset(float64(column), { spec_name: utf8(table.aliases[i] as string) }),
    );
  });
  add(entry, "data", data);
}
