/**
 * HDF5 names from SPEC names, as spec2nexus's `clean_name` makes them (spec2nexus/utils.py): every
 * character that is not a letter, digit or `_` becomes `_`, and a leading digit gets a `_` before
 * it. Python's `\w` is Unicode-aware, JavaScript's is not: hence the property classes.
 */
export function cleanName(name: string): string {
  const cleaned = name.replace(/[^\p{L}\p{N}_]/gu, "_");
  return /^\p{Nd}/u.test(cleaned) ? `_${cleaned}` : cleaned;
}
