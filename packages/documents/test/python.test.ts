/**
 * The files of suitcaseJsonl and suitcaseMsgpack, read by Python as databroker 1.x reads them
 * (python/databroker_check.py of @specx/test-support): every run of every reference stream.
 *
 * Needs Python 3 with the Debian packages python3-msgpack, python3-msgpack-numpy and
 * python3-jsonschema. The interpreter is $SPECX_PYTHON, else /usr/bin/python3 (where Debian's
 * packages install), else python3 on the PATH. A missing interpreter or module fails the test
 * with the apt-get command that fixes it; it is never skipped.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type DatabrokerReport,
  referencePath,
  referenceStreams,
  runDatabrokerCheck,
} from "@specx/test-support";
import { afterAll, describe, expect, it } from "vitest";
import {
  type NamedDocument,
  readDocumentsFile,
  splitRuns,
  suitcaseJsonl,
  suitcaseMsgpack,
} from "../src/node.js";

const databrokerCheck = (files: string[]): DatabrokerReport => runDatabrokerCheck(files);

/** What the script should count in the file written for a run. */
function expectedCounts(docs: readonly NamedDocument[], format: "jsonl" | "msgpack") {
  const documents: Record<string, number> = {};
  const events: Record<string, number> = {};
  const streams = new Map<string, string>();
  const add = (counts: Record<string, number>, key: string, n = 1) => {
    counts[key] = (counts[key] ?? 0) + n;
  };
  for (const [name, doc] of docs) {
    if (name === "descriptor") streams.set(doc.uid as string, (doc.name as string) ?? "");
    const rows = name === "event" ? 1 : name === "event_page" ? (doc.uid as string[]).length : 0;
    if (rows > 0) add(events, streams.get(doc.descriptor as string) ?? "", rows);
    if (format === "jsonl") add(documents, name);
    else if (name === "event") add(documents, "event_page");
    else if (name === "datum") add(documents, "datum_page");
    else if (name !== "stream_resource" && name !== "stream_datum") add(documents, name);
  }
  return { documents, events };
}

/**
 * What Python finds wrong with the files of known-bad reference runs (see KNOWN_PROBLEMS in
 * validate.test.ts), by `<stream>#<start uid>.<ext>`. Every other file must be error-free.
 */
const KNOWN_ERRORS: Record<string, string[]> = {
  // stop.num_events says primary: 1, but the run has no descriptor and no event.
  ...both("apstools/streams/apstools-catalog.json.gz#3e89a55c-d972-4271-a2b7-4e5d8bf74dab", [
    "stop.num_events['primary'] is 1, but the file holds 0 events of that stream",
  ]),
  // A run without a stop: databroker lists it as unfinished.
  "apstools/streams/apstools-catalog.json.gz#49dce8d9-8d52-4fe1-9d3b-8a72fce273c3.jsonl": [
    "the last line is not a stop: databroker sees no stop document",
    "the last document is a 'descriptor', not the stop",
  ],
  "apstools/streams/apstools-catalog.json.gz#49dce8d9-8d52-4fe1-9d3b-8a72fce273c3.msgpack": [
    "no stop object: databroker sees no stop document",
    "the last document is a 'descriptor', not the stop",
  ],
  // Synthetic edge case: scan_id None.
  ...both("synthetic/streams/syn-session.json#33333333-aaaa-4bbb-8ccc-000000000003", [
    "document 0 (start): schema run_start: /scan_id: None is not of type 'integer'",
  ]),
};

function both(key: string, errors: string[]): Record<string, string[]> {
  return { [`${key}.jsonl`]: errors, [`${key}.msgpack`]: errors };
}

describe("databroker_check.py reads the suitcase files as databroker 1.x does", () => {
  const dir = mkdtempSync(join(tmpdir(), "specx-databroker-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  type Written = {
    key: string;
    path: string;
    expected: ReturnType<typeof expectedCounts>;
  };
  const written: Written[] = [];
  let checked: DatabrokerReport | undefined;

  /**
   * Writes the files and runs the script once, on first use. Not a beforeAll: a missing
   * interpreter or module then fails every test with its message instead of skipping them.
   */
  function report(): DatabrokerReport {
    if (checked !== undefined) return checked;
    written.length = 0;
    referenceStreams().forEach((stream, index) => {
      // One folder per stream: 440-624e776a comes in three forms with one start uid.
      const folder = join(dir, String(index));
      mkdirSync(folder, { recursive: true });
      for (const docs of splitRuns(readDocumentsFile(referencePath(stream)))) {
        const uid = String(docs[0]?.[1].uid);
        const jsonl = suitcaseJsonl(docs);
        const msgpack = suitcaseMsgpack(docs);
        writeFileSync(join(folder, jsonl.fileName), jsonl.text);
        writeFileSync(join(folder, msgpack.fileName), msgpack.bytes);
        for (const [format, fileName] of [
          ["jsonl", jsonl.fileName],
          ["msgpack", msgpack.fileName],
        ] as const) {
          written.push({
            key: `${stream}#${uid}.${format}`,
            path: join(folder, fileName),
            expected: expectedCounts(docs, format),
          });
        }
      }
    });
    checked = databrokerCheck(written.map((file) => file.path));
    return checked;
  }

  it("checks every run of every reference stream", () => {
    expect(report().files.map((file) => file.path)).toEqual(written.map((file) => file.path));
    expect(written.length).toBeGreaterThan(150);
  });

  it("finds every file readable, valid and float-safe, but for the known errors", () => {
    const byKey = written.map((file, i) => ({
      key: file.key,
      errors: report().files[i]?.errors,
    }));
    expect(byKey).toEqual(written.map(({ key }) => ({ key, errors: KNOWN_ERRORS[key] ?? [] })));
    for (const key of Object.keys(KNOWN_ERRORS)) {
      expect(written.map((file) => file.key)).toContain(key);
    }
    expect(report().ok).toBe(false); // because of the known errors only
  });

  it("counts the documents and events each file should hold", () => {
    const { files } = report();
    const counts = written.map((file, i) => ({
      key: file.key,
      documents: files[i]?.documents,
      events: files[i]?.events,
    }));
    expect(counts).toEqual(written.map(({ key, expected }) => ({ key, ...expected })));
  });

  it("catches the int/float trap, a wrong file name and a hidden stop", () => {
    const folder = join(dir, "bad");
    mkdirSync(folder, { recursive: true });
    const docs = splitRuns(
      readDocumentsFile(referencePath("synthetic/streams/syn-session.json")),
    ).find((run) => run[0]?.[1].uid === "33333333-aaaa-4bbb-8ccc-000000000003") as NamedDocument[];
    // Ints left in the number column cam_stats_total.
    const raw = suitcaseMsgpack(docs, { numberColumnsAsFloats: false });
    writeFileSync(join(folder, raw.fileName), raw.bytes);
    // A good file under the wrong name.
    const good = suitcaseJsonl(
      readDocumentsFile(referencePath("apstools/streams/uid-34c84a1b.json")),
    );
    writeFileSync(join(folder, "run.jsonl"), good.text);
    // A blank line after the stop hides it from databroker.
    const blankFolder = join(folder, "blank");
    mkdirSync(blankFolder, { recursive: true });
    writeFileSync(join(blankFolder, good.fileName), `${good.text}\n`);
    const result = databrokerCheck([
      join(folder, raw.fileName),
      join(folder, "run.jsonl"),
      join(blankFolder, good.fileName),
    ]);
    expect(result.ok).toBe(false);
    const [trap, named, blank] = result.files.map((file) => file.errors);
    expect(trap).toContain(
      "document 8 (event_page) row 0: data['cam_stats_total'] of stream 'primary' holds the int 1000 in a float column (int/float trap)",
    );
    expect(named).toEqual([`the file name is 'run.jsonl', expected '${good.fileName}'`]);
    expect(blank).toContain("the last line is not a stop: databroker sees no stop document");
  });
});
