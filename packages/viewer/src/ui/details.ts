/** The Details panel: a scan's header facts, positioners, #MD metadata and comments. */
import type { ScanDetail } from "../protocol.js";
import { byId, formatNumber, h, table } from "./dom.js";

function empty(text: string): HTMLElement {
  return h("p", { class: "note", text });
}

export function showDetails(scan: ScanDetail | null): void {
  const facts = byId("details-facts");
  const positioners = byId("details-positioners");
  const metadata = byId("details-metadata");
  const comments = byId("details-comments");
  if (scan === null) {
    for (const element of [facts, positioners, metadata, comments]) element.replaceChildren();
    return;
  }
  const factRows: [string, string][] = [
    ["Scan", scan.key],
    ["Command", scan.command],
    ["Line of #S", String(scan.line)],
    ["Date", scan.date ?? "—"],
    ["Preset", scan.preset ?? "—"],
    ["Points", String(scan.points)],
    ["Columns", scan.labels.join(", ") || "—"],
    ...(scan.aborted ? ([["Aborted", "yes"]] as [string, string][]) : []),
    ...(scan.mca === null
      ? []
      : ([["MCA", `${scan.mca.spectra} spectra × ${scan.mca.channels} channels`]] as [
          string,
          string,
        ][])),
    ...scan.facts.map((fact): [string, string] => [fact.label, fact.value]),
  ];
  facts.replaceChildren(
    h(
      "table",
      { class: "facts" },
      h("caption", { class: "visually-hidden", text: "Header facts" }),
      h(
        "tbody",
        {},
        ...factRows.map(([label, value]) =>
          h("tr", {}, h("th", { scope: "row", text: label }), h("td", { text: value })),
        ),
      ),
    ),
  );
  positioners.replaceChildren(
    scan.positioners.length === 0
      ? empty("No positioners (#O/#P).")
      : table(
          "Positioners",
          ["Name", "Mnemonic", "Value"],
          scan.positioners.map((p) => [p.name, p.mnemonic ?? "", formatNumber(p.value)]),
        ),
  );
  metadata.replaceChildren(
    scan.metadata.length === 0
      ? empty("No #MD lines.")
      : table(
          "#MD metadata",
          ["Key", "Value"],
          scan.metadata.map((entry) => [entry.key, entry.value]),
        ),
  );
  comments.replaceChildren(
    scan.comments.length === 0
      ? empty("No comments (#C).")
      : table(
          "Comments",
          ["Line", "Comment"],
          scan.comments.map((comment) => [String(comment.line), comment.text]),
        ),
  );
}
