/**
 * JSON output for people and programs: objects indented, arrays of plain values on one line, so
 * a table of rows reads as rows. NaN and infinities become null, as JSON requires.
 */
export function toJson(value: unknown, indent = ""): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "null";
  if (typeof value !== "object") return JSON.stringify(value) ?? "null";
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((item) => item === null || typeof item !== "object")) {
      return `[${value.map((item) => toJson(item)).join(", ")}]`;
    }
    return `[\n${value.map((item) => inner + toJson(item, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value).filter(([, item]) => item !== undefined);
  if (entries.length === 0) return "{}";
  const body = entries.map(
    ([key, item]) => `${inner}${JSON.stringify(key)}: ${toJson(item, inner)}`,
  );
  return `{\n${body.join(",\n")}\n${indent}}`;
}
