/**
 * How values are encoded: specx's NeXus (scalars, UTF-8, NXcollection containers) or, with
 * `--compat spec2nexus`, spec2nexus's own encodings for scripts that depend on them (1-element
 * arrays, ASCII with other characters dropped, NXnote containers: docs/nexus.md).
 * The correctness fixes of §2 hold in both.
 */
import {
  float64,
  float64Scalar,
  int64,
  int64Scalar,
  type NumericValue,
  type TextValue,
} from "../tree/nodes.js";

export interface Style {
  /** True for spec2nexus's encodings. */
  compat: boolean;
  /** A string dataset. */
  text(value: string): TextValue;
  /** A float64 dataset holding one number. */
  float(value: number): NumericValue;
  /** An int64 dataset holding one integer. */
  int(value: number): NumericValue;
  /** The NX_class of groups that only hold other things (fix #15: h5web's NXnote view needs `data`). */
  container: "NXnote" | "NXcollection";
}

/** spec2nexus writes dataset strings as ASCII with `errors="ignore"`: other characters vanish. */
function asciiOnly(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
  return text.replace(/[^\x00-\x7f]/g, "");
}

export const specxStyle: Style = {
  compat: false,
  text: (value) => ({ type: "text", charset: "utf-8", data: [value], shape: [] }),
  float: (value) => float64Scalar(value),
  int: (value) => int64Scalar(value),
  container: "NXcollection",
};

export const spec2nexusStyle: Style = {
  compat: true,
  text: (value) => ({ type: "text", charset: "ascii", data: [asciiOnly(value)], shape: [1] }),
  float: (value) => float64([value]),
  int: (value) => int64([value]),
  container: "NXnote",
};
