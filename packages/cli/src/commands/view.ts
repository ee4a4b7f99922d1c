/**
 * `specx view [FILE...] [--port N] [--open] [--verbose]`: serves the browser viewer
 * (`@specx/viewer`'s built site) on 127.0.0.1 with the named files already open, prints its URL
 * and runs until Ctrl-C (or SIGTERM), which ends it with status 0. The first line on standard
 * output is a contract other tools parse; keep it stable:
 *
 *   specx view: http://127.0.0.1:PORT/ (N files; Ctrl-C to stop)
 *
 * What the server answers is in view-server.ts; only the named files are served.
 */
import { spawn } from "node:child_process";
import { statSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import { checkSpecInput } from "../inputs.js";
import { type CliIO, ioReason, UserError } from "../io.js";
import { type ServedFile, servedFile, startViewServer } from "../view-server.js";

/** Options of the command, as commander gives them. */
export interface ViewOptions {
  port?: string;
  open?: boolean;
  verbose?: boolean;
}

export function registerView(program: Command, context: CommandContext): void {
  program
    .command("view")
    .description("open SPEC files in the browser viewer, served on 127.0.0.1 until Ctrl-C")
    .argument("[files...]", "SPEC files to open in the page (only these are served)")
    .option("--port <n>", "port to listen on (default: a free port)")
    .option("--open", "open the page in the browser ($BROWSER, else the system's default)")
    .option("--verbose", "print one line per request on standard error")
    .addHelpText(
      "after",
      "\nExamples:\n  specx view scans.spec --open\n  specx view run1.spec run2.spec --port 8080\n",
    )
    .action(async (files: string[], options: ViewOptions) => {
      // Ctrl-C and SIGTERM end the server normally (status 0): that is how it is meant to stop.
      let onSignal = () => {};
      const stopped = new Promise<void>((done) => {
        onSignal = done;
      });
      process.once("SIGINT", onSignal);
      process.once("SIGTERM", onSignal);
      try {
        context.setStatus(await runView(context.io, files, options, stopped));
      } finally {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    });
}

/** Serves the viewer and `paths` until `stopped` settles; returns the exit status. */
export async function runView(
  io: CliIO,
  paths: readonly string[],
  options: ViewOptions,
  stopped: Promise<void>,
): Promise<number> {
  const port = options.port === undefined ? 0 : portNumber(options.port);
  const siteDir = viewerSite();
  const files = paths.map((path) => checkedFile(io, path));
  const server = await startViewServer({
    siteDir,
    files,
    port,
    onRequest: options.verbose
      ? (method, url, status) => io.stderr(`specx view: ${method} ${url} ${status}\n`)
      : undefined,
  }).catch((error: unknown) => {
    throw new UserError(listenFailure(error, port));
  });
  const count = `${files.length} file${files.length === 1 ? "" : "s"}`;
  io.stdout(`specx view: ${server.url} (${count}; Ctrl-C to stop)\n`);
  if (options.open) {
    openInBrowser(server.url, io.env ?? {}, process.platform, (text) =>
      io.stderr(`specx view: ${text}\n`),
    );
  }
  await stopped;
  await server.close();
  return 0;
}

/** `--port`: a whole number from 1 to 65535. */
function portNumber(text: string): number {
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new UserError(`--port must be a whole number from 1 to 65535, not ${text}`);
  }
  return port;
}

function listenFailure(error: unknown, port: number): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "EADDRINUSE") {
    return `port ${port} on 127.0.0.1 is in use: choose another with --port, or leave it out for a free one`;
  }
  if (code === "EACCES") return `port ${port} on 127.0.0.1: permission denied`;
  return `cannot listen on 127.0.0.1:${port}: ${(error as Error).message}`;
}

/**
 * The folder of the viewer's built site: `dist/site` of the `@specx/viewer` package, found the
 * way Node finds the package from here (a static asset read at run time, never bundled).
 * `resolveManifest` is for tests.
 */
export function viewerSite(
  resolveManifest: () => string = () =>
    createRequire(import.meta.url).resolve("@specx/viewer/package.json"),
): string {
  let manifest: string;
  try {
    manifest = resolveManifest();
  } catch {
    throw new UserError("the viewer (@specx/viewer) is not installed beside specx");
  }
  const site = join(dirname(manifest), "dist", "site");
  if (!statSync(join(site, "index.html"), { throwIfNoEntry: false })?.isFile()) {
    throw new UserError(
      `the viewer's page is not built (no ${site}/index.html): run \`npm run build\``,
    );
  }
  return site;
}

/** A named file, checked: a readable regular text file, not standard input or a folder. */
function checkedFile(io: CliIO, path: string): ServedFile {
  if (path === "-") {
    throw new UserError(
      "view cannot serve standard input (-): the page reads a file by ranges; name the file",
    );
  }
  let size: number;
  try {
    const stats = statSync(path);
    if (stats.isDirectory())
      throw new UserError(`${path} is a folder: name the SPEC files to view`);
    if (!stats.isFile()) throw new UserError(`${path} is not a regular file`);
    size = stats.size;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`cannot read ${path}: ${ioReason(error, "no such file")}`);
  }
  // Readable, and text (its first 8 KB): as every other command checks a named file.
  checkSpecInput(io, path);
  return servedFile(path, size);
}

/**
 * Opens `url` in a browser without waiting for it: `$BROWSER` when set (a command; `%s` in it
 * stands for the URL, else the URL is its last argument), else the system's opener. A failure
 * is a warning: the server keeps running and its URL is printed already.
 */
export function openInBrowser(
  url: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
  warn: (text: string) => void,
): void {
  const [command = "", ...args] = browserCommand(url, env, platform);
  const failed = (reason: string) =>
    warn(`could not open a browser (${command}: ${reason}); open ${url} yourself`);
  try {
    // Its own process group: Ctrl-C in the terminal stops specx, not the browser it opened.
    const child = spawn(command, args, { detached: true, stdio: "ignore" });
    child.on("error", (error) => failed(ioReason(error, "not found")));
    child.on("exit", (code) => {
      if (code !== null && code !== 0) failed(`exit status ${code}`);
    });
    child.unref();
  } catch (error) {
    failed((error as Error).message);
  }
}

/** The command and arguments that open `url`. */
export function browserCommand(
  url: string,
  env: Record<string, string | undefined>,
  platform: NodeJS.Platform,
): string[] {
  // $BROWSER may list several commands (separated as PATH is); the first is used.
  const chosen = env.BROWSER?.split(platform === "win32" ? ";" : ":")[0]?.trim();
  if (chosen) {
    const words = chosen.split(/\s+/);
    return words.some((word) => word.includes("%s"))
      ? words.map((word) => word.replaceAll("%s", url))
      : [...words, url];
  }
  if (platform === "darwin") return ["open", url];
  // `start` is a command of cmd.exe; its first quoted argument is a window title.
  if (platform === "win32") return ["cmd", "/c", "start", "", url];
  return ["xdg-open", url];
}
