/**
 * `#T` and `#M`: the count preset as `T` (seconds) or `M` (counts), how the scan counted
 * (`counting_basis`), and an NXmonitor whose `preset` is the same dataset (spec_common.py's
 * SPEC_CountTime and SPEC_Monitor, and the links of writer.py's save_scan).
 */
import type { Scan } from "@specx/spec-parser";
import { add, dataset, type Group, link, subgroup, utf8 } from "../tree/nodes.js";
import type { EntryContext } from "./entry.js";

export function writeCounting(entry: Group, scan: Scan, { style, path }: EntryContext): void {
  const preset = scan.preset;
  if (preset === null || preset.value === null) return;
  const byTime = preset.kind === "time";
  const basis = byTime
    ? "SPEC scan with constant counting time"
    : "SPEC scan with constant monitor count";
  add(entry, "counting_basis", dataset(style.text(basis)));
  const monitor = subgroup(entry, "monitor", "NXmonitor");
  add(
    monitor,
    "preset",
    dataset(style.float(preset.value), {
      units: utf8(byTime ? "s" : "counts"),
      description: utf8(basis),
      target: utf8(`${path}/monitor/preset`),
    }),
  );
  add(entry, byTime ? "T" : "M", link(`${path}/monitor/preset`));
}
