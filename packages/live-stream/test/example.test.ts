/**
 * The README's example, run as written (address and file name replaced) against a replayed
 * stream: the SPEC file it writes is what `createSpecWriter` writes from the reference documents
 * directly. The child runs the built packages (`npx tsc -b` first).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { detectFormat, readDocumentStream } from "@specx/documents";
import { createSpecWriter } from "@specx/spec-writer";
import { referenceBytes, referencePath } from "@specx/test-support";
import { runPublisher, startForwarder } from "@specx/test-support/zmq";
import { expect, it } from "vitest";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const example = /```ts\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";

const streams = [
  "synthetic/streams/syn-session.json",
  "apstools/streams/uid-3ab777ae.json",
  "suitcase/documents/scan.jsonl",
];

it("the README's example writes what createSpecWriter writes from the same documents", async () => {
  expect(example).toContain("for await (const item of stream)");
  const dir = mkdtempSync(join(tmpdir(), "specx-live-example-"));
  const proxy = await startForwarder();
  try {
    const specPath = join(dir, "live.spec");
    const require = createRequire(import.meta.url);
    const script = example
      .replace(
        '"@specx/live-stream"',
        JSON.stringify(new URL("../dist/index.js", import.meta.url).href),
      )
      .replace(
        '"@specx/spec-writer"',
        JSON.stringify(pathToFileURL(require.resolve("@specx/spec-writer")).href),
      )
      .replace('"tcp://127.0.0.1:5578"', JSON.stringify(proxy.outUrl))
      .replace('"live.spec"', JSON.stringify(specPath));
    const scriptPath = join(dir, "example.mjs");
    writeFileSync(scriptPath, script);

    const child = spawn(process.execPath, [scriptPath], { stdio: ["ignore", "inherit", "pipe"] });
    let stderr = "";
    const connected = new Promise<void>((resolve, reject) => {
      child.stderr.setEncoding("utf8").on("data", (text: string) => {
        stderr += text;
        if (stderr.includes("connected: ")) resolve();
      });
      child.once("exit", (code) => reject(new Error(`the example exited (${code}): ${stderr}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    await connected;

    const documents = streams.flatMap((path) =>
      readDocumentStream(referenceBytes(path), detectFormat(path) ?? "json"),
    );
    const pieces: string[] = [];
    const direct = createSpecWriter({ write: (text) => pieces.push(text) }, { fileName: specPath });
    for (const [name, doc] of documents) direct.receive(name, doc);
    const expected = pieces.join("");

    await runPublisher({
      address: proxy.inUrl,
      actions: streams.map((path) => `stream:${referencePath(path)}`),
    });
    const size = Buffer.byteLength(expected);
    while (fileSize(specPath) < size) await new Promise((resolve) => setTimeout(resolve, 50));
    child.kill("SIGINT");
    expect(await exited).toBe(0);
    expect(readFileSync(specPath, "utf8")).toBe(expected);
    expect(stderr).not.toContain("refused");
  } finally {
    await proxy.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
