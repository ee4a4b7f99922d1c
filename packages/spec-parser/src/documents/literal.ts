/** Text from a SPEC file read as document values, with Python's int/float distinction kept. */
import { type DocValue, PyFloat, pyTuple } from "@specx/documents";
import { parsePythonLiteral } from "../model/python-literal.js";
import { readValue } from "../model/text.js";

/** A Python literal with the int/float distinction and tuples kept, or the text itself. */
export function literal(text: string): DocValue {
  const value = parsePythonLiteral(text, {
    makeNumber: (token, isFloat) => {
      const n = Number(token);
      if (!isFloat) return (Number.isSafeInteger(n) ? n : BigInt(token)) as never;
      return (Number.isInteger(n) ? new PyFloat(n) : n) as never;
    },
    makeTuple: (items) => pyTuple(items as DocValue[]) as never,
  });
  return value === undefined ? text : (value as unknown as DocValue);
}

/** A number token as a document value: ints stay ints, floats stay floats (PyFloat when integral). */
export function numberFromToken(raw: string, value: number): DocValue {
  const { kind } = readValue(raw);
  if (kind === "integer") return Number.isSafeInteger(value) ? value : BigInt(raw);
  if (kind === "boolean") return raw === "True";
  if (kind === "text" || kind === "none") return kind === "none" ? null : raw;
  return Number.isInteger(value) ? new PyFloat(value) : value;
}
