/**
 * The `label_start_motor` stream: the positions `#O`/`#P` give at the start of a scan, one event.
 * A header's motors known only by name make a descriptor without events.
 */
import type { DocRecord, EventDescriptor, NamedDocument } from "@specx/documents";
import { descriptor, event, uniqueKeys } from "../build.js";
import { numberFromToken } from "../literal.js";
import type { ScanRun, StreamDocuments } from "../types.js";

/** The scan's `#O`/`#P` positions as a stream of one event, or null without positions. */
export function motorStream(run: ScanRun, startTime: number): StreamDocuments | null {
  const { scan, uidFor, startUid } = run;
  if (scan.positioners.length === 0) return null;
  const keys = uniqueKeys(scan.positioners.map((p) => p.mnemonic ?? p.name));
  const descriptorUid = uidFor("descriptor:label_start_motor");
  const dataKeys: DocRecord = {};
  const eventData: DocRecord = {};
  scan.positioners.forEach((p, i) => {
    const key = keys[i] as string;
    dataKeys[key] = {
      dtype: "number",
      shape: [],
      source: `SPEC:${p.mnemonic ?? p.name}`,
      spec_label: p.name,
      object_name: key,
    };
    eventData[key] = numberFromToken(p.raw, p.value);
  });
  const documents: NamedDocument[] = [
    [
      "descriptor",
      descriptor(descriptorUid, startUid, Number(startTime), "label_start_motor", dataKeys, keys),
    ],
    [
      "event",
      event(uidFor("event:label_start_motor:1"), descriptorUid, 1, Number(startTime), eventData),
    ],
  ];

  return { name: "label_start_motor", documents, events: 1 };
}

/**
 * A label_start_motor descriptor for motors known only by their `#O` names (a header's): no
 * event follows, since SPEC kept no positions for them.
 */
export function namedMotors(
  uid: string,
  runStart: string,
  time: number,
  motors: string[],
): EventDescriptor {
  const keys = uniqueKeys(motors);
  const dataKeys: DocRecord = {};
  keys.forEach((key, i) => {
    const name = motors[i] as string;
    dataKeys[key] = {
      dtype: "number",
      shape: [],
      source: `SPEC:${name}`,
      spec_label: name,
      object_name: key,
    };
  });
  return descriptor(uid, runStart, time, "label_start_motor", dataKeys, keys);
}
