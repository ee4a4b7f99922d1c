/**
 * `#UXML` lines: XML that describes groups, datasets and hard links (spec2nexus's
 * plugins/uxml.py, checked against its uxml.xsd). spec2nexus reads it with lxml; this is a small
 * reader for the part of XML that UXML uses (elements, attributes, text, entities, comments,
 * CDATA), so that the package needs no XML library.
 */
import { add, dataset, type Group, group, type Node, utf8 } from "../tree/nodes.js";
import type { Style } from "./style.js";

export interface XmlElement {
  name: string;
  attrs: Map<string, string>;
  children: (XmlElement | string)[];
  /** 1-based line of the start tag in the XML text. */
  line: number;
}

/** Reads one XML document (a root element); throws an Error naming the line on malformed XML. */
export function parseXml(text: string): XmlElement {
  const reader = new XmlReader(text);
  reader.skipMisc();
  const root = reader.element();
  reader.skipMisc();
  if (!reader.atEnd()) reader.fail("text after the root element");
  return root;
}

const nameStart = /[\p{L}_:]/u;
const nameChar = /[\p{L}\p{N}_:.\-\u00b7]/u;

class XmlReader {
  private pos = 0;
  private readonly text: string;
  constructor(text: string) {
    this.text = text;
  }

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(problem: string): never {
    const line = this.lineAt(this.pos);
    throw new Error(`XML line ${line}: ${problem}`);
  }

  private lineAt(pos: number): number {
    let line = 1;
    for (let i = 0; i < pos && i < this.text.length; i++) if (this.text[i] === "\n") line++;
    return line;
  }

  private startsWith(token: string): boolean {
    return this.text.startsWith(token, this.pos);
  }

  private expect(token: string): void {
    if (!this.startsWith(token)) this.fail(`expected '${token}'`);
    this.pos += token.length;
  }

  private skipSpace(): boolean {
    const start = this.pos;
    while (!this.atEnd() && " \t\r\n".includes(this.text[this.pos] as string)) this.pos++;
    return this.pos > start;
  }

  /** Blanks, comments and processing instructions (the XML declaration among them). */
  skipMisc(): void {
    for (;;) {
      this.skipSpace();
      if (this.startsWith("<!--")) this.comment();
      else if (this.startsWith("<?")) this.instruction();
      else return;
    }
  }

  private comment(): void {
    const end = this.text.indexOf("-->", this.pos + 4);
    if (end < 0) this.fail("comment not closed");
    this.pos = end + 3;
  }

  private instruction(): void {
    const end = this.text.indexOf("?>", this.pos + 2);
    if (end < 0) this.fail("processing instruction not closed");
    this.pos = end + 2;
  }

  private name(): string {
    const start = this.pos;
    if (this.atEnd() || !nameStart.test(this.text[this.pos] as string))
      this.fail("expected a name");
    this.pos++;
    while (!this.atEnd() && nameChar.test(this.text[this.pos] as string)) this.pos++;
    return this.text.slice(start, this.pos);
  }

  element(): XmlElement {
    const line = this.lineAt(this.pos);
    this.expect("<");
    const name = this.name();
    const attrs = new Map<string, string>();
    for (;;) {
      const spaced = this.skipSpace();
      if (this.startsWith("/>")) {
        this.pos += 2;
        return { name, attrs, children: [], line };
      }
      if (this.startsWith(">")) {
        this.pos++;
        break;
      }
      if (!spaced) this.fail(`expected a blank before an attribute of <${name}>`);
      const attr = this.name();
      this.skipSpace();
      this.expect("=");
      this.skipSpace();
      if (attrs.has(attr)) this.fail(`attribute '${attr}' repeated`);
      attrs.set(attr, this.attributeValue());
    }
    const children: (XmlElement | string)[] = [];
    let text = "";
    for (;;) {
      if (this.atEnd()) this.fail(`<${name}> not closed`);
      if (this.startsWith("</")) {
        this.pos += 2;
        const closing = this.name();
        if (closing !== name) this.fail(`</${closing}> closes <${name}>`);
        this.skipSpace();
        this.expect(">");
        if (text) children.push(text);
        return { name, attrs, children, line };
      }
      if (this.startsWith("<!--")) this.comment();
      else if (this.startsWith("<![CDATA[")) {
        const end = this.text.indexOf("]]>", this.pos);
        if (end < 0) this.fail("CDATA not closed");
        text += this.text.slice(this.pos + 9, end);
        this.pos = end + 3;
      } else if (this.startsWith("<?")) this.instruction();
      else if (this.startsWith("<")) {
        if (text) children.push(text);
        text = "";
        children.push(this.element());
      } else text += this.characters("<");
    }
  }

  private attributeValue(): string {
    const quote = this.text[this.pos];
    if (quote !== '"' && quote !== "'") this.fail("attribute value not quoted");
    this.pos++;
    const value = this.characters(quote);
    this.expect(quote);
    // Attribute-value normalisation: each blank character becomes a space.
    return value.replace(/[\t\r\n]/g, " ");
  }

  /** Text up to `stop` (not consumed), with references replaced. */
  private characters(stop: string): string {
    let out = "";
    while (!this.atEnd()) {
      const c = this.text[this.pos] as string;
      if (c === stop) return out;
      if (c === "<") this.fail("'<' in a value");
      if (c === "&") out += this.reference();
      else {
        out += c;
        this.pos++;
      }
    }
    return out;
  }

  private reference(): string {
    const end = this.text.indexOf(";", this.pos);
    if (end < 0) this.fail("'&' without ';'");
    const ref = this.text.slice(this.pos + 1, end);
    this.pos = end + 1;
    const named: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'" };
    if (ref in named) return named[ref] as string;
    const code = /^#x([0-9a-fA-F]+)$/.exec(ref)?.[1] ?? /^#([0-9]+)$/.exec(ref)?.[1];
    if (code !== undefined) {
      const point = ref.startsWith("#x") ? Number.parseInt(code, 16) : Number.parseInt(code, 10);
      if (point > 0 && point <= 0x10ffff) return String.fromCodePoint(point);
    }
    return this.fail(`unknown reference '&${ref};'`);
  }
}

/** What uxml.xsd allows: attributes of each element, the required ones, and the content. */
const schema: Record<
  string,
  { attrs: string[]; required: string[]; content: "elements" | "text" | "empty" }
> = {
  UXML: { attrs: [], required: [], content: "elements" },
  group: {
    attrs: [
      "name",
      "_exists_",
      "NX_class",
      "array_port",
      "description",
      "input_port",
      "number",
      "prefix",
      "pv_prefix",
      "roi_prefix",
      "unique_id",
    ],
    required: ["name", "NX_class"],
    content: "elements",
  },
  dataset: {
    attrs: [
      "name",
      "array_port",
      "input_port",
      "number",
      "stats_prefix",
      "type",
      "units",
      "value_description",
      "unique_id",
    ],
    required: ["name"],
    content: "text",
  },
  hardlink: { attrs: ["name", "target_id"], required: ["name", "target_id"], content: "empty" },
};

const ncName = /^[\p{L}_][\p{L}\p{N}_.\-\u00b7]*$/u;
const nmToken = /^[\p{L}\p{N}_.:\-\u00b7]+$/u;
const attributeTypes: Record<string, RegExp> = {
  name: ncName,
  NX_class: ncName,
  array_port: ncName,
  input_port: ncName,
  type: ncName,
  units: ncName,
  value_description: ncName,
  number: /^[+-]?\d+$/,
  _exists_: /^(true|false|1|0)$/,
  stats_prefix: nmToken,
  prefix: nmToken,
  pv_prefix: nmToken,
  roi_prefix: nmToken,
  unique_id: nmToken,
  target_id: nmToken,
};

/**
 * Checks `element` and its descendants against uxml.xsd's rules; throws on the first breach, as
 * spec2nexus's `assertValid` does (it then loses the whole file: docs/nexus.md, fix #12).
 */
export function validateUxml(element: XmlElement): void {
  const rules = schema[element.name];
  if (rules === undefined)
    throw new Error(`XML line ${element.line}: <${element.name}> is not a UXML element`);
  for (const [attr, value] of element.attrs) {
    if (!rules.attrs.includes(attr)) {
      throw new Error(`XML line ${element.line}: <${element.name}> has no attribute '${attr}'`);
    }
    const type = attributeTypes[attr];
    if (type && !type.test(value.trim())) {
      throw new Error(`XML line ${element.line}: '${attr}="${value}"' is not a valid value`);
    }
  }
  for (const attr of rules.required) {
    if (!element.attrs.has(attr)) {
      throw new Error(`XML line ${element.line}: <${element.name}> needs the attribute '${attr}'`);
    }
  }
  for (const child of element.children) {
    if (typeof child === "string") {
      if (rules.content !== "text" && child.trim() !== "") {
        throw new Error(
          `XML line ${element.line}: <${element.name}> holds text ('${child.trim().slice(0, 40)}'), only elements are allowed`,
        );
      }
    } else {
      if (rules.content !== "elements") {
        throw new Error(`XML line ${child.line}: <${element.name}> cannot hold <${child.name}>`);
      }
      validateUxml(child);
    }
  }
}

/** A hard link asked for by `<hardlink>`, made once every `unique_id` is known. */
interface PendingLink {
  parent: Group;
  name: string;
  targetId: string;
}

/**
 * The `UXML` group from a validated `<UXML>` root: `<group>` → group (NX_class and other
 * attributes), `<dataset>` → dataset typed by its `type` (int, float, str), `<hardlink>` → a
 * hard link to the object with that `unique_id`, which gets `@target` (eznx.makeLink's way).
 * `path` is the absolute path of the UXML group.
 */
export function buildUxml(root: XmlElement, style: Style, path: string): Group {
  const uxml = group(style.container);
  uxml.attrs.set("desc", utf8("UXML metadata"));
  const byId = new Map<string, { node: Node; path: string }>();
  const links: PendingLink[] = [];
  const walk = (parent: Group, parentPath: string, element: XmlElement): void => {
    for (const child of element.children) {
      if (typeof child === "string") continue;
      const attrs = child.attrs;
      const name = attrs.get("name") ?? "";
      if (child.name === "hardlink") {
        const targetId = attrs.get("target_id");
        if (targetId !== undefined) links.push({ parent, name, targetId });
        continue;
      }
      const node =
        child.name === "group" ? group(attrs.get("NX_class")) : dataset(uxmlValue(child, style));
      const skipped =
        child.name === "group" ? ["name", "NX_class", "unique_id"] : ["name", "type", "unique_id"];
      for (const [attr, value] of attrs)
        if (!skipped.includes(attr)) node.attrs.set(attr, utf8(value));
      const used = add(parent, name, node);
      const nodePath = `${parentPath}/${used}`;
      const id = attrs.get("unique_id");
      if (id !== undefined) byId.set(id, { node, path: nodePath });
      if (node.kind === "group") walk(node, nodePath, child);
    }
  };
  walk(uxml, path, root);
  // spec2nexus keeps one link per target_id (a dictionary): the last one asked for.
  const lastPerTarget = new Map<string, PendingLink>();
  for (const pending of links) lastPerTarget.set(pending.targetId, pending);
  for (const pending of style.compat ? lastPerTarget.values() : links) {
    const target = byId.get(pending.targetId);
    if (target === undefined || target.node.kind === "link") continue;
    if (!target.node.attrs.has("target")) target.node.attrs.set("target", utf8(target.path));
    add(pending.parent, pending.name, { kind: "link", target: target.path });
  }
  return uxml;
}

/** A dataset's text converted as its `type` says (Python's int(), float() or str()). */
function uxmlValue(element: XmlElement, style: Style) {
  const texts = element.children.filter((c): c is string => typeof c === "string");
  // lxml's .text is None for an empty element, and str(None) is "None".
  const text = texts.length > 0 ? texts.join("") : null;
  const type = element.attrs.get("type") ?? "str";
  if (type === "str") return style.text(text ?? "None");
  const trimmed = (text ?? "").trim().replace(/(\d)_(?=\d)/g, "$1");
  if (type === "int" && /^[+-]?\d+$/.test(trimmed)) return style.int(Number(trimmed));
  if (type === "float") {
    const value = pythonFloat(trimmed);
    if (value !== null) return style.float(value);
  }
  if (type !== "int" && type !== "float") {
    throw new Error(`XML line ${element.line}: unexpected type='${type}'`);
  }
  throw new Error(
    `XML line ${element.line}: '${text}' is not a${type === "int" ? "n int" : " float"}`,
  );
}

const pythonNumber =
  /^[+-]?(?:(?:\d(?:_?\d)*)?\.\d(?:_?\d)*|\d(?:_?\d)*\.?)(?:[eE][+-]?\d(?:_?\d)*)?$/;
const pythonSpecial = /^([+-]?)(inf|infinity|nan)$/i;

/** Python's `float(text)`: the number, or null where Python raises ValueError. */
export function pythonFloat(text: string): number | null {
  const trimmed = text.trim();
  if (pythonNumber.test(trimmed)) return Number(trimmed.replace(/_/g, ""));
  const special = pythonSpecial.exec(trimmed);
  if (special === null) return null;
  if ((special[2] as string).toLowerCase() === "nan") return Number.NaN;
  return special[1] === "-" ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
}
