import type { DocValue } from "./values.js";

/**
 * Sets `object[key] = value` as an own data property. A plain assignment with the key
 * `"__proto__"` would replace the prototype instead of storing the key, so readers use this.
 */
export function setOwn(object: { [key: string]: DocValue }, key: string, value: DocValue): void {
  if (key === "__proto__") {
    Object.defineProperty(object, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    object[key] = value;
  }
}

/** True for a plain document object (not an array, PyFloat or null). */
export function isDocObject(value: unknown): value is { [key: string]: DocValue } {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
