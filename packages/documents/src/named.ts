import { DocumentFormatError, type FormatErrorLocation } from "./errors.js";
import { isDocObject } from "./own-keys.js";
import { isDocumentName, type NamedDocument } from "./types.js";
import type { DocValue } from "./values.js";

/**
 * Checks one item of a document stream and returns it as a {@link NamedDocument}. Accepts the
 * `[name, doc]` pair that suitcase writes and also the `{"name": …, "doc": …}` envelope of
 * bluesky's JSONLinesWriter and Tiled exports (never written by this package).
 *
 * @param where names the item in error messages, e.g. `item 3` or `line 7`.
 * @param location is attached to the error (e.g. the line of a JSONL file).
 * @throws DocumentFormatError when the item is neither, or the name is not a document name.
 */
export function toNamedDocument(
  item: DocValue,
  where: string,
  location: FormatErrorLocation = {},
): NamedDocument {
  let name: DocValue | undefined;
  let doc: DocValue | undefined;
  if (Array.isArray(item) && item.length === 2) {
    [name, doc] = item;
  } else if (isDocObject(item) && Object.keys(item).length === 2) {
    ({ name, doc } = item);
  }
  if (typeof name !== "string" || !isDocObject(doc)) {
    throw new DocumentFormatError(
      `${where}: expected a [name, document] pair, got ${describeValue(item)}`,
      location,
    );
  }
  if (!isDocumentName(name)) {
    throw new DocumentFormatError(
      `${where}: unknown document name ${JSON.stringify(name)}`,
      location,
    );
  }
  return [name, doc];
}

/** A short description of a value for error messages. */
export function describeValue(value: DocValue | undefined): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (isDocObject(value))
    return `an object with keys ${JSON.stringify(Object.keys(value).slice(0, 5))}`;
  if (typeof value === "string") return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return `the ${typeof value === "object" ? "float" : typeof value} ${String(value)}`;
}
