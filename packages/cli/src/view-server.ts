/**
 * The HTTP server behind `specx view`: the viewer's static site (`@specx/viewer`'s dist/site)
 * and the files named on the command line, on 127.0.0.1 only. What it answers is the contract
 * the page relies on (packages/cli/README.md, "`view`"):
 *
 *   GET /, /index.html, /<site file>     the site's own files
 *   GET /files.json                      [{name, size, url, path}] of the named files, in order
 *   GET|HEAD /files/<i>/<basename>       the i-th named file; one `Range: bytes=a-b` honoured
 *
 * Everything else is 404 and methods other than GET and HEAD are 405: no other file on the disk
 * can be reached, whatever the path (`..`, encoded dots, double slashes, symlinks that leave the
 * site folder). Files are streamed, never read whole: the page reads a big file by ranges.
 */
import { createReadStream, type Stats } from "node:fs";
import { type FileHandle, open, realpath } from "node:fs/promises";
import {
  createServer,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";
import { basename, extname, join, resolve, sep } from "node:path";
import { pipeline } from "node:stream";

/** The only address the server listens on: nothing outside the machine can reach it. */
export const VIEW_HOST = "127.0.0.1";

/** The policy of the page: its own scripts, styles and workers only; no request leaves. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; worker-src 'self' blob:; connect-src 'self'";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".map": "application/json; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
};

/** A file named on the command line, as the page sees it. */
export interface ServedFile {
  /** Absolute path, fixed at start. */
  path: string;
  /** Its base name: the last segment of its URL. */
  name: string;
  /** Its size when last looked at (files.json reports the current size when it can). */
  size: number;
}

export interface ViewServerOptions {
  /** The built site: a folder holding index.html. */
  siteDir: string;
  files: ServedFile[];
  /** 0 for a free port chosen by the system. */
  port: number;
  /** Told of each request once answered (`--verbose`). */
  onRequest?: ((method: string, url: string, status: number) => void) | undefined;
}

export interface ViewServer {
  /** `http://127.0.0.1:PORT/` */
  url: string;
  port: number;
  /** Stops listening and ends every open connection. */
  close(): Promise<void>;
}

/** The URL path of the i-th named file. */
export function fileUrlPath(index: number, name: string): string {
  return `/files/${index}/${encodeURIComponent(name)}`;
}

/** Starts the server; rejects with the listen error (EADDRINUSE, EACCES) as Node gives it. */
export async function startViewServer(options: ViewServerOptions): Promise<ViewServer> {
  const siteRoot = await realpath(resolve(options.siteDir));
  let port = options.port;
  const server = createServer((request, response) => {
    response.on("finish", () =>
      options.onRequest?.(request.method ?? "", request.url ?? "", response.statusCode),
    );
    answer(request, response, siteRoot, options.files, port).catch(() => {
      // A failure half-way through (the client went away, the file vanished): end it quietly.
      if (!response.headersSent) send(response, 404, "not found\n");
      else response.destroy();
    });
  });
  await listen(server, options.port);
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://${VIEW_HOST}:${port}/`,
    port,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((done, fail) => {
    server.once("error", fail);
    server.listen({ host: VIEW_HOST, port, exclusive: true }, () => {
      server.off("error", fail);
      done();
    });
  });
}

async function answer(
  request: IncomingMessage,
  response: ServerResponse,
  siteRoot: string,
  files: ServedFile[],
  port: number,
): Promise<void> {
  const method = request.method ?? "";
  if (method !== "GET" && method !== "HEAD") {
    send(response, 405, "method not allowed\n", { Allow: "GET, HEAD" });
    return;
  }
  // A page on another site whose name resolves to 127.0.0.1 (DNS rebinding) sends its own name
  // as Host: it gets nothing.
  const host = request.headers.host;
  if (host !== `${VIEW_HOST}:${port}` && host !== `localhost:${port}`) {
    send(response, 404, "not found\n");
    return;
  }
  const rawUrl = request.url ?? "";
  const query = rawUrl.indexOf("?");
  const path = query === -1 ? rawUrl : rawUrl.slice(0, query);
  const head = method === "HEAD";
  if (path === "/files.json") {
    await sendFileList(response, files);
    return;
  }
  const fileMatch = /^\/files\/(0|[1-9][0-9]{0,8})\/([^/]+)$/.exec(path);
  if (fileMatch) {
    const file = files[Number(fileMatch[1])];
    if (file === undefined || decoded(fileMatch[2] ?? "") !== file.name) {
      send(response, 404, "not found\n");
      return;
    }
    await sendNamedFile(request, response, file, head);
    return;
  }
  const sitePath = await siteFile(siteRoot, path === "/" ? "/index.html" : path);
  if (sitePath === undefined) {
    send(response, 404, "not found\n");
    return;
  }
  await sendSiteFile(response, sitePath, head);
}

/** A URL segment decoded, or undefined when it is not valid percent-encoding. */
function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/**
 * The real path of the site file `urlPath` names, or undefined. Segments are taken as written
 * (no percent-decoding: the site's names are plain), must be plain names (no `.`, `..`, empty
 * segment or leading dot), and the file, symlinks followed, must be inside the site folder.
 */
async function siteFile(siteRoot: string, urlPath: string): Promise<string | undefined> {
  const segments = urlPath.slice(1).split("/");
  if (
    !urlPath.startsWith("/") ||
    !segments.every((s) => /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(s))
  ) {
    return undefined;
  }
  let real: string;
  try {
    real = await realpath(join(siteRoot, ...segments));
  } catch {
    return undefined;
  }
  return real.startsWith(siteRoot + sep) ? real : undefined;
}

/** Opens `path` for reading when it is a regular file; undefined otherwise. */
async function openRegular(
  path: string,
): Promise<{ handle: FileHandle; stats: Stats } | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, "r");
  } catch {
    return undefined;
  }
  try {
    // Stat the open file, not the path: what is checked is what is read.
    const stats = await handle.stat();
    if (stats.isFile()) return { handle, stats };
  } catch {
    // Fall through: not served.
  }
  await handle.close();
  return undefined;
}

async function sendSiteFile(response: ServerResponse, path: string, head: boolean): Promise<void> {
  const opened = await openRegular(path);
  if (opened === undefined) {
    send(response, 404, "not found\n");
    return;
  }
  const type = CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
  const headers: OutgoingHttpHeaders = {
    "Content-Type": type,
    "Content-Length": opened.stats.size,
    "Cache-Control": "no-cache",
  };
  if (type.startsWith("text/html")) headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY;
  stream(response, 200, headers, opened.handle, head, 0, opened.stats.size - 1);
}

async function sendFileList(response: ServerResponse, files: ServedFile[]): Promise<void> {
  const list = [];
  for (const [index, file] of files.entries()) {
    const opened = await openRegular(file.path);
    if (opened !== undefined) {
      file.size = opened.stats.size;
      await opened.handle.close();
    }
    // The path lets the page name the file in a run's documents as `specx to-docs FILE` does.
    list.push({
      name: file.name,
      size: file.size,
      url: fileUrlPath(index, file.name),
      path: file.path,
    });
  }
  // Node sends no body for HEAD, only the headers.
  const body = `${JSON.stringify(list)}\n`;
  send(response, 200, body, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(body),
    "Cache-Control": "no-store",
  });
}

async function sendNamedFile(
  request: IncomingMessage,
  response: ServerResponse,
  file: ServedFile,
  head: boolean,
): Promise<void> {
  // The list is fixed at start; a file that went away (or became something else) is 404.
  const opened = await openRegular(file.path);
  if (opened === undefined) {
    send(response, 404, "not found\n");
    return;
  }
  const size = opened.stats.size;
  const headers: OutgoingHttpHeaders = {
    "Content-Type": "text/plain; charset=utf-8",
    "Accept-Ranges": "bytes",
    "Cache-Control": "no-store",
  };
  const rangeHeader = request.headers.range;
  if (rangeHeader === undefined) {
    stream(response, 200, { ...headers, "Content-Length": size }, opened.handle, head, 0, size - 1);
    return;
  }
  const range = byteRange(rangeHeader, size);
  if (range === undefined) {
    await opened.handle.close();
    send(response, 416, "range not satisfiable\n", {
      ...headers,
      "Content-Range": `bytes */${size}`,
    });
    return;
  }
  const [start, end] = range;
  headers["Content-Range"] = `bytes ${start}-${end}/${size}`;
  headers["Content-Length"] = end - start + 1;
  stream(response, 206, headers, opened.handle, head, start, end);
}

/**
 * The inclusive byte span of a single range (`bytes=a-b`, `bytes=a-`, `bytes=-n`) clamped to
 * the file, or undefined when it cannot be served: not one byte range, or none of its bytes in
 * the file (a list of ranges is not served either: the page asks for one at a time).
 */
export function byteRange(header: string, size: number): [number, number] | undefined {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return undefined;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return undefined;
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (!Number.isSafeInteger(start) || start >= size || start > end) return undefined;
  return [start, end];
}

/** Sends bytes start..end (inclusive) of an open file, or only the headers for HEAD. */
function stream(
  response: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders,
  handle: FileHandle,
  head: boolean,
  start: number,
  end: number,
): void {
  response.writeHead(status, { ...headers, "X-Content-Type-Options": "nosniff" });
  if (head || end < start) {
    response.end();
    void handle.close();
    return;
  }
  const source = createReadStream("", { fd: handle, start, end, autoClose: true });
  // pipeline closes the file if the client goes away before the end.
  pipeline(source, response, () => {});
}

function send(
  response: ServerResponse,
  status: number,
  body: string,
  headers: OutgoingHttpHeaders = {},
): void {
  response.writeHead(status, {
    "Content-Type": "text/plain; charset=utf-8",
    ...headers,
    "X-Content-Type-Options": "nosniff",
  });
  response.end(body);
}

/** The named file as the page will see it. */
export function servedFile(path: string, size: number): ServedFile {
  return { path: resolve(path), name: basename(path), size };
}
