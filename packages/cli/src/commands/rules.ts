/**
 * `specx rules`: every code `specx validate` can report, with its severity and what it means, as
 * an aligned table or as JSON (`[{code, severity, description}]`).
 */

import { toJson } from "@specx/scan-data";
import { diagnosticRules } from "@specx/spec-parser/node";
import type { Command } from "commander";
import type { CommandContext } from "../context.js";
import type { RuleInfo } from "../sarif.js";
import { colorsFor, paintSeverity } from "../style.js";

/** Every rule `validate` applies, in the order of the package's table. */
export function allRules(): RuleInfo[] {
  return Object.entries(diagnosticRules).map(([code, rule]) => ({
    code,
    severity: rule.severity,
    description: rule.description,
  }));
}

export function registerRules(program: Command, context: CommandContext): void {
  program
    .command("rules")
    .description("list every code validate reports, with its severity and what it means")
    .option("--json", "print a JSON array of {code, severity, description}")
    .addHelpText("after", "\nExamples:\n  specx rules\n  specx rules --json | jq -r '.[].code'\n")
    .action((options: { json?: boolean }) => {
      const rules = allRules();
      if (options.json) {
        context.io.stdout(`${toJson(rules)}\n`);
      } else {
        const colors = colorsFor(context.io);
        const width = Math.max(...rules.map((rule) => rule.code.length));
        const lines = rules.map(
          (rule) =>
            `${rule.code.padEnd(width)}  ${paintSeverity(colors, rule.severity, rule.severity.padEnd(7))}  ${rule.description}`,
        );
        context.io.stdout(`${lines.join("\n")}\n`);
      }
      context.setStatus(0);
    });
}
