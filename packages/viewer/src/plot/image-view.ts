import type { ImageView, ImageViewOptions } from "./types.js";

/** Placeholder while the view is written: the signature is final. */
export function createImageView(_container: HTMLElement, _options: ImageViewOptions): ImageView {
  throw new Error("createImageView: not yet implemented");
}
