/**
 * PNG output: the chart's SVG rasterised by resvg (`@resvg/resvg-js`, prebuilt native binaries
 * from npm, no browser). resvg draws text only with fonts it can find, and specx never downloads
 * any: it loads the system fonts and, in case the system's font folders are not where resvg
 * looks, common sans-serif files by path. When no font can be found at all, the PNG is still
 * written, without text, and the caller is told so it can warn.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type { ResvgRenderOptions } from "@resvg/resvg-js";

/** Font files tried by path, with their family names: Debian/Ubuntu, Fedora, macOS, Windows. */
const knownFonts = [
  { family: "DejaVu Sans", file: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf" },
  { family: "DejaVu Sans", file: "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf" },
  { family: "DejaVu Sans", file: "/usr/share/fonts/TTF/DejaVuSans.ttf" },
  {
    family: "Liberation Sans",
    file: "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
  },
  {
    family: "Liberation Sans",
    file: "/usr/share/fonts/liberation-sans/LiberationSans-Regular.ttf",
  },
  { family: "Arial", file: "/Library/Fonts/Arial.ttf" },
  { family: "Arial", file: "/System/Library/Fonts/Supplemental/Arial.ttf" },
  { family: "Arial", file: "C:\\Windows\\Fonts\\arial.ttf" },
];

/** The rasterised chart, and whether a font was found for its text. */
export interface PngResult {
  png: Uint8Array;
  textDrawn: boolean;
}

/** Where fonts come from; tests turn both off to see the no-font case. */
export interface FontSources {
  systemFonts: boolean;
  files: { family: string; file: string }[];
}

/** Renders `svg` as a PNG at `scale` times its size (2 gives sharp text on screens). */
export async function svgToPng(
  svg: string,
  scale = 2,
  fonts: FontSources = { systemFonts: true, files: knownFonts },
): Promise<PngResult> {
  // Required, not imported: the bundled CLI (scripts/bundle.mjs) cannot import(), and resvg, a
  // native addon, is CommonJS. Loaded here, when a PNG is drawn, not at start.
  const { Resvg } = createRequire(import.meta.url)(
    "@resvg/resvg-js",
  ) as typeof import("@resvg/resvg-js");
  const found = fonts.files.filter((font) => existsSync(font.file));
  const family = found[0]?.family;
  const options: ResvgRenderOptions = {
    font: {
      loadSystemFonts: fonts.systemFonts,
      fontFiles: found.map((font) => font.file),
      ...(family ? { defaultFontFamily: family, sansSerifFamily: family } : {}),
    },
    fitTo: { mode: "zoom", value: scale },
    background: "#ffffff",
    logLevel: "off",
  };
  const png = new Resvg(svg, options).render().asPng();
  const textDrawn = family !== undefined || drawsText(new Resvg(probeSvg, options).render().pixels);
  return { png: new Uint8Array(png), textDrawn };
}

/** A black "0" on white: if no pixel is dark once rendered, no font was found. */
const probeSvg =
  '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24"><rect width="24" height="24" fill="#fff"/><text x="4" y="20" font-size="20" font-family="sans-serif">0</text></svg>';

function drawsText(rgba: Uint8Array): boolean {
  for (let i = 0; i < rgba.length; i += 4) if ((rgba[i] as number) < 128) return true;
  return false;
}
