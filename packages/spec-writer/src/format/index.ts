/** The SPEC writer's formatting primitives (docs/writer.md §3), byte-exact to apstools. */

export { pythonFloatRepr } from "@specx/documents";
export { buildCommand, formatCommandValue } from "./command.js";
export { formatEpochHeader, formatSpecDate } from "./dates.js";
export { intDigits, render13, renderValue, roundHalfEven } from "./numbers.js";
export { pythonRepr, pythonStr, pythonStringRepr, unicodeEscape } from "./python.js";
