/** Writer behaviours beyond the reference files: comments, one-line values, warnings. */

import { readdirSync, readFileSync } from "node:fs";
import { readDocumentsFile } from "@specx/documents/node";
import { parse, scanWriter } from "@specx/spec-parser";
import { referencePath } from "@specx/test-support";
import { describe, expect, test } from "vitest";
import { createSpecWriter, flavorOf, type SpecWriterOptions } from "../src/index.js";

const stream = (name: string) => readDocumentsFile(referencePath(name));

function write(
  documents: [string, Record<string, unknown>][],
  options: Partial<SpecWriterOptions> = {},
  between?: (writer: ReturnType<typeof createSpecWriter>, index: number) => void,
) {
  const chunks: string[] = [];
  const writer = createSpecWriter(
    { write: (text) => chunks.push(text) },
    { fileName: "t.spec", timeZone: "UTC", identity: { user: "u", host: "h" }, ...options },
  );
  documents.forEach(([name, doc], i) => {
    between?.(writer, i);
    writer.receive(name, doc as never);
  });
  return { text: chunks.join(""), chunks, writer };
}

describe("comments", () => {
  test("a comment during a run lands after the current row, with its row position", () => {
    const docs = stream("synthetic/streams/syn-values.json");
    const secondEvent = docs.findIndex(
      ([name, doc], i) => name === "event" && i > 0 && doc.seq_num === 2,
    );
    const { text } = write(docs, {}, (writer, i) => {
      if (i === secondEvent) writer.comment("beam dump\nwaiting", 1700000001.9);
    });
    const scan = parse(text).scanAt(0);
    const comments = scan?.comments.filter(
      (c) => c.text.includes("beam dump") || c.text.endsWith("waiting"),
    );
    expect(comments?.map((c) => [c.text, c.afterRow])).toEqual([
      ["Tue Nov 14 22:13:21 2023.  beam dump", 1],
      ["Tue Nov 14 22:13:21 2023.  waiting", 1],
    ]);
  });

  test("a comment before the scan header waits for it", () => {
    const docs = stream("synthetic/streams/syn-values.json");
    const { text } = write(docs, {}, (writer, i) => {
      if (i === 1) writer.comment("sample aligned", 1700000000.3);
    });
    const lines = text.split("\n");
    expect(lines[lines.findIndex((l) => l.startsWith("#L ")) + 1]).toBe(
      "#C Tue Nov 14 22:13:20 2023.  sample aligned",
    );
  });
});

describe("one line per value", () => {
  test("newlines in #U and #MD values and in labels cannot break the file", () => {
    const docs: [string, Record<string, unknown>][] = [
      [
        "start",
        {
          uid: "r1",
          time: 1.5,
          scan_id: 3,
          plan_name: "count",
          detectors: ["d"],
          note: "a\nb",
          "key\nx": 1,
        },
      ],
      [
        "descriptor",
        {
          uid: "p",
          run_start: "r1",
          time: 2,
          name: "primary",
          data_keys: {
            d: { dtype: "string", shape: [], source: "x" },
            "e\nf": { dtype: "number", shape: [], source: "y" },
          },
        },
      ],
      [
        "event",
        {
          uid: "e1",
          descriptor: "p",
          seq_num: 1,
          time: 2.5,
          data: { d: "line1\r\nline2", "e\nf": 4 },
          timestamps: {},
        },
      ],
      [
        "stop",
        { uid: "s", run_start: "r1", time: 3, exit_status: "success", num_events: { primary: 1 } },
      ],
    ];
    const { text } = write(docs);
    const file = parse(text);
    expect(file.diagnostics.filter((d) => d.severity !== "info")).toEqual([]);
    const scan = file.scanAt(0);
    expect(scan?.metadata.note).toBe("a\nb");
    expect(scan?.labels).toEqual(["Epoch", "Epoch_float", "e f", "d"]);
    expect(scan?.control("U")[0]?.text).toBe(" d = 'line1\\r\\nline2'");
    expect(scan?.data.rows).toBe(1);
  });

  test("strictApstools writes the newline raw, as apstools does", () => {
    const docs = stream("synthetic/streams/syn-values.json");
    expect(write(docs, { strictApstools: true }).text).toContain(
      "#MD comment = line one\nline two\n",
    );
    expect(write(docs).text).toContain("#MD comment = 'line one\\nline two'\n");
  });
});

describe("streaming and warnings", () => {
  test("text is handed over as documents complete it: a cut stream is still a readable file", () => {
    const docs = stream("apstools/streams/uid-3ab777ae.json");
    const cut = docs.slice(
      0,
      docs.findIndex(([name]) => name === "stop"),
    );
    const { text } = write(cut);
    const scan = parse(text).scanAt(0);
    expect(scan?.data.rows).toBe(11);
    expect(parse(text).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  test("NaN is written and reported; a stop without exit_status writes 'unknown'", () => {
    const docs = stream("synthetic/streams/syn-nan.json").map(([name, doc]) =>
      name === "stop"
        ? ([name, { ...doc, exit_status: undefined }] as [string, Record<string, unknown>])
        : [name, doc],
    ) as [string, Record<string, unknown>][];
    const { text, writer } = write(docs);
    expect(text).toContain("2 2.0 nan\n");
    expect(text).toContain("exit_status = unknown\n");
    expect(writer.warnings.some((w) => w.includes("nan"))).toBe(true);
    expect(writer.warnings).toContain("stop document without exit_status; wrote 'unknown'");
    expect(parse(text).scanAt(0)?.column("det")?.[1]).toBeNaN();
  });

  test("a login_id without exactly one @ falls back to the machine identity with a warning", () => {
    const docs = stream("synthetic/streams/syn-values.json").map(([name, doc]) =>
      name === "start" ? [name, { ...doc, login_id: "nobody" }] : [name, doc],
    ) as [string, Record<string, unknown>][];
    const { text, writer } = write(docs);
    expect(text).toContain("#C Bluesky  user = u  host = h\n");
    expect(writer.warnings[0]).toMatch(/login_id 'nobody'/);
  });
});

describe("flavorOf", () => {
  // The reference outputs were written by apstools v1 and v2 and by suitcase-specfile: each
  // scan's writer, as the parser reads it, names the flavour that writes its layout again.
  test.each([
    ["apstools/v2", "apstools"],
    ["apstools/v1", "apstools-v1"],
    ["suitcase/expected", "suitcase"],
  ] as const)("scans of %s are written again by the %s flavour", (folder, flavor) => {
    const files = readdirSync(referencePath(folder)).filter((name) => name.endsWith(".spec"));
    expect(files.length).toBeGreaterThan(0);
    for (const name of files) {
      const file = parse(readFileSync(referencePath(`${folder}/${name}`)));
      for (const scan of file.scans) expect(flavorOf(scanWriter(scan)), name).toBe(flavor);
    }
  });

  test("SPEC's own scans have no flavour", () => {
    expect(flavorOf("spec")).toBeNull();
  });
});
