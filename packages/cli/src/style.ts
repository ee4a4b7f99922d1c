/**
 * Terminal niceties that never reach pipes or files: colour only when standard output is a
 * terminal and NO_COLOR is not set (https://no-color.org), a progress bar only when standard
 * error is a terminal.
 */
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
  /** One item done; `label` names it. */
  tick(label: string): void;
  /** Clears the bar. */
  done(): void;
}

/** A bar for `total` items, drawn only on a terminal and only when there is much to do. */
export function progressFor(io: CliIO, total: number, minimum = 2): Progress {
  if (io.stderrIsTTY !== true || total < minimum) return { tick() {}, done() {} };
  let count = 0;
  const width = 24;
  return {
    tick(label) {
      count++;
      const filled = Math.round((count / total) * width);
      const name = label.length > 40 ? `…${label.slice(-39)}` : label;
      io.stderr(
        `\r\x1b[2K[${"#".repeat(filled)}${" ".repeat(width - filled)}] ${count}/${total} ${name}`,
      );
    },
    done() {
      io.stderr("\r\x1b[2K");
    },
  };
}
