/**
 * Deterministic large SPEC files for the benchmarks (issue 6) and the viewer's big-file test
 * (`@specx/test-support/generate`). The same arguments give the same
 * bytes on every machine: values come from a small seeded generator, never from Math.random or
 * the clock.
 *
 * - **large**: `scans` scans × `rows` rows × 20 columns, 64 motors in the header (`#O0`–`#O7`) and
 *   in each scan (`#P0`–`#P7`), a comment every 100 rows. 1,000 × 1,000 is about 250 MB.
 * - **mca**: `scans` scans × `rows` rows, each row followed by a 1,024-channel `@A` spectrum
 *   written across lines as SPEC does (`\` continuations, 16 values per line). 100 × 200 is
 *   about 80 MB.
 * - **many**: `scans` small scans of 3 rows and 3 columns, as a long session of quick scans
 *   leaves; 20,000 of them are about 2.5 MB. Here the cost is per scan, not per byte.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { seededRandom } from "./index.js";

/** Buffers text and writes it to `path` in 4 MB pieces, so memory stays small for any size. */
class ChunkedWriter {
  private readonly fd: number;
  private parts: string[] = [];
  private pending = 0;
  written = 0;

  constructor(path: string) {
    this.fd = openSync(path, "w");
  }

  line(text: string): void {
    this.parts.push(text, "\n");
    this.pending += text.length + 1;
    if (this.pending > 4 << 20) this.flush();
  }

  flush(): void {
    const bytes = Buffer.from(this.parts.join(""), "latin1");
    writeSync(this.fd, bytes);
    this.written += bytes.length;
    this.parts = [];
    this.pending = 0;
  }

  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.written;
  }
}

const MOTORS = Array.from({ length: 64 }, (_, i) => `motor_${String(i).padStart(2, "0")}`);
const COUNTERS = [
  "Epoch",
  "Seconds",
  "I0",
  "I00",
  "I000",
  "diode",
  "scint",
  "mon",
  "trans",
  "filters",
  "TempC",
  "vortot",
  "livet",
  "realt",
  "icr",
  "ocr",
  "roi1",
  "roi2",
  "signal",
];

function header(out: ChunkedWriter, name: string): void {
  out.line(`#F ${name}`);
  out.line("#E 1700000000");
  out.line("#D Tue Nov 14 22:13:20 2023");
  out.line("#C specx benchmark file  User = bench");
  for (let i = 0; i < MOTORS.length; i += 8) {
    out.line(`#O${i / 8} ${MOTORS.slice(i, i + 8).join("  ")}`);
  }
  out.line("");
}

function scanHeader(out: ChunkedWriter, n: number, next: () => number, labels: string[]): void {
  out.line(`#S ${n}  ascan  theta ${n % 90} ${(n % 90) + 1}  999 0.1`);
  out.line("#D Tue Nov 14 22:13:20 2023");
  out.line("#T 0.1  (Seconds)");
  out.line("#G0 0 0 1 0 0 1 0 0 0 0 0 0 0 0");
  out.line(`#Q ${(next() * 2).toFixed(4)} ${(next() * 2).toFixed(4)} ${(next() * 2).toFixed(4)}`);
  for (let i = 0; i < MOTORS.length; i += 8) {
    const values = MOTORS.slice(i, i + 8).map(() => (next() * 200 - 100).toFixed(5));
    out.line(`#P${i / 8} ${values.join(" ")}`);
  }
  out.line(`#N ${labels.length}`);
  out.line(`#L ${labels.join("  ")}`);
}

/** The 250 MB-class file: every row has 20 numbers of realistic widths. */
export function generateLarge(path: string, scans: number, rows: number, seed = 20261124): number {
  const next = seededRandom(seed);
  const out = new ChunkedWriter(path);
  header(out, path);
  const labels = ["theta", ...COUNTERS];
  for (let s = 1; s <= scans; s++) {
    scanHeader(out, s, next, labels);
    const start = s % 90;
    for (let r = 0; r < rows; r++) {
      if (r > 0 && r % 100 === 0)
        out.line(`#C Tue Nov 14 22:13:20 2023.  checkpoint at point ${r}`);
      const theta = (start + r / (rows - 1 || 1)).toFixed(6);
      const peak = Math.exp(-(((r - rows / 2) / (rows / 10)) ** 2));
      // Widths as SPEC's %g and counters print them: about 12 characters a value, 250 a row.
      const cells = [
        theta,
        (1700000000 + r * 0.1 + next() * 0.01).toFixed(3),
        "0.1",
        (1e6 + next() * 1e4).toPrecision(10),
        (5e5 + next() * 1e4).toPrecision(10),
        (1e5 + next() * 1e3).toPrecision(10),
        (next() * 10).toPrecision(9),
        (peak * 1e5 + next() * 100).toPrecision(10),
        (1e6 * (1 + next() * 0.01)).toPrecision(10),
        (0.5 + next() * 0.5).toPrecision(10),
        String(Math.floor(next() * 8)),
        (20 + next()).toPrecision(9),
        (peak * 3e4 + next() * 50).toPrecision(10),
        (0.1 - next() * 0.001).toPrecision(9),
        (0.1 + next() * 0.001).toPrecision(9),
        (4e4 + next() * 1e3).toPrecision(10),
        (3.9e4 + next() * 1e3).toPrecision(10),
        (peak * 2e4 + next()).toPrecision(10),
        (peak * 1e4 + next()).toPrecision(10),
        (peak * 1e5 + next() * 10).toExponential(8),
      ];
      out.line(cells.join(" "));
    }
  }
  return out.close();
}

/** The MCA-heavy file: a 1,024-channel spectrum after every row. */
export function generateMca(path: string, scans: number, rows: number, seed = 20261125): number {
  const next = seededRandom(seed);
  const out = new ChunkedWriter(path);
  header(out, path);
  const labels = ["theta", "Epoch", "Seconds", "I0", "mca_sum", "signal"];
  const channels = 1024;
  for (let s = 1; s <= scans; s++) {
    scanHeader(out, s, next, labels);
    out.line("#@MCA 16C");
    out.line(`#@CHANN ${channels} 0 ${channels - 1} 1`);
    out.line("#@CALIB 0 1 0");
    for (let r = 0; r < rows; r++) {
      const spectrum: number[] = [];
      let sum = 0;
      for (let c = 0; c < channels; c++) {
        const line = Math.exp(-(((c - 400 - (r % 50)) / 12) ** 2)) * 500;
        // Three-digit counts on average, as a 16-bit MCA with a background gives.
        const value = Math.round(line * 4 + 100 + next() * 900);
        spectrum.push(value);
        sum += value;
      }
      out.line(
        [(s % 90) + r / rows, 1700000000 + r, 0.1, 1000000, sum, Math.round(sum / 100)]
          .map((v) => (typeof v === "number" && !Number.isInteger(v) ? v.toFixed(6) : String(v)))
          .join(" "),
      );
      for (let c = 0; c < channels; c += 16) {
        const part = spectrum.slice(c, c + 16).join(" ");
        out.line(
          c === 0
            ? `@A ${part}${channels > 16 ? "\\" : ""}`
            : c + 16 < channels
              ? ` ${part}\\`
              : ` ${part}`,
        );
      }
    }
  }
  return out.close();
}

/** Many small scans: the cost of each scan's own work (index entry, lookup, header lines). */
export function generateMany(path: string, scans: number): number {
  const out = new ChunkedWriter(path);
  header(out, path);
  for (let s = 1; s <= scans; s++) {
    out.line(`#S ${s}  ascan  motor_00 0 1  2 0.1`);
    out.line("#D Tue Nov 14 22:13:20 2023");
    out.line("#N 3");
    out.line("#L motor_00  Epoch  I0");
    for (let r = 0; r < 3; r++)
      out.line(`${r * 0.5} ${1700000000 + s + r} ${1000 + ((s * 7 + r) % 97)}`);
    out.line("");
  }
  return out.close();
}
