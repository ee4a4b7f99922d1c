/**
 * A small check of the XML that APS writes in `#UXML` lines: tags must nest and close, attributes
 * must be quoted, and a `<group>` holds only elements (the one content rule of the UXML schema
 * that real files break). It is not a full XML or schema validator.
 */

/** Null when the text is acceptable UXML content, else a one-line description of the problem. */
export function uxmlProblem(text: string): string | null {
  const open: string[] = [];
  const tag =
    /<(\/?)([A-Za-z_:][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
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
    tag.lastIndex = lt;
    const match = tag.exec(text);
    if (!match) return `malformed tag at character ${lt + 1}`;
    const [, closing, name = "", , selfClosing] = match;
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
    i = tag.lastIndex;
  }
  if (text.slice(i).includes(">") && !text.slice(i).includes("<")) {
    return "stray '>'";
  }
  const unclosed = open.pop();
  return unclosed === undefined ? null : `<${unclosed}> is never closed`;
}
