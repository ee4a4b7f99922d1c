/** Placeholder: filled in by its own change. */
import type { Scan } from "@specx/spec-parser";
import type { Group } from "../tree/nodes.js";
import type { EntryContext } from "./entry.js";

export function writeCrossReferences(_entry: Group, _scan: Scan, _context: EntryContext): void {}
