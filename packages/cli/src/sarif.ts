/**
 * SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), the log format code hosts read
 * to annotate files with findings. Only what they use is written: the tool with every rule, and
 * one result per diagnostic with its file and line.
 */
import { isAbsolute } from "node:path";
import { pathToFileURL } from "node:url";
import type { Diagnostic, Severity } from "@specx/spec-parser/node";

const schemaUri =
  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/** Where people learn about the tool; SARIF viewers link to it. */
export const informationUri = "https://www.npmjs.com/package/@specx/cli";

/** A rule as `specx rules` lists it. */
export interface RuleInfo {
  code: string;
  severity: Severity;
  description: string;
}

/** The findings of one file. */
export interface SarifFile {
  /** The path as the user gave it; `-` for standard input. */
  file: string;
  diagnostics: Diagnostic[];
}

/** SARIF has no "info" level; its "note" means the same. */
const levels: Record<Severity, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  info: "note",
};

/** A SARIF log with one run of `tool` over `files`. */
export function toSarif(
  files: readonly SarifFile[],
  rules: readonly RuleInfo[],
  toolVersion: string,
): object {
  const ruleIndex = new Map(rules.map((rule, index) => [rule.code, index]));
  return {
    $schema: schemaUri,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "specx",
            informationUri,
            version: toolVersion,
            rules: rules.map((rule) => ({
              id: rule.code,
              shortDescription: { text: rule.description },
              defaultConfiguration: { level: levels[rule.severity] },
            })),
          },
        },
        results: files.flatMap(({ file, diagnostics }) =>
          diagnostics.map((d) => ({
            ruleId: d.code,
            ruleIndex: ruleIndex.get(d.code),
            level: levels[d.severity],
            message: { text: d.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { uri: artifactUri(file) },
                  // A finding about the whole file has no line; SARIF then omits the region.
                  ...(d.line !== null ? { region: { startLine: d.line } } : {}),
                },
              },
            ],
            ...(d.scan !== null ? { properties: { scan: d.scan } } : {}),
          })),
        ),
      },
    ],
  };
}

/**
 * The file as a URI reference: a relative path stays relative (code hosts resolve it against
 * the checkout), with `/` separators and reserved characters escaped; an absolute path becomes a
 * `file:` URI.
 */
export function artifactUri(path: string): string {
  if (path === "-") return "stdin";
  if (isAbsolute(path)) return pathToFileURL(path).href;
  return path.split(/[\\/]/).map(encodeURIComponent).join("/");
}
