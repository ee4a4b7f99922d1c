/**
 * The Diagnostics panel (the file's defects: severity, code, line, scan, message) and the raw
 * text view that each diagnostic's line opens, read from the worker 40 lines at a time.
 */
import type { Diagnostic } from "@specx/spec-parser";
import type { Answers } from "../protocol.js";
import { byId, h } from "./dom.js";

/** Rows rendered at most: a damaged big file can report many thousands. */
const MAX_ROWS = 2000;
/** Lines shown on each side of the asked line. */
const CONTEXT = 20;

export function showDiagnostics(
  diagnostics: readonly Diagnostic[],
  openLine: (line: number) => void,
): void {
  const count = byId("diagnostics-count");
  const holder = byId("diagnostics-table");
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  const warnings = diagnostics.filter((d) => d.severity === "warning").length;
  count.textContent =
    diagnostics.length === 0
      ? "No diagnostics: the file reads cleanly."
      : `${diagnostics.length} diagnostics (${errors} errors, ${warnings} warnings)` +
        (diagnostics.length > MAX_ROWS ? `; the first ${MAX_ROWS} are listed` : "");
  if (diagnostics.length === 0) {
    holder.replaceChildren();
    return;
  }
  const rows = diagnostics.slice(0, MAX_ROWS).map((d) => {
    const line = d.line;
    const lineCell =
      line === null
        ? h("span", { class: "note", text: "file" })
        : h("button", {
            type: "button",
            class: "open-line",
            "data-line": line,
            "aria-label": `Show line ${line} in the raw text`,
            text: String(line),
          });
    return h(
      "tr",
      {},
      h("td", { class: `severity-${d.severity}`, text: d.severity }),
      h("td", {}, h("code", { text: d.code })),
      h("td", {}, lineCell),
      h("td", { text: d.scan ?? "" }),
      h("td", { text: d.message }),
    );
  });
  const tableElement = h(
    "table",
    {},
    h("caption", { class: "visually-hidden", text: "Diagnostics" }),
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        ...["Severity", "Code", "Line", "Scan", "Message"].map((text) =>
          h("th", { scope: "col", text }),
        ),
      ),
    ),
    h("tbody", {}, ...rows),
  );
  tableElement.addEventListener("click", (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>("button.open-line");
    if (button !== null) openLine(Number(button.dataset.line));
  });
  holder.replaceChildren(tableElement);
}

/** The line range to ask the worker for, around `line`, within the file. */
export function rangeAround(line: number, lineCount: number): { from: number; to: number } {
  const from = Math.max(1, line - CONTEXT);
  const to = Math.max(from, Math.min(Math.max(lineCount, 1), line + CONTEXT));
  return { from, to };
}

/** Renders lines with their numbers, highlights `target` and scrolls it into the middle. */
export function showRawText(answer: Answers["lines"], target: number): void {
  const pre = byId("raw-text");
  const fragment = document.createDocumentFragment();
  answer.lines.forEach((text, offset) => {
    const number = answer.from + offset;
    fragment.append(
      h(
        "span",
        { class: number === target ? "line target" : "line", "data-line": number },
        h("span", { class: "number", "aria-hidden": "true", text: String(number) }),
        text,
      ),
    );
  });
  pre.replaceChildren(fragment);
  byId<HTMLInputElement>("raw-line").value = String(target);
  const marked = pre.querySelector<HTMLElement>(".line.target");
  if (marked !== null) {
    pre.scrollTop = Math.max(0, marked.offsetTop - pre.clientHeight / 2);
  }
}
