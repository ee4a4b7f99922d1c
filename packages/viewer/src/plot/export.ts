/**
 * Getting a plot out of the page: standalone SVG text, a PNG through a canvas, a download.
 * The components draw with presentation attributes (stroke, fill, font-size on the elements),
 * not with stylesheet rules, so the SVG renders the same outside the page.
 */

const SVG_NS = "http://www.w3.org/2000/svg";
const XLINK_NS = "http://www.w3.org/1999/xlink";

/** Elements only the live page needs (the pointer's zoom rectangle, focus rings). */
const PAGE_ONLY = "[data-specx-export='skip']";

/**
 * The text of a standalone SVG document: namespaces declared, explicit width and height, a
 * white background, the page's interactive overlays left out.
 */
export function svgText(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  for (const element of Array.from(copy.querySelectorAll(PAGE_ONLY))) element.remove();
  const box = svg.viewBox.baseVal;
  const width = svg.getAttribute("width") ?? String(box?.width || svg.clientWidth || 640);
  const height = svg.getAttribute("height") ?? String(box?.height || svg.clientHeight || 400);
  copy.setAttribute("xmlns", SVG_NS);
  copy.setAttribute("xmlns:xlink", XLINK_NS);
  copy.setAttribute("version", "1.1");
  copy.setAttribute("width", width);
  copy.setAttribute("height", height);
  for (const name of ["tabindex", "class", "style"]) copy.removeAttribute(name);
  if (copy.getAttribute("font-family") === null) copy.setAttribute("font-family", "sans-serif");
  const serialized = new XMLSerializer().serializeToString(copy);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${serialized}\n`;
}

/** The size an SVG text declares (its width and height attributes), or null. */
function declaredSize(text: string): { width: number; height: number } | null {
  const root = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
  const width = Number.parseFloat(root.getAttribute("width") ?? "");
  const height = Number.parseFloat(root.getAttribute("height") ?? "");
  return width > 0 && height > 0 ? { width, height } : null;
}

/**
 * A PNG of an SVG text, `scale` device pixels per SVG unit (2: sharp on high-density screens
 * and in print). Drawn through an <img> and a canvas; the text's own size when width or height
 * is 0.
 */
export async function svgToPng(text: string, width = 0, height = 0, scale = 2): Promise<Blob> {
  const size = width > 0 && height > 0 ? { width, height } : declaredSize(text);
  if (size === null) throw new Error("svgToPng: the SVG has no width and height");
  const url = URL.createObjectURL(new Blob([text], { type: "image/svg+xml" }));
  try {
    const image = new Image();
    image.decoding = "async";
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error("svgToPng: the SVG could not be drawn"));
      image.src = url;
    });
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.round(size.width * scale));
    canvas.height = Math.max(1, Math.round(size.height * scale));
    const context = canvas.getContext("2d");
    if (context === null) throw new Error("svgToPng: no 2D canvas");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await canvasToPng(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A canvas as a PNG blob. */
export function canvasToPng(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => {
    canvas.toBlob((blob) => {
      if (blob === null) reject(new Error("the canvas gave no PNG"));
      else resolve(blob);
    }, "image/png");
  });
}

/** Offers `data` to the user as a file named `fileName` (a text becomes a blob of `mime`). */
export function download(data: Blob | string, fileName: string, mime = "text/plain"): void {
  const blob = typeof data === "string" ? new Blob([data], { type: mime }) : data;
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  link.rel = "noopener";
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // The click starts the download asynchronously: revoke once it has the blob.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
