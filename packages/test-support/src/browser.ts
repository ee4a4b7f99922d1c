/**
 * The browser tests' Chromium and their static server: Debian's /usr/bin/chromium driven through
 * playwright-core (no browser download), and a folder served on 127.0.0.1. Used by the viewer's
 * page and plot tests, h5web's (packages/nexus) and `specx view`'s (packages/cli).
 */
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join } from "node:path";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium (the `chromium` package), the only browser on the machine. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

/**
 * Starts Chromium headless. This machine's network is closed: no background connections
 * (/usr/bin/chromium's stderr noise about /dev/shm and dbus is harmless). `extraArgs` go after
 * the common switches.
 */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
      ...extraArgs,
    ],
  });
}

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".map": "application/json",
  ".h5": "application/x-hdf5",
};

/** A folder served over HTTP: where, and how to stop. */
export interface ServedFolder {
  /** `http://127.0.0.1:<port>`, without a trailing slash. */
  origin: string;
  /** Stops the server and ends its open connections. */
  close(): Promise<void>;
}

/**
 * Serves the files that `folder` holds now (not its sub-folders, not files added later) by
 * name on 127.0.0.1, `/` being `index.html`; anything else is 404. `headers` go with every file
 * (a page test's Content-Security-Policy).
 */
export function serveFolder(
  folder: string,
  headers: Record<string, string> = {},
): Promise<ServedFolder> {
  const served = new Set(
    readdirSync(folder, { withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => entry.name),
  );
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? "/", "http://127.0.0.1").pathname;
    const name = path === "/" ? "index.html" : path.slice(1);
    if (!served.has(name)) {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, {
        "content-type": CONTENT_TYPES[extname(name)] ?? "application/octet-stream",
        ...headers,
      })
      .end(readFileSync(join(folder, name)));
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((closed) => {
            server.close(() => closed());
            server.closeAllConnections();
          }),
      });
    });
  });
}
