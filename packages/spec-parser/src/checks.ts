/**
 * Semantic checks beyond parsing: things a file can say that contradict each other although
 * every line reads fine. They are kept apart from `file.diagnostics`, which report only what the
 * parser itself met (the conformance suite compares those exactly); `specx validate` reports
 * both.
 */
import { type Diagnostic, diagnostic } from "./diagnostics.js";
import { rowsOf } from "./model/header.js";
import { readMotorNames } from "./model/motor-names.js";
import { NumberArena } from "./model/number-arena.js";
import { splitNamesWithFallback, splitWords } from "./model/text.js";
import type { Comment, ControlLine, Scan } from "./model/types.js";
import { isApstools, scanWriter } from "./model/writers.js";
import type { SpecFile } from "./spec-file.js";

/** Findings of every semantic check over the whole file, in line order. */
export function checkFile(file: SpecFile): Diagnostic[] {
  return validateFile(file, { parser: false });
}

/**
 * Every finding `specx validate` reports: the parser's (`file.diagnostics`) and the semantic
 * checks' (`checkFile`), as those two lists concatenated and sorted by line, from one pass that
 * interprets each scan once (the file keeps only a few scans interpreted: reading each list in
 * turn interpreted every scan of a large file again). `onScan` hears of each scan read, for a
 * progress bar or to use the scan; `parser: false` leaves out the parser's findings, `checks:
 * false` the checks' (the rest is then `file.diagnostics`). `reuseNumbers` reads the scans'
 * numbers into two NumberArenas taken in turn (a scan and the one after it are read together
 * for the bluesky checks): for a caller whose `onScan` does not keep the scan past the call.
 */
export function validateFile(
  file: SpecFile,
  {
    onScan = () => {},
    parser = true,
    checks = true,
    reuseNumbers = false,
  }: { onScan?: ScanProgress; parser?: boolean; checks?: boolean; reuseNumbers?: boolean } = {},
): Diagnostic[] {
  const parsed = parser ? file.fileDiagnostics : [];
  const checked: Diagnostic[] = [];
  if (checks && file.scanCount === 0) {
    checked.push(diagnostic("NO_SCANS", null, null, "no #S line: the file holds no scan"));
  }
  // One push per finding: push(...list) overflows the call stack for a list of 200,000.
  for (const header of checks ? file.headers : []) {
    for (const finding of checkMnemonics(header.controls, null)) checked.push(finding);
  }
  let carried: RunSoFar | null = null;
  const arenas = reuseNumbers ? [new NumberArena(), new NumberArena()] : [];
  const read = (index: number) => file.scanAt(index, { arena: arenas[index % 2] }) as Scan;
  // The scan after this one, when the bluesky checks read it ahead.
  let ahead: Scan | null = null;
  for (let index = 0; index < file.scanCount; index++) {
    const scan = ahead?.index === index ? ahead : read(index);
    ahead = null;
    if (parser) for (const finding of scan.diagnostics) parsed.push(finding);
    if (!checks) {
      onScan(index + 1, file.scanCount, scan);
      continue;
    }
    for (const finding of checkMnemonics(scan.controls, scan.key)) checked.push(finding);
    if (isApstools(scanWriter(scan))) {
      // The next scan is read now, and is this loop's scan on the next turn.
      const next = index + 1 < file.scanCount ? read(index + 1) : null;
      ahead = next;
      const result = checkBlueskyScan(
        scan,
        carried,
        next && isApstools(scanWriter(next)) ? next : null,
      );
      for (const finding of result.found) checked.push(finding);
      carried = result.carried;
    } else {
      carried = null;
    }
    onScan(index + 1, file.scanCount, scan);
  }
  // Sorted as each list was before they were joined: the sort is stable.
  parsed.sort(byLine);
  checked.sort(byLine);
  const all = parsed;
  for (const finding of checked) all.push(finding);
  return all.sort(byLine);
}

/** `done` of `total` scans read; `scan` the last one. */
export type ScanProgress = (done: number, total: number, scan: Scan) => void;

function byLine(a: Diagnostic, b: Diagnostic): number {
  return (a.line ?? 0) - (b.line ?? 0);
}

/**
 * `#o` mnemonics pair with `#O` names and `#j` with `#J` by position; a row with a different
 * count pairs the wrong mnemonic with a motor or counter from that point on.
 */
function checkMnemonics(controls: ControlLine[], scan: string | null): Diagnostic[] {
  const found: Diagnostic[] = [];
  for (const [nameFamily, mnemonicFamily] of [
    ["O", "o"],
    ["J", "j"],
  ] as const) {
    const names = rowsOf(controls, nameFamily);
    for (const [row, mnemonics] of rowsOf(controls, mnemonicFamily)) {
      const nameRow = names.get(row);
      if (!nameRow) continue;
      const count = splitWords(mnemonics.text).length;
      // Names may be single-space separated, or (#O) SPEC's 8-character fields; that reading
      // counts when it gives the same number, as when the names pair with #P values.
      const nameCount = (
        nameFamily === "O"
          ? readMotorNames(nameRow.text, count)
          : splitNamesWithFallback(nameRow.text, count, true)
      ).names.length;
      if (nameCount === count) continue;
      found.push(
        diagnostic(
          "MNEMONIC_MISMATCH",
          mnemonics.line,
          scan,
          `#${mnemonicFamily}${row} has ${count} mnemonics for ${nameCount} #${nameFamily}${row} names`,
        ),
      );
    }
  }
  return found;
}

/** The end comments bluesky's SPEC writers leave after a run's rows (apstools). */
const uidPattern = /\. {2}uid = ([0-9a-fA-F-]{8,})/;
const primaryCountPattern = /\. {2}num_events_primary = (\d+)$/;
const exitStatusPattern = /\. {2}exit_status = (\S+)$/;

/** A run that goes on in the next `#S` block: its uid and the rows written so far. */
interface RunSoFar {
  uid: string;
  rows: number;
}

/**
 * A bluesky run's uid, event count and exit status against what the scan holds. A run can span
 * several `#S` blocks of the same uid (apstools starts one per primary descriptor): only the last
 * has the end comments, and they count the rows of all of them.
 */
function checkBlueskyScan(
  scan: Scan,
  before: RunSoFar | null,
  next: Scan | null,
): { found: Diagnostic[]; carried: RunSoFar | null } {
  const found: Diagnostic[] = [];
  const uid = scan.comments.map((c) => uidPattern.exec(c.text)?.[1]).find((id) => id) ?? null;
  if (uid === null) {
    found.push(
      diagnostic("BLUESKY_NO_UID", scan.line, scan.key, "bluesky scan without a '#C … uid =' line"),
    );
  }
  const rows = (uid !== null && before?.uid === uid ? before.rows : 0) + scan.data.rows;
  const end = firstEndGroup(scan.comments);
  if (!end) {
    if (uid !== null && next?.comments.some((c) => uidPattern.exec(c.text)?.[1] === uid)) {
      return { found, carried: { uid, rows } };
    }
    found.push(
      diagnostic(
        "BLUESKY_EXIT_STATUS",
        scan.line,
        scan.key,
        "bluesky scan without an 'exit_status =' end comment (interrupted, still running, or its end went after a later header)",
      ),
    );
    return { found, carried: null };
  }
  const status = exitStatusPattern.exec(end.status.text)?.[1];
  if (status !== "success") {
    found.push(
      diagnostic(
        "BLUESKY_EXIT_STATUS",
        end.status.line,
        scan.key,
        `bluesky run ended with exit_status = ${status}`,
      ),
    );
  }
  // A run without primary events writes no num_events_primary line: it then had no rows.
  const declared = end.primary ? Number(primaryCountPattern.exec(end.primary.text)?.[1]) : 0;
  if (declared !== rows) {
    const where = rows === scan.data.rows ? "the scan has" : "its #S blocks have";
    found.push(
      diagnostic(
        "BLUESKY_EVENT_COUNT",
        (end.primary ?? end.status).line,
        scan.key,
        `num_events_primary = ${declared} but ${where} ${rows} data rows`,
      ),
    );
  }
  return { found, carried: null };
}

/**
 * The scan's own end comments: up to the first `exit_status`. Later groups in the same scan
 * belong to runs without rows that followed it.
 */
function firstEndGroup(
  comments: readonly Comment[],
): { primary: Comment | null; status: Comment } | null {
  let primary: Comment | null = null;
  for (const comment of comments) {
    if (primaryCountPattern.test(comment.text)) primary = comment;
    if (exitStatusPattern.test(comment.text)) return { primary, status: comment };
  }
  return null;
}
