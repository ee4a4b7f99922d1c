/**
 * The scan list: a grid of the file's scans (key, command, date, points) with filters by text,
 * command macro and motor. One scan is current (shown on the right); several can be selected for
 * an overlay (checkbox, Ctrl-click, Shift-click). Arrows move, Enter opens, Space selects.
 */
import type { FileOverview, ScanRow } from "../protocol.js";
import { byId, h } from "./dom.js";

export interface ScanListEvents {
  /** A scan is opened (click, Enter). */
  open(index: number): void;
  /** The set of selected scans changed (for overlays). */
  select(indices: number[]): void;
}

export class ScanList {
  private readonly body: HTMLTableSectionElement;
  private readonly text = byId<HTMLInputElement>("filter-text");
  private readonly macro = byId<HTMLSelectElement>("filter-macro");
  private readonly motor = byId<HTMLSelectElement>("filter-motor");
  private readonly count = byId("scan-count");
  private overview: FileOverview | null = null;
  private visible: ScanRow[] = [];
  private rows = new Map<number, HTMLTableRowElement>();
  private selected = new Set<number>();
  private current = -1;
  private anchor = -1;

  private readonly events: ScanListEvents;

  constructor(events: ScanListEvents) {
    this.events = events;
    this.body = byId<HTMLTableElement>("scan-table").createTBody();
    for (const control of [this.text, this.macro, this.motor]) {
      control.addEventListener("input", () => this.render());
    }
    this.body.addEventListener("click", (event) => this.onClick(event));
    this.body.addEventListener("keydown", (event) => this.onKey(event));
  }

  /** Shows a file's scans (or none); the selection starts empty. */
  show(overview: FileOverview | null, current = -1, selected: number[] = []): void {
    this.overview = overview;
    this.current = current;
    this.selected = new Set(selected);
    this.anchor = current;
    const macros = new Set<string>();
    const motors = new Set<string>();
    for (const scan of overview?.scans ?? []) {
      if (scan.macro !== "") macros.add(scan.macro);
      for (const motor of scan.motors) motors.add(motor);
    }
    fillOptions(this.macro, [...macros].sort());
    fillOptions(this.motor, [...motors].sort());
    this.render();
  }

  /** Indices of the selected scans, in file order. */
  selection(): number[] {
    return [...this.selected].sort((a, b) => a - b);
  }

  /** Marks `index` as the current scan (and the only selected one unless `keepSelection`). */
  setCurrent(index: number, keepSelection = false): void {
    this.current = index;
    if (!keepSelection) this.selected = new Set([index]);
    this.anchor = index;
    this.refreshMarks();
  }

  private filtered(): ScanRow[] {
    const scans = this.overview?.scans ?? [];
    const words = this.text.value.toLowerCase().split(/\s+/).filter(Boolean);
    const macro = this.macro.value;
    const motor = this.motor.value;
    return scans.filter((scan) => {
      if (macro !== "" && scan.macro !== macro) return false;
      if (motor !== "" && !scan.motors.includes(motor)) return false;
      if (words.length === 0) return true;
      const haystack = `${scan.key} ${scan.command} ${scan.date ?? ""}`.toLowerCase();
      return words.every((word) => haystack.includes(word));
    });
  }

  private render(): void {
    this.visible = this.filtered();
    this.rows.clear();
    const fragment = document.createDocumentFragment();
    for (const scan of this.visible) {
      const row = this.renderRow(scan);
      this.rows.set(scan.index, row);
      fragment.append(row);
    }
    this.body.replaceChildren(fragment);
    const total = this.overview?.scans.length ?? 0;
    this.count.textContent =
      this.overview === null
        ? ""
        : this.visible.length === total
          ? `${total} scans`
          : `${this.visible.length} of ${total} scans`;
    this.refreshMarks();
  }

  private renderRow(scan: ScanRow): HTMLTableRowElement {
    const flags: string[] = [];
    if (scan.hasMca) flags.push("MCA");
    if (scan.isMesh) flags.push("mesh");
    const issues =
      scan.errors > 0
        ? h("span", {
            class: "flag-error",
            text: ` ⚠ ${scan.errors}`,
            title: `${scan.errors} errors`,
          })
        : scan.warnings > 0
          ? h("span", {
              class: "flag-warning",
              text: ` ! ${scan.warnings}`,
              title: `${scan.warnings} warnings`,
            })
          : null;
    return h(
      "tr",
      { "data-index": scan.index, "aria-selected": "false", tabindex: -1 },
      h(
        "td",
        {},
        h("input", {
          type: "checkbox",
          class: "overlay-check",
          tabindex: -1,
          "aria-label": `Select scan ${scan.key} for an overlay`,
        }),
      ),
      h("td", { class: "key" }, scan.key, issues),
      h(
        "td",
        { class: "command", title: scan.command },
        scan.command,
        flags.length > 0 ? h("span", { class: "note", text: ` [${flags.join(", ")}]` }) : null,
      ),
      h("td", { class: "date", text: scan.date ?? "" }),
      h("td", { class: "points", text: scan.points }),
    );
  }

  private refreshMarks(): void {
    for (const [index, row] of this.rows) {
      const selected = this.selected.has(index);
      row.setAttribute("aria-selected", String(selected));
      row.classList.toggle("current", index === this.current);
      if (index === this.current) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
      const box = row.querySelector<HTMLInputElement>(".overlay-check");
      if (box !== null) box.checked = selected;
    }
    // Roving focus: one row in the tab order, the current one (else the first).
    const focusable = this.rows.get(this.current) ?? this.body.rows[0];
    for (const row of this.body.rows) row.tabIndex = row === focusable ? 0 : -1;
  }

  private indexOf(element: EventTarget | null): number {
    const row = (element as HTMLElement | null)?.closest?.("tr");
    const value = row?.getAttribute("data-index");
    return value === null || value === undefined ? -1 : Number(value);
  }

  private onClick(event: MouseEvent): void {
    const index = this.indexOf(event.target);
    if (index < 0) return;
    const onCheckbox = (event.target as HTMLElement).classList.contains("overlay-check");
    if (onCheckbox || event.ctrlKey || event.metaKey) {
      this.toggle(index);
      return;
    }
    if (event.shiftKey && this.anchor >= 0) {
      const positions = this.visible.map((scan) => scan.index);
      const ends = [positions.indexOf(this.anchor), positions.indexOf(index)];
      const a = Math.min(...ends);
      const b = Math.max(...ends);
      if (a >= 0) {
        for (const at of positions.slice(a, b + 1)) this.selected.add(at);
        this.refreshMarks();
        this.events.select(this.selection());
        return;
      }
    }
    this.setCurrent(index);
    this.events.select(this.selection());
    this.events.open(index);
  }

  private toggle(index: number): void {
    if (this.selected.has(index) && this.selected.size > 1) this.selected.delete(index);
    else this.selected.add(index);
    this.anchor = index;
    this.refreshMarks();
    this.events.select(this.selection());
  }

  private onKey(event: KeyboardEvent): void {
    const rows = [...this.body.rows];
    const at = rows.indexOf(document.activeElement as HTMLTableRowElement);
    if (at < 0) return;
    let next = -1;
    if (event.key === "ArrowDown") next = Math.min(rows.length - 1, at + 1);
    else if (event.key === "ArrowUp") next = Math.max(0, at - 1);
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = rows.length - 1;
    else if (event.key === "PageDown") next = Math.min(rows.length - 1, at + 15);
    else if (event.key === "PageUp") next = Math.max(0, at - 15);
    else if (event.key === "Enter") {
      event.preventDefault();
      const index = this.indexOf(rows[at] ?? null);
      this.setCurrent(index);
      this.events.select(this.selection());
      this.events.open(index);
      return;
    } else if (event.key === " ") {
      event.preventDefault();
      this.toggle(this.indexOf(rows[at] ?? null));
      return;
    }
    const target = rows[next];
    if (target === undefined) return;
    event.preventDefault();
    for (const row of rows) row.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
    if (event.shiftKey) {
      this.selected.add(this.indexOf(target));
      this.refreshMarks();
      target.tabIndex = 0;
      target.focus();
      this.events.select(this.selection());
    }
  }
}

function fillOptions(select: HTMLSelectElement, values: string[]): void {
  const kept = select.value;
  select.replaceChildren(
    h("option", { value: "", text: "all" }),
    ...values.map((value) => h("option", { value, text: value })),
  );
  select.value = values.includes(kept) ? kept : "";
}
