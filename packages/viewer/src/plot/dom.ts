/** Small DOM helpers shared by the chart and the image view. */

export const SVG_NS = "http://www.w3.org/2000/svg";

/** An SVG element with these attributes, appended to `parent` when given. */
export function svgElement<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  parent?: Element,
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  parent?.append(element);
  return element;
}

/** A text element; the white halo keeps labels readable over lines (and in the export). */
export function svgLabel(
  parent: Element,
  text: string,
  attributes: Record<string, string | number>,
  halo = false,
): SVGTextElement {
  const element = svgElement(
    "text",
    {
      "font-size": 12,
      fill: "#222222",
      ...(halo
        ? {
            stroke: "#ffffff",
            "stroke-width": 3,
            "paint-order": "stroke",
            "stroke-linejoin": "round",
          }
        : {}),
      ...attributes,
    },
    parent,
  );
  element.textContent = text;
  return element;
}

/** Width of a label in 12 px sans-serif, estimated (layout runs before anything is measured). */
export function textWidth(text: string, fontSize = 12): number {
  return text.length * fontSize * 0.58;
}

const STYLE_ID = "specx-plot-style";

/** What the components need from CSS (visuals are SVG attributes, so that exports keep them). */
const STYLES = `
.specx-plot-line, .specx-plot-image { position: relative; }
.specx-plot-svg { display: block; user-select: none; touch-action: none; background: #ffffff; }
.specx-plot-svg:focus-visible { outline: 2px solid #0072b2; outline-offset: 2px; }
.specx-plot-svg .specx-plot-area { cursor: crosshair; }
.specx-plot-svg.specx-plot-panning .specx-plot-area { cursor: grabbing; }
.specx-plot-live { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip-path: inset(50%); white-space: nowrap; border: 0; }
.specx-plot-image canvas.specx-plot-canvas { position: absolute; image-rendering: pixelated;
  pointer-events: none; }
`;

/** Adds the components' style element to the document once. */
export function ensureStyles(document: Document): void {
  if (document.getElementById(STYLE_ID) !== null) return;
  const style = document.createElement("style");
  style.id = STYLE_ID;
  style.textContent = STYLES;
  document.head.append(style);
}

/** A visually hidden live region: screen readers announce what is written into it. */
export function liveRegion(parent: HTMLElement): HTMLElement {
  const region = document.createElement("div");
  region.className = "specx-plot-live";
  region.setAttribute("aria-live", "polite");
  region.setAttribute("role", "status");
  parent.append(region);
  return region;
}

/** The pointer's position in the SVG's own units (the SVG may be drawn scaled by CSS). */
export function localPoint(svg: SVGSVGElement, event: MouseEvent, width: number, height: number) {
  const box = svg.getBoundingClientRect();
  return {
    x: box.width > 0 ? ((event.clientX - box.left) * width) / box.width : 0,
    y: box.height > 0 ? ((event.clientY - box.top) * height) / box.height : 0,
  };
}
