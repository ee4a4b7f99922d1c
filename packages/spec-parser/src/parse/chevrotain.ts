/**
 * chevrotain's runtime, loaded from the single-module build its package ships when the platform
 * can locate it. The package entry loads chevrotain as some 600 modules (lodash-es): 0.4 s and
 * 30 MB of memory on every start of every program that reads a SPEC file. The build beside it
 * (`lib/chevrotain.mjs`, same version, same code) loads in a tenth of the time. Where
 * `import.meta.resolve` is missing (some bundlers and test runners), the package entry is used.
 */
import type * as Chevrotain from "chevrotain";

/** Which build was loaded: the single module, or the package entry as a fallback. */
export let chevrotainBuild: "single-module" | "package-entry" = "single-module";

async function loadChevrotain(): Promise<typeof Chevrotain> {
  try {
    const entry = import.meta.resolve("chevrotain");
    return (await import(new URL("../chevrotain.mjs", entry).href)) as typeof Chevrotain;
  } catch {
    chevrotainBuild = "package-entry";
    return await import("chevrotain");
  }
}

const chevrotain = await loadChevrotain();

export const { createToken, EmbeddedActionsParser, Lexer } = chevrotain;
/** The lexer's instance type, under the same name as its class, as chevrotain's own export. */
export type Lexer = Chevrotain.Lexer;
