/**
 * `specx from-docs INPUT... -o OUT.spec [--flavor apstools|suitcase]`: bluesky document streams
 * (JSON `[[name, doc], …]`, `.json.gz`, suitcase-jsonl, suitcase-msgpack) written as SPEC scans.
 * OUT is created, or continued after its last scan; `#F` holds OUT as given.
 */
import { NotASpecFileError } from "@specx/spec-writer";
import { writeDocumentFiles } from "@specx/spec-writer/node";
import { type CliIO, UserError } from "../io.js";

/** Options of the command. */
export interface FromDocsOptions {
  output: string;
  flavor?: string;
  timeZone?: string;
  strictApstools?: boolean;
}

/** Runs `from-docs`; returns the exit status. */
export function runFromDocs(io: CliIO, inputs: string[], options: FromDocsOptions): number {
  const flavor = options.flavor ?? "apstools";
  if (flavor !== "apstools" && flavor !== "apstools-v1" && flavor !== "suitcase") {
    throw new UserError(`--flavor must be apstools, apstools-v1 or suitcase, not '${flavor}'`);
  }
  if (options.timeZone !== undefined && !isTimeZone(options.timeZone)) {
    throw new UserError(`unknown time zone '${options.timeZone}'`);
  }
  let result: { warnings: readonly string[] };
  try {
    result = writeDocumentFiles(inputs, options.output, {
      flavor,
      ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
      ...(options.strictApstools ? { strictApstools: true } : {}),
    });
  } catch (error) {
    if (error instanceof NotASpecFileError) {
      throw new UserError(`will not append to ${options.output}: ${error.message}`);
    }
    throw new UserError((error as Error).message);
  }
  for (const warning of new Set(result.warnings)) io.stderr(`specx: warning: ${warning}\n`);
  return 0;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
