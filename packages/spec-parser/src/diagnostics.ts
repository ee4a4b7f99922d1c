/**
 * Diagnostics: every defect the parser finds in a file, with a stable code. Content never throws;
 * it becomes one of these. The package README documents every code.
 */

/** How bad a finding is. `error`: data may be misread or lost; `warning`: unusual but understood; `info`: worth knowing. */
export type Severity = "error" | "warning" | "info";

/** One finding, located by 1-based line number and scan key. */
export interface Diagnostic {
  /** Stable machine-readable code, one of {@link DiagnosticCode}. */
  code: DiagnosticCode;
  severity: Severity;
  /** 1-based physical line number, or null for a finding about the whole file. */
  line: number | null;
  /** Key (`n.m`) of the scan the finding belongs to, or null outside scans. */
  scan: string | null;
  /** One readable sentence. */
  message: string;
}

/** Severity and one-line description of every diagnostic code. */
export const diagnosticRules = {
  BOM: {
    severity: "info",
    description: "The file starts with a UTF-8 byte order mark (kept on output).",
  },
  DECODE_FALLBACK: {
    severity: "warning",
    description: "A line is not valid UTF-8 and was decoded as Latin-1; its bytes are kept.",
  },
  NO_HEADER: {
    severity: "info",
    description:
      "A scan comes before any file header (#F or #E); its names come from its own lines.",
  },
  INDENTED_CONTROL_LINE: {
    severity: "warning",
    description: "A control line starts with blanks before '#'; it is read as a control line.",
  },
  BAD_SCAN_NUMBER: {
    severity: "error",
    description: "The #S line has no integer scan number.",
  },
  MISSING_DATE: { severity: "warning", description: "The scan has no #D line." },
  BAD_DATE: {
    severity: "warning",
    description: "A #D line is neither a C asctime date nor an epoch number.",
  },
  N_L_MISMATCH: {
    severity: "warning",
    description: "#N declares a different number of columns than #L names.",
  },
  LABEL_FALLBACK: {
    severity: "info",
    description: "Names were separated by single spaces; they were split on single spaces.",
  },
  SYNTHETIC_LABEL: {
    severity: "warning",
    description: "The data has more columns than #L names; the extra columns got synthetic names.",
  },
  MISSING_COLUMNS: {
    severity: "warning",
    description:
      "#L names more columns than the data rows hold; those columns are empty (NaN), or not made where they would make the table larger than the scan.",
  },
  DUPLICATE_LABEL: {
    severity: "info",
    description: "A name occurs twice in #L (or #O); both are kept, the later ones with aliases.",
  },
  ROW_TOO_SHORT: {
    severity: "error",
    description: "A data row has fewer values than the scan's columns; the rest are NaN.",
  },
  ROW_TOO_LONG: {
    severity: "error",
    description: "A data row has more values than the scan's columns; the extra values are kept.",
  },
  BROKEN_ROW: {
    severity: "error",
    description:
      "A data row was split over several lines (an interrupted write); joined when complete, else reported and not counted.",
  },
  GLUED_COMMENT: {
    severity: "warning",
    description: "A comment starts in the middle of a data line; it was recovered as a comment.",
  },
  NON_NUMERIC_TOKEN: {
    severity: "warning",
    description: "A data value is not a number (e.g. None); it reads as NaN and its text is kept.",
  },
  FORTRAN_EXPONENT: {
    severity: "warning",
    description: "A value uses a Fortran exponent (1d3); it was read as 1e3.",
  },
  STRAY_LINE: {
    severity: "warning",
    description: "A data line comes before the scan's #L line and is not part of a #MD value.",
  },
  TEXT_LINE: {
    severity: "warning",
    description:
      "A line among the data is text, not a row (most of its words are not values); it is kept and not counted.",
  },
  P_O_MISMATCH: {
    severity: "warning",
    description: "A #P row has a different number of values than its #O row has names.",
  },
  O_FIXED_WIDTH: {
    severity: "info",
    description:
      "#O names were read from SPEC's 8-character fields: a name holds two spaces in a row, so splitting on two spaces would cut it.",
  },
  O_SPLIT_AMBIGUOUS: {
    severity: "warning",
    description:
      "An #O row can be read in several ways (8-character fields, two spaces, single spaces) and none, or more than one, pairs with its #P values.",
  },
  P_WITHOUT_O: {
    severity: "warning",
    description: "#P values have no #O motor names anywhere; they are kept as unnamed positions.",
  },
  O_FROM_EARLIER_HEADER: {
    severity: "warning",
    description:
      "The scan's header has no #O lines; motor names were taken from an earlier header.",
  },
  V_H_MISMATCH: {
    severity: "warning",
    description:
      "A #V row has a different number of values than its #H row has names, or no #H row.",
  },
  MCA_ROW_MISMATCH: {
    severity: "warning",
    description: "The number of MCA spectra is not the number of data rows times the devices.",
  },
  MCA_BAD_VALUE: {
    severity: "warning",
    description: "An MCA spectrum holds a value that is not a number; it reads as NaN.",
  },
  MCA_CHANNELS_MISMATCH: {
    severity: "warning",
    description:
      "A device's spectra hold a different number of values than its #@CHANN line gives (or than each other).",
  },
  MCA_UNTERMINATED: {
    severity: "warning",
    description:
      "An MCA spectrum's last line ends in a backslash, but no continuation line follows.",
  },
  MCA_DEVICE_UNWRITTEN: {
    severity: "info",
    description: "A #@<name> line declares an MCA device, but the scan holds no spectrum of it.",
  },
  POSSIBLY_TRUNCATED: {
    severity: "warning",
    description:
      "A later scan repeats this scan's #S line and date with more data: this copy looks cut short.",
  },
  INVALID_UXML: {
    severity: "warning",
    description: "The scan's #UXML lines do not form well-formed XML; they are kept as raw text.",
  },
  BAD_MD_LINE: {
    severity: "warning",
    description: "A #MD line has no ' = ' between key and value; it is kept as a control line.",
  },
  NO_SCANS: {
    severity: "warning",
    description: "The file holds no scan (#S line): it is empty, only a header, or not SPEC.",
  },
  MNEMONIC_MISMATCH: {
    severity: "warning",
    description:
      "An #o (or #j) row has a different number of mnemonics than its #O (or #J) row has names.",
  },
  BLUESKY_NO_UID: {
    severity: "warning",
    description: "A bluesky-written scan has no '#C … uid =' line; its run cannot be looked up.",
  },
  BLUESKY_EVENT_COUNT: {
    severity: "error",
    description:
      "A bluesky-written scan's num_events_primary differs from its number of data rows.",
  },
  BLUESKY_EXIT_STATUS: {
    severity: "warning",
    description:
      "A bluesky-written scan has no exit_status end comment, or its run did not end in success.",
  },
  INTERNAL: {
    severity: "error",
    description: "The lexer or grammar reported a problem (a specx bug; please report the file).",
  },
} as const satisfies Record<string, { severity: Severity; description: string }>;

/** Every diagnostic code. */
export type DiagnosticCode = keyof typeof diagnosticRules;

/** Builds a diagnostic with the code's standard severity. */
export function diagnostic(
  code: DiagnosticCode,
  line: number | null,
  scan: string | null,
  message: string,
): Diagnostic {
  return { code, severity: diagnosticRules[code].severity, line, scan, message };
}
