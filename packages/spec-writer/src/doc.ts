/** Small typed accessors for loosely typed document fields. */
import { type DocValue, PyFloat } from "@specx/documents";

/** A document: field name to value. */
export type Doc = Record<string, DocValue | undefined>;

/** True for a dict (a plain object, not a list or a PyFloat). */
export function isDict(value: unknown): value is Record<string, DocValue> {
  return (
    value !== null &&
    typeof value === "object" &&
    !Array.isArray(value) &&
    !(value instanceof PyFloat)
  );
}

/** The value as a dict, or an empty one. */
export function dict(value: DocValue | undefined): Record<string, DocValue> {
  return isDict(value) ? value : {};
}

/** The string items of a list value (others skipped). */
export function stringList(value: DocValue | undefined): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === "string")
    : [];
}

/** A string field, or undefined. */
export function text(value: DocValue | undefined): string | undefined {
  return typeof value === "string" ? value : undefined;
}
