/**
 * `#D` as ISO 8601. An asctime date has no time zone and stays local (`2016-02-03T16:52:03`, as
 * spec2nexus's `iso8601` writes it); an epoch-only `#D` (spock writes those) is rendered in UTC
 * with its `Z`, never in the converting machine's zone (docs/nexus.md, fix #13).
 */
import type { SpecDate } from "@specx/spec-parser";

const two = (n: number) => String(n).padStart(2, "0");

export function isoDate(date: SpecDate): string | null {
  const f = date.fields;
  if (f) {
    return `${String(f.year).padStart(4, "0")}-${two(f.month)}-${two(f.day)}T${two(f.hour)}:${two(f.minute)}:${two(f.second)}`;
  }
  if (date.epoch !== null && Number.isFinite(date.epoch)) {
    return `${new Date(Math.floor(date.epoch) * 1000).toISOString().slice(0, 19)}Z`;
  }
  return null;
}
