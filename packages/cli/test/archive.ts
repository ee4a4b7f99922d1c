/**
 * A generated archive of small SPEC files for the batch tests (--shard, --manifest): seeded, so
 * every run writes the same files, in nested folders, with a few scans each and the defects
 * `validate` reports (a #N that disagrees with #L, a scan without rows) in some of them; and
 * {@link runFiles} to compare what converting it wrote.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { seededRandom } from "@specx/test-support";

/** Writes `count` SPEC files under `folder`; returns their paths. */
export function writeArchive(folder: string, count: number, seed = 16): string[] {
  const random = seededRandom(seed);
  const pick = (n: number) => Math.floor(random() * n);
  const paths: string[] = [];
  for (let i = 0; i < count; i++) {
    const sub = join(folder, `beamtime-${i % 7}`, `sample-${i % 23}`);
    mkdirSync(sub, { recursive: true });
    const name = `scan-${String(i).padStart(5, "0")}.spec`;
    const epoch = 1_700_000_000 + i * 3600;
    const lines = [
      `#F ${name}`,
      `#E ${epoch}`,
      "#D Tue Nov 14 22:13:20 2023",
      "#O0 tth  th  chi",
      "",
    ];
    const scans = 1 + pick(3);
    for (let s = 1; s <= scans; s++) {
      const labels = ["tth", "Epoch", "I0", "det"].slice(0, 2 + pick(3));
      const declared = i % 7 === 3 && s === 1 ? labels.length + 1 : labels.length;
      const points = i % 11 === 5 && s === scans ? 0 : 1 + pick(6);
      lines.push(
        `#S ${s}  ascan  tth ${pick(10)} ${10 + pick(10)} ${points} 0.1`,
        "#D Tue Nov 14 22:13:20 2023",
        `#P0 ${(random() * 90).toFixed(4)} ${(random() * 45).toFixed(4)} ${pick(90)}`,
        `#N ${declared}`,
        `#L ${labels.join("  ")}`,
      );
      for (let p = 0; p < points; p++) {
        lines.push(labels.map(() => (random() * 1000).toFixed(pick(5))).join(" "));
      }
      lines.push("");
    }
    const path = join(sub, name);
    writeFileSync(path, `${lines.join("\n")}\n`);
    paths.push(path);
  }
  return paths;
}

/** The files `to-docs` wrote into a folder, by name, with their bytes (latin1, byte for byte). */
export function runFiles(folder: string): Map<string, string> {
  return new Map(
    readdirSync(folder)
      .sort()
      .map((name) => [name, readFileSync(join(folder, name), "latin1")]),
  );
}
