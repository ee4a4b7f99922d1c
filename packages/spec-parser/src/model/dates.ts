/** `#D` dates: C asctime text (no time zone) or, as spock writes, an epoch number. */
import { isPlainDecimal, readNumber } from "./text.js";
import type { SpecDate } from "./types.js";

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

// `Thu Jul 17 02:38:24 2003`, day space- or zero-padded; the weekday is optional in practice.
const ASCTIME =
  /^(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?\s+(\d{4})$/;

/** Reads the text of a `#D` line; never throws. `fields`/`epoch` are null when unreadable. */
export function readDate(text: string): SpecDate {
  const raw = text.trim();
  const match = ASCTIME.exec(raw);
  if (match) {
    const month = MONTHS.indexOf((match[1] ?? "").toLowerCase()) + 1;
    const fields = {
      year: Number(match[6]),
      month,
      day: Number(match[2]),
      hour: Number(match[3]),
      minute: Number(match[4]),
      second: Number(match[5]),
    };
    if (month > 0 && fields.day >= 1 && fields.day <= 31 && fields.hour < 24) {
      return { raw, fields, epoch: null };
    }
  }
  // An epoch is a plain decimal number, as a data value is.
  const epoch = isPlainDecimal(raw) ? readNumber(raw) : null;
  return { raw, fields: null, epoch };
}

/** True when the date could be read either way. */
export function isReadableDate(date: SpecDate): boolean {
  return date.fields !== null || date.epoch !== null;
}
