/**
 * Column choice for the primary stream, as apstools' `get_stream_data_map` makes it (apstools
 * 1.7.5 and later; docs/writer.md §4): motors, then Epoch and Epoch_float, then the remaining data
 * keys in descriptor order, then the detectors with the first detector field moved last (by SPEC
 * convention the last column is the principal detector).
 */
import type { DocRecord, DocValue } from "@specx/documents";
import { dict, stringList } from "./doc.js";

/** Labels of the primary stream's columns, in the order apstools writes them. */
export function primaryColumns(start: DocRecord, descriptor: DocRecord): string[] {
  const dataKeys = objectKeys(descriptor.data_keys);
  const unassigned = new Set(dataKeys);
  const hints = dict(descriptor.hints);
  const objectKeysOf = dict(descriptor.object_keys);

  const claim = (names: string[]): string[] => {
    const fields: string[] = [];
    for (const name of names) {
      for (const field of candidateFields(name, hints, objectKeysOf, dataKeys)) {
        if (unassigned.delete(field)) fields.push(field);
      }
    }
    return fields;
  };

  // Detectors first, so a field named by both lists becomes a detector.
  const detectors = claim(stringList(start.detectors));
  const positionerNames = start.positioners !== undefined ? start.positioners : start.motors;
  const motors = claim(stringList(positionerNames));
  if (detectors.length > 1) detectors.push(detectors.shift() as string);
  return [
    ...motors,
    "Epoch",
    "Epoch_float",
    ...dataKeys.filter((k) => unassigned.has(k)),
    ...detectors,
  ];
}

/** The first non-empty of: hinted fields, object_keys, or the name itself when it is a data key. */
function candidateFields(
  name: string,
  hints: Record<string, DocValue>,
  objectKeysOf: Record<string, DocValue>,
  dataKeys: string[],
): string[] {
  const hinted = stringList(dict(hints[name]).fields);
  if (hinted.length > 0) return hinted;
  const objectFields = stringList(objectKeysOf[name]);
  if (objectFields.length > 0) return objectFields;
  return dataKeys.includes(name) ? [name] : [];
}

function objectKeys(value: DocValue | undefined): string[] {
  return Object.keys(dict(value));
}

/**
 * The label to print for each column key: the data key's `spec_label` (kept by documents read
 * from SPEC, whose labels may hold spaces or dots) or the key itself.
 */
export function displayLabels(keys: string[], descriptor: DocRecord): string[] {
  const dataKeys = dict(descriptor.data_keys);
  return keys.map((key) => {
    const label = dict(dataKeys[key]).spec_label;
    return typeof label === "string" ? label : key;
  });
}
