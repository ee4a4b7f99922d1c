/**
 * Colours: the series palette and the image colour map. Pure functions, no DOM.
 */

/**
 * Series colours that stay distinct for the common colour-vision deficiencies (the Okabe–Ito
 * set, without its yellow, too pale on white). Past its length, series repeat it dashed.
 */
export const SERIES_PALETTE: readonly string[] = [
  "#0072b2",
  "#d55e00",
  "#009e73",
  "#cc79a7",
  "#e69f00",
  "#56b4e9",
  "#000000",
];

/** The palette colour and dash pattern ("" for solid) of the n-th series. */
export function seriesStyle(index: number): { color: string; dash: string } {
  const length = SERIES_PALETTE.length;
  const round = Math.floor(index / length);
  const dashes = ["", "6 3", "2 3", "8 3 2 3"];
  return {
    color: SERIES_PALETTE[index % length] as string,
    dash: dashes[round % dashes.length] as string,
  };
}

/** sRGB transfer function (linear light → encoded 0..1). */
function encode(linear: number): number {
  return linear <= 0.0031308 ? 12.92 * linear : 1.055 * linear ** (1 / 2.4) - 0.055;
}

/** OKLab (L, a, b) → linear sRGB, the published OKLab matrices. */
function oklabToLinear(lightness: number, a: number, b: number): [number, number, number] {
  const l = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (lightness - 0.0894841775 * a - 1.291485548 * b) ** 3;
  return [
    4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
    -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
    -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s,
  ];
}

const inGamut = (rgb: [number, number, number]) => rgb.every((c) => c >= -1e-6 && c <= 1 + 1e-6);

/** OKLCh → 8-bit sRGB, chroma reduced (hue and lightness kept) until the colour exists. */
export function oklchToRgb(lightness: number, chroma: number, hueDegrees: number): number[] {
  const hue = (hueDegrees * Math.PI) / 180;
  const at = (c: number) => oklabToLinear(lightness, c * Math.cos(hue), c * Math.sin(hue));
  let rgb = at(chroma);
  if (!inGamut(rgb)) {
    let low = 0;
    let high = chroma;
    for (let step = 0; step < 24; step++) {
      const middle = (low + high) / 2;
      if (inGamut(at(middle))) low = middle;
      else high = middle;
    }
    rgb = at(low);
  }
  return rgb.map((c) => Math.round(255 * encode(Math.min(1, Math.max(0, c)))));
}

/**
 * The image colour map at t in [0, 1]: dark violet through blue and teal to yellow, like
 * viridis. Lightness rises linearly in OKLab (a perceptually uniform space), so equal steps of
 * value look like equal steps of brightness, in grey too and for colour-blind readers.
 */
export function colorMapRgb(t: number): [number, number, number] {
  const clamped = Math.min(1, Math.max(0, t));
  const lightness = 0.28 + 0.64 * clamped;
  const chroma = 0.12 - 0.15 * clamped + 0.22 * clamped * clamped;
  const hue = 318 - 212 * clamped;
  const [r = 0, g = 0, b = 0] = oklchToRgb(lightness, chroma, hue);
  return [r, g, b];
}

/** The colour map sampled at 256 levels, RGBA, for fast lookup. */
export const COLOR_MAP_TABLE: Uint8ClampedArray = (() => {
  const table = new Uint8ClampedArray(256 * 4);
  for (let level = 0; level < 256; level++) {
    const [r, g, b] = colorMapRgb(level / 255);
    table.set([r, g, b, 255], level * 4);
  }
  return table;
})();

/** "#rrggbb" of an RGB triple. */
export function hexColor(rgb: readonly number[]): string {
  return `#${rgb
    .slice(0, 3)
    .map((c) => Math.round(c).toString(16).padStart(2, "0"))
    .join("")}`;
}
