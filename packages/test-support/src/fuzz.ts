/**
 * The mutations of the fuzzing campaign of issue 7: real files with bits flipped, bytes
 * overwritten and inserted, cuts at every kind of boundary, lines deleted, repeated and swapped,
 * and other line ends. The campaign itself (`exercise`, which walks everything the public API
 * offers on one input) is in the conversion package's exercise.ts, as it converts every input.
 */
import fc from "fast-check";

// ---------------------------------------------------------------------------------------------
// Lines, as SPEC splits them
// ---------------------------------------------------------------------------------------------

/**
 * Start offsets of the lines of `bytes` from `from` on, by SPEC's rules (`\r\n`, `\n` or `\r`
 * ends a line; a last line may have no terminator), with the end of the bytes appended. Written
 * independently of the parser, so that its line count is checked against something.
 */
export function lineStarts(bytes: Uint8Array, from = 0): number[] {
  const starts = [from];
  for (let i = from; i < bytes.length; i++) {
    const c = bytes[i];
    if (c === 10 || (c === 13 && bytes[i + 1] !== 10)) starts.push(i + 1);
  }
  if (starts[starts.length - 1] !== bytes.length) starts.push(bytes.length);
  return starts;
}

/** Where the text of the line `[start, end)` ends, before its terminator. */
function bodyEnd(bytes: Uint8Array, start: number, end: number): number {
  let body = end;
  while (body > start && (bytes[body - 1] === 10 || bytes[body - 1] === 13)) body--;
  return body;
}

/** True when the line at `start` begins with `prefix` (ASCII). */
function startsWith(bytes: Uint8Array, start: number, prefix: string): boolean {
  for (let i = 0; i < prefix.length; i++) {
    if (bytes[start + i] !== prefix.charCodeAt(i)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------------

/** The kinds of place a file is cut at: each ends a reader's work in a different state. */
export const BOUNDARIES = [
  "anywhere",
  "mid-line",
  "before-terminator",
  "after-terminator",
  "inside-crlf",
  "before-scan",
  "before-labels",
  "inside-data-row",
  "inside-continuation",
  "inside-spectrum",
  "inside-header",
  "inside-md",
] as const;
export type Boundary = (typeof BOUNDARIES)[number];

export type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "overwrite"; at: number; byte: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "truncate"; boundary: Boundary; pick: number }
  | { kind: "delete-line"; at: number }
  | { kind: "duplicate-line"; at: number; times: number }
  | { kind: "swap-lines"; at: number; other: number }
  | { kind: "insert-line"; at: number; line: string }
  | { kind: "line-ends"; to: "\r\n" | "\r" | "\n" };

/**
 * Lines that steer a reader into its rarer paths: block starts in odd places, counts that
 * claim too much, unclosed literals, continuations, special values, the writer-specific comments
 * the documents conversion looks for, and the names JavaScript objects already have.
 */
export const HOSTILE_LINES: readonly string[] = [
  "#S 1 ascan  th 0 1  2 1",
  "#S",
  "#S1",
  "#S 1 f(a=[1, 2], b={k=v}, c='x')",
  "#S 99999999999999999999 x",
  "#F x",
  "#E 1393945200",
  "#E",
  "#D Tue Mar 04 10:00:00 2014",
  "#D 1e400",
  "#D Thu Jul 17 02:38:24 999999",
  "#N 100000000",
  "#N 3 1",
  "#N 2 1",
  "#N -1",
  "#L a  b  c",
  "#L a a a",
  "#L Epoch  Epoch_float  a",
  "#L x  Epoch  Seconds  d",
  "#L __proto__  constructor  toString",
  "#O0 a  a  b",
  "#o0 x",
  "#P0 1 2 3",
  "#P1 1",
  "#H0  a  b",
  "#V0  1  ",
  "#T 1  (Seconds)",
  "#M 1000  (I0)",
  "#G0 1 2 3",
  "#Q 1 2 3",
  "#MD x = [[[",
  "#MD x = {'a': (1, 2), 'b': [None, True, 1.5e3]}",
  "#MD __proto__ = {'__proto__': [1]}",
  "#MD detectors = ['a', 'b']",
  "#MD plan_name = 'scan'",
  "#MD broken",
  '#UXML <group name="g">\\',
  '#UXML <a b="c"/>',
  "#UXML </group>",
  "#@MCA 16C",
  "#@CALIB 1 2 3 mca1",
  "#@CHANN 3 0 2 1",
  "#@ROI  r 1 2",
  "#@CTIME 1 2 3",
  "@A 1 2 3\\",
  "@A1 4 5",
  " 6 7 8\\",
  "#C Tue Mar 04 10:15:02 2014.  Scan aborted after 2 points.",
  "#C Thu Feb 11 09:00:00 2021.  uid = 01234567-89ab-cdef-0123-456789abcdef",
  "#C Thu Feb 11 09:00:00 2021.  num_events_primary = 3",
  "#C Thu Feb 11 09:00:00 2021.  exit_status = success",
  "#C Thu Feb 11 09:00:00 2021.  plan_type = generator",
  "#C BlueSky  user = u  host = h",
  "#C u  User = u",
  "#U externals: {'r': {'_document_type_': 'resource', 'uid': 'r'}}",
  "#U 0 a text",
  "#U a = 5",
  "   #C indented",
  "1 2 3",
  "1 2",
  "1 2 3 4 5 6",
  "nan inf -inf None True False 1d3 x",
  "3.1 20417#C Tue Mar 04 10:15:02 2014.  Scan aborted after 12 points.",
  "\v",
  "#",
  "@",
  "\\",
  "",
  "   ",
];

const anyBytes = fc.uint8Array({ minLength: 1, maxLength: 16 });

/** One mutation; offsets are taken modulo the size of the bytes they apply to. */
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant("overwrite" as const), at: fc.nat(), byte: fc.nat(255) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: anyBytes }),
  fc.record({
    kind: fc.constant("truncate" as const),
    boundary: fc.constantFrom(...BOUNDARIES),
    pick: fc.nat(),
  }),
  fc.record({ kind: fc.constant("delete-line" as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant("duplicate-line" as const),
    at: fc.nat(),
    times: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constant("swap-lines" as const), at: fc.nat(), other: fc.nat() }),
  fc.record({
    kind: fc.constant("insert-line" as const),
    at: fc.nat(),
    line: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_LINES) },
      fc.string({ maxLength: 40 }),
    ),
  }),
  fc.record({ kind: fc.constant("line-ends" as const), to: fc.constantFrom("\r\n", "\r", "\n") }),
);

const encoder = new TextEncoder();

/** `bytes` with one mutation applied (a new array; `bytes` is not changed). */
export function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  if (m.kind === "line-ends") return withLineEnds(bytes, m.to);
  if (m.kind === "truncate") return bytes.slice(0, truncationPoint(bytes, m.boundary, m.pick));
  if (bytes.length === 0) {
    return m.kind === "insert"
      ? m.bytes.slice()
      : m.kind === "insert-line"
        ? lineBytes(m.line)
        : bytes;
  }
  const at = m.at % bytes.length;
  switch (m.kind) {
    case "flip": {
      const copy = bytes.slice();
      copy[at] = (copy[at] as number) ^ (1 << m.bit);
      return copy;
    }
    case "overwrite": {
      const copy = bytes.slice();
      copy[at] = m.byte;
      return copy;
    }
    case "insert":
      return concat(bytes.subarray(0, at), m.bytes, bytes.subarray(at));
  }
  const starts = lineStarts(bytes);
  const lineCount = starts.length - 1;
  const line = lineAt(starts, at);
  const [start, end] = [starts[line] as number, starts[line + 1] as number];
  switch (m.kind) {
    case "delete-line":
      return concat(bytes.subarray(0, start), bytes.subarray(end));
    case "duplicate-line": {
      const copies = Array.from({ length: m.times }, () => bytes.subarray(start, end));
      return concat(bytes.subarray(0, end), ...copies, bytes.subarray(end));
    }
    case "swap-lines": {
      const other = m.other % lineCount;
      const [first, second] = line < other ? [line, other] : [other, line];
      if (first === second) return bytes;
      const a = [starts[first] as number, starts[first + 1] as number] as const;
      const b = [starts[second] as number, starts[second + 1] as number] as const;
      return concat(
        bytes.subarray(0, a[0]),
        bytes.subarray(b[0], b[1]),
        bytes.subarray(a[1], b[0]),
        bytes.subarray(a[0], a[1]),
        bytes.subarray(b[1]),
      );
    }
    case "insert-line":
      return concat(bytes.subarray(0, start), lineBytes(m.line), bytes.subarray(start));
  }
}

function lineBytes(line: string): Uint8Array {
  return encoder.encode(`${line}\n`);
}

/** The 0-based line holding byte `at`. */
function lineAt(starts: number[], at: number): number {
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if ((starts[middle] as number) <= at) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Every line terminator replaced by `to`. */
function withLineEnds(bytes: Uint8Array, to: string): Uint8Array {
  const parts: Uint8Array[] = [];
  const terminator = encoder.encode(to);
  const starts = lineStarts(bytes);
  for (let line = 0; line + 1 < starts.length; line++) {
    const start = starts[line] as number;
    const end = starts[line + 1] as number;
    const body = bodyEnd(bytes, start, end);
    parts.push(bytes.subarray(start, body));
    if (body < end) parts.push(terminator);
  }
  return concat(...parts);
}

/**
 * A cut point of the kind `boundary`; `pick` chooses among the candidates (and the place inside
 * a line). Without a candidate of that kind, the cut is anywhere.
 */
export function truncationPoint(bytes: Uint8Array, boundary: Boundary, pick: number): number {
  const starts = lineStarts(bytes);
  const lines: [number, number][] = [];
  for (let line = 0; line + 1 < starts.length; line++) {
    lines.push([starts[line] as number, starts[line + 1] as number]);
  }
  /** A place strictly inside the text of one of `candidates`. */
  const inside = (candidates: [number, number][]): number | undefined => {
    const chosen = candidates[pick % Math.max(1, candidates.length)];
    if (!chosen) return undefined;
    const [start, end] = chosen;
    const body = bodyEnd(bytes, start, end);
    return body - start < 2 ? body : start + 1 + ((pick >>> 7) % (body - start - 1));
  };
  const any = <T>(items: T[]): T | undefined => items[pick % Math.max(1, items.length)];
  const firstNonBlank = (start: number, end: number) => {
    let i = start;
    while (i < end && (bytes[i] === 32 || bytes[i] === 9)) i++;
    return bytes[i] ?? 0;
  };
  const isData = ([start, end]: [number, number]) => {
    const c = firstNonBlank(start, end);
    return (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46;
  };
  const endsInBackslash = ([start, end]: [number, number]) => {
    const body = bodyEnd(bytes, start, end);
    return body > start && bytes[body - 1] === 92;
  };
  let point: number | undefined;
  switch (boundary) {
    case "anywhere":
      point = pick % (bytes.length + 1);
      break;
    case "mid-line":
      point = inside(lines);
      break;
    case "before-terminator":
      point = any(lines.map(([start, end]) => bodyEnd(bytes, start, end)));
      break;
    case "after-terminator":
      point = any(lines.map(([, end]) => end));
      break;
    case "inside-crlf":
      point = any(
        lines
          .filter(([, end]) => end >= 2 && bytes[end - 2] === 13 && bytes[end - 1] === 10)
          .map(([, end]) => end - 1),
      );
      break;
    case "before-scan":
      point = any(lines.filter(([start]) => startsWith(bytes, start, "#S")).map(([s]) => s));
      break;
    case "before-labels":
      point = any(lines.filter(([start]) => startsWith(bytes, start, "#L")).map(([s]) => s));
      break;
    case "inside-data-row":
      point = inside(lines.filter(isData));
      break;
    case "inside-continuation":
      point = inside(lines.filter((_, i) => i > 0 && endsInBackslash(lines[i - 1] ?? [0, 0])));
      break;
    case "inside-spectrum":
      point = inside(lines.filter(([start]) => startsWith(bytes, start, "@A")));
      break;
    case "inside-header": {
      // The lines of a #F/#E header, up to the scan after it.
      let open = false;
      const header = lines.filter(([start]) => {
        if (startsWith(bytes, start, "#F") || startsWith(bytes, start, "#E")) open = true;
        else if (startsWith(bytes, start, "#S")) open = false;
        return open;
      });
      point = inside(header);
      break;
    }
    case "inside-md":
      point = inside(lines.filter(([start]) => startsWith(bytes, start, "#MD")));
      break;
  }
  return point ?? pick % (bytes.length + 1);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
