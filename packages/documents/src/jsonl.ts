/**
 * suitcase-jsonl files, as databroker's BlueskyJSONLCatalog reads them: one `[name, doc]`
 * JSON array per line, each followed by `\n`.
 */
import { parseJsonLine, stringifyJson } from "./json.js";
import { toNamedDocument } from "./named.js";
import type { NamedDocument } from "./types.js";

/** Lines holding only JSON whitespace are skipped (a trailing newline, `\r` of CRLF files). */
const BLANK_LINE = /^[ \t\r]*$/;

/**
 * Reads a suitcase-jsonl text: one `[name, doc]` per line (a `{"name", "doc"}` envelope is also
 * accepted); blank lines are ignored.
 *
 * @throws DocumentFormatError naming the line (and column) of the first bad line.
 */
export function parseJsonLines(text: string): NamedDocument[] {
  const documents: NamedDocument[] = [];
  const lines = text.split("\n");
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] as string;
    if (BLANK_LINE.test(line)) continue;
    const lineNumber = index + 1;
    const item = parseJsonLine(line, lineNumber);
    documents.push(toNamedDocument(item, `line ${lineNumber}`, { line: lineNumber }));
  }
  return documents;
}

/**
 * Writes documents exactly as suitcase-jsonl does (`json.dump([name, doc], f)` then `"\n"`):
 * Python's json.dumps layout on each line and a newline after every line, including the last.
 */
export function stringifyJsonLines(documents: readonly NamedDocument[]): string {
  let out = "";
  for (const document of documents) out += `${stringifyJson(document)}\n`;
  return out;
}
