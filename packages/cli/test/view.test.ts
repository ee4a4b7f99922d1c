/**
 * `specx view`: the real binary serves the real built viewer (`@specx/viewer`'s dist/site) and
 * the named files over real HTTP on 127.0.0.1, and nothing else on the disk; it ends with
 * status 0 on SIGINT and SIGTERM. Requests go through node:http with the path sent as written
 * (fetch would normalise `..` and `%2e%2e` before sending). What the server does with odd site
 * folders (symlinks, sub-folders) is checked in-process on a folder made here.
 */
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { type IncomingHttpHeaders, request } from "node:http";
import { createRequire } from "node:module";
import { connect, createServer, type Server } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { corpusPath } from "@specx/test-support";
import { launchChromium } from "@specx/test-support/browser";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { browserCommand, viewerSite } from "../src/commands/view.js";
import { UserError } from "../src/io.js";
import {
  byteRange,
  CONTENT_SECURITY_POLICY,
  servedFile,
  startViewServer,
  type ViewServer,
} from "../src/view-server.js";

const bin = process.env.VIEW_DEV_BIN ?? fileURLToPath(new URL("../bin/specx.cjs", import.meta.url));
const siteDir =
  process.env.VIEW_DEV_SITE ??
  join(
    dirname(createRequire(import.meta.url).resolve("@specx/viewer/package.json")),
    "dist",
    "site",
  );
const CORPUS_FILE = corpusPath("33bm_spec.dat");
const SECOND_FILE = corpusPath("issue216_scan1.spec");
/** The line `specx view` prints first: a contract (README, "`view`"). */
const URL_LINE = /^specx view: (http:\/\/127\.0\.0\.1:(\d+)\/) \((\d+) files?; Ctrl-C to stop\)$/;

let scratchDir = "";
function scratch(): string {
  if (!scratchDir) scratchDir = mkdtempSync(join(tmpdir(), "specx-view-"));
  return scratchDir;
}
afterAll(() => {
  if (scratchDir) rmSync(scratchDir, { recursive: true, force: true });
});

/** A running `specx view`: its URL, port, output so far and how it ended. */
interface Running {
  child: ChildProcessWithoutNullStreams;
  url: string;
  port: number;
  files: number;
  out: () => string;
  err: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const running: Running[] = [];
afterAll(() => {
  for (const run of running) if (run.child.exitCode === null) run.child.kill("SIGKILL");
});

function spawnSpecx(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, [bin, ...args], { env });
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    err += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on("exit", (code, signal) => done({ code, signal })),
  );
  return { child, out: () => out, err: () => err, exited };
}

/** Starts `specx view ...args` and waits for its URL line. */
async function startView(args: string[], env?: NodeJS.ProcessEnv): Promise<Running> {
  const spawned = spawnSpecx(["view", ...args], env);
  let ended = false;
  void spawned.exited.then(() => {
    ended = true;
  });
  while (!spawned.out().includes("\n") && !ended) await sleep(10);
  const match = URL_LINE.exec(spawned.out().split("\n")[0] ?? "");
  if (!match) throw new Error(`specx view printed ${spawned.out()} ${spawned.err()}`);
  const run = {
    ...spawned,
    url: match[1] ?? "",
    port: Number(match[2]),
    files: Number(match[3]),
  };
  running.push(run);
  return run;
}

/** Runs specx to its end (a usage error). */
async function runToEnd(args: string[]) {
  const spawned = spawnSpecx(args);
  const { code } = await spawned.exited;
  return { status: code, stdout: spawned.out(), stderr: spawned.err() };
}

function expectOneLineFailure(
  result: { status: number | null; stdout: string; stderr: string },
  message: RegExp,
) {
  expect(result.status).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr.endsWith("\n")).toBe(true);
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(result.stderr.trimEnd()).toMatch(message);
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** One HTTP request with `path` sent exactly as written. */
function http(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; host?: string } = {},
): Promise<Answer> {
  return new Promise((done, fail) => {
    const sent = request(
      {
        host: options.host ?? "127.0.0.1",
        port,
        path,
        method: options.method ?? "GET",
        headers: options.headers ?? {},
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          done({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on("error", fail);
      },
    );
    sent.on("error", fail);
    sent.end();
  });
}

/** The machine's IPv4 addresses other than loopback. */
function otherIPv4Addresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((entry) => entry !== undefined && entry.family === "IPv4" && !entry.internal)
    .map((entry) => (entry as { address: string }).address);
}

/** Whether a TCP connection to host:port opens; the error code when it does not. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.once("connect", () => {
      socket.destroy();
      done("connected");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

describe("specx view serves the built viewer and the named files", () => {
  let view: Running;
  const corpusBytes = readFileSync(CORPUS_FILE);

  beforeAll(async () => {
    view = await startView([CORPUS_FILE, SECOND_FILE]);
  });

  test("prints the URL line: 127.0.0.1, the port, the number of files", () => {
    expect(view.out().trimEnd()).toMatch(URL_LINE);
    expect(view.out().split("\n")).toEqual([
      `specx view: http://127.0.0.1:${view.port}/ (2 files; Ctrl-C to stop)`,
      "",
    ]);
    expect(new URL(view.url).hostname).toBe("127.0.0.1");
    expect(view.err()).toBe("");
  });

  test("/ and /index.html are the site's index.html, with the content security policy", async () => {
    const index = readFileSync(join(siteDir, "index.html"));
    for (const path of ["/", "/index.html", "/?files=1"]) {
      const answer = await http(view.port, path);
      expect(answer.status).toBe(200);
      expect(answer.body.equals(index)).toBe(true);
      expect(answer.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(answer.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    }
  });

  test("main.js and worker.js are served as JavaScript, as on disk", async () => {
    for (const name of ["main.js", "worker.js"]) {
      const answer = await http(view.port, `/${name}`);
      expect(answer.status).toBe(200);
      expect(answer.body.equals(readFileSync(join(siteDir, name)))).toBe(true);
      expect(answer.headers["content-type"]).toBe("text/javascript; charset=utf-8");
      expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    }
  });

  test("/files.json lists the named files in order, with their sizes, URLs and paths", async () => {
    const answer = await http(view.port, "/files.json");
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(answer.headers["cache-control"]).toBe("no-store");
    expect(JSON.parse(answer.body.toString())).toEqual([
      {
        name: "33bm_spec.dat",
        size: statSync(CORPUS_FILE).size,
        url: "/files/0/33bm_spec.dat",
        path: resolve(CORPUS_FILE),
      },
      {
        name: "issue216_scan1.spec",
        size: statSync(SECOND_FILE).size,
        url: "/files/1/issue216_scan1.spec",
        path: resolve(SECOND_FILE),
      },
    ]);
  });

  test("a named file's bytes are the file on disk; HEAD gives its headers only", async () => {
    const answer = await http(view.port, "/files/0/33bm_spec.dat");
    expect(answer.status).toBe(200);
    expect(answer.body.equals(corpusBytes)).toBe(true);
    expect(answer.headers["content-length"]).toBe(String(corpusBytes.length));
    expect(answer.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(answer.headers["accept-ranges"]).toBe("bytes");
    expect(answer.headers["cache-control"]).toBe("no-store");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    const second = await http(view.port, "/files/1/issue216_scan1.spec");
    expect(second.body.equals(readFileSync(SECOND_FILE))).toBe(true);

    const head = await http(view.port, "/files/0/33bm_spec.dat", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers["content-length"]).toBe(String(corpusBytes.length));
    expect(head.body.length).toBe(0);
  });

  test("a Range gives that slice with 206 and Content-Range", async () => {
    const size = corpusBytes.length;
    const cases: [string, number, number][] = [
      ["bytes=100-199", 100, 199],
      ["bytes=0-0", 0, 0],
      [`bytes=${size - 10}-`, size - 10, size - 1],
      ["bytes=-50", size - 50, size - 1],
      [`bytes=1000-${size + 5000}`, 1000, size - 1],
    ];
    for (const [range, start, end] of cases) {
      const answer = await http(view.port, "/files/0/33bm_spec.dat", { headers: { Range: range } });
      expect(answer.status, range).toBe(206);
      expect(answer.headers["content-range"]).toBe(`bytes ${start}-${end}/${size}`);
      expect(answer.headers["content-length"]).toBe(String(end - start + 1));
      expect(answer.body.equals(corpusBytes.subarray(start, end + 1)), range).toBe(true);
    }
  });

  test("a range it cannot serve is 416 with the file's size", async () => {
    const size = corpusBytes.length;
    for (const range of [
      `bytes=${size}-`,
      `bytes=${size + 10}-${size + 20}`,
      "bytes=500-100",
      "bytes=-0",
      "bytes=0-10,20-30",
      "items=0-10",
      "bytes=abc",
    ]) {
      const answer = await http(view.port, "/files/0/33bm_spec.dat", { headers: { Range: range } });
      expect(answer.status, range).toBe(416);
      expect(answer.headers["content-range"]).toBe(`bytes */${size}`);
    }
  });

  test("any other path is 404: other files, traversal, encoded dots, other indices and names", async () => {
    // Files that exist above the site folder: the viewer's package.json, two levels up.
    expect(statSync(join(siteDir, "..", "..", "package.json")).isFile()).toBe(true);
    const neighbour = readdirSync(dirname(CORPUS_FILE)).find(
      (name) => name !== basename(CORPUS_FILE) && name !== basename(SECOND_FILE),
    );
    const paths = [
      "/etc/passwd",
      "//etc/passwd",
      "/../package.json",
      "/../../package.json",
      "/%2e%2e/%2e%2e/package.json",
      "/..%2f..%2fpackage.json",
      "/.%2e/.%2e/package.json",
      "/..",
      "/../",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/%2E%2E/package.json",
      "/..%2fpackage.json",
      "/%2fetc%2fpasswd",
      "/./index.html",
      "/index.html/",
      "//index.html",
      "/.hidden",
      "/package.json",
      "/site",
      "/files",
      "/files/",
      "/files/2/x",
      "/files/1/x",
      "/files/0/other-name",
      "/files/0/",
      "/files/0",
      "/files/00/33bm_spec.dat",
      "/files/-1/33bm_spec.dat",
      "/files/0/33bm_spec.dat/",
      "/files//0/33bm_spec.dat",
      "/files/0/../1/issue216_scan1.spec",
      "/files/0/%2e%2e%2f33bm_spec.dat",
      `/files/0/${neighbour}`,
      `/${neighbour}`,
      `/files/0/..%2f${neighbour}`,
      `/files/0/${encodeURIComponent(CORPUS_FILE)}`,
      CORPUS_FILE,
      `/..${CORPUS_FILE}`,
      "http://example.com/",
    ];
    for (const path of paths) {
      const answer = await http(view.port, path);
      expect(answer.status, path).toBe(404);
      expect(answer.body.toString(), path).toBe("not found\n");
    }
  });

  test("a request naming another host (DNS rebinding) is 404", async () => {
    const answer = await http(view.port, "/files/0/33bm_spec.dat", {
      headers: { Host: `attacker.example:${view.port}` },
    });
    expect(answer.status).toBe(404);
    expect((await http(view.port, "/files.json", { headers: { Host: "127.0.0.1" } })).status).toBe(
      404,
    );
  });

  test("methods other than GET and HEAD are 405", async () => {
    for (const method of ["POST", "PUT", "DELETE", "OPTIONS", "PATCH"]) {
      for (const path of ["/", "/files/0/33bm_spec.dat", "/files.json"]) {
        const answer = await http(view.port, path, { method });
        expect(answer.status, `${method} ${path}`).toBe(405);
        expect(answer.headers.allow).toBe("GET, HEAD");
      }
    }
  });

  const others = otherIPv4Addresses();
  test(
    others.length > 0
      ? `bound to 127.0.0.1 only: connecting through ${others.join(", ")} and ::1 fails`
      : "bound to 127.0.0.1 only: ::1 fails (this machine has no other IPv4 interface to try)",
    async () => {
      expect(await tryConnect("127.0.0.1", view.port)).toBe("connected");
      for (const address of [...others, "::1"]) {
        expect(await tryConnect(address, view.port), address).not.toBe("connected");
      }
    },
  );
});

describe("specx view ends cleanly", () => {
  test.each(["SIGINT", "SIGTERM"] as const)(
    "%s ends it with status 0 and nothing on standard error, open connections too",
    async (signal) => {
      const view = await startView([CORPUS_FILE]);
      // A connection held open (keep-alive, nothing asked) must not keep the process alive.
      const idle = connect({ host: "127.0.0.1", port: view.port });
      await new Promise((done) => idle.once("connect", done));
      expect((await http(view.port, "/files.json")).status).toBe(200);
      view.child.kill(signal);
      expect(await view.exited).toEqual({ code: 0, signal: null });
      expect(view.err()).toBe("");
      idle.destroy();
      expect(await tryConnect("127.0.0.1", view.port)).not.toBe("connected");
    },
  );
});

describe("specx view refuses what it cannot serve, in one line with status 2", () => {
  test("a port in use", async () => {
    const holder: Server = createServer();
    await new Promise<void>((done) => holder.listen({ host: "127.0.0.1", port: 0 }, done));
    const port = (holder.address() as { port: number }).port;
    try {
      expectOneLineFailure(
        await runToEnd(["view", CORPUS_FILE, "--port", String(port)]),
        new RegExp(`^specx: port ${port} on 127\\.0\\.0\\.1 is in use`),
      );
    } finally {
      holder.close();
    }
  });

  test("a port that is not one", async () => {
    for (const port of ["0", "65536", "80x", "-1", "1.5", ""]) {
      expectOneLineFailure(
        await runToEnd(["view", CORPUS_FILE, "--port", port]),
        /^specx: --port must be a whole number from 1 to 65535, not/,
      );
    }
  });

  test("a missing file, a folder, a device, standard input, a binary file", async () => {
    const binary = join(scratch(), "image.bin");
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    const cases: [string, RegExp][] = [
      [join(scratch(), "none.spec"), /^specx: cannot read .*none\.spec: no such file$/],
      [scratch(), /^specx: .* is a folder: name the SPEC files to view$/],
      ["/dev/null", /^specx: \/dev\/null is not a regular file$/],
      ["-", /^specx: view cannot serve standard input \(-\)/],
      [binary, /^specx: .*image\.bin is not a text file$/],
    ];
    for (const [path, message] of cases) {
      // After a good file too: every file is checked before the server starts.
      expectOneLineFailure(await runToEnd(["view", CORPUS_FILE, path]), message);
    }
  });
});

describe("specx view while it runs", () => {
  test("a named file that goes away answers 404; files.json still lists it", async () => {
    const folder = mkdtempSync(join(scratch(), "vanish-"));
    const path = join(folder, "brief.spec");
    copyFileSync(SECOND_FILE, path);
    const view = await startView([path, CORPUS_FILE]);
    expect((await http(view.port, "/files/0/brief.spec")).status).toBe(200);
    rmSync(path);
    expect((await http(view.port, "/files/0/brief.spec")).status).toBe(404);
    expect((await http(view.port, "/files/1/33bm_spec.dat")).status).toBe(200);
    const list = JSON.parse((await http(view.port, "/files.json")).body.toString());
    expect(list.map((entry: { name: string }) => entry.name)).toEqual([
      "brief.spec",
      "33bm_spec.dat",
    ]);
    // A folder put in its place is not served either.
    mkdirSync(path);
    expect((await http(view.port, "/files/0/brief.spec")).status).toBe(404);
    view.child.kill("SIGTERM");
    expect((await view.exited).code).toBe(0);
  });

  test("--verbose prints one line per request on standard error; quiet without it", async () => {
    const view = await startView([CORPUS_FILE, "--verbose"]);
    await http(view.port, "/files.json");
    await http(view.port, "/nothing");
    while (view.err().split("\n").length < 3) await sleep(10);
    expect(view.err()).toBe("specx view: GET /files.json 200\nspecx view: GET /nothing 404\n");
    view.child.kill("SIGINT");
    expect((await view.exited).code).toBe(0);

    const quiet = await startView([CORPUS_FILE]);
    await http(quiet.port, "/files.json");
    await http(quiet.port, "/nothing");
    quiet.child.kill("SIGINT");
    expect(await quiet.exited).toEqual({ code: 0, signal: null });
    expect(quiet.err()).toBe("");
  });

  test("--open runs $BROWSER with the URL; the server keeps serving", async () => {
    const record = join(scratch(), "opened.txt");
    const script = join(scratch(), "browser.sh");
    writeFileSync(script, `#!/bin/sh\nprintf '%s' "$1" > ${JSON.stringify(record)}\n`);
    chmodSync(script, 0o755);
    const view = await startView([CORPUS_FILE, "--open"], { ...process.env, BROWSER: script });
    while (!existsNonEmpty(record)) await sleep(10);
    expect(readFileSync(record, "utf8")).toBe(view.url);
    expect((await http(view.port, "/files.json")).status).toBe(200);
    expect(view.err()).toBe("");
    view.child.kill("SIGINT");
    expect((await view.exited).code).toBe(0);
  });

  test("--open with a browser that cannot run: one warning line, the server keeps serving", async () => {
    const missing = join(scratch(), "no-such-browser");
    const view = await startView([CORPUS_FILE, "--open"], { ...process.env, BROWSER: missing });
    while (!view.err().includes("\n")) await sleep(10);
    expect(view.err()).toBe(
      `specx view: could not open a browser (${missing}: not found); open ${view.url} yourself\n`,
    );
    expect((await http(view.port, "/files/0/33bm_spec.dat")).status).toBe(200);
    view.child.kill("SIGTERM");
    expect((await view.exited).code).toBe(0);
  });
});

function existsNonEmpty(path: string): boolean {
  return (statSync(path, { throwIfNoEntry: false })?.size ?? 0) > 0;
}

describe("the server on odd site folders (in-process)", () => {
  let site = "";
  let server: ViewServer;
  beforeAll(async () => {
    const root = mkdtempSync(join(scratch(), "site-"));
    site = join(root, "site");
    mkdirSync(join(site, "assets"), { recursive: true });
    writeFileSync(join(site, "index.html"), "<!doctype html><title>t</title>");
    writeFileSync(join(site, "assets", "logo.svg"), "<svg/>");
    writeFileSync(join(root, "secret.txt"), "not for the page");
    symlinkSync(join(root, "secret.txt"), join(site, "leak.txt"));
    symlinkSync(root, join(site, "up"));
    symlinkSync(join(site, "assets", "logo.svg"), join(site, "inside.svg"));
    server = await startViewServer({
      siteDir: site,
      files: [servedFile(SECOND_FILE, statSync(SECOND_FILE).size)],
      port: 0,
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  test("files in sub-folders and symlinks that stay inside are served, by type", async () => {
    const svg = await http(server.port, "/assets/logo.svg");
    expect(svg.status).toBe(200);
    expect(svg.headers["content-type"]).toBe("image/svg+xml");
    expect(svg.headers["content-security-policy"]).toBeUndefined();
    expect((await http(server.port, "/inside.svg")).body.toString()).toBe("<svg/>");
  });

  test("folders and symlinks that leave the site folder are 404", async () => {
    for (const path of [
      "/assets",
      "/assets/",
      "/leak.txt",
      "/up/secret.txt",
      "/up",
      "/secret.txt",
    ]) {
      expect((await http(server.port, path)).status, path).toBe(404);
    }
  });
});

describe("parts of view on their own", () => {
  test("byteRange: one range clamped to the file, or none", () => {
    expect(byteRange("bytes=0-9", 100)).toEqual([0, 9]);
    expect(byteRange("bytes=90-", 100)).toEqual([90, 99]);
    expect(byteRange("bytes=-10", 100)).toEqual([90, 99]);
    expect(byteRange("bytes=-1000", 100)).toEqual([0, 99]);
    expect(byteRange("bytes=50-1000", 100)).toEqual([50, 99]);
    expect(byteRange("bytes=100-", 100)).toBeUndefined();
    expect(byteRange("bytes=0-", 0)).toBeUndefined();
    expect(byteRange("bytes=-5", 0)).toBeUndefined();
    expect(byteRange("bytes=-", 100)).toBeUndefined();
    expect(byteRange("bytes=99999999999999999999-", 100)).toBeUndefined();
  });

  test("browserCommand: $BROWSER first (with %s or the URL last), else the system's opener", () => {
    const url = "http://127.0.0.1:1234/";
    expect(browserCommand(url, {}, "linux")).toEqual(["xdg-open", url]);
    expect(browserCommand(url, {}, "darwin")).toEqual(["open", url]);
    expect(browserCommand(url, {}, "win32")).toEqual(["cmd", "/c", "start", "", url]);
    expect(browserCommand(url, { BROWSER: "firefox" }, "linux")).toEqual(["firefox", url]);
    expect(browserCommand(url, { BROWSER: "w3m -o x %s" }, "linux")).toEqual([
      "w3m",
      "-o",
      "x",
      url,
    ]);
    expect(browserCommand(url, { BROWSER: "lynx:links" }, "linux")).toEqual(["lynx", url]);
    expect(browserCommand(url, { BROWSER: "" }, "linux")).toEqual(["xdg-open", url]);
  });

  test("viewerSite: a viewer whose page is not built is a one-line error naming the build", () => {
    const folder = mkdtempSync(join(scratch(), "viewer-"));
    const manifest = join(folder, "package.json");
    writeFileSync(manifest, "{}");
    expect(() => viewerSite(() => manifest)).toThrow(UserError);
    expect(() => viewerSite(() => manifest)).toThrow(
      `the viewer's page is not built (no ${join(folder, "dist", "site")}/index.html): run \`npm run build\``,
    );
    expect(() =>
      viewerSite(() => {
        throw new Error("Cannot find module");
      }),
    ).toThrow("the viewer (@specx/viewer) is not installed beside specx");
    expect(viewerSite()).toBe(siteDir);
  });
});

/** What `specx info --json` gives of one scan, as the page's scan list shows it. */
interface ListedScan {
  key: string;
  command: string;
  date: string | null;
  points: number;
}

/** The part of the page's test hook (`window.specxViewer`, packages/viewer/src/ui/main.ts) read here. */
interface PageWindow {
  specxViewer: {
    files: { name: string; size: number; ready: Promise<{ scans: ListedScan[] }> }[];
    idle(): Promise<void>;
  };
}

describe("in Chromium: the page that specx view serves opens the named file", () => {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  test("33bm_spec.dat: the scan list of specx info --json, read through the server, no error", async () => {
    const info = JSON.parse(
      execFileSync(process.execPath, [bin, "info", "--json", CORPUS_FILE]).toString(),
    );
    const expected: ListedScan[] = info[0].scans.map((scan: ListedScan) => ({
      key: scan.key,
      command: scan.command,
      date: scan.date,
      points: scan.points,
    }));
    expect(expected.length).toBeGreaterThan(10);

    const view = await startView([CORPUS_FILE]);
    const page = await (browser as Browser).newPage();
    const errors: string[] = [];
    page.on("console", (message) => {
      // Chromium asks for /favicon.ico by itself when the page names no icon; its 404 (the
      // server's contract) is not the page's error.
      const chromiumsOwn = message.location().url === `${view.url}favicon.ico`;
      if (message.type() === "error" && !chromiumsOwn) errors.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`page: ${error.message}`));
    const asked: { url: string; status: number; range: string | undefined }[] = [];
    page.on("requestfinished", async (request) => {
      const response = await request.response();
      asked.push({
        url: request.url().slice(view.url.length - 1),
        status: response?.status() ?? 0,
        range: (await request.allHeaders()).range,
      });
    });

    await page.goto(view.url);
    const overview = await page.evaluate(async () => {
      const hook = (globalThis as unknown as PageWindow).specxViewer;
      // The page opens the files of /files.json by itself; wait until they are listed.
      while (hook.files.length === 0) {
        await new Promise((done) => setTimeout(done, 20));
      }
      const file = hook.files[0];
      const opened = await file?.ready;
      return { name: file?.name, size: file?.size, scans: opened?.scans ?? [] };
    });
    expect(overview.name).toBe("33bm_spec.dat");
    expect(overview.size).toBe(statSync(CORPUS_FILE).size);
    expect(
      overview.scans.map((scan) => ({
        key: scan.key,
        command: scan.command,
        date: scan.date,
        points: scan.points,
      })),
    ).toEqual(expected);

    // What the user sees: one row per scan, with its key, date and points.
    const rows = page.locator("#scan-table tbody tr");
    await rows.nth(expected.length - 1).waitFor();
    const shown = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        key: tr.querySelector(".key")?.firstChild?.textContent ?? "",
        date: tr.querySelector(".date")?.textContent ?? "",
        points: Number(tr.querySelector(".points")?.textContent),
      })),
    );
    expect(shown).toEqual(
      expected.map((scan) => ({ key: scan.key, date: scan.date ?? "", points: scan.points })),
    );
    await page.evaluate(() => (globalThis as unknown as PageWindow).specxViewer.idle());

    // The page asked for the file list and read the file from the server, nothing outside it.
    expect(asked.find((entry) => entry.url === "/files.json")?.status).toBe(200);
    const reads = asked.filter((entry) => entry.url === "/files/0/33bm_spec.dat");
    expect(reads.length).toBeGreaterThan(0);
    for (const read of reads) expect([200, 206]).toContain(read.status);
    console.log(
      `specx view in Chromium: ${asked.length} requests; the file read in ${reads.length}` +
        ` (ranges: ${reads.map((read) => read.range ?? "whole").join(", ")})`,
    );
    expect(errors).toEqual([]);
    await page.close();
    view.child.kill("SIGINT");
    expect((await view.exited).code).toBe(0);
  }, 120_000);
});
