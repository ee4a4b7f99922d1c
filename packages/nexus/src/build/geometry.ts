/**
 * `#G`, `#Q` and `#X`: the geometry arrays (`G`), the diffractometer they describe (`instrument`,
 * `sample`), hkl at the start of the scan (`Q`) and the temperature set point (`TEMP_SP`,
 * `DEGC_SP`, `sample/temperature`), as spec2nexus's SPEC_Geometry, SPEC_HKL and
 * SPEC_TemperatureSetPoint write them (spec2nexus/plugins/spec_common.py, links in writer.py).
 *
 * The lines are read from the scan's control lines, by spec2nexus's rules, rather than from
 * `scan.geometry` and `scan.hkl`: which geometry matches depends on the words as written (`#G0 0`
 * means "no G[]"), the last line of a key counts, and `#X` is read with spec2nexus's three
 * patterns. A value that Python's `float()` rejects makes spec2nexus lose the whole file; here it
 * becomes NaN in `G`, the diffractometer is not interpreted, and the part reports it. So with a
 * `#G1` too short for the unit cell or a reflection: that piece is left out and reported, the
 * rest written (docs/nexus.md, fix #12).
 */
import type { ControlLine, FileHeader, Scan } from "@specx/spec-parser";
import {
  add,
  dataset,
  float64,
  type Group,
  group,
  link,
  subgroup,
  utf8,
  type Value,
} from "../tree/nodes.js";
import { defaultU, type Field, type Geometry, geometries } from "./diffractometers.js";
import type { EntryContext } from "./entry.js";
import { cleanName } from "./names.js";
import type { Style } from "./style.js";

export function writeGeometry(entry: Group, scan: Scan, context: EntryContext): void {
  const problems: string[] = [];
  const rows = geometryRows(scan);
  if (rows.size > 0) {
    writeArrays(entry, rows, context);
    const unread = [...rows].find(([, row]) => row.unread !== null);
    if (unread) {
      const [key, row] = unread;
      problems.push(`line ${row.line}: #${key} '${row.unread}' is not a number`);
    } else {
      try {
        const diffractometer = interpretGeometry(scan, rows);
        writeDiffractometer(entry, diffractometer, context);
        problems.push(...diffractometer.problems);
      } catch (error) {
        problems.push(error instanceof Error ? error.message : String(error));
      }
    }
  }
  const hklProblem = writeHkl(entry, scan);
  if (hklProblem !== null) problems.push(hklProblem);
  writeTemperature(entry, scan, context);
  if (problems.length > 0) throw new Error(problems.join("; "));
}

/** One `#G<n>` line: its words, and their values as Python's `float()` reads them. */
interface GeometryRow {
  words: string[];
  /** NaN where Python's `float()` would raise. */
  values: number[];
  /** The first word that is not a number, or null. */
  unread: string | null;
  line: number;
}

/**
 * The scan's `#G<n>` rows by key (`G0`, `G1`, …). Like spec2nexus, a line counts only when a space
 * follows its key (a bare `#G2` is an unrecognised line), and a key's last line wins.
 */
export function geometryRows(scan: Scan): Map<string, GeometryRow> {
  const rows = new Map<string, GeometryRow>();
  for (const control of scan.control("G")) {
    if (!isRead(control, "G")) continue;
    const words = splitWords(control.text);
    const { values, unread } = readFloats(words);
    rows.set(control.key, { words, values, unread, line: control.line });
  }
  return rows;
}

/** `G`: each row as a float64 array, `@spec_name` its key. */
function writeArrays(entry: Group, rows: Map<string, GeometryRow>, { style }: EntryContext): void {
  const arrays = group(style.container);
  arrays.attrs.set(
    "description",
    utf8("SPEC geometry arrays, meanings defined by SPEC diffractometer support"),
  );
  for (const [key, row] of rows) {
    add(arrays, cleanName(key), dataset(float64(row.values), { spec_name: utf8(key) }));
  }
  add(entry, "G", arrays);
}

/**
 * `#Q`: hkl at the start of the scan, written only with values (the last such line counts).
 * Returns the problem with a word that is not a number, or null.
 */
function writeHkl(entry: Group, scan: Scan): string | null {
  let hkl: { words: string[]; line: number } | null = null;
  for (const control of scan.control("Q")) {
    if (control.key !== "Q" || !control.text.startsWith(" ")) continue;
    const words = splitWords(control.text);
    if (words.length > 0) hkl = { words, line: control.line };
  }
  if (hkl === null) return null;
  const { values, unread } = readFloats(hkl.words);
  add(entry, "Q", dataset(float64(values), { description: utf8("hkl at start of scan") }));
  return unread === null ? null : `line ${hkl.line}: #Q '${unread}' is not a number`;
}

/** A number as spec2nexus's scanf reads `%f`: no exponent. */
const SCANF_FLOAT = String.raw`([-+]?(?:\d+(?:\.\d*)?|\.\d+))`;

/** The forms of `#X` that spec2nexus reads, tried in order, each from the line's start. */
const TEMPERATURE_FORMS = [
  new RegExp(String.raw`^#X ${SCANF_FLOAT}Kohm \(${SCANF_FLOAT}C\)`),
  new RegExp(`^#X ${SCANF_FLOAT} ${SCANF_FLOAT}`),
  new RegExp(`^#X Control: ${SCANF_FLOAT}K  Sample: ${SCANF_FLOAT}K`),
];

/** The set point of the scan's last readable `#X` line, as spec2nexus's patterns read it. */
export function temperatureSetPoint(scan: Scan): { temperature: number; celsius: number } | null {
  let found: { temperature: number; celsius: number } | null = null;
  for (const control of scan.control("X")) {
    if (control.key !== "X") continue;
    const text = `#X${control.text}`;
    for (const form of TEMPERATURE_FORMS) {
      const match = form.exec(text);
      if (match) {
        found = { temperature: Number(match[1]), celsius: Number(match[2]) };
        break;
      }
    }
  }
  return found;
}

/**
 * `#X`: `TEMP_SP` and `DEGC_SP`, which writer.py makes the `target_value` and `value` of the
 * NXlog `sample/temperature`. spec2nexus fails when the scan has no `sample` group (no `#G`
 * geometry); here the group is made (docs/nexus.md, fix #12).
 */
function writeTemperature(entry: Group, scan: Scan, { style, path }: EntryContext): void {
  const setPoint = temperatureSetPoint(scan);
  if (setPoint === null) return;
  const log = subgroup(subgroup(entry, "sample", "NXsample"), "temperature", "NXlog");
  const logPath = `${path}/sample/temperature`;
  add(
    log,
    "target_value",
    dataset(style.float(setPoint.temperature), {
      description: utf8("temperature set point"),
      target: utf8(`${logPath}/target_value`),
    }),
  );
  add(entry, "TEMP_SP", link(`${logPath}/target_value`));
  add(
    log,
    "value",
    dataset(style.float(setPoint.celsius), {
      units: utf8("C"),
      description: utf8("temperature set point (C)"),
      target: utf8(`${logPath}/value`),
    }),
  );
  add(entry, "DEGC_SP", link(`${logPath}/value`));
}

/** A named value of the interpreted geometry: a number, a name, or the UB matrix (9 numbers). */
interface Parameter {
  description: string;
  value: number | string | number[];
}

interface Reflection {
  /** `or0` or `or1`. */
  name: string;
  h: number;
  k: number;
  /** Absent in two-circle geometries. */
  l?: number;
  wavelength: number;
  /** The geometry's motors with their angles. */
  angles: [motor: string, angle: number][];
}

type Lattice =
  | { kind: "3d"; a: number; b: number; c: number; alpha: number; beta: number; gamma: number }
  | { kind: "2d"; a: number; b: number; gamma: number };

/** What spec2nexus's Diffractometer makes of a scan's `#G` rows (spec2nexus/diffractometers.py). */
export interface Diffractometer {
  /** `name.variant` (`fourc.default`), or `spec` when no geometry matched. */
  fullName: string;
  parameters: Map<string, Parameter>;
  lattice: Lattice | null;
  ub: number[] | null;
  mode: string | null;
  sector: number | null;
  reflections: Reflection[];
  wavelength: number | null;
  /** Parts that spec2nexus would fail on, left out. */
  problems: string[];
}

/** Splits `fourc.kappa` into name and variant; anything but one dot leaves no variant. */
function splitVariant(fullName: string): [name: string, variant: string | null] {
  const parts = fullName.split(".");
  return parts.length === 2 ? [parts[0] as string, parts[1] as string] : [fullName, null];
}

/** Interprets the scan's `#G` rows in the geometry that matches the scan. */
export function interpretGeometry(scan: Scan, rows: Map<string, GeometryRow>): Diffractometer {
  const fullName = matchGeometry(scan, rows);
  const [name, variantName] = splitVariant(fullName);
  const geometry = geometries.find((known) => known.name === name);
  if (!geometry) throw new Error(`no diffractometer geometry '${fullName}'`);
  const parameters = new Map<string, Parameter>([
    [
      "diffractometer_full",
      {
        description: "name of diffractometer (and variant), deduced from scan information",
        value: fullName,
      },
    ],
    [
      "diffractometer_simple",
      { description: "name of diffractometer, deduced from scan information", value: name },
    ],
    [
      "diffractometer_variant",
      {
        description: "name of diffractometer variant, deduced from scan information",
        value: variantName ?? "",
      },
    ],
  ]);
  const result: Diffractometer = {
    fullName,
    parameters,
    lattice: null,
    ub: null,
    mode: null,
    sector: null,
    reflections: [],
    wavelength: null,
    problems: [],
  };

  const g0 = rows.get("G0")?.values;
  if (g0 && g0.length === geometry.g.length) {
    const modeNames: [string, Parameter][] = [];
    geometry.g.forEach(([key, description], i) => {
      const value = g0[i] as number;
      parameters.set(key, { description, value });
      if (!key.startsWith("g_sect") && !key.startsWith("g_mode")) return;
      // Python's int(): toward zero; spec2nexus fails on NaN and infinities.
      if (!Number.isFinite(value)) {
        result.problems.push(`#G0 ${key} is ${value}, not a number of a mode or sector`);
        return;
      }
      const whole = Math.trunc(value);
      if (key.startsWith("g_sect")) {
        result.sector = whole;
      } else {
        const modeName = whole >= 0 ? geometry.modes[whole] : undefined;
        if (modeName !== undefined) {
          modeNames.push([
            `${key}_name`,
            { description: `name of ${description}`, value: modeName },
          ]);
        }
      }
    });
    for (const [key, parameter] of modeNames) {
      parameters.set(key, parameter);
      if (key === "g_mode_name") result.mode = parameter.value as string;
    }
  }

  const g1 = rows.get("G1")?.values;
  if (g1 && g1.length > 1) {
    const u = namedValues(g1, geometry.u ?? defaultU);
    // spec2nexus fails on a `#G1` too short for the cell or a reflection; here that part is left
    // out and reported (docs/nexus.md, fix #12).
    const pick = (what: string, keys: string[]): number[] | null => {
      const missing = keys.find((key) => !u.has(key));
      if (missing === undefined) return keys.map((key) => u.get(key)?.value as number);
      result.problems.push(`#G1 has ${g1.length} values, no ${missing}: no ${what}`);
      return null;
    };
    if (u.has("g_cc") && u.has("g_al") && u.has("g_be")) {
      const cell = pick("unit cell", ["g_aa", "g_bb", "g_cc", "g_al", "g_be", "g_ga"]);
      if (cell) {
        const [a, b, c, alpha, beta, gamma] = cell as [
          number,
          number,
          number,
          number,
          number,
          number,
        ];
        result.lattice = { kind: "3d", a, b, c, alpha, beta, gamma };
      }
    } else {
      const cell = pick("unit cell", ["g_aa", "g_bb", "g_ga"]);
      if (cell) {
        const [a, b, gamma] = cell as [number, number, number];
        result.lattice = { kind: "2d", a, b, gamma };
      }
    }
    const variant =
      geometry.variants.find((candidate) => candidate.name === variantName) ??
      (geometry.variants[0] as Geometry["variants"][number]);
    for (const number of [0, 1]) {
      const angles: [string, number][] = [];
      variant.motors.forEach((motor, i) => {
        const angle = u.get(`g_u${number}${i}`);
        if (angle !== undefined) angles.push([motor, angle.value as number]);
      });
      if (!u.has("g_lambda")) {
        const keys = ["h", "k", "l", "lambda"].map((key) => `g_${key}${number}`);
        const hkl = pick(`or${number}`, keys);
        if (hkl) {
          const [h, k, l, wavelength] = hkl as [number, number, number, number];
          result.reflections.push({ name: `or${number}`, h, k, l, wavelength, angles });
        }
      } else if (number === 0) {
        // Two-circle geometries keep one reflection and one wavelength.
        const hk = pick("or0", ["g_h0", "g_k0", "g_lambda"]);
        if (hk) {
          const [h, k, wavelength] = hk as [number, number, number];
          result.reflections.push({ name: "or0", h, k, wavelength, angles });
        }
      }
    }
    for (const [key, parameter] of u) parameters.set(key, parameter);
  }

  const g3 = rows.get("G3")?.values;
  if (g3 && g3.length === 9) {
    parameters.set("ub_matrix", { description: "UB[] matrix", value: g3 });
    result.ub = g3;
  }

  const g4 = rows.get("G4")?.values;
  if (g4 && g4.length === geometry.q.length) {
    const q = namedValues(g4, geometry.q);
    const lambda = q.get("LAMBDA");
    if (lambda !== undefined) result.wavelength = lambda.value as number;
    for (const [key, parameter] of q) parameters.set(key, parameter);
  }
  return result;
}

/** Values paired with the fields they fill, as far as both go (Python's `zip`). */
function namedValues(values: number[], fields: readonly Field[]): Map<string, Parameter> {
  const named = new Map<string, Parameter>();
  const count = Math.min(values.length, fields.length);
  for (let i = 0; i < count; i++) {
    const [key, description] = fields[i] as Field;
    named.set(key, { description, value: values[i] as number });
  }
  return named;
}

/**
 * The geometry spec2nexus picks for the scan (DiffractometerGeometryCatalog.match): the first of
 * the geometry named by the header's first comment (`fourc  User = jemian`, as SPEC's standard
 * macros write it) and every geometry whose G[] and Q[] counts match `#G0` and `#G4` and whose
 * motors open the header's motor list; `spec` when there is none.
 */
export function matchGeometry(scan: Scan, rows: Map<string, GeometryRow>): string {
  const matches: string[] = [];
  const firstComment = scan.header?.comments[0]?.text;
  if (firstComment !== undefined) {
    const parts = splitWords(firstComment);
    if (parts.length === 4 && parts[1] === "User" && isGeometryName(parts[0] as string)) {
      matches.push(`${parts[0]}.default`);
    }
  }
  const motors = headerMotors(scan.header);
  const g0 = wordsOrNone(rows.get("G0")?.words ?? ["0"]);
  const g4Words = rows.get("G4")?.words;
  const g4 = g4Words === undefined ? null : wordsOrNone(g4Words);
  const names = new Set(scan.positioners.map((positioner) => positioner.name));
  for (const geometry of geometries) {
    if (g0.length !== geometry.g.length) continue;
    if (g4 !== null && g4.length !== geometry.q.length) continue;
    for (const variant of geometry.variants) {
      if (!variant.motors.every((motor, i) => motors[i] === motor)) continue;
      if (motors.length < variant.motors.length) continue;
      // With this table, a variant that needs other motors always follows one with the same
      // motors, so this test never decides which geometry comes first.
      if (!variant.otherMotors.every((motor) => names.has(motor))) continue;
      matches.push(`${geometry.name}.${variant.name}`);
    }
  }
  return matches[0] ?? (geometries[0] as Geometry).name;
}

/** A row that is just `0` stands for no values. */
function wordsOrNone(words: string[]): string[] {
  return words.length === 1 && words[0] === "0" ? [] : words;
}

/** True for `fourc`, or for `fourc.kappa` (a name and one of its variants). */
function isGeometryName(name: string): boolean {
  const [simple, variant] = splitVariant(name);
  const geometry = geometries.find((known) => known.name === simple);
  if (!geometry) return false;
  return variant === null || geometry.variants.some((candidate) => candidate.name === variant);
}

/**
 * The header's motors as spec2nexus compares them with a geometry's: the `#o` mnemonics when the
 * header has any, else the `#O` names split on two spaces and lower-cased; common long names of
 * the two-theta, theta, delta and gamma circles become SPEC's mnemonics.
 */
export function headerMotors(header: FileHeader | null): string[] {
  if (header === null) return [];
  const mnemonicRows = header.controls.filter((control) => isRead(control, "o"));
  let motors: string[];
  if (mnemonicRows.length > 0) {
    motors = mnemonicRows.flatMap((control) => splitWords(control.text));
  } else {
    // spec2nexus starts the list again at each `#O0`.
    let rows: string[][] = [];
    for (const control of header.controls) {
      if (!isRead(control, "O")) continue;
      if (control.key === "O0") rows = [];
      const text = control.text.trim();
      rows.push(text === "" ? [] : text.replace(/\t/g, "  ").split(/ {2,}/));
    }
    motors = rows.flat().map((name) => name.toLowerCase());
  }
  return motors.map(spec2nexusMnemonic);
}

/** True for a `#<family><n> …` line that spec2nexus reads (a space after the key). */
function isRead(control: ControlLine, family: string): boolean {
  return control.family === family && control.row !== null && control.text.startsWith(" ");
}

function spec2nexusMnemonic(name: string): string {
  if (name === "2-theta" || name === "two theta" || name.endsWith("tth")) return "tth";
  if (name === "theta") return "th";
  if (name === "delta") return "del";
  if (name === "gamma") return "gam";
  return name;
}

/** `instrument/name`, the geometry's parameters, and what they say about the sample and beam. */
function writeDiffractometer(
  entry: Group,
  diffractometer: Diffractometer,
  { style, path }: EntryContext,
): void {
  const instrument = subgroup(entry, "instrument", "NXinstrument");
  add(instrument, "name", dataset(style.text(diffractometer.fullName)));
  const sample = () => subgroup(entry, "sample", "NXsample");

  const lattice = diffractometer.lattice;
  if (lattice?.kind === "3d") {
    const lengths = [lattice.a, lattice.b, lattice.c];
    const angles = [lattice.alpha, lattice.beta, lattice.gamma];
    add(sample(), "unit_cell_abc", dataset(float64(lengths), { units: utf8("angstrom") }));
    add(sample(), "unit_cell_alphabetagamma", dataset(float64(angles), { units: utf8("degrees") }));
    add(sample(), "unit_cell", dataset(float64([...lengths, ...angles])));
  } else if (lattice?.kind === "2d") {
    add(sample(), "unit_cell_a", dataset(style.float(lattice.a), { units: utf8("angstrom") }));
    add(sample(), "unit_cell_b", dataset(style.float(lattice.b), { units: utf8("angstrom") }));
    add(
      sample(),
      "unit_cell_gamma",
      dataset(style.float(lattice.gamma), { units: utf8("degrees") }),
    );
  }
  if (diffractometer.ub !== null) add(sample(), "ub_matrix", dataset(matrix(diffractometer.ub)));
  if (diffractometer.mode !== null) {
    add(sample(), "diffractometer_mode", dataset(style.text(diffractometer.mode)));
  }
  if (diffractometer.sector !== null) {
    add(sample(), "diffractometer_sector", dataset(style.int(diffractometer.sector)));
  }
  for (const reflection of diffractometer.reflections) {
    add(sample(), reflection.name, reflectionGroup(reflection, style));
  }
  if (diffractometer.wavelength !== null) {
    const wavelengthPath = `${path}/instrument/monochromator/wavelength`;
    const monochromator = subgroup(instrument, "monochromator", "NXmonochromator");
    add(
      monochromator,
      "wavelength",
      dataset(style.float(diffractometer.wavelength), {
        units: utf8("angstrom"),
        target: utf8(wavelengthPath),
      }),
    );
    add(subgroup(sample(), "beam", "NXbeam"), "incident_wavelength", link(wavelengthPath));
  }

  const parameters = group(style.container);
  parameters.attrs.set("description", utf8("SPEC geometry arrays, interpreted"));
  parameters.attrs.set("target", utf8(`${path}/instrument/diffractometer`));
  for (const [key, { description, value }] of diffractometer.parameters) {
    const attrs = description === "" ? {} : { description: utf8(description) };
    add(parameters, key, dataset(parameterValue(value, style), attrs));
  }
  add(instrument, "diffractometer", parameters);
  add(instrument, "geometry_parameters", link(`${path}/instrument/diffractometer`));
}

function parameterValue(value: Parameter["value"], style: Style): Value {
  if (typeof value === "string") return style.text(value);
  if (typeof value === "number") return style.float(value);
  return matrix(value);
}

/** Nine numbers as the 3×3 UB matrix, row by row. */
function matrix(values: number[]): Value {
  return float64(values, [3, 3]);
}

/** `or0`, `or1`: an orientation reflection, its hkl, wavelength and motor angles. */
function reflectionGroup(reflection: Reflection, style: Style): Group {
  // spec2nexus makes these NXnote; they hold values, not a note (fix #15).
  const note = group(style.container);
  note.attrs.set("description", utf8(`${reflection.name}: orientation reflection`));
  add(note, "h", dataset(style.float(reflection.h)));
  add(note, "k", dataset(style.float(reflection.k)));
  if (reflection.l !== undefined) add(note, "l", dataset(style.float(reflection.l)));
  add(note, "wavelength", dataset(style.float(reflection.wavelength), { units: utf8("Angstrom") }));
  for (const [motor, angle] of reflection.angles) {
    add(
      note,
      motor,
      dataset(style.float(angle), {
        units: utf8("degrees"),
        description: utf8("diffractometer angle"),
      }),
    );
  }
  return note;
}

/** Words separated by blanks, as Python's `str.split()` gives them. */
function splitWords(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === "" ? [] : trimmed.split(/\s+/);
}

/** Python's `float()` of each word (NaN where it would raise), and the first word it rejects. */
function readFloats(words: string[]): { values: number[]; unread: string | null } {
  let unread: string | null = null;
  const values = words.map((word) => {
    const value = pythonFloat(word);
    if (value === null) {
      unread ??= word;
      return Number.NaN;
    }
    return value;
  });
  return { values, unread };
}

/** Python's `float(word)` of one word, or null where it would raise. */
export function pythonFloat(word: string): number | null {
  if (PYTHON_NUMBER.test(word)) return Number(word.replace(/_/g, ""));
  const lower = word.toLowerCase();
  const unsigned = lower.replace(/^[+-]/, "");
  if (unsigned === "nan") return Number.NaN;
  if (unsigned === "inf" || unsigned === "infinity") {
    return lower.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  return null;
}

/** A decimal number as Python's `float()` takes it, `_` between digits included. */
const PYTHON_NUMBER =
  /^[+-]?(?:\d(?:_?\d)*(?:\.(?:\d(?:_?\d)*)?)?|\.\d(?:_?\d)*)(?:[eE][+-]?\d(?:_?\d)*)?$/;
