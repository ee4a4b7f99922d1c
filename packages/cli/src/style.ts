/**
 * Terminal niceties that never reach pipes or files: colour only when standard output is a
 * terminal and NO_COLOR is not set (https://no-color.org), a progress bar only when standard
 * error is a terminal.
 */
import type { Severity } from "@specx/spec-parser/node";
import type { CliIO } from "./io.js";

/** Colour functions; each returns its text unchanged when colour is off. */
export interface Colors {
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/** Colours for standard output. */
export function colorsFor(io: CliIO): Colors {
  const on = io.stdoutIsTTY === true && !io.env?.NO_COLOR;
  const wrap = (code: number) => (text: string) => (on ? `\x1b[${code}m${text}\x1b[0m` : text);
  return { red: wrap(31), yellow: wrap(33), cyan: wrap(36), dim: wrap(2), bold: wrap(1) };
}

/** A progress bar on standard error. */
export interface Progress {
  /** One file done; `label` names it. */
  tick(label: string): void;
  /** Within a single file: `done` of `total` scans read. */
  step(label: string, done: number, total: number): void;
  /** Clears the bar. */
  done(): void;
}

/** Scans a single file must have before its own progress is worth drawing. */
const LARGE_FILE_SCANS = 100;

/**
 * A bar for `files` files, drawn only on a terminal: one step per file when there are several,
 * one step per scan when a single file is large.
 */
export function progressFor(io: CliIO, files: number): Progress {
  if (io.stderrIsTTY !== true) return { tick() {}, step() {}, done() {} };
  let count = 0;
  let drawn = false;
  const draw = (done: number, total: number, unit: string, label: string) => {
    // At most about a hundred redraws, however many steps there are.
    if (done !== total && done % Math.max(1, Math.floor(total / 100)) !== 0) return;
    const width = 24;
    const filled = Math.round((done / total) * width);
    const name = label.length > 40 ? `…${label.slice(-39)}` : label;
    io.stderr(
      `\r\x1b[2K[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${done}/${total}${unit} ${name}`,
    );
    drawn = true;
  };
  return {
    tick(label) {
      count++;
      if (files > 1) draw(count, files, "", label);
    },
    step(label, done, total) {
      if (files === 1 && total >= LARGE_FILE_SCANS) draw(done, total, " scans", label);
    },
    done() {
      if (drawn) io.stderr("\r\x1b[2K");
    },
  };
}

/** `text` in the colour of a finding's severity: red errors, yellow warnings, cyan infos. */
export function paintSeverity(colors: Colors, severity: Severity, text: string): string {
  if (severity === "error") return colors.red(text);
  if (severity === "warning") return colors.yellow(text);
  return colors.cyan(text);
}
