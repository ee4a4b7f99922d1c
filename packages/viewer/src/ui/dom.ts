/** Small DOM helpers: the page is plain TypeScript, no framework. */

type Attributes = Record<string, string | number | boolean | null | undefined>;
type Child = Node | string | null | undefined | false;

/**
 * An element with attributes and children. `true` sets an empty attribute, `false`/null/undefined
 * leave it out; a `text` attribute sets textContent.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name === "text") element.textContent = String(value);
    else element.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/** The element with this id; a missing one is a bug in index.html, so it throws. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`index.html has no #${id}`);
  return element as T;
}

/** A `<table>` with a caption read by screen readers, a header row and a body. */
export function table(caption: string, headings: string[], rows: Child[][]): HTMLTableElement {
  return h(
    "table",
    {},
    h("caption", { class: "visually-hidden", text: caption }),
    h("thead", {}, h("tr", {}, ...headings.map((text) => h("th", { scope: "col", text })))),
    h("tbody", {}, ...rows.map((cells) => h("tr", {}, ...cells.map((cell) => h("td", {}, cell))))),
  );
}

/** A number as people read it: integers as is, others with 6 significant digits. */
export function formatNumber(value: number | null): string {
  if (value === null || Number.isNaN(value)) return "—";
  if (Number.isInteger(value)) return String(value);
  return Number(value.toPrecision(6)).toString();
}

/** Bytes as KB/MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Tabs as WAI-ARIA describes them: buttons with role=tab in a tablist, arrows/Home/End move
 * between them, the chosen one shows its panel.
 */
export function wireTabs(list: HTMLElement, onChange?: (id: string) => void): (id: string) => void {
  const tabs = () => [...list.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
  const select = (id: string) => {
    for (const tab of tabs()) {
      const chosen = tab.id === id;
      tab.setAttribute("aria-selected", String(chosen));
      tab.tabIndex = chosen ? 0 : -1;
      const panel = document.getElementById(tab.getAttribute("aria-controls") ?? "");
      if (panel !== null) panel.hidden = !chosen;
    }
    onChange?.(id);
  };
  list.addEventListener("click", (event) => {
    const tab = (event.target as HTMLElement).closest<HTMLButtonElement>('[role="tab"]');
    if (tab !== null && !tab.disabled) select(tab.id);
  });
  list.addEventListener("keydown", (event) => {
    const all = tabs().filter((tab) => !tab.disabled && !tab.hidden);
    const at = all.indexOf(document.activeElement as HTMLButtonElement);
    if (at < 0) return;
    let next = -1;
    if (event.key === "ArrowRight") next = (at + 1) % all.length;
    else if (event.key === "ArrowLeft") next = (at - 1 + all.length) % all.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = all.length - 1;
    const target = all[next];
    if (target === undefined) return;
    event.preventDefault();
    target.focus();
    select(target.id);
  });
  return select;
}
