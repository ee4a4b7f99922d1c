/**
 * `#O`/`#P` (and `#o` mnemonics): one NXpositioner per motor under `instrument/positioners`,
 * linked from the entry as `positioners` (spec_common.py's SPEC_Positions writer).
 *
 * Two fixes of docs/nexus.md: a motor's `name` is its SPEC name, not the cleaned
 * one, and its mnemonic is the `#o` word at the motor's own row and column (#14; spec2nexus counts
 * positions in a dictionary, which slips when names repeat). spec2nexus keeps one positioner per
 * name (a repeated name's last value); so does the compatible style, while specx's keeps each
 * motor, a repeat under `name_1` (#16).
 */
import type { Positioner, Scan } from "@specx/spec-parser";
import { add, dataset, type Group, group, link, subgroup, utf8 } from "../tree/nodes.js";
import type { EntryContext } from "./entry.js";
import { cleanName } from "./names.js";

export function writePositioners(entry: Group, scan: Scan, { style, path }: EntryContext): void {
  const motors = style.compat ? lastOfEachName(scan.positioners) : scan.positioners;
  if (motors.length === 0) return;
  const instrument = subgroup(entry, "instrument", "NXinstrument");
  const positioners = group(style.container);
  positioners.attrs.set("description", utf8("SPEC positioners (#P & #O lines)"));
  positioners.attrs.set("target", utf8(`${path}/instrument/positioners`));
  for (const motor of motors) {
    const attrs = { spec_name: utf8(motor.name) };
    const withMnemonic =
      motor.mnemonic === null ? attrs : { ...attrs, spec_mne: utf8(motor.mnemonic) };
    const positioner = group("NXpositioner");
    const name = style.compat ? cleanName(motor.name) : motor.name;
    add(positioner, "name", dataset(style.text(name), withMnemonic));
    add(positioner, "value", dataset(style.float(motor.value), withMnemonic));
    add(positioners, cleanName(motor.name), positioner);
  }
  add(instrument, "positioners", positioners);
  add(entry, "positioners", link(`${path}/instrument/positioners`));
}

/** One positioner per name, at its first place, with its last value (a Python dict's way). */
function lastOfEachName(motors: Positioner[]): Positioner[] {
  const byName = new Map<string, Positioner>();
  for (const motor of motors) {
    const first = byName.get(motor.name);
    byName.set(motor.name, first ? { ...first, value: motor.value } : motor);
  }
  return [...byName.values()];
}
