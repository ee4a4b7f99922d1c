/**
 * `specx plot FILE SCAN [-x LABEL] [-y LABEL...] -o OUT.svg|OUT.png`: a line chart of one scan,
 * by default the last column against the first, as SPEC plots a scan. The image format follows
 * the extension of `-o`; `-o -` writes the SVG to standard output.
 */
import { basename, extname } from "node:path";
import type { Command } from "commander";
import { renderSvg } from "../chart.js";
import type { CommandContext } from "../context.js";
import { checkSpecInput, withSpecFile } from "../inputs.js";
import { type CliIO, UserError } from "../io.js";
import { writeOutputFile } from "../output-file.js";
import { svgToPng } from "../png.js";
import { columnByLabel, scanByRef, scanKeyList } from "../scan-select.js";

/** Options of the command. */
export interface PlotOptions {
  x?: string;
  y?: string[];
  output: string;
}

export function registerPlot(program: Command, context: CommandContext): void {
  program
    .command("plot")
    .description(
      "draw a scan as a line chart (SVG or PNG), by default the last column against the first",
    )
    .argument("<file>", "SPEC file, or - for standard input")
    .argument("<scan>", "scan key such as 3.1, or a number for its first occurrence")
    .option("-x, --x <label>", "column for the x axis (default: the first)")
    .option("-y, --y <label...>", "columns for the y axis, one line each (default: the last)")
    .requiredOption(
      "-o, --output <file>",
      "the image: a .svg or .png file (- writes SVG to standard output)",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  specx plot scans.spec 3.1 -o scan3.svg\n  specx plot scans.spec 3 -x theta -y I0 signal -o scan3.png\n  specx plot scans.spec 12.2 -o - > scan12.svg\n",
    )
    .action(async (file: string, scan: string, options: PlotOptions) => {
      context.setStatus(await runPlot(context.io, file, scan, options));
    });
}

/** Runs `plot`; returns the exit status. */
export async function runPlot(
  io: CliIO,
  path: string,
  ref: string,
  options: PlotOptions,
): Promise<number> {
  const format = imageFormat(options.output);
  const name = path === "-" ? "standard input" : path;
  // A named file is read from disk, its scan alone: memory does not grow with the file.
  const svg = withSpecFile(checkSpecInput(io, path), (file) => {
    const scan = scanByRef(file, ref);
    if (!scan) throw new UserError(`no scan ${ref} in ${name} (${scanKeyList(file)})`);
    const { names, columns, rows } = scan.data;
    if (columns.length === 0 || rows === 0) {
      throw new UserError(`scan ${scan.key} of ${name} has no data rows to plot`);
    }
    const xIndex = options.x !== undefined ? columnByLabel(scan, options.x, name) : 0;
    const yIndexes = (options.y ?? []).map((label) => columnByLabel(scan, label, name));
    if (yIndexes.length === 0) yIndexes.push(columns.length - 1);

    const x = (columns[xIndex] as Float64Array).subarray(0, rows);
    const yLabels = yIndexes.map((i) => names[i] as string);
    return renderSvg({
      title: `${path === "-" ? "standard input" : basename(path)}  #S ${scan.key}`,
      subtitle: scan.command,
      xLabel: names[xIndex] as string,
      yLabel: yLabels.join(", "),
      series: yIndexes.map((i, n) => ({
        label: yLabels[n] as string,
        x,
        y: (columns[i] as Float64Array).subarray(0, rows),
      })),
    });
  });

  if (format === "svg" && options.output === "-") {
    io.stdout(svg);
    return 0;
  }
  let content: string | Uint8Array = svg;
  if (format === "png") {
    const { png, textDrawn } = await svgToPng(svg);
    if (!textDrawn) {
      io.stderr("specx: warning: no font found, so the PNG has no text (the SVG output has it)\n");
    }
    content = png;
  }
  writeOutputFile(options.output, content);
  io.stdout(`${options.output}\n`);
  return 0;
}

/** The image format `-o` asks for, from its extension. */
function imageFormat(output: string): "svg" | "png" {
  if (output === "-") return "svg";
  const extension = extname(output).toLowerCase();
  if (extension === ".svg") return "svg";
  if (extension === ".png") return "png";
  throw new UserError(
    `cannot tell the image format of '${output}': -o takes a .svg or .png file (or - for SVG on standard output)`,
  );
}
