/**
 * Dates as the SPEC writers print them (docs/writer.md §3.1): C `strftime("%a %b %d %H:%M:%S %Y")`
 * of `datetime.fromtimestamp(t)`, in a time zone the caller chooses, and the `#E` epoch text.
 */
import type { PyFloat } from "@specx/documents";
import { roundHalfEven } from "./numbers.js";
import { pythonStr } from "./python.js";

const OPTIONS: Intl.DateTimeFormatOptions = {
  weekday: "short",
  month: "short",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
  year: "numeric",
  hourCycle: "h23",
};

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * An en-US formatter for the zone. Named zones are cached; the local zone is not, because Node
 * re-reads it when `process.env.TZ` changes and a cached formatter would keep the old one.
 */
function formatterFor(timeZone: string | undefined): Intl.DateTimeFormat {
  if (timeZone === undefined) return new Intl.DateTimeFormat("en-US", OPTIONS);
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", { ...OPTIONS, timeZone });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The whole second Python's `datetime.fromtimestamp(t)` shows: t is first rounded to whole
 * microseconds (half to even, on the fraction from modf), so 0.9999996 s past a second already
 * counts as the next second; otherwise this is floor(t).
 */
function wholeSecond(epochSeconds: number): number {
  const intPart = Math.trunc(epochSeconds);
  const micros = roundHalfEven((epochSeconds - intPart) * 1e6);
  if (micros >= 1e6) return intPart + 1;
  if (micros < 0) return intPart - 1;
  return intPart;
}

/**
 * `%a %b %d %H:%M:%S %Y` (English names, zero-padded day, 24-hour clock), e.g.
 * `Tue Nov 14 22:13:20 2023`, of the second containing `epochSeconds` in the IANA time zone
 * `timeZone`, or in the process's local zone (from TZ) when it is undefined.
 * Throws RangeError for an unknown zone or a time outside the JS Date range.
 */
export function formatSpecDate(epochSeconds: number, timeZone?: string): string {
  const second = wholeSecond(epochSeconds);
  if ((timeZone === "UTC" || timeZone === "Etc/UTC") && second >= 0 && second < LAST_UTC_SECOND) {
    return utcDate(new Date(second * 1000));
  }
  return formatWithIntl(second, timeZone);
}

/** The first second of year 10000: below it, years have four digits and need no padding rule. */
const LAST_UTC_SECOND = 253402300800;

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

const twoDigits = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * The UTC text from the Date's own fields, as the Intl formatter writes it from 1970 to 9999:
 * the first Intl formatter of a process costs about 25 ms of ICU set-up, as much as writing
 * ten thousand rows.
 */
function utcDate(date: Date): string {
  const time = `${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())}`;
  return `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${twoDigits(date.getUTCDate())} ${time} ${date.getUTCFullYear()}`;
}

/** {@link formatSpecDate} through Intl, for every zone; exported for the tests of the UTC path. */
export function formatWithIntl(second: number, timeZone: string | undefined): string {
  const date = new Date(second * 1000);
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(date)) parts[part.type] = part.value;
  // Some ICU versions wrote midnight as "24" even with h23; strftime says 00.
  const hour = parts.hour === "24" ? "00" : parts.hour;
  return `${parts.weekday} ${parts.month} ${parts.day} ${hour}:${parts.minute}:${parts.second} ${parts.year}`;
}

/**
 * The `#E` header text: Python `str()` of the first start document's `time`, so a float keeps
 * its full repr (`1700000000.25`, `1600216652.4697354`) and an int stays digits.
 */
export function formatEpochHeader(time: number | PyFloat | bigint): string {
  return pythonStr(time);
}
