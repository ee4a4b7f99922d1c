/**
 * The `specx` command line. `main(argv, io)` returns the exit status instead of exiting, so every
 * command runs in-process in tests; `bin/specx.cjs` calls it for the real binary.
 *
 * Exit status: 0 success, 1 the file has error diagnostics, 2 bad usage or I/O error.
 */
import { Command, CommanderError } from "commander";
import type { CommandContext } from "./context.js";
import { type CliIO, processIO, UserError } from "./io.js";

export type { InspectResult, InspectScan } from "./commands/inspect.js";
export { inspectBytes } from "./commands/inspect.js";
export type { CliIO } from "./io.js";
export { serveJobs } from "./job-server.js";

type Register = (program: Command, context: CommandContext) => void;

/**
 * Every command, in the order `specx --help` lists them, with the module that registers it. A
 * module is imported only when its command may run: `specx info FILE` loads the parser and
 * commander, not the writer, Ajv, the conversion or the PNG renderer (docs/performance.md,
 * "CLI start-up").
 */
const commandModules: Record<string, () => Promise<Register>> = {
  validate: async () => (await import("./commands/validate.js")).registerValidate,
  rules: async () => (await import("./commands/rules.js")).registerRules,
  info: async () => (await import("./commands/info.js")).registerInfo,
  show: async () => (await import("./commands/show.js")).registerShow,
  export: async () => (await import("./commands/export.js")).registerExport,
  stats: async () => (await import("./commands/stats.js")).registerStats,
  plot: async () => (await import("./commands/plot.js")).registerPlot,
  watch: async () => (await import("./commands/watch.js")).registerWatch,
  view: async () => (await import("./commands/view.js")).registerView,
  inspect: async () => (await import("./commands/inspect.js")).registerInspect,
  print: async () => (await import("./commands/print.js")).registerPrint,
  "to-docs": async () => (await import("./commands/to-docs.js")).registerToDocs,
  "from-docs": async () => (await import("./commands/from-docs.js")).registerFromDocs,
  "to-nexus": async () => (await import("./commands/to-nexus.js")).registerToNexus,
  record: async () => (await import("./commands/record.js")).registerRecord,
};

/**
 * The modules to load for `argv`: only the named command's when it comes first (`specx info …`),
 * else all of them (help, version, an unknown command and its suggestion need every command).
 */
function modulesFor(argv: readonly string[]): (() => Promise<Register>)[] {
  const first = argv[2];
  const only =
    first !== undefined && Object.hasOwn(commandModules, first) ? commandModules[first] : undefined;
  return only ? [only] : Object.values(commandModules);
}

/** Runs specx with `argv` as in `process.argv` (node, script, arguments…). */
export async function main(argv: readonly string[], io: CliIO = processIO): Promise<number> {
  let status = 0;
  const program = new Command()
    .name("specx")
    .description("Read, check and convert SPEC data files.")
    .version("0.1.0")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(text),
    })
    .showSuggestionAfterError()
    .addHelpText(
      "after",
      [
        "",
        "Examples:",
        "  specx validate beamtime/            check every SPEC file in a folder",
        "  specx info scans.spec               one line per scan",
        "  specx show scans.spec 12            scan 12: header facts and data",
        "  specx export scans.spec --scan 12.1 --format csv -o s12.csv",
        "  specx stats scans.spec --json       column statistics, peak, FWHM, COM",
        "  specx plot scans.spec 12 -o s12.png",
        "  specx to-docs scans.spec --format jsonl -o runs/",
        "  specx to-nexus scans.spec           write scans.h5 (NeXus) beside it",
        "  specx watch scans.spec               print each new scan and point as SPEC writes them",
        "  specx view scans.spec --open        scans, plots and defects in the browser (127.0.0.1)",
        "",
        "Run `specx <command> --help` for a command's options and examples.",
        "",
      ].join("\n"),
    );

  const context: CommandContext = {
    io,
    setStatus: (value) => {
      status = value;
    },
  };
  const registers = await Promise.all(modulesFor(argv).map((load) => load()));
  for (const register of registers) register(program, context);

  try {
    await program.parseAsync([...argv], { from: "node" });
    return status;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end with exit code 0; usage errors were already printed by commander.
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof UserError) {
      io.stderr(`specx: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr(`specx: ${(error as Error).message ?? String(error)}\n`);
    return 2;
  }
}
