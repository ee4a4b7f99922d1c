/**
 * The control lines that spec2nexus keeps as notes: `#U` (UserReserved), `#R` (UserResults),
 * UNICAT `#H`/`#V` (metadata), `#MD` (bluesky_metadata), `#UXML` (UXML), XPCS `#VA`/`#VD`/`#VE`,
 * the lines no plugin recognises (unrecognized_<n>), and `#I` (intensity_factor, which
 * spec2nexus reads but never writes: docs/nexus.md, fix #11). Sources: spec_common.py,
 * plugins/unicat.py, apstools_specwriter.py, uxml.py, XPCS.py and fallback.py.
 *
 * Which line belongs to which family follows spec2nexus's own rule (control_lines.py): the
 * line's first word, up to the first space, must match a plugin's key whole; header lines are
 * those after `#E`, and a scan's lines have `\`-continuations joined first. Each family is
 * written on its own: a family that fails (a `#V` row without its `#H` row, XML that breaks
 * uxml.xsd) is reported in the entry's `errors` and the others are still written (fix #12;
 * spec2nexus loses the whole file).
 */
import type { FileHeader, Scan } from "@specx/spec-parser";
import {
  add,
  dataset,
  type Group,
  group,
  link,
  subgroup,
  type TextValue,
  utf8,
} from "../tree/nodes.js";
import type { EntryContext } from "./entry.js";
import { cleanName } from "./names.js";
import type { Style } from "./style.js";
import { buildUxml, parseXml, pythonFloat, validateUxml } from "./uxml.js";

/** One line as spec2nexus reads it, with the plugin key it matches (null: none). */
interface PluginLine {
  text: string;
  key: string | null;
  line: number;
}

export function writeNotes(entry: Group, scan: Scan, context: EntryContext): void {
  const header = headerLines(scan.header);
  const lines = scanLines(scan);
  const problems: string[] = [];
  const run = (family: string, write: () => void): void => {
    try {
      write();
    } catch (error) {
      problems.push(`${family}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const { style } = context;
  // Header writers first, then the scan's, as writer.py runs them (unrecognized_<n> numbers).
  run("#U", () => writeUserLines(entry, "#U", header, lines, style));
  run("#R", () => writeUserLines(entry, "#R", header, lines, style));
  for (const key of ["#VA", "#VD", "#VE"] as const) {
    run(key, () => writeXpcs(entry, key, header, style));
  }
  run("unrecognized", () => writeUnrecognized(entry, header, style));
  run("#H/#V", () => writeUnicat(entry, header, lines, context));
  run("#MD", () => writeBlueskyMetadata(entry, lines, style));
  run("#UXML", () => writeUxml(entry, lines, context));
  run("unrecognized", () => writeUnrecognized(entry, lines, style));
  run("#I", () => writeIntensityFactor(entry, lines, style));
  if (problems.length > 0) throw new Error(problems.join("; "));
}

// --- Which lines: spec2nexus's split into header and scan lines, and its plugin keys ---

/** The keys of spec2nexus's plugins (regular expressions matched against the whole first word). */
const pluginKeys: [key: string, pattern: RegExp][] = [
  ["#F", /^#F$/],
  ["#E", /^#E$/],
  ["#D", /^#D$/],
  ["#C", /^#C$/],
  ["#S", /^#S$/],
  ["#G", /^#G\d+$/],
  ["#I", /^#I$/],
  ["#J", /^#J\d+$/],
  ["#j", /^#j\d+$/],
  ["#L", /^#L$/],
  ["#M", /^#M$/],
  ["#N", /^#N$/],
  ["#O", /^#O\d+$/],
  ["#o", /^#o\d+$/],
  ["#P", /^#P\d+$/],
  ["#Q", /^#Q$/],
  ["#R", /^#R$/],
  ["#T", /^#T$/],
  ["#U", /^#U$/],
  ["#X", /^#X$/],
  ["#@MCA", /^#@MCA$/],
  ["@A", /^@A\d*$/],
  ["#@CALIB", /^#@[cC][aA][lL][iI][bB]$/],
  ["#@CHANN", /^#@CHANN$/],
  ["#@CTIME", /^#@CTIME$/],
  ["#@ROI", /^#@ROI$/],
  ["#UIM", /^#UIM\w*$/],
  ["#H", /^#H\d+$/],
  ["#V", /^#V\d+$/],
  ["#UXML", /^#UXML$/],
  ["#VA", /^#VA\d+$/],
  ["#VD", /^#VD\d+$/],
  ["#VE", /^#VE\d+$/],
  ["#XPCS", /^#XPCS$/],
  ["#CCD", /^#CCD$/],
  ["#MD", /^#MD\w*$/],
];

/** The plugin key of a line (control_lines.py's get_control_key): data rows are "data". */
export function pluginKey(text: string): string | null {
  const space = text.indexOf(" ");
  if (space < 0) return null;
  const word = text.slice(0, space);
  // Every plugin key starts with `#` or `@`; data rows (most lines) skip the list.
  if (word[0] === "#" || word[0] === "@") {
    for (const [key, pattern] of pluginKeys) if (pattern.test(word)) return key;
  }
  // A data row: the word's first token reads as a Python float.
  const token = word.trim().split(/\s+/)[0] ?? "";
  return token !== "" && pythonFloat(token) !== null ? "data" : null;
}

/** The header's lines after `#E` (spec2nexus's header block starts there; without `#E`, none). */
function headerLines(header: FileHeader | null): PluginLine[] {
  if (header === null) return [];
  const start = header.lines.findIndex((line) => line.kind === "epoch");
  if (start < 0) return [];
  return header.lines
    .slice(start + 1)
    .filter((line) => line.text.length > 0)
    .map((line) => ({ text: line.text, key: pluginKey(line.text), line: line.line }));
}

/** The scan's lines after `#S`, `\`-continued lines joined with a space, keyed without indent. */
function scanLines(scan: Scan): PluginLine[] {
  const out: PluginLine[] = [];
  let pending: { text: string; line: number } | null = null;
  for (const source of scan.lines.slice(1)) {
    const text: string = pending ? `${pending.text} ${source.text}` : source.text;
    const line: number = pending ? pending.line : source.line;
    if (text.endsWith("\\")) {
      pending = { text: text.slice(0, -1), line };
      continue;
    }
    pending = null;
    if (text.length > 0) out.push({ text, key: pluginKey(text.trimStart()), line });
  }
  if (pending && pending.text.length > 0) {
    out.push({
      text: `${pending.text}\\`,
      key: pluginKey(pending.text.trimStart()),
      line: pending.line,
    });
  }
  return out;
}

/** utils.strip_first_word: what follows the first space, trimmed. */
function afterFirstWord(text: string): string {
  const space = text.indexOf(" ");
  return (space < 0 ? text.slice(-1) : text.slice(space)).trim();
}

function ofKey(lines: PluginLine[], key: string): PluginLine[] {
  return lines.filter((line) => line.key === key);
}

/** A string array dataset, each string encoded as the style encodes one. */
function textArray(style: Style, values: string[]): TextValue {
  const charset = style.text("").charset;
  return {
    type: "text",
    charset,
    data: values.map((value) => style.text(value).data[0] as string),
    shape: [values.length],
  };
}

/**
 * Name → value pairs as spec2nexus's dictionaries keep them: one per name, the last value, at
 * the first name's place. specx's style keeps a repeated name whose value differs, as `name_1`
 * (fix #16); a repeat with the same value (UNICAT headers list some PVs twice) is one dataset.
 */
function pairs<T>(entries: [string, T][], style: Style): [string, T][] {
  if (style.compat) {
    const byName = new Map<string, T>();
    for (const [name, value] of entries) byName.set(name, value);
    return [...byName];
  }
  const seen = new Set<string>();
  return entries.filter(([name, value]) => {
    const key = JSON.stringify([name, value]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// --- The families ---

/** `#U` → UserReserved, `#R` → UserResults: `header_<i>` and `item_<i>`, @description. */
function writeUserLines(
  entry: Group,
  key: "#U" | "#R",
  header: PluginLine[],
  lines: PluginLine[],
  style: Style,
): void {
  const fromHeader = ofKey(header, key);
  const fromScan = ofKey(lines, key);
  if (fromHeader.length === 0 && fromScan.length === 0) return;
  const notes = group(style.container);
  notes.attrs.set(
    "description",
    utf8(
      key === "#U"
        ? 'SPEC control line "#U: Reserved for user"'
        : 'SPEC control line "#R: Reserved for user results"',
    ),
  );
  for (const [tag, found] of [
    ["header", fromHeader],
    ["item", fromScan],
  ] as const) {
    found.forEach((line, i) => {
      const description = utf8(`${key} line ${i + 1}`);
      add(
        notes,
        `${tag}_${i + 1}`,
        dataset(style.text(afterFirstWord(line.text)), { description }),
      );
    });
  }
  add(entry, key === "#U" ? "UserReserved" : "UserResults", notes);
}

/** XPCS `#VA<n>`/`#VD<n>`/`#VE<n>` of the header → `VA`… with one word array per line. */
function writeXpcs(
  entry: Group,
  key: "#VA" | "#VD" | "#VE",
  header: PluginLine[],
  style: Style,
): void {
  const found = ofKey(header, key);
  if (found.length === 0) return;
  const name = key.slice(1);
  const notes = group(style.container);
  notes.attrs.set("description", utf8(`XPCS ${name} parameters`));
  const rows = found.map((line): [string, string[]] => [
    (line.text.split(/\s+/)[0] ?? "").replace(/^#+/, ""),
    afterFirstWord(line.text).split(/\s+/).filter(Boolean),
  ]);
  for (const [subkey, words] of pairs(rows, style)) {
    add(notes, cleanName(subkey), dataset(textArray(style, words), { spec_name: utf8(subkey) }));
  }
  add(entry, name, notes);
}

/** Lines no plugin recognises → `unrecognized_<n>` (the first free n) with `u0`, `u1`, …. */
function writeUnrecognized(entry: Group, lines: PluginLine[], style: Style): void {
  const found = lines.filter((line) => line.key === null);
  if (found.length === 0) return;
  const notes = group(style.container);
  notes.attrs.set("description", utf8("SPEC data file control lines not otherwise recognized"));
  found.forEach((line, i) => {
    add(notes, `u${i}`, dataset(style.text(line.text), { spec_name: utf8(`u${i}`) }));
  });
  let n = 1;
  while (entry.children.has(`unrecognized_${n}`)) n++;
  add(entry, `unrecognized_${n}`, notes);
}

/**
 * UNICAT `#H<n>` names (header) and `#V<n>` values (scan) → `metadata` ⇔ `instrument/metadata`.
 * The n-th `#V` line pairs with the n-th `#H` line; values are split on two spaces, or on one
 * when that gives as many values as names. A value is a float64 when Python's float() reads it,
 * else its text. Values without a name are reported, the others written.
 */
function writeUnicat(
  entry: Group,
  header: PluginLine[],
  lines: PluginLine[],
  context: EntryContext,
): void {
  const valueLines = ofKey(lines, "#V");
  if (valueLines.length === 0) return;
  const nameRows = ofKey(header, "#H").map((line) => afterFirstWord(line.text).split(/ {2,}/));
  const problems: string[] = [];
  const values: [string, string][] = [];
  valueLines.forEach((line, row) => {
    const names = nameRows[row];
    const rowKey = line.text.trimStart().split(" ")[0];
    if (names === undefined) {
      problems.push(`${rowKey} (line ${line.line}): no #H line ${row + 1} in the header`);
      return;
    }
    const text = afterFirstWord(line.text);
    let row2 = text.split("  ");
    if (row2.length !== names.length) row2 = text.split(" ");
    row2.forEach((value, column) => {
      const name = names[column];
      if (name === undefined) {
        problems.push(`${rowKey} (line ${line.line}): value ${column + 1} has no #H name`);
      } else if (name === "") {
        problems.push(`${rowKey} (line ${line.line}): value ${column + 1} has an empty #H name`);
      } else values.push([name, value]);
    });
  });
  const { style, path } = context;
  if (values.length > 0) {
    const metadata = group(style.container);
    metadata.attrs.set("description", utf8("SPEC metadata (UNICAT-style #H & #V lines)"));
    metadata.attrs.set("target", utf8(`${path}/metadata`));
    for (const [name, text] of pairs(values, style)) {
      const number = pythonFloat(text);
      const value = number === null ? style.text(text) : style.float(number);
      add(metadata, cleanName(name), dataset(value, { spec_name: utf8(name) }));
    }
    const used = add(entry, "metadata", metadata);
    add(subgroup(entry, "instrument", "NXinstrument"), "metadata", link(`${path}/${used}`));
  }
  if (problems.length > 0) throw new Error(problems.join("; "));
}

/** `#MD key = value` → `bluesky_metadata` (NXcollection in both styles, as spec2nexus writes it). */
function writeBlueskyMetadata(entry: Group, lines: PluginLine[], style: Style): void {
  const found = ofKey(lines, "#MD");
  if (found.length === 0) return;
  // spec2nexus numbers a malformed line by its dictionary's size.
  const byKey = new Map<string, string>();
  const all: [string, string][] = [];
  for (const { text } of found) {
    const equals = text.indexOf("=");
    const key = equals > "# MD ".length ? text.trim().split(/\s+/)[1] : undefined;
    const entryKey = key ?? `MD_line_${(style.compat ? byKey.size : all.length) + 1}`;
    const value = key === undefined ? text.trim() : text.slice(equals + 1).trim();
    byKey.set(entryKey, value);
    all.push([entryKey, value]);
  }
  const collection = group("NXcollection");
  collection.attrs.set(
    "description",
    utf8("Bluesky metadata (as written by apstools.SpecWriterCallback)"),
  );
  for (const [key, value] of pairs(all, style)) {
    add(collection, cleanName(key), dataset(style.text(value), { spec_name: utf8(key) }));
  }
  add(entry, "bluesky_metadata", collection);
}

/** `#UXML` lines, wrapped in `<UXML>` as uxml.py wraps them, → the `UXML` group. */
function writeUxml(entry: Group, lines: PluginLine[], { style, path }: EntryContext): void {
  const found = ofKey(lines, "#UXML");
  if (found.length === 0) return;
  const xml = `<UXML>\n${found.map((line) => afterFirstWord(line.text)).join("\n")}\n</UXML>`;
  let uxml: Group;
  try {
    const root = parseXml(xml);
    validateUxml(root);
    uxml = buildUxml(root, style, `${path}/UXML`);
  } catch (error) {
    // XML line 2 is the first #UXML line.
    const message = error instanceof Error ? error.message : String(error);
    const at = /^XML line (\d+): /.exec(message);
    const source = at ? found[Number(at[1]) - 2] : undefined;
    throw new Error(source ? `line ${source.line}: ${message.slice(at?.[0].length)}` : message);
  }
  add(entry, "UXML", uxml);
}

/** `#I factor` → `intensity_factor` (float64): read by spec2nexus, never written (fix #11). */
function writeIntensityFactor(entry: Group, lines: PluginLine[], style: Style): void {
  const found = ofKey(lines, "#I");
  const last = found[found.length - 1];
  if (last === undefined) return;
  const value = pythonFloat(afterFirstWord(last.text));
  if (value === null) throw new Error(`line ${last.line}: '${last.text}' holds no number`);
  add(
    entry,
    "intensity_factor",
    dataset(style.float(value), { description: utf8("intensity normalizing factor (#I)") }),
  );
}
