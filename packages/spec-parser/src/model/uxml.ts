/**
 * A small check of the XML that APS writes in `#UXML` lines: tags must nest and close, attributes
 * must be quoted, and a `<group>` holds only elements (the one content rule of the UXML schema
 * that real files break). It is not a full XML or schema validator.
 */

/** Null when the text is acceptable UXML content, else a one-line description of the problem. */
export function uxmlProblem(text: string): string | null {
  const open: string[] = [];
  let i = 0;
  while (i < text.length) {
    const lt = text.indexOf("<", i);
    if (lt < 0) break;
    if (open[open.length - 1] === "group" && text.slice(i, lt).trim() !== "") {
      return "text inside <group>, which may hold only elements";
    }
    if (text.startsWith("<!--", lt)) {
      const end = text.indexOf("-->", lt + 4);
      if (end < 0) return "unterminated comment";
      i = end + 3;
      continue;
    }
    if (text.startsWith("<?", lt)) {
      const end = text.indexOf("?>", lt + 2);
      if (end < 0) return "unterminated processing instruction";
      i = end + 2;
      continue;
    }
    if (text.startsWith("<![CDATA[", lt)) {
      const end = text.indexOf("]]>", lt + 9);
      if (end < 0) return "unterminated CDATA section";
      i = end + 3;
      continue;
    }
    const tag = readTag(text, lt);
    if (!tag) return `malformed tag at character ${lt + 1}`;
    const { closing, name, selfClosing } = tag;
    if (closing) {
      const expected = open.pop();
      if (expected !== name) {
        return expected === undefined
          ? `closing tag </${name}> without an opening tag`
          : `</${name}> closes <${expected}>`;
      }
    } else if (!selfClosing) {
      open.push(name);
    }
    i = tag.end;
  }
  if (text.slice(i).includes(">") && !text.slice(i).includes("<")) {
    return "stray '>'";
  }
  const unclosed = open.pop();
  return unclosed === undefined ? null : `<${unclosed}> is never closed`;
}

const TAG_START = /<(\/?)([A-Za-z_:][\w:.-]*)/y;
const ATTRIBUTE = /\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"]*"|'[^']*')/y;
const TAG_END = /\s*(\/?)>/y;

/** The tag that starts at `at` (`<name attr="v">`, `</name>`, `<name/>`), or null if malformed. */
function readTag(
  text: string,
  at: number,
): { closing: boolean; name: string; selfClosing: boolean; end: number } | null {
  TAG_START.lastIndex = at;
  const start = TAG_START.exec(text);
  if (!start) return null;
  // One attribute per match: as a repeated group of one expression, every attribute held a
  // backtracking frame, and a tag of a million attributes overflowed the regex stack.
  let end = TAG_START.lastIndex;
  ATTRIBUTE.lastIndex = end;
  while (ATTRIBUTE.exec(text)) end = ATTRIBUTE.lastIndex;
  TAG_END.lastIndex = end;
  const close = TAG_END.exec(text);
  if (!close) return null;
  return {
    closing: start[1] === "/",
    name: start[2] ?? "",
    selfClosing: close[1] === "/",
    end: TAG_END.lastIndex,
  };
}
