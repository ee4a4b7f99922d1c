/** Small typed accessors for loosely typed document fields. */
import { type DocValue, isDocObject } from "@specx/documents";

/** The value as a dict, or an empty one. */
export function dict(value: DocValue | undefined): Record<string, DocValue> {
  return isDocObject(value) ? value : {};
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
