/** The resource and datum documents apstools keeps on a `#U externals: {…}` line. */
import { isDocObject, type NamedDocument } from "@specx/documents";
import type { Scan } from "@specx/spec-parser";
import { literal } from "./literal.js";

/** `#U externals: {…}` (apstools): the run's resource and datum documents, restored. */
export function externalDocuments(scan: Scan): NamedDocument[] {
  const line = scan.control("U").find((c) => c.text.startsWith(" externals: "));
  const externals = line ? literal(line.text.slice(" externals: ".length)) : null;
  if (!isDocObject(externals)) return [];
  const documents: NamedDocument[] = [];
  for (const value of Object.values(externals)) {
    if (!isDocObject(value)) continue;
    const { _document_type_: kind, ...doc } = value;
    if (kind === "resource" || kind === "datum") documents.push([kind, doc]);
  }
  return documents;
}
