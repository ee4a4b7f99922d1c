/**
 * chevrotain's runtime for bundlers that build for browsers (the package's `browser` field maps
 * `chevrotain.js` to this file). A page has no `import.meta.resolve` for a bare name, so
 * `chevrotain.ts`'s top-level await always fell back to a dynamic import: no classic-script
 * build, and a module worker that set its `onmessage` only after that import lost the first
 * message (packages/viewer). A static import has neither problem, and a bundle has no module
 * loading cost to save.
 */
export { createToken, EmbeddedActionsParser, Lexer } from "chevrotain";

/** Which build was loaded: here always the package entry, which the bundler inlines. */
export const chevrotainBuild: "single-module" | "package-entry" = "package-entry";
