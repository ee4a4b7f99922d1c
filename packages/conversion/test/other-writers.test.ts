/**
 * Documents of what SPEC writers other than the corpus's put in a file (issue 14; the parser's
 * side is in spec-parser's other-writers.test.ts): spectra of a device named in `#@`, read from
 * the conformance fixture `named_mca_devices.spec` (@ketek in scan 1; @ketek and @vortex in scan 2).
 */

import { readFileSync } from "node:fs";
import { type DocRecord, toNumber } from "@specx/documents";
import { parse } from "@specx/spec-parser";
import { fixturePath } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { fileToRuns } from "../src/index.js";

const file = parse(new Uint8Array(readFileSync(fixturePath("named_mca_devices.spec"))));
const runs = fileToRuns(file);

/** The data of the run's primary events, in order. */
function primaryData(documents: [string, DocRecord][]): DocRecord[] {
  const primary = documents.find(([name, doc]) => name === "descriptor" && doc.name === "primary");
  return documents
    .filter(([name, doc]) => name === "event" && doc.descriptor === primary?.[1].uid)
    .map(([, doc]) => doc.data as DocRecord);
}

describe("MCA spectra of named devices", () => {
  test("the fixture holds two scans with the devices of its name", () => {
    expect(file.scans.map((scan) => scan.mca?.devices.map((d) => d.name))).toEqual([
      ["@ketek"],
      ["@ketek", "@vortex"],
    ]);
    expect(runs).toHaveLength(2);
  });

  test.each([0, 1])(
    "scan %i: each row's event holds its values and its spectra, under the device's name",
    (index) => {
      const scan = file.scans[index];
      const documents = runs[index]?.documents as [string, DocRecord][];
      if (scan === undefined || documents === undefined) throw new Error("fixture changed");
      const events = primaryData(documents);
      expect(events).toHaveLength(scan.data.rows);
      for (const [row, data] of events.entries()) {
        for (const [c, label] of scan.labels.entries())
          expect(toNumber(data[label]), `row ${row} ${label}`).toBe(scan.data.columns[c]?.[row]);
        for (const device of scan.mca?.devices ?? []) {
          // The data key is the device's name without its `@` (docs/documents.md §5).
          const values = data[device.name.slice(1)] as number[];
          expect(Array.from(values), `row ${row} ${device.name}`).toEqual(
            Array.from(device.spectra[row] ?? []),
          );
        }
      }
    },
  );
});
